"""The admin: secrets are write-only ("set" / "not set"), a blank input keeps them, a token shows once."""

import pytest

from messaging.models import ApiToken, MessageLog, MessagingConfig, hash_token
from tests.messaging.conftest import ACCOUNT_SID, AUTH_TOKEN, MESSAGING_SERVICE_SID

pytestmark = pytest.mark.django_db

ADD = "/admin/messaging/messagingconfig/add/"


def _change(pk: int) -> str:
    return f"/admin/messaging/messagingconfig/{pk}/change/"


def _form(**fields) -> dict:
    return {
        "name": "Twilio SMS",
        "key": "twilio-sms",
        "service_type": "twilio_text",
        "details": "{}",
        "default_for_sms": "on",
        **fields,
    }


def test_secrets_are_entered_once_and_shown_only_as_set(admin_client):
    response = admin_client.post(
        ADD,
        _form(
            secret_twilio_account_sid=ACCOUNT_SID,
            secret_twilio_auth_token=AUTH_TOKEN,
            secret_twilio_messaging_service_sid=MESSAGING_SERVICE_SID,
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    config = MessagingConfig.objects.get()
    assert config.secrets["twilio_auth_token"] == AUTH_TOKEN

    page = admin_client.get(_change(config.pk)).content.decode()
    assert AUTH_TOKEN not in page and ACCOUNT_SID not in page
    assert "set · used by twilio_text" in page and "not set · used by twilio_text" in page
    listing = admin_client.get("/admin/messaging/messagingconfig/").content.decode()
    assert "twilio_auth_token set" in listing and AUTH_TOKEN not in listing


def test_a_blank_secret_input_keeps_the_stored_value(admin_client, twilio_sms):
    response = admin_client.post(_change(twilio_sms.pk), _form(name="Renamed", key=twilio_sms.key))
    assert response.status_code == 302
    twilio_sms.refresh_from_db()
    assert twilio_sms.name == "Renamed" and twilio_sms.secrets["twilio_auth_token"] == AUTH_TOKEN


def test_switching_to_a_sender_number_needs_clearing_the_service_sid(admin_client, twilio_sms):
    both = _form(key=twilio_sms.key, secret_twilio_sender_phone_number="+15005550006")
    response = admin_client.post(_change(twilio_sms.pk), both)
    assert response.status_code == 200 and "exactly one" in response.content.decode()

    response = admin_client.post(_change(twilio_sms.pk), {**both, "clear_secrets": ["twilio_messaging_service_sid"]})
    assert response.status_code == 302
    twilio_sms.refresh_from_db()
    assert "twilio_messaging_service_sid" not in twilio_sms.secrets
    assert twilio_sms.secrets["twilio_sender_phone_number"] == "+15005550006"


def test_a_secret_of_another_provider_and_bad_details_are_refused(admin_client):
    response = admin_client.post(ADD, _form(secret_mailgun_api_key="key-1234567890", details='{"x": 1}'))
    page = response.content.decode()
    assert response.status_code == 200 and "does not use this secret" in page and "Unknown field" in page
    assert not MessagingConfig.objects.exists()


def test_a_provider_cannot_be_default_for_a_channel_it_cannot_send(admin_client):
    response = admin_client.post(ADD, _form(default_for_email="on"))
    assert response.status_code == 200 and "cannot send Email" in response.content.decode()


def test_a_new_api_token_is_shown_once_and_stored_hashed(admin_client):
    response = admin_client.post("/admin/messaging/apitoken/add/", {"name": "ci"})
    page = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    token = page.split('id="api-token"')[1].split(">")[1].split("<")[0]
    row = ApiToken.objects.get()
    assert row.token_hash == hash_token(token) and token not in row.token_hash and row.hint == token[:7]
    assert token not in admin_client.get(f"/admin/messaging/apitoken/{row.pk}/change/").content.decode()
    assert ApiToken.authenticate(token) == row


def test_the_message_log_is_read_only_and_hides_the_payload(admin_client):
    row = MessageLog.objects.create(kind="test", channel="sms", payload={"text": "code 987654"})
    page = admin_client.get(f"/admin/messaging/messagelog/{row.pk}/change/").content.decode()
    assert "987654" not in page
    assert admin_client.get("/admin/messaging/messagelog/add/").status_code == 403
