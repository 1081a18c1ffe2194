"""messaging.sending: codes and notifications become log rows and deliveries; no code or secret leaks."""

import logging

import pytest

from messaging import jobs
from messaging.models import MessageLog, MessagingSettings, OutboxMessage
from messaging.sending import (
    MessagingUnavailable,
    delivery_problem,
    identity_verification_required,
    notify_subject,
    send_verification_code,
)
from messaging.setup import configure_sandbox
from tests.factories import MessagingConfigFactory, PrivacyRequestFactory
from tests.messaging.conftest import ACCOUNT_SID, ALL_SECRETS

pytestmark = pytest.mark.django_db

SMS_PATH = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"


@pytest.fixture
def subject(db):
    return PrivacyRequestFactory(email="sam@example.com", phone="+14155552671")


def test_sandbox_code_lands_in_the_outbox_and_the_log_keeps_no_code(subject):
    configure_sandbox()

    log_id = send_verification_code(privacy_request=subject, code="123456", channel="email")

    message = OutboxMessage.objects.get()
    assert message.to == "sam@example.com" and message.kind == "verification_code"
    assert "123456" in message.text and "123456" in message.html and message.subject == "Acme: Your verification code"
    row = MessageLog.objects.get(pk=log_id)
    assert row.status == "sent" and row.recipient == "s••@example.com" and row.payload == {}
    assert "123456" not in repr(row.__dict__)


def test_the_code_sms_is_short_and_says_when_it_expires(subject):
    configure_sandbox()

    send_verification_code(privacy_request=subject, code="654321", channel="sms")

    text = OutboxMessage.objects.get(to="+14155552671").text
    assert text == "Acme: your verification code is 654321. It expires in 10 minutes."
    assert len(text) < 160


def test_nothing_configured_raises_messaging_unavailable_with_a_subject_message(subject):
    with pytest.raises(MessagingUnavailable, match="We cannot send verification codes by text message right now"):
        send_verification_code(privacy_request=subject, code="123456", channel="sms")
    assert not MessageLog.objects.exists()


def test_a_config_without_its_secrets_counts_as_unavailable(subject):
    MessagingConfigFactory(service_type="twilio_text", default_for_sms=True, secrets={})

    with pytest.raises(MessagingUnavailable):
        send_verification_code(privacy_request=subject, code="123456", channel="sms")


def test_twilio_code_is_delivered_after_commit_and_the_payload_is_wiped(
    subject, twilio_sms, vendor, django_capture_on_commit_callbacks
):
    vendor.expect_request(SMS_PATH, method="POST").respond_with_json({"sid": "SM9"}, 201)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        log_id = send_verification_code(privacy_request=subject, code="123456", channel="sms")
        assert MessageLog.objects.get(pk=log_id).status == "sending"

    assert len(callbacks) == 1
    row = MessageLog.objects.get(pk=log_id)
    assert (row.status, row.provider_message_id, row.payload, row.attempts) == ("sent", "SM9", {}, 1)
    assert vendor.log[0][0].form["Body"] == "Acme: your verification code is 123456. It expires in 10 minutes."


def test_the_job_gets_only_the_log_id(subject, twilio_sms, monkeypatch, django_capture_on_commit_callbacks):
    queued = []
    monkeypatch.setattr("privacyportal.queueing.enqueue", lambda func, *args, **kw: queued.append((func, args, kw)))

    log_id = send_verification_code(privacy_request=subject, code="123456", channel="sms")

    assert queued == [(jobs.deliver_message, (log_id,), {"queue": "messaging", "retry": None})]


def test_a_permanent_failure_is_recorded_and_shown_to_the_subject(
    subject, twilio_sms, vendor, django_capture_on_commit_callbacks
):
    vendor.expect_request(SMS_PATH).respond_with_json({"code": 21211, "message": "bad", "status": 400}, 400)

    with django_capture_on_commit_callbacks(execute=True):
        log_id = send_verification_code(privacy_request=subject, code="123456", channel="sms")

    row = MessageLog.objects.get(pk=log_id)
    assert (row.status, row.permanent, row.reason, row.payload) == ("failed", True, "invalid_number", {})
    assert len(vendor.log) == 1
    assert delivery_problem(subject) == "We could not send a text to that number: it is not a valid mobile number."


def test_no_delivery_problem_while_sending_or_after_success(subject):
    assert delivery_problem(subject) is None
    configure_sandbox()
    send_verification_code(privacy_request=subject, code="123456", channel="email")
    assert delivery_problem(subject) is None


def test_on_rq_a_transient_failure_is_re_raised_while_retries_are_left(subject, twilio_sms, vendor, monkeypatch):
    vendor.expect_request(SMS_PATH).respond_with_data("", 503)
    row = MessageLog.objects.create(
        kind="verification_code",
        channel="sms",
        config=twilio_sms,
        provider="twilio_text",
        payload={"to": "+14155552671", "subject": "", "text": "code 123456", "html": ""},
    )

    class Job:
        retries_left = 2

    monkeypatch.setattr("rq.get_current_job", lambda: Job())
    with pytest.raises(Exception, match="HTTP 503"):
        jobs.deliver_message(row.pk)
    row.refresh_from_db()
    assert row.status == "sending" and row.error.startswith("Will retry") and row.payload

    Job.retries_left = 0
    jobs.deliver_message(row.pk)
    row.refresh_from_db()
    assert (row.status, row.permanent, row.payload, row.attempts) == ("failed", False, {}, 2)


def test_a_permanent_failure_is_not_retried_on_rq(subject, twilio_sms, vendor, monkeypatch):
    vendor.expect_request(SMS_PATH).respond_with_json({"code": 21610, "status": 400}, 400)
    row = MessageLog.objects.create(
        kind="verification_code",
        channel="sms",
        config=twilio_sms,
        provider="twilio_text",
        payload={"to": "+14155552671", "subject": "", "text": "x", "html": ""},
    )
    monkeypatch.setattr("rq.get_current_job", lambda: type("Job", (), {"retries_left": 3})())

    jobs.deliver_message(row.pk)

    row.refresh_from_db()
    assert row.status == "failed" and row.permanent and row.reason == "unsubscribed"


def test_with_redis_the_job_is_enqueued_with_rq_retry_and_backoff(
    subject, twilio_sms, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.REDIS_URL = "redis://127.0.0.1:6379/11"
    enqueued = []

    class Queue:
        def enqueue(self, func, *args, retry=None, job_id=None):
            enqueued.append((func, args, retry))

    monkeypatch.setattr("privacyportal.queueing.get_queue", lambda name: Queue())
    with django_capture_on_commit_callbacks(execute=True):
        log_id = send_verification_code(privacy_request=subject, code="123456", channel="sms")

    ((func, args, retry),) = enqueued
    assert func is jobs.deliver_message and args == (log_id,)
    assert retry.max == 3 and retry.intervals == [10, 30, 60]


def test_no_code_or_secret_reaches_the_logs(subject, twilio_sms, vendor, caplog, django_capture_on_commit_callbacks):
    vendor.expect_request(SMS_PATH).respond_with_json({"code": 20003, "status": 401}, 401)
    caplog.set_level(logging.DEBUG)

    with django_capture_on_commit_callbacks(execute=True):
        send_verification_code(privacy_request=subject, code="918273", channel="sms")

    assert caplog.records, "expected the failure to be logged"
    for text in (caplog.text, *(str(r.args) for r in caplog.records)):
        assert "918273" not in text
        assert "+14155552671" not in text
        for secret in ALL_SECRETS:
            assert secret not in text
    row = MessageLog.objects.get()
    assert row.error == "Twilio rejected the credentials (HTTP 401)."


@pytest.mark.parametrize(
    ("kind", "toggle", "context", "expected"),
    [
        ("receipt", "send_request_receipt_notification", {}, "We received your privacy request"),
        ("review_approved", "send_request_review_notification", {}, "was approved"),
        (
            "review_denied",
            "send_request_review_notification",
            {"reason": "We hold no data & never did."},
            "The reason: We hold no data & never did.",
        ),
        (
            "completion",
            "send_request_completion_notification",
            {"download_url": "https://x/d/1"},
            "https://x/d/1",
        ),
    ],
)
def test_notifications_follow_their_toggles(subject, kind, toggle, context, expected):
    configure_sandbox()
    context = {"status_url": "https://portal.example/requests/abc/", **context}
    MessagingSettings.objects.update(**{toggle: False})

    notify_subject(privacy_request_id=subject.pk, kind=kind, context=context)
    assert not OutboxMessage.objects.exists()

    MessagingSettings.objects.update(**{toggle: True})
    notify_subject(privacy_request_id=subject.pk, kind=kind, context=context)
    message = OutboxMessage.objects.get()
    assert message.to == "sam@example.com" and message.kind == kind
    assert expected in message.text


def test_notifications_use_the_code_channel_then_email_then_sms(db):
    configure_sandbox()
    by_sms = PrivacyRequestFactory(email="a@example.com", phone="+14155552671", code_channel="sms")
    phone_only = PrivacyRequestFactory(email="", phone="+447911123456")
    for request in (by_sms, phone_only):
        notify_subject(privacy_request_id=request.pk, kind="receipt", context={"status_url": "https://p/s"})

    assert sorted(OutboxMessage.objects.values_list("to", "channel")) == [
        ("+14155552671", "sms"),
        ("+447911123456", "sms"),
    ]


def test_a_notification_without_a_provider_is_logged_as_failed_and_never_raises(subject):
    MessagingSettings.objects.create(send_request_receipt_notification=True)

    notify_subject(privacy_request_id=subject.pk, kind="receipt", context={"status_url": "https://p/s"})

    row = MessageLog.objects.get()
    assert (row.status, row.permanent, row.kind) == ("failed", True, "receipt")
    assert "No usable default email messaging configuration" in row.error


def test_notify_subject_swallows_unexpected_errors(subject):
    notify_subject(privacy_request_id=subject.pk, kind="no_such_kind", context={})


def test_identity_verification_is_required_by_default_and_follows_the_setting(db):
    assert identity_verification_required() is True
    MessagingSettings.objects.update(subject_identity_verification_required=False)
    assert identity_verification_required() is False


def test_on_a_real_rq_worker_a_503_is_scheduled_for_retry(
    subject, twilio_sms, vendor, settings, monkeypatch, django_capture_on_commit_callbacks
):
    import fakeredis
    from rq import Queue, SimpleWorker

    vendor.expect_request(SMS_PATH).respond_with_data("", 503)
    connection = fakeredis.FakeStrictRedis()
    queue = Queue("messaging", connection=connection)
    settings.REDIS_URL = "redis://127.0.0.1:6379/11"
    monkeypatch.setattr("privacyportal.queueing.get_queue", lambda name: queue)

    with django_capture_on_commit_callbacks(execute=True):
        log_id = send_verification_code(privacy_request=subject, code="123456", channel="sms")
    job = queue.jobs[0]
    assert job.args == (log_id,)

    SimpleWorker([queue], connection=connection).work(burst=True)

    job.refresh()
    assert job.retries_left == 2 and job.get_status() == "scheduled"
    row = MessageLog.objects.get(pk=log_id)
    assert row.status == "sending" and row.error == "Will retry: Twilio answered HTTP 503 (a server error)."
    assert row.payload["to"] == "+14155552671"
