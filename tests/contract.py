"""Check HTTP exchanges against Twilio's own Conversations v1 OpenAPI spec (openapi-core 0.23).

Works for `requests` exchanges (the connector's calls, live-server calls) and for Django responses
(the test client). Paths are validated relative to the spec's server: everything before `/v1/` in
the URL (a loopback host, the `/sandbox/twilio` mount) stands for https://conversations.twilio.com.

The spec documents only successful responses, so error answers (4xx/5xx) are checked against
Twilio's error body instead: `{code, message, more_info, status}`.

    from tests.contract import check_exchange, check_request, check_response
    check_exchange(requests_response)          # its .request and itself
    check_exchange(client_response)            # Django test client: .wsgi_request and itself
    check_request(prepared_request)            # what the engine sends, before any answer
"""

import functools
import json
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

import requests
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

SPEC_PATH = Path(__file__).resolve().parent.parent / "twilio_sandbox" / "spec" / "twilio_conversations_v1.json"
SPEC_SERVER = "https://conversations.twilio.com"
ERROR_FIELDS = {"code": int, "message": str, "more_info": str, "status": int}


class ContractError(AssertionError):
    """An exchange that Twilio's spec would not allow; the message lists every finding."""


@functools.cache
def spec() -> OpenAPI:
    # The spec is 850 KB: parse it once per test process.
    return OpenAPI.from_file_path(str(SPEC_PATH))


def _spec_path(path: str) -> str:
    start = path.find("/v1/")
    if start < 0:
        raise ContractError(f"{path} is not a Conversations v1 path (no /v1/)")
    return unquote(path[start:])


class SpecRequest:
    """An openapi-core request, re-rooted at the spec's server."""

    def __init__(self, method: str, url: str, headers: dict, body: bytes | None):
        parts = urlsplit(url)
        self.host_url = SPEC_SERVER
        self.path = _spec_path(parts.path)
        self.method = method.lower()
        self.body = body or None
        header = Headers(list(headers.items()))
        self.content_type = (header.get("Content-Type") or "").lower()
        query: dict[str, list[str]] = {}
        for name, value in parse_qsl(parts.query, keep_blank_values=True):
            query.setdefault(name, []).append(value)
        self.parameters = RequestParameters(query=ImmutableMultiDict(query), header=header)

    def __repr__(self) -> str:
        return f"{self.method.upper()} {self.path}"


class SpecResponse:
    def __init__(self, status_code: int, headers: dict, data: bytes):
        self.status_code = status_code
        self.headers = Headers(list(headers.items()))
        self.content_type = (self.headers.get("Content-Type") or "").lower()
        self.data = data


def as_spec_request(request) -> SpecRequest:
    """From a `requests.Request`/`PreparedRequest` or a Django `HttpRequest`."""
    if isinstance(request, requests.Request):
        request = request.prepare()
    if isinstance(request, requests.PreparedRequest):
        body = request.body.encode() if isinstance(request.body, str) else request.body
        return SpecRequest(request.method, request.url, dict(request.headers), body)
    return _from_django_request(request)


def _from_django_request(request) -> SpecRequest:
    from django.http.request import RawPostDataException

    try:
        body = request.body
    except RawPostDataException:
        # The view read the form already; re-encode what it parsed.
        body = urlencode(list(request.POST.lists()), doseq=True).encode()
    url = request.path + ("?" + request.META["QUERY_STRING"] if request.META.get("QUERY_STRING") else "")
    return SpecRequest(request.method, url, dict(request.headers), body)


def as_spec_response(response) -> SpecResponse:
    """From a `requests.Response` or a Django `HttpResponse` (test client response)."""
    if isinstance(response, requests.Response):
        return SpecResponse(response.status_code, dict(response.headers), response.content)
    return SpecResponse(response.status_code, dict(response.headers.items()), response.content)


def _errors(iterator) -> list[str]:
    found = []
    for error in iterator:
        detail = getattr(error, "__cause__", None)
        nested = getattr(detail, "schema_errors", None) or getattr(error, "schema_errors", None) or []
        found.append(f"{type(error).__name__}: {error}" + "".join(f"\n    - {e.message}" for e in nested))
    return found


def check_request(request) -> None:
    """Raise ContractError unless the request's path, parameters, auth and body fit the spec."""
    spec_request = as_spec_request(request)
    problems = _errors(spec().iter_request_errors(spec_request))
    if problems:
        raise ContractError(f"{spec_request!r} breaks the spec:\n  " + "\n  ".join(problems))


def check_error_body(response) -> dict:
    """Twilio's error shape, with `status` equal to the HTTP status."""
    spec_response = as_spec_response(response)
    try:
        body = json.loads(spec_response.data)
    except ValueError:
        raise ContractError(f"HTTP {spec_response.status_code} error body is not JSON") from None
    problems = [
        f"{name} should be {kind.__name__}"
        for name, kind in ERROR_FIELDS.items()
        if not isinstance(body.get(name), kind)
    ]
    if body.get("status") != spec_response.status_code:
        problems.append(f"status {body.get('status')} differs from HTTP {spec_response.status_code}")
    if not spec_response.content_type.startswith("application/json"):
        problems.append(f"content type {spec_response.content_type!r} is not JSON")
    if problems:
        raise ContractError(f"HTTP {spec_response.status_code} error body {body!r}: " + "; ".join(problems))
    return body


def check_response(request, response) -> None:
    """Raise ContractError unless the response fits the spec (2xx) or Twilio's error body (4xx/5xx)."""
    if response.status_code >= 400:
        check_error_body(response)
        return
    spec_request = as_spec_request(request)
    problems = _errors(spec().iter_response_errors(spec_request, as_spec_response(response)))
    if problems:
        raise ContractError(
            f"HTTP {response.status_code} to {spec_request!r} breaks the spec:\n  " + "\n  ".join(problems)
        )


def check_exchange(response, *, request_must_be_valid: bool = True) -> None:
    """Check a `requests.Response` (with its `.request`) or a Django test response (`.wsgi_request`)."""
    request = response.request if isinstance(response, requests.Response) else response.wsgi_request
    if request_must_be_valid:
        check_request(request)
    check_response(request, response)
