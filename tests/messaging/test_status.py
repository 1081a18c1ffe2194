"""The status check (Fides' shape and order), per-channel alerts for staff, and the system check."""

import pytest

from messaging.apps import check_default_configs
from messaging.models import MessageLog, MessagingSettings
from messaging.setup import configure_sandbox
from messaging.status import channel_problems, messaging_status
from tests.factories import MessagingConfigFactory
from tests.messaging.conftest import ACCOUNT_SID

pytestmark = pytest.mark.django_db


def _fides(status: dict) -> dict:
    return {key: status[key] for key in ("config_status", "detail")}


def test_no_default_config_is_not_configured():
    assert _fides(messaging_status()) == {
        "config_status": "not configured",
        "detail": "No active default messaging configuration found",
    }


def test_the_notification_service_type_picks_the_active_config(mailgun, twilio_sms):
    MessagingSettings.objects.create(notification_service_type="twilio_text")
    assert messaging_status()["detail"] == "Active default messaging service of type TWILIO_TEXT is fully configured"


def test_a_fully_configured_mailgun_says_so_in_fides_words(mailgun):
    assert _fides(messaging_status()) == {
        "config_status": "configured",
        "detail": "Active default messaging service of type MAILGUN is fully configured",
    }


def test_invalid_details_come_before_secrets(db):
    MessagingConfigFactory(service_type="mailgun", default_for_email=True, details={}, secrets={})
    status = messaging_status()
    assert status["config_status"] == "not configured"
    assert status["detail"].startswith("Invalid or unpopulated details on mailgun messaging configuration")
    assert "domain" in status["detail"]


def test_no_secrets_names_the_ones_needed(db):
    MessagingConfigFactory(service_type="mailgun", default_for_email=True, details={"domain": "mg.example.com"})
    detail = messaging_status()["detail"]
    assert detail == "No secrets found for mailgun messaging configuration (needs mailgun_api_key)"


def test_a_missing_secret_is_named(db):
    MessagingConfigFactory(
        service_type="twilio_text",
        default_for_sms=True,
        secrets={"twilio_account_sid": ACCOUNT_SID, "twilio_sender_phone_number": "+15005550006"},
    )
    status = messaging_status()
    assert status["config_status"] == "not configured"
    assert status["detail"] == "Invalid secrets found on twilio_text messaging configuration: missing twilio_auth_token"


def test_channels_show_the_active_config_and_the_last_send(twilio_sms):
    MessageLog.objects.create(
        kind="verification_code",
        channel="sms",
        provider="twilio_text",
        status="failed",
        permanent=True,
        error="Twilio rejected the credentials (HTTP 401).",
    )
    channels = messaging_status()["channels"]
    assert channels["sms"]["config"] == twilio_sms.name and channels["sms"]["config_status"] == "configured"
    assert channels["sms"]["last_send"]["error"] == "Twilio rejected the credentials (HTTP 401)."
    assert channels["email"]["config"] is None and channels["email"]["last_send"] is None


def test_channel_problems_name_the_missing_channel_and_the_failed_send(mailgun):
    MessageLog.objects.create(
        kind="receipt",
        channel="email",
        provider="mailgun",
        status="failed",
        error="Mailgun answered HTTP 500.",
    )
    problems = channel_problems()
    assert "No SMS messaging configuration is active: subjects who give only a phone number cannot verify." in problems
    assert any("failed: Mailgun answered HTTP 500." in p for p in problems)


def test_the_sandbox_needs_no_secrets_and_has_no_problems():
    configure_sandbox()
    assert channel_problems() == []
    assert messaging_status()["config_status"] == "configured"


def test_configure_sandbox_is_idempotent_and_turns_every_notification_on():
    configure_sandbox()
    config = configure_sandbox()
    row = MessagingSettings.load()
    assert config.default_for_email and config.default_for_sms
    assert row.send_request_receipt_notification and row.send_request_review_notification
    assert row.send_request_completion_notification and row.subject_identity_verification_required


def test_system_check_warns_about_missing_channels_and_never_errors():
    assert check_default_configs() == []  # not a database check run: reads nothing
    messages = check_default_configs(databases=["default"])
    assert len(messages) == 2 and all(m.level == 30 for m in messages)  # WARNING
    configure_sandbox()
    assert check_default_configs(databases=["default"]) == []
