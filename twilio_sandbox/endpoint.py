"""What every fake Twilio request goes through: basic auth, latency, fault dice, errors, the call log."""

import base64
import functools
import hmac
import random
import threading
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from .errors import TwilioError, error_response
from .models import SandboxAccount, SandboxCall

_dice: dict[tuple[int, int], random.Random] = {}
_dice_lock = threading.Lock()


def authenticate(request: HttpRequest) -> SandboxAccount | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        username, _, password = base64.b64decode(encoded.strip()).decode("utf-8").partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    account = SandboxAccount.objects.filter(sid=username).first()
    if account is None or not hmac.compare_digest(account.auth_token.encode(), password.encode()):
        return None
    return account


def _roll(account: SandboxAccount) -> float:
    if account.fault_seed is None:
        return random.random()
    # One seeded generator per account and seed in this process, so a drill's fault pattern repeats.
    with _dice_lock:
        rng = _dice.setdefault((account.pk, account.fault_seed), random.Random(account.fault_seed))
        return rng.random()


def reset_dice() -> None:
    with _dice_lock:
        _dice.clear()


def injected_fault(account: SandboxAccount) -> HttpResponse | None:
    """Twilio's 429 means too many concurrent requests: the request was not processed at all."""
    if account.fault_rate <= 0:
        return None
    roll = _roll(account)
    if roll >= account.fault_rate:
        return None
    # Half the faults are 429 (half of those with Retry-After, which Twilio does not promise), half 500.
    share = roll / account.fault_rate
    if share < 0.5:
        response = error_response(429, 20429, "Too Many Requests")
        if share < 0.25:
            response["Retry-After"] = "1"
        return response
    return error_response(500, 20500, "Internal Server Error")


def twilio_endpoint(route: str, methods: tuple[str, ...]) -> Callable:
    """Wrap a view `view(request, account, **kwargs)` that serves the spec path `route`."""

    def decorate(view: Callable) -> Callable:
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request: HttpRequest, **kwargs: str) -> HttpResponse:
            arrived = time.monotonic()
            account = authenticate(request)
            if account is None:
                response = error_response(401, 20003, "Authenticate")
                response["WWW-Authenticate"] = 'Basic realm="Twilio API"'
            elif not _body_complete(request):
                response = error_response(400, 20001, "The request body ended before its Content-Length")
            else:
                response = injected_fault(account) or _dispatch(view, request, account, methods, kwargs)
            target = next(reversed(kwargs.values()), "") if kwargs else ""
            SandboxCall.objects.create(
                method=request.method, route=route, target_sid=target[:64], status=response.status_code
            )
            if account is not None and account.latency_ms:
                _answer_at(arrived + account.latency_ms / 1000)
            return response

        return wrapper

    return decorate


def _body_complete(request: HttpRequest) -> bool:
    """A client that died between sending its headers and its body (urllib3 sends them separately) leaves
    a short body, which Django reads as if it were whole. Twilio never processes such a request, so neither
    may the fake: an update applied from half a form would look like a second, partial update."""
    try:
        expected = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return len(request.body) >= expected


def _answer_at(moment: float) -> None:
    """Hold the answer until `moment`. Latency is Twilio's response time: its own work happens within it,
    so the fake's work (queries, rendering) counts inside the latency, not on top of it. Nothing is held
    open meanwhile: every write above has committed (autocommit, no ATOMIC_REQUESTS)."""
    remaining = moment - time.monotonic()
    if remaining > 0:
        time.sleep(remaining)


def _dispatch(view, request, account, methods, kwargs) -> HttpResponse:
    if request.method not in methods:
        response = error_response(405, 20004, "Method not allowed")
        response["Allow"] = ", ".join(methods)
        return response
    if request.method == "POST" and request.content_type != "application/x-www-form-urlencoded":
        # Twilio reads only form-encoded parameters; a JSON or multipart body would change nothing,
        # so refuse it loudly rather than answer 200 with the PII still in place.
        return error_response(400, 20001, "Send parameters form-encoded (application/x-www-form-urlencoded)")
    try:
        return view(request, account, **kwargs)
    except TwilioError as error:
        return error_response(error.status, error.code, error.message)
