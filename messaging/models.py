"""Messaging configs (one default per channel), global notification settings, the delivery log, the sandbox
outbox and API tokens. Secrets live only in EncryptedJSONField columns."""

import hashlib
import secrets as pysecrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from privacyportal.encryption import EncryptedJSONField

from . import schemas
from .providers import Provider, provider_class, service_type_choices


class Channel(models.TextChoices):
    """How a subject is reached; requests_app uses these too (the code channel)."""

    EMAIL = "email", "Email"
    SMS = "sms", "Text message (SMS)"


class Kind(models.TextChoices):
    VERIFICATION_CODE = "verification_code", "Verification code"
    RECEIPT = "receipt", "Request receipt"
    REVIEW_APPROVED = "review_approved", "Request approved"
    REVIEW_DENIED = "review_denied", "Request denied"
    COMPLETION = "completion", "Request completed"
    TEST = "test", "Test message"


class MessagingConfig(models.Model):
    name = models.CharField(max_length=100, unique=True)
    key = models.SlugField(max_length=100, unique=True)
    # One config per service type, as Fides' `PUT /messaging/default` assumes.
    service_type = models.CharField(max_length=32, unique=True, choices=service_type_choices)
    details = models.JSONField(default=dict, blank=True)
    secrets = EncryptedJSONField(default=dict, blank=True, editable=False)
    default_for_email = models.BooleanField("default for email", default=False)
    default_for_sms = models.BooleanField("default for SMS", default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "messaging configuration"
        constraints = [
            models.UniqueConstraint(
                fields=["default_for_email"],
                condition=models.Q(default_for_email=True),
                name="one_default_email_config",
            ),
            models.UniqueConstraint(
                fields=["default_for_sms"],
                condition=models.Q(default_for_sms=True),
                name="one_default_sms_config",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"<MessagingConfig {self.pk} {self.service_type}>"

    def provider_class(self) -> type[Provider]:
        return provider_class(self.service_type)

    def provider(self) -> Provider:
        cls = self.provider_class()
        return cls(cls.clean_details(self.details), dict(self.secrets))

    def supports(self, channel: str) -> bool:
        return channel in self.provider_class().channels

    def clean(self) -> None:
        if self.service_type not in dict(service_type_choices()):
            return
        cls = self.provider_class()
        errors = {}
        for channel, flag in ((Channel.EMAIL, "default_for_email"), (Channel.SMS, "default_for_sms")):
            if getattr(self, flag) and channel not in cls.channels:
                errors[flag] = f"{cls.label} cannot send {Channel(channel).label}."
        try:
            self.details = cls.clean_details(self.details)
        except schemas.SchemaError as exc:
            errors["details"] = [f"{k}: {v}" for k, v in exc.errors.items()]
        if errors:
            raise ValidationError(errors)


class MessagingSettings(models.Model):
    """One row (pk 1): Fides' notification and execution settings, with the document's defaults, except that
    our product verifies identities unless told not to."""

    send_request_receipt_notification = models.BooleanField(default=False)
    send_request_review_notification = models.BooleanField(default=False)
    send_request_completion_notification = models.BooleanField(default=False)
    subject_identity_verification_required = models.BooleanField(default=True)
    notification_service_type = models.CharField(max_length=32, blank=True, choices=service_type_choices)

    class Meta:
        verbose_name = verbose_name_plural = "messaging settings"

    def __str__(self) -> str:
        return "Messaging settings"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "MessagingSettings":
        row, _ = cls.objects.get_or_create(pk=1)
        return row


class MessageLog(models.Model):
    """One row per message: saved as "sending" before the provider is called, updated after.

    `payload` holds the recipient and rendered bodies (which may carry a one-time code) encrypted, only until
    the delivery ends; the visible columns never hold a code, a secret or an unmasked recipient.
    """

    class Status(models.TextChoices):
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    config = models.ForeignKey(
        MessagingConfig, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    provider = models.CharField(max_length=32, blank=True)
    recipient = models.CharField("recipient (masked)", max_length=128, blank=True)
    privacy_request = models.ForeignKey(
        "requests_app.PrivacyRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="message_logs",
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.SENDING)
    permanent = models.BooleanField("permanent failure", default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    provider_message_id = models.CharField(max_length=128, blank=True)
    error = models.TextField(blank=True)
    reason = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    payload = EncryptedJSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["privacy_request", "kind"]),
            models.Index(fields=["channel", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.get_channel_display()} to {self.recipient}: {self.status}"

    def __repr__(self) -> str:
        return f"<MessageLog {self.pk} {self.kind} {self.channel} {self.status}>"


class OutboxMessage(models.Model):
    """A sandbox delivery. Holds the whole message on purpose: it is how a demo user reads their code."""

    to = models.CharField(max_length=254, db_index=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    kind = models.CharField(max_length=24, choices=Kind.choices, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "sandbox outbox message"

    def __str__(self) -> str:
        return f"{self.get_kind_display() or 'message'} to {self.to}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the Fides-compatible API; only its SHA-256 is kept (256 random bits)."""

    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField("starts with", max_length=12, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def issue(cls, *, name: str, created_by=None) -> tuple["ApiToken", str]:
        """Create a token; the plaintext is returned once and never stored."""
        plaintext = "pp_" + pysecrets.token_urlsafe(32)
        row = cls.objects.create(
            name=name, token_hash=hash_token(plaintext), hint=plaintext[:7], created_by=created_by
        )
        return row, plaintext

    @classmethod
    def authenticate(cls, plaintext: str) -> "ApiToken | None":
        if not plaintext or len(plaintext) > 200:
            return None
        row = cls.objects.filter(token_hash=hash_token(plaintext)).first()
        if row is not None:
            cls.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        return row
