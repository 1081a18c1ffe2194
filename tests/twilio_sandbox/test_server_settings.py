"""The fake Twilio served alone (twilio_sandbox.server_settings, used by the benchmark) answers like the mounted one."""

import base64

import pytest
from django.test import override_settings

from twilio_sandbox.seed import DEMO_ACCOUNT_SID, DEMO_AUTH_TOKEN, seed_demo

pytestmark = pytest.mark.django_db


@override_settings(ROOT_URLCONF="twilio_sandbox.server_urls", MIDDLEWARE=[])
def test_the_lean_server_serves_the_same_paths_with_auth(client):
    seed_demo()
    auth = "Basic " + base64.b64encode(f"{DEMO_ACCOUNT_SID}:{DEMO_AUTH_TOKEN}".encode()).decode()
    ok = client.get("/sandbox/twilio/v1/Users/alice@example.com", HTTP_AUTHORIZATION=auth)
    assert ok.status_code == 200 and ok.json()["identity"] == "alice@example.com"
    assert client.get("/sandbox/twilio/v1/Users").status_code == 401
    assert client.get("/").status_code == 404  # the portal is not there


def test_server_settings_drop_the_portal_middleware():
    from twilio_sandbox import server_settings

    assert server_settings.MIDDLEWARE == [] and server_settings.ROOT_URLCONF == "twilio_sandbox.server_urls"
