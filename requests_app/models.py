"""Privacy requests, their one-time codes and their audit trail. Status changes live in lifecycle.py."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from messaging.models import Channel

from .identities import mask_email, mask_phone


def new_public_id() -> str:
    # 128 bits from the OS CSPRNG: the only secret a subject needs to see their status page. Never starting
    # with "-", so an id is never mistaken for an option on the command line (`privacy_request show -x…`).
    while True:
        public_id = secrets.token_urlsafe(16)
        if not public_id.startswith("-"):
            return public_id


def default_due_date():
    return (timezone.now() + timedelta(days=settings.REQUEST_DEADLINE_DAYS)).date()


class RequestType(models.TextChoices):
    ACCESS = "access", "Access (a copy of my data)"
    ERASURE = "erasure", "Erasure (delete my data)"


class Status(models.TextChoices):
    IDENTITY_UNVERIFIED = "identity_unverified", "Identity unverified"
    PENDING = "pending", "Pending review"
    APPROVED = "approved", "Approved"
    SCHEDULED = "scheduled", "Scheduled"
    IN_PROCESSING = "in_processing", "In processing"
    COMPLETE = "complete", "Complete"
    DENIED = "denied", "Denied"
    ERROR = "error", "Error"
    CANCELED = "canceled", "Canceled"


FINAL_STATUSES = frozenset({Status.COMPLETE, Status.DENIED, Status.CANCELED})


class PrivacyRequest(models.Model):
    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    request_type = models.CharField("type", max_length=16, choices=RequestType.choices)
    # Written only by requests_app.lifecycle.
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.IDENTITY_UNVERIFIED, editable=False)

    email = models.EmailField(max_length=254, blank=True, db_index=True)
    phone = models.CharField("phone (E.164)", max_length=16, blank=True, db_index=True)
    code_channel = models.CharField(max_length=8, choices=Channel.choices, blank=True)
    twilio_user = models.CharField(
        "Twilio user identity or SID",
        max_length=256,
        blank=True,
        help_text="Optional, added by staff: a Twilio Conversations user SID (US...) or identity to start from.",
    )

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    due_date = models.DateField(default=default_due_date)
    verified_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    canceled_at = models.DateTimeField(null=True, blank=True)

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    denial_reason = models.TextField(blank=True)
    failure_reason = models.TextField(blank=True)
    # Name of the data package in the "packages" storage, once an access request completes.
    package_name = models.CharField(max_length=255, blank=True)

    class Meta:
        permissions = [("review_privacyrequest", "Can review (approve or deny) privacy requests")]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_request_type_display().split(' ')[0]} request {self.public_id[:8]}…"

    @property
    def masked_identity(self) -> str:
        parts = [mask_email(self.email), mask_phone(self.phone)]
        return " / ".join(p for p in parts if p) or "—"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def days_left(self) -> int:
        return (self.due_date - timezone.localdate()).days

    @property
    def is_overdue(self) -> bool:
        return not self.is_final and self.days_left < 0


class VerificationCode(models.Model):
    """A one-time code; only its keyed hash is kept. The newest code of a request is the live one."""

    privacy_request = models.ForeignKey(PrivacyRequest, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        get_latest_by = "created_at"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"code for {self.privacy_request_id} sent {self.created_at:%Y-%m-%d %H:%M}"


class ActorKind(models.TextChoices):
    STAFF = "staff", "Staff"
    SUBJECT = "subject", "Subject"
    SYSTEM = "system", "System"


class AuditEvent(models.Model):
    """Append-only: saved once, never changed or deleted through the ORM."""

    privacy_request = models.ForeignKey(PrivacyRequest, on_delete=models.PROTECT, related_name="events")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_kind = models.CharField(max_length=8, choices=ActorKind.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    from_status = models.CharField(max_length=24, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=24, choices=Status.choices, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        change = f"{self.from_status or '·'} → {self.to_status}" if self.to_status else "note"
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_label or self.actor_kind}: {change}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only")
