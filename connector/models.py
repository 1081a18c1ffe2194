"""The Twilio Conversations connection: one row, credentials encrypted at rest."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from privacyportal.encryption import EncryptedTextField


class TwilioConnection(models.Model):
    account_sid = models.CharField("account SID", max_length=64, blank=True)
    auth_token = EncryptedTextField(blank=True)
    base_url = models.URLField(default="https://conversations.twilio.com")
    masking_strict = models.BooleanField(
        default=True,
        help_text="On: erase by masking PII with updates. Off: delete messages, participants and the user.",
    )
    retention_days = models.PositiveIntegerField(
        default=0, help_text="Hold approved erasures back this many days before they run."
    )
    concurrency = models.PositiveIntegerField(
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Requests in flight at once for the whole account, across all workers.",
    )
    page_size = models.PositiveIntegerField(
        default=1000, help_text="Asked page size; each endpoint is capped at Twilio's documented maximum."
    )

    class Meta:
        verbose_name = "Twilio connection"

    def __str__(self) -> str:
        return f"Twilio connection {self.account_sid or '(not set)'}"

    def __repr__(self) -> str:
        return f"<TwilioConnection {self.account_sid!r} base_url={self.base_url!r}>"

    @classmethod
    def current(cls) -> "TwilioConnection":
        return cls.objects.order_by("pk").first() or cls()

    @property
    def is_configured(self) -> bool:
        return bool(self.pk and self.account_sid and self.auth_token and self.base_url)


class RecordState(models.TextChoices):
    FOUND = "found", "Found"
    MASKED = "masked", "Masked"
    DELETED = "deleted", "Deleted"
    GONE = "gone", "Already gone"


class ExecutionRecord(models.Model):
    """Checkpoint: one of the subject's records in a vendor collection and how far its erasure got.

    `links` holds only the fields other requests need (SIDs, the chat identity); `digest` holds keyed
    hashes of the masked fields' old values, never the values, so verification can tell if they remain.
    """

    privacy_request = models.ForeignKey(
        "requests_app.PrivacyRequest", on_delete=models.CASCADE, related_name="execution_records"
    )
    collection = models.CharField(max_length=64)
    record_key = models.CharField(max_length=255)
    state = models.CharField(max_length=8, choices=RecordState.choices, default=RecordState.FOUND)
    verified = models.BooleanField(default=False)
    links = models.JSONField(default=dict)
    digest = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["privacy_request", "collection", "record_key"], name="unique_execution_record"
            )
        ]
        indexes = [models.Index(fields=["privacy_request", "collection", "state"])]

    def __str__(self) -> str:
        return f"{self.collection} {self.record_key}: {self.state}"


class ExecutionSummary(models.Model):
    """Per request: counts the checkpoints cannot give (other people's records seen, but not kept)."""

    privacy_request = models.OneToOneField(
        "requests_app.PrivacyRequest", on_delete=models.CASCADE, related_name="execution_summary"
    )
    others = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"execution summary of request {self.privacy_request_id}"
