"""Secrets at rest: ciphertext in the columns, nothing in reprs, key rotation by the management command."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from messaging.models import MessageLog, MessagingConfig
from messaging.sending import send_verification_code
from tests.factories import PrivacyRequestFactory
from tests.messaging.conftest import AUTH_TOKEN, TEST_KEY

pytestmark = pytest.mark.django_db


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_the_secrets_column_holds_no_secret(twilio_sms):
    raw = _raw("messaging_messagingconfig", "secrets", twilio_sms.pk)
    assert raw.startswith("gAAAA") and AUTH_TOKEN not in raw and "twilio_auth_token" not in raw
    assert MessagingConfig.objects.get().secrets["twilio_auth_token"] == AUTH_TOKEN


def test_a_pending_code_is_encrypted_in_the_log_payload(twilio_sms, monkeypatch):
    monkeypatch.setattr("privacyportal.queueing.enqueue", lambda *a, **k: None)
    log_id = send_verification_code(
        privacy_request=PrivacyRequestFactory(phone="+14155552671"), code="424242", channel="sms"
    )
    raw = _raw("messaging_messagelog", "payload", log_id)
    assert raw and "424242" not in raw and "+14155552671" not in raw
    assert "424242" in MessageLog.objects.get(pk=log_id).payload["text"]


def test_reprs_and_strs_hold_no_secret(twilio_sms):
    provider = twilio_sms.provider()
    for text in (repr(twilio_sms), str(twilio_sms), repr(provider), str(provider)):
        assert AUTH_TOKEN not in text


def test_rotation_re_encrypts_under_the_newest_key(twilio_sms, settings):
    before = _raw("messaging_messagingconfig", "secrets", twilio_sms.pk)
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, TEST_KEY]

    call_command("rotate_encryption_key")

    after = _raw("messaging_messagingconfig", "secrets", twilio_sms.pk)
    assert after != before
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert MessagingConfig.objects.get().secrets["twilio_auth_token"] == AUTH_TOKEN


def test_rotation_without_the_old_key_fails_with_one_line_and_changes_nothing(twilio_sms, settings):
    before = _raw("messaging_messagingconfig", "secrets", twilio_sms.pk)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(CommandError, match="cannot be decrypted"):
        call_command("rotate_encryption_key")

    assert _raw("messaging_messagingconfig", "secrets", twilio_sms.pk) == before
