"""Messaging fixtures: an encryption key, vendor base URLs on a loopback fake, retries without sleeping."""

import pytest
from cryptography.fernet import Fernet

from messaging.providers import HttpProvider
from tests.factories import MessagingConfigFactory

TEST_KEY = Fernet.generate_key().decode()
ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "twilio-auth-token-SECRET-9f8e7d"
MESSAGING_SERVICE_SID = "MG" + "fedcba9876543210" * 2
MAILGUN_KEY = "key-mailgun-SECRET-4b3c2d1e"
SENDGRID_KEY = "SG.sendgrid-SECRET-aa11bb22"
ALL_SECRETS = (AUTH_TOKEN, MAILGUN_KEY, SENDGRID_KEY)


@pytest.fixture(autouse=True)
def _messaging_settings(settings):
    settings.FIELD_ENCRYPTION_KEYS = [TEST_KEY]
    settings.SANDBOX = True
    settings.ORGANIZATION_NAME = "Acme"
    settings.REDIS_URL = ""


@pytest.fixture(autouse=True)
def sleeps(monkeypatch) -> list[float]:
    """Retries happen, but their waits are recorded instead of slept."""
    recorded: list[float] = []
    monkeypatch.setattr(HttpProvider, "sleep", staticmethod(recorded.append))
    return recorded


@pytest.fixture
def vendor(httpserver, settings):
    """A loopback HTTP server standing in for Mailgun, SendGrid and Twilio at once."""
    base = httpserver.url_for("/").rstrip("/")
    settings.MAILGUN_BASE_URL = base
    settings.MAILGUN_EU_BASE_URL = base + "/eu"
    settings.SENDGRID_BASE_URL = base
    settings.TWILIO_API_BASE_URL = base
    return httpserver


@pytest.fixture
def twilio_sms(db):
    return MessagingConfigFactory(
        service_type="twilio_text",
        default_for_sms=True,
        secrets={
            "twilio_account_sid": ACCOUNT_SID,
            "twilio_auth_token": AUTH_TOKEN,
            "twilio_messaging_service_sid": MESSAGING_SERVICE_SID,
        },
    )


@pytest.fixture
def mailgun(db):
    return MessagingConfigFactory(
        service_type="mailgun",
        default_for_email=True,
        details={"domain": "mg.example.com"},
        secrets={"mailgun_api_key": MAILGUN_KEY},
    )


@pytest.fixture
def sendgrid(db):
    return MessagingConfigFactory(
        service_type="twilio_email",
        default_for_email=True,
        details={"twilio_email_from": "privacy@example.com"},
        secrets={"twilio_api_key": SENDGRID_KEY},
    )
