"""One-time codes that prove a subject owns the phone or email they gave.

Better than Fides: codes are kept only as a keyed hash, compared in constant time, allow five
wrong tries per code (then a new code is needed) and can be resent after a minute.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import lifecycle
from .identities import mask_email, mask_phone
from .models import Channel, PrivacyRequest, Status, VerificationCode

CODE_LENGTH = 6
CODE_TTL = timedelta(minutes=10)
MAX_FAILED_ATTEMPTS = 5
RESEND_AFTER = timedelta(seconds=60)
# Past this many codes a request is abandoned: the subject starts a new one.
MAX_CODES_PER_REQUEST = 10


class VerificationUnavailable(Exception):
    """No code could be sent (no messaging provider for that channel); the message is for the subject."""


class ResendRefused(Exception):
    """Too soon, or too many codes; the message is for the subject."""


@dataclass(frozen=True)
class CheckResult:
    verified: bool
    message: str = ""
    tries_left: int = 0


def _hash(privacy_request: PrivacyRequest, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{privacy_request.public_id}:{code}".encode(), hashlib.sha256).hexdigest()


def generate_code() -> str:
    return f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"


def channel_for(privacy_request: PrivacyRequest) -> str:
    if privacy_request.code_channel:
        return privacy_request.code_channel
    return Channel.EMAIL if privacy_request.email else Channel.SMS


def destination(privacy_request: PrivacyRequest, channel: str) -> str:
    return mask_phone(privacy_request.phone) if channel == Channel.SMS else mask_email(privacy_request.email)


def live_code(privacy_request: PrivacyRequest) -> VerificationCode | None:
    return privacy_request.codes.order_by("-created_at", "-id").first()


def seconds_until_resend(privacy_request: PrivacyRequest) -> int:
    code = live_code(privacy_request)
    if code is None:
        return 0
    wait = (code.created_at + RESEND_AFTER - timezone.now()).total_seconds()
    return max(0, int(wait + 0.999))


def issue_code(privacy_request: PrivacyRequest, *, resend: bool = False) -> VerificationCode:
    """Create a new code and send it; the previous code stops working."""
    from messaging.sending import MessagingUnavailable, send_verification_code

    if privacy_request.status != Status.IDENTITY_UNVERIFIED:
        raise ResendRefused("This request is already verified.")
    if resend:
        wait = seconds_until_resend(privacy_request)
        if wait:
            raise ResendRefused(f"Please wait {wait} seconds before asking for a new code.")
        if privacy_request.codes.count() >= MAX_CODES_PER_REQUEST:
            raise ResendRefused("Too many codes were sent for this request. Please start a new request.")

    channel = channel_for(privacy_request)
    code = generate_code()
    try:
        with transaction.atomic():
            row = VerificationCode.objects.create(
                privacy_request=privacy_request,
                code_hash=_hash(privacy_request, code),
                channel=channel,
                expires_at=timezone.now() + CODE_TTL,
            )
            send_verification_code(privacy_request=privacy_request, code=code, channel=channel)
            lifecycle.record(
                privacy_request,
                actor=lifecycle.Actor.subject() if resend else lifecycle.Actor.system(),
                message=f"{'New v' if resend else 'V'}erification code sent by {Channel(channel).label.lower()} "
                f"to {destination(privacy_request, channel)}",
            )
    except MessagingUnavailable as exc:
        lifecycle.record(
            privacy_request, actor=lifecycle.Actor.system(), message=f"Verification code could not be sent: {exc}"
        )
        raise VerificationUnavailable(str(exc)) from None
    return row


def check_code(privacy_request: PrivacyRequest, code: str) -> CheckResult:
    code = (code or "").strip().replace(" ", "")
    with transaction.atomic():
        latest = live_code(privacy_request)
        if latest is None:
            return CheckResult(False, "No code has been sent for this request yet. Ask for a code below.")
        row = VerificationCode.objects.select_for_update().get(pk=latest.pk)
        if row.used_at is not None:
            return CheckResult(False, "That code has already been used.")
        if row.failed_attempts >= MAX_FAILED_ATTEMPTS:
            return CheckResult(False, "Too many wrong codes. Ask for a new code below.")
        if timezone.now() >= row.expires_at:
            return CheckResult(False, "That code has expired. Ask for a new code below.")
        # Compare hashes in constant time; a malformed entry is simply a wrong code.
        well_formed = len(code) == CODE_LENGTH and code.isascii() and code.isdigit()
        if well_formed and hmac.compare_digest(row.code_hash, _hash(privacy_request, code)):
            row.used_at = timezone.now()
            row.save(update_fields=["used_at"])
            lifecycle.verify(privacy_request, actor=lifecycle.Actor.subject())
            return CheckResult(True)
        row.failed_attempts += 1
        row.save(update_fields=["failed_attempts"])
        tries_left = MAX_FAILED_ATTEMPTS - row.failed_attempts
    lifecycle.record(
        privacy_request,
        actor=lifecycle.Actor.subject(),
        message=f"Wrong verification code entered ({tries_left} tries left)",
    )
    if tries_left == 0:
        return CheckResult(False, "That code is not right, and that was the last try. Ask for a new code below.")
    return CheckResult(False, f"That code is not right. {tries_left} tries left.", tries_left)


def tries_left(privacy_request: PrivacyRequest) -> int:
    code = live_code(privacy_request)
    if code is None:
        return 0
    return max(0, MAX_FAILED_ATTEMPTS - code.failed_attempts)
