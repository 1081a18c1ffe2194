"""The sandbox outbox page and the staff status page with its test message form."""

import pytest
from django.urls import reverse

from messaging.models import MessageLog, OutboxMessage
from messaging.sending import send_verification_code
from messaging.setup import configure_sandbox
from tests.factories import PrivacyRequestFactory
from tests.messaging.conftest import AUTH_TOKEN, MAILGUN_KEY

pytestmark = pytest.mark.django_db

OUTBOX = "/sandbox/outbox/"
STATUS = "/messaging/status/"


def test_the_outbox_shows_the_newest_code_first_with_stable_markup(client):
    configure_sandbox()
    subject = PrivacyRequestFactory(email="sam@example.com")
    send_verification_code(privacy_request=subject, code="111111", channel="email")
    send_verification_code(privacy_request=subject, code="222222", channel="email")

    page = client.get(OUTBOX).content.decode()

    assert page.index("222222") < page.index("111111")
    assert '<article class="outbox-message"' in page
    assert 'data-to="sam@example.com" data-kind="verification_code"' in page
    assert '<pre class="outbox-text">' in page


def test_the_outbox_filters_by_recipient(client):
    OutboxMessage.objects.create(to="a@example.com", channel="email", kind="test", text="for a")
    OutboxMessage.objects.create(to="b@example.com", channel="email", kind="test", text="for b")

    page = client.get(OUTBOX, {"to": "b@example.com"}).content.decode()

    assert "for b" in page and "for a" not in page


def test_the_outbox_does_not_exist_outside_sandbox_mode(client, settings):
    settings.SANDBOX = False
    assert client.get(OUTBOX).status_code == 404


def test_the_status_page_is_for_staff_only(client):
    response = client.get(STATUS)
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_the_status_page_shows_fides_status_channels_and_alerts(admin_client, twilio_sms):
    page = admin_client.get(STATUS).content.decode()

    assert "not configured" in page
    assert "No email messaging configuration is active" in page
    assert twilio_sms.name in page
    assert AUTH_TOKEN not in page


def test_the_test_message_form_sends_through_the_default_config(admin_client):
    configure_sandbox()

    response = admin_client.post(STATUS, {"channel": "sms", "to": "+1 415 555 2671"})

    assert response.status_code == 302
    message = OutboxMessage.objects.get()
    assert (message.to, message.kind, message.channel) == ("+14155552671", "test", "sms")
    assert MessageLog.objects.get().status == "sent"
    assert "Sent" in admin_client.get(STATUS).content.decode()


def test_the_test_message_form_explains_a_missing_config(admin_client, mailgun):
    response = admin_client.post(STATUS, {"channel": "sms", "to": "+14155552671"})
    assert response.status_code == 400
    assert "No usable default SMS configuration." in response.content.decode()
    assert MAILGUN_KEY not in response.content.decode()


def test_the_test_message_form_rejects_a_bad_address(admin_client):
    configure_sandbox()
    response = admin_client.post(STATUS, {"channel": "email", "to": "not-an-address"})
    assert response.status_code == 400 and not OutboxMessage.objects.exists()


def test_the_status_page_url_reverses():
    assert reverse("messaging:status") == STATUS and reverse("messaging:outbox") == OUTBOX
