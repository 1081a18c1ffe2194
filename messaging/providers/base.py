"""The interface every provider implements: `send(message) -> provider message id`, raising DeliveryError."""

import time
from dataclasses import dataclass
from typing import ClassVar

import requests

from privacyportal import outbound

from .. import schemas


@dataclass(frozen=True, repr=False)
class OutgoingMessage:
    to: str
    subject: str
    text: str
    html: str = ""
    kind: str = ""
    channel: str = ""

    def __repr__(self) -> str:
        # Bodies may hold a one-time code and `to` is personal data: neither belongs in a traceback.
        return f"<OutgoingMessage kind={self.kind!r}>"


class DeliveryError(Exception):
    """A delivery failed. `message` is for staff; `reason` is a short code the subject's text is chosen by."""

    def __init__(self, message: str, *, permanent: bool = False, reason: str = ""):
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.reason = reason


class Provider:
    service_type: ClassVar[str] = ""
    label: ClassVar[str] = ""
    channels: ClassVar[frozenset[str]] = frozenset()
    details_schema: ClassVar[dict[str, schemas.Field]] = {}
    secrets_schema: ClassVar[dict[str, schemas.Field]] = {}
    # Providers that only write a database row deliver at once, inside the caller's transaction.
    inline: ClassVar[bool] = False

    def __init__(self, details: dict, secrets: dict):
        self.details = details
        self._secrets = secrets

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"

    @classmethod
    def clean_details(cls, data) -> dict:
        return schemas.clean(cls.details_schema, data)

    @classmethod
    def clean_secrets(cls, data) -> dict:
        return schemas.clean(cls.secrets_schema, data, fill_defaults=False)

    @classmethod
    def needs_secrets(cls) -> bool:
        return bool(cls.secrets_schema)

    def secret(self, name: str) -> str:
        return self._secrets.get(name, "")

    def send(self, message: OutgoingMessage) -> str:
        raise NotImplementedError


class HttpProvider(Provider):
    """Calls a vendor's HTTP API through privacyportal.outbound (timeouts, retries on 429/5xx/timeouts)."""

    vendor: ClassVar[str] = ""
    policy: ClassVar[outbound.RetryPolicy] = outbound.DEFAULT_POLICY
    sleep = staticmethod(time.sleep)

    def request(self, method: str, url: str, **kwargs) -> requests.Response:
        try:
            return outbound.send(method, url, policy=self.policy, sleep=self.sleep, **kwargs)
        except outbound.Unreachable as exc:
            raise DeliveryError(f"Could not reach {self.vendor}: {exc}.", reason="unreachable") from None
        except requests.RequestException as exc:
            raise DeliveryError(
                f"Could not call {self.vendor} ({type(exc).__name__}); check the configuration.",
                permanent=True,
                reason="configuration",
            ) from None

    def deliver(self, method: str, url: str, **kwargs) -> requests.Response:
        response = self.request(method, url, **kwargs)
        self.raise_for_response(response)
        return response

    def raise_for_response(self, response: requests.Response) -> None:
        """Translate a vendor's error into DeliveryError; the default covers what every vendor shares."""
        status = response.status_code
        if 200 <= status < 300:
            return
        if status == 429:
            raise DeliveryError(
                f"{self.vendor} answered HTTP 429 (too many requests).", reason="rate_limited"
            )
        if status >= 500:
            raise DeliveryError(
                f"{self.vendor} answered HTTP {status} (a server error).", reason="vendor_down"
            )
        if status == 401:
            raise DeliveryError(
                f"{self.vendor} rejected the credentials (HTTP 401).", permanent=True, reason="credentials"
            )
        if status == 403:
            raise DeliveryError(
                f"{self.vendor} refused the request (HTTP 403): check the key's permissions.",
                permanent=True,
                reason="credentials",
            )
        raise DeliveryError(
            f"{self.vendor} rejected the message (HTTP {status}).", permanent=True, reason="rejected"
        )


def json_body(response: requests.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def vendor_text(value, *, limit: int = 200) -> str:
    """A vendor's own error text, trimmed: useful to staff, and never more than one line."""
    text = " ".join(str(value or "").split())
    return text[:limit]
