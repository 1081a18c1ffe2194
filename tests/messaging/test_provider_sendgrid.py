"""Twilio SendGrid against a loopback fake: the documented JSON, 202 with X-Message-ID, errors."""

import pytest

from messaging.providers import DeliveryError, OutgoingMessage
from tests.messaging.conftest import SENDGRID_KEY

pytestmark = pytest.mark.django_db

MESSAGE = OutgoingMessage(to="sam@example.com", subject="Hello", text="Code 123456", html="<p>Code 123456</p>")


def test_it_posts_the_documented_json_with_a_bearer_key(vendor, sendgrid):
    vendor.expect_request("/v3/mail/send", method="POST").respond_with_data(
        "", 202, headers={"X-Message-ID": "msg-abc"}
    )

    assert sendgrid.provider().send(MESSAGE) == "msg-abc"

    request, _ = vendor.log[0]
    assert request.headers["Authorization"] == f"Bearer {SENDGRID_KEY}"
    assert request.get_json() == {
        "personalizations": [{"to": [{"email": "sam@example.com"}]}],
        "from": {"email": "privacy@example.com", "name": "Acme"},
        "subject": "Hello",
        "content": [
            {"type": "text/plain", "value": "Code 123456"},
            {"type": "text/html", "value": "<p>Code 123456</p>"},
        ],
    }


def test_401_is_permanent(vendor, sendgrid):
    vendor.expect_request("/v3/mail/send").respond_with_json({"errors": [{"message": "bad key"}]}, 401)

    with pytest.raises(DeliveryError) as caught:
        sendgrid.provider().send(MESSAGE)

    assert caught.value.permanent and caught.value.message == "SendGrid rejected the credentials (HTTP 401)."


def test_400_names_the_field_sendgrid_complains_about(vendor, sendgrid):
    body = {"errors": [{"message": "Does not contain a valid address.", "field": "personalizations.0.to"}]}
    vendor.expect_request("/v3/mail/send").respond_with_json(body, 400)

    with pytest.raises(DeliveryError) as caught:
        sendgrid.provider().send(MESSAGE)

    assert caught.value.permanent and caught.value.reason == "invalid_address"
    assert "personalizations.0.to" in caught.value.message


def test_503_is_transient(vendor, sendgrid, sleeps):
    vendor.expect_request("/v3/mail/send").respond_with_data("", 503)

    with pytest.raises(DeliveryError) as caught:
        sendgrid.provider().send(MESSAGE)

    assert not caught.value.permanent and len(vendor.log) == 4 and len(sleeps) == 3
