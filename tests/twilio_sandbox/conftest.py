"""Fixtures for the sandbox Twilio: the demo account, and a test client that signs in as it."""

import base64
from urllib.parse import urlencode

import pytest

from tests.contract import check_exchange

PREFIX = "/sandbox/twilio"


class TwilioClient:
    """Django's test client with the account's basic auth; every answer is checked against the spec."""

    def __init__(self, client, account_sid: str, auth_token: str, *, check: bool = True):
        self.client = client
        token = base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode()
        self.headers = {"HTTP_AUTHORIZATION": f"Basic {token}"}
        self.check = check

    def _url(self, path: str) -> str:
        return path if path.startswith("http") else PREFIX + path

    def _checked(self, response, request_must_be_valid: bool = True):
        if self.check:
            check_exchange(response, request_must_be_valid=request_must_be_valid)
        return response

    def get(self, path: str, params=None, *, valid: bool = True):
        return self._checked(self.client.get(self._url(path), params or {}, **self.headers), valid)

    def post(self, path: str, data: dict, *, valid: bool = True):
        """A form-encoded POST, as Twilio's update endpoints expect."""
        response = self.client.post(
            self._url(path), urlencode(data), content_type="application/x-www-form-urlencoded", **self.headers
        )
        return self._checked(response, valid)

    def delete(self, path: str, *, valid: bool = True):
        return self._checked(self.client.delete(self._url(path), **self.headers), valid)


@pytest.fixture
def demo(db):
    from twilio_sandbox.seed import seed_demo

    return seed_demo()


@pytest.fixture
def twilio(client, demo):
    return TwilioClient(client, demo.account_sid, demo.auth_token)
