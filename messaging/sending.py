"""The messaging app's entry points for the rest of the product: codes, notifications, delivery outcomes.

A message becomes a MessageLog row (rendered bodies encrypted in `payload`) and a job that takes the row's
id; the payload is wiped once delivery ends, so a code never sits in a job argument or a readable column.
"""

import logging

from django.db import transaction
from django.utils import timezone

from privacyportal import queueing
from requests_app.identities import mask_email, mask_phone

from .models import Channel, Kind, MessageLog, MessagingConfig, MessagingSettings
from .providers import DeliveryError, OutgoingMessage
from .rendering import render_message
from .status import check_config, default_config

log = logging.getLogger(__name__)

TOGGLES = {
    Kind.RECEIPT: "send_request_receipt_notification",
    Kind.REVIEW_APPROVED: "send_request_review_notification",
    Kind.REVIEW_DENIED: "send_request_review_notification",
    Kind.COMPLETION: "send_request_completion_notification",
}
SUBJECT_PROBLEMS = {
    "invalid_number": "We could not send a text to that number: it is not a valid mobile number.",
    "unverified_number": "We could not send a text to that number: our text service cannot reach it yet. "
    "Please start a new request with your email address, or contact us.",
    "unsubscribed": "We could not send a text to that number because it has opted out of our texts "
    "(it replied STOP). Text START to us to opt back in, or start a new request with your email address.",
    "invalid_address": "We could not send an email to that address: it was refused as not valid.",
}


class MessagingUnavailable(Exception):
    """No usable messaging configuration for the channel; str() is safe to show the subject."""


def identity_verification_required() -> bool:
    return MessagingSettings.load().subject_identity_verification_required


def mask_recipient(to: str, channel: str) -> str:
    return mask_phone(to) if channel == Channel.SMS else mask_email(to)


def usable_config(channel: str) -> MessagingConfig | None:
    """The channel's default config if it could send right now (details and secrets valid), else None."""
    try:
        config = default_config(channel)
    except Exception:
        log.exception("could not load the default %s messaging configuration", channel)
        return None
    if config is None or not config.supports(channel) or not check_config(config).configured:
        return None
    return config


def _queue(
    *, config: MessagingConfig, message: OutgoingMessage, privacy_request_id: int | None
) -> MessageLog:
    inline = config.provider_class().inline
    row = MessageLog.objects.create(
        kind=message.kind,
        channel=message.channel,
        config=config,
        provider=config.service_type,
        recipient=mask_recipient(message.to, message.channel),
        privacy_request_id=privacy_request_id,
        attempts=1 if inline else 0,
        # An inline delivery needs no stored copy of the message at all.
        payload={}
        if inline
        else {"to": message.to, "subject": message.subject, "text": message.text, "html": message.html},
    )
    if inline:
        # The sandbox only writes a row: do it now, in the caller's transaction, so it commits or rolls back
        # with the code it carries.
        _send(row, message, final_attempt=True)
    else:
        retry = None
        if queueing.uses_redis():
            from rq import Retry

            retry = Retry(max=3, interval=[10, 30, 60])
        from .jobs import deliver_message

        queueing.enqueue(deliver_message, row.pk, queue="messaging", retry=retry)
    return row


def send_verification_code(*, privacy_request, code: str, channel: str) -> int:
    to = privacy_request.phone if channel == Channel.SMS else privacy_request.email
    config = usable_config(channel)
    if config is None or not to:
        how = "by text message" if channel == Channel.SMS else "by email"
        raise MessagingUnavailable(
            f"We cannot send verification codes {how} right now. Please try again later."
        )
    message = render_message(
        kind=Kind.VERIFICATION_CODE,
        channel=channel,
        to=to,
        context={"code": code, "expires_minutes": _code_ttl_minutes()},
    )
    return _queue(config=config, message=message, privacy_request_id=privacy_request.pk).pk


def _code_ttl_minutes() -> int:
    # The message states the lifetime that requests_app.verification enforces: one number, one home.
    from requests_app.verification import CODE_TTL

    return int(CODE_TTL.total_seconds() // 60)


def notify_subject(*, privacy_request_id: int, kind: str, context: dict) -> None:
    try:
        _notify(privacy_request_id=privacy_request_id, kind=kind, context=context)
    except Exception:
        # A notification must never break the change that triggered it; the failure is in the log for staff.
        log.exception("notification %s for request %s could not be queued", kind, privacy_request_id)


def _notify(*, privacy_request_id: int, kind: str, context: dict) -> None:
    from requests_app.models import PrivacyRequest

    kind = Kind(kind)
    if not getattr(MessagingSettings.load(), TOGGLES[kind]):
        return
    privacy_request = PrivacyRequest.objects.filter(pk=privacy_request_id).first()
    if privacy_request is None:
        return
    if privacy_request.code_channel:
        channel = privacy_request.code_channel
    else:
        channel = Channel.EMAIL if privacy_request.email else Channel.SMS
    to = privacy_request.phone if channel == Channel.SMS else privacy_request.email
    config = usable_config(channel)
    if config is None or not to:
        name = "SMS" if channel == Channel.SMS else "email"
        MessageLog.objects.create(
            kind=kind,
            channel=channel,
            recipient=mask_recipient(to, channel),
            privacy_request=privacy_request,
            status=MessageLog.Status.FAILED,
            permanent=True,
            reason="configuration",
            error=f"No usable default {name} messaging configuration: the notification was not sent.",
        )
        return
    message = render_message(kind=kind, channel=channel, to=to, context=context)
    _queue(config=config, message=message, privacy_request_id=privacy_request.pk)


def send_test_message(*, channel: str, to: str) -> MessageLog:
    """The status page's "send a test message", through the channel's default config like a subject's."""
    config = usable_config(channel)
    if config is None:
        raise MessagingUnavailable(
            f"No usable default {'SMS' if channel == Channel.SMS else 'email'} configuration."
        )
    message = render_message(kind=Kind.TEST, channel=channel, to=to, context={})
    with transaction.atomic():
        return _queue(config=config, message=message, privacy_request_id=None)


def deliver(log_id: int, *, final_attempt: bool) -> None:
    """Send one logged message and record the outcome. Raises DeliveryError only for a transient failure
    when another attempt will follow (the job's retry)."""
    with transaction.atomic():
        row = MessageLog.objects.select_for_update().filter(pk=log_id).first()
        if row is None or row.status != MessageLog.Status.SENDING:
            return
        row.attempts += 1
        row.save(update_fields=["attempts", "updated_at"])
    payload = row.payload
    message = OutgoingMessage(
        to=payload.get("to", ""),
        subject=payload.get("subject", ""),
        text=payload.get("text", ""),
        html=payload.get("html", ""),
        kind=row.kind,
        channel=row.channel,
    )
    _send(row, message, final_attempt=final_attempt)


def _send(row: MessageLog, message: OutgoingMessage, *, final_attempt: bool) -> None:
    try:
        if row.config is None:
            raise DeliveryError("The messaging configuration was deleted before sending.", permanent=True)
        provider = row.config.provider()
        message_id = provider.send(message)
    except DeliveryError as exc:
        if not exc.permanent and not final_attempt:
            MessageLog.objects.filter(pk=row.pk).update(
                error=f"Will retry: {exc.message}", updated_at=timezone.now()
            )
            raise
        _finish(
            row,
            status=MessageLog.Status.FAILED,
            error=exc.message,
            permanent=exc.permanent,
            reason=exc.reason,
        )
        log.warning("%s by %s failed (log %s): %s", row.kind, row.provider, row.pk, exc.message)
        return
    except Exception as exc:
        error = f"Unexpected error ({type(exc).__name__})."
        _finish(row, status=MessageLog.Status.FAILED, error=error, permanent=True, reason="internal")
        log.error(
            "%s by %s failed unexpectedly (log %s): %s", row.kind, row.provider, row.pk, type(exc).__name__
        )
        return
    _finish(row, status=MessageLog.Status.SENT, provider_message_id=message_id, sent_at=timezone.now())
    log.info("%s sent by %s (log %s)", row.kind, row.provider, row.pk)


def _finish(row: MessageLog, **fields) -> None:
    fields.setdefault("error", "")
    MessageLog.objects.filter(pk=row.pk).update(payload={}, updated_at=timezone.now(), **fields)


def delivery_problem(privacy_request) -> str | None:
    latest = (
        MessageLog.objects.filter(privacy_request=privacy_request, kind=Kind.VERIFICATION_CODE)
        .order_by("-created_at", "-id")
        .first()
    )
    if latest is None or latest.status != MessageLog.Status.FAILED:
        return None
    if latest.reason in SUBJECT_PROBLEMS:
        return SUBJECT_PROBLEMS[latest.reason]
    what = "a text to that number" if latest.channel == Channel.SMS else "an email to that address"
    if latest.permanent:
        return f"We could not send {what}. Please contact us, or start a new request with another contact."
    return f"We could not send {what} just now. Please ask for a new code in a minute."
