"""State of the fake Twilio Conversations account, in the database so web, worker and admin share it."""

import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from .sids import new_sid


def _account_sid() -> str:
    return new_sid("AC")


def _service_sid() -> str:
    return new_sid("IS")


def _user_sid() -> str:
    return new_sid("US")


def _conversation_sid() -> str:
    return new_sid("CH")


def _participant_sid() -> str:
    return new_sid("MB")


def _message_sid() -> str:
    return new_sid("IM")


def _auth_token() -> str:
    return secrets.token_hex(16)


class SandboxAccount(models.Model):
    sid = models.CharField(max_length=34, unique=True, default=_account_sid)
    auth_token = models.CharField(max_length=64, default=_auth_token)
    chat_service_sid = models.CharField(max_length=34, default=_service_sid)
    friendly_name = models.CharField(max_length=200, blank=True)
    latency_ms = models.PositiveIntegerField(default=0, help_text="Response time of every answer: the fake's own work counts inside it.")
    fault_rate = models.FloatField(
        default=0.0,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text="Share of requests answered 429 or 500 before anything is processed (0 to 1).",
    )
    fault_seed = models.IntegerField(
        null=True, blank=True, help_text="Fixed seed for the fault dice (per process), for repeatable drills."
    )

    class Meta:
        verbose_name = "sandbox account"

    def __str__(self) -> str:
        return self.friendly_name or self.sid


class SandboxUser(models.Model):
    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="users")
    sid = models.CharField(max_length=34, unique=True, default=_user_sid)
    identity = models.CharField(max_length=256)
    friendly_name = models.CharField(max_length=256, null=True, blank=True)
    attributes = models.TextField(default="{}")
    role_sid = models.CharField(max_length=34, null=True, blank=True)
    date_created = models.DateTimeField(default=timezone.now)
    date_updated = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "sandbox user"
        constraints = [models.UniqueConstraint(fields=["account", "identity"], name="sandbox_user_identity")]

    def __str__(self) -> str:
        return self.identity


class SandboxConversation(models.Model):
    account = models.ForeignKey(SandboxAccount, on_delete=models.CASCADE, related_name="conversations")
    sid = models.CharField(max_length=34, unique=True, default=_conversation_sid)
    friendly_name = models.CharField(max_length=256, null=True, blank=True)
    unique_name = models.CharField(max_length=256, null=True, blank=True)
    attributes = models.TextField(default="{}")
    state = models.CharField(max_length=16, default="active")
    date_created = models.DateTimeField(default=timezone.now)
    date_updated = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "sandbox conversation"

    def __str__(self) -> str:
        return self.friendly_name or self.sid


class SandboxParticipant(models.Model):
    conversation = models.ForeignKey(
        SandboxConversation, on_delete=models.CASCADE, related_name="participants"
    )
    sid = models.CharField(max_length=34, unique=True, default=_participant_sid)
    # Chat participants have an identity (and a user); SMS participants have a messaging binding instead.
    identity = models.CharField(max_length=256, null=True, blank=True, db_index=True)
    user = models.ForeignKey(
        SandboxUser, on_delete=models.SET_NULL, null=True, blank=True, related_name="participants"
    )
    messaging_binding = models.JSONField(null=True, blank=True)
    # The binding's address, copied into an indexed column so ParticipantConversations?Address= is cheap.
    address = models.CharField(max_length=64, null=True, blank=True, db_index=True)
    attributes = models.TextField(default="{}")
    role_sid = models.CharField(max_length=34, null=True, blank=True)
    date_created = models.DateTimeField(default=timezone.now)
    date_updated = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "sandbox participant"

    def __str__(self) -> str:
        return self.identity or self.address or self.sid


class SandboxMessage(models.Model):
    conversation = models.ForeignKey(SandboxConversation, on_delete=models.CASCADE, related_name="messages")
    sid = models.CharField(max_length=34, unique=True, default=_message_sid)
    index = models.PositiveIntegerField()
    author = models.CharField(max_length=256, null=True, blank=True)
    body = models.TextField(null=True, blank=True)
    attributes = models.TextField(default="{}")
    participant_sid = models.CharField(max_length=34, null=True, blank=True, db_index=True)
    date_created = models.DateTimeField(default=timezone.now)
    date_updated = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "sandbox message"
        constraints = [
            models.UniqueConstraint(fields=["conversation", "index"], name="sandbox_message_index")
        ]

    def __str__(self) -> str:
        return self.sid


class SandboxCall(models.Model):
    """One row per request the fake answered: the counters the tests, drills and benchmark read."""

    method = models.CharField(max_length=8)
    route = models.CharField(max_length=120, help_text="Path template, e.g. /v1/Users/{Sid}.")
    target_sid = models.CharField(max_length=64, blank=True, db_index=True)
    status = models.PositiveSmallIntegerField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "sandbox call"

    def __str__(self) -> str:
        return f"{self.method} {self.route} {self.status}"
