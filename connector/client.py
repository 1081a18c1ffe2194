"""HTTP for a saas_config: base URL, authentication and the concurrency cap, over privacyportal.outbound."""

from urllib.parse import quote, urlsplit

import requests

from privacyportal import outbound

from .config import PLACEHOLDER, SaasConfig
from .limiter import Limiter

# Twilio's client retries 429 three times; a storm on a busy account deserves more tries. A 100,000-message
# erasure makes about 23,000 requests: with 20% of answers faulted, 5 retries (0.2^6 per request) would
# fail about four such runs in five; 10 retries (0.2^11) about one in 2,000, and a real outage still
# gives up after about 20 s of backoff.
POLICY = outbound.RetryPolicy(retries=10)


class CredentialsRejected(Exception):
    def __init__(self, vendor: str, status: int):
        self.status = status
        super().__init__(f"{vendor} rejected the credentials (HTTP {status}).")


class VendorError(Exception):
    """An answer the engine cannot use (an unexpected 4xx, a 5xx after all retries, a body not JSON)."""


Unreachable = outbound.Unreachable


class SaasClient:
    def __init__(
        self,
        config: SaasConfig,
        params: dict[str, str],
        *,
        limiter: Limiter,
        vendor: str = "",
        policy: outbound.RetryPolicy = POLICY,
    ):
        self.policy = policy
        self.config = config
        self.params = params
        self.limiter = limiter
        self.vendor = vendor or config.name
        self.base_url = fill(config.base_url, params).rstrip("/")
        auth = {k: fill(v, params) for k, v in config.auth_configuration.items()}
        if config.auth_strategy == "basic":
            self._auth = (auth.get("username", ""), auth.get("password", ""))
            self._headers = {"Accept": "application/json"}
        else:
            self._auth = None
            self._headers = {"Accept": "application/json", "Authorization": f"Bearer {auth.get('token', '')}"}

    def url(self, path: str) -> str:
        return self.base_url + path

    def request(self, method: str, path_or_url: str, *, params=None, data=None) -> requests.Response:
        """One call (retries inside outbound). Raises CredentialsRejected on 401/403, Unreachable."""
        url = path_or_url if "://" in path_or_url else self.url(path_or_url)
        if not _same_origin(url, self.base_url):
            # A next_page_url pointing elsewhere must not receive the account's credentials.
            raise VendorError(f"{self.vendor} sent a link to another host; it was not followed.")
        response = outbound.send(
            method,
            url,
            policy=self.policy,
            slot=self.limiter.slot,
            params=params,
            data=data,
            auth=self._auth,
            headers=self._headers,
        )
        if response.status_code in (401, 403):
            raise CredentialsRejected(self.vendor, response.status_code)
        return response

    def describe_error(self, response: requests.Response) -> str:
        try:
            body = response.json()
            detail = body.get("message") or body.get("detail") or ""
            code = body.get("code")
        except (ValueError, AttributeError):
            detail, code = "", None
        suffix = f" (code {code})" if code else ""
        text = f": {detail}" if detail else ""
        return f"{self.vendor} answered HTTP {response.status_code}{suffix}{text}"


def fill(template: str, values: dict[str, str], *, quote_values: bool = False) -> str:
    """Replace <name> placeholders; path segments are URL-quoted (an identity may hold '@' or '+')."""

    def sub(match):
        value = str(values.get(match.group(1), ""))
        return quote(value, safe="") if quote_values else value

    return PLACEHOLDER.sub(sub, template)


def _same_origin(url: str, base: str) -> bool:
    a, b = urlsplit(url), urlsplit(base)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)
