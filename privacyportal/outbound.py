"""The one path for every call to a vendor (messaging providers and the connector): sessions, timeouts, retries.

Retries follow Twilio's own client: on 429 wait as `Retry-After` says when present (Twilio does not
promise it), else exponential backoff with full jitter; 5xx and timeouts get a bounded number of
retries too. Callers read the final response and translate vendor errors themselves.
"""

import logging
import random
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import requests
from django.conf import settings

log = logging.getLogger(__name__)

_local = threading.local()


class Unreachable(Exception):
    """The vendor could not be reached (DNS, refused connection, timeout) after every retry."""


@dataclass(frozen=True)
class RetryPolicy:
    retries: int = 3
    statuses: frozenset[int] = field(default_factory=lambda: frozenset({429, 500, 502, 503, 504}))
    retry_timeouts: bool = True
    base_seconds: float = 0.1
    cap_seconds: float = 3.0
    # A Retry-After longer than this is cut short: a worker should not sleep for minutes.
    max_retry_after: float = 60.0

    def backoff(self, attempt: int) -> float:
        """Full jitter: uniform in [0, min(cap, base * 2^(attempt+1))]."""
        return random.uniform(0, min(self.cap_seconds, self.base_seconds * 2 ** (attempt + 1)))


DEFAULT_POLICY = RetryPolicy()
NO_RETRIES = RetryPolicy(retries=0)


class Session(requests.Session):
    """Reads the environment's proxy and CA-bundle settings once per host instead of on every call.

    requests scans the whole environment on each call to find them: 0.1 to 0.3 ms of CPU, about a
    sixth of a worker's CPU in a 20,000-update erasure. A process's environment does not change under it.
    """

    def __init__(self) -> None:
        super().__init__()
        self._environment: dict[tuple, dict] = {}

    def merge_environment_settings(self, url, proxies, stream, verify, cert):
        if proxies:  # per-call proxies: nothing to remember
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        parts = urlsplit(url)
        key = (parts.scheme, parts.netloc, stream, verify, cert)
        found = self._environment.get(key)
        if found is None:
            found = self._environment[key] = super().merge_environment_settings(url, proxies, stream, verify, cert)
        return {**found, "proxies": dict(found["proxies"])}


def session() -> requests.Session:
    """A session per thread (requests.Session is not thread-safe), with a pool for concurrent calls."""
    s = getattr(_local, "session", None)
    if s is None:
        s = Session()
        adapter = requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=32, max_retries=0)
        s.mount("http://", adapter)
        s.mount("https://", adapter)
        _local.session = s
    return s


def retry_after_seconds(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def send(
    method: str,
    url: str,
    *,
    policy: RetryPolicy = DEFAULT_POLICY,
    timeout: float | None = None,
    sleep=time.sleep,
    slot: Callable[[], AbstractContextManager] = nullcontext,
    **kwargs,
) -> requests.Response:
    """Send one HTTP request with retries; return the last response, or raise Unreachable.

    `slot` (e.g. a concurrency limiter's) is held for each attempt only, never while backing off: a
    429 means too many requests in flight, so waiting must not keep one of them."""
    timeout = timeout if timeout is not None else settings.OUTBOUND_TIMEOUT_SECONDS
    attempt = 0
    while True:
        try:
            with slot():
                response = session().request(method, url, timeout=timeout, **kwargs)
        except (requests.ConnectionError, requests.Timeout) as exc:
            if attempt >= policy.retries or (isinstance(exc, requests.Timeout) and not policy.retry_timeouts):
                kind = "timed out" if isinstance(exc, requests.Timeout) else "could not connect"
                raise Unreachable(f"{method} {_safe(url)} {kind} after {attempt + 1} attempt(s)") from None
            delay = policy.backoff(attempt)
            log.info("%s %s failed (%s), retrying in %.2fs", method, _safe(url), type(exc).__name__, delay)
        else:
            if response.status_code not in policy.statuses or attempt >= policy.retries:
                return response
            delay = retry_after_seconds(response) if response.status_code == 429 else None
            delay = min(delay, policy.max_retry_after) if delay is not None else policy.backoff(attempt)
            log.info("%s %s answered %s, retrying in %.2fs", method, _safe(url), response.status_code, delay)
        attempt += 1
        sleep(delay)


def _safe(url: str) -> str:
    """Scheme and host only: paths and queries may carry an identity (/v1/Users/<email>, Address=+1555...)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
