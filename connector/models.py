"""The Twilio Conversations connection: one row, credentials encrypted at rest."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from privacyportal.encryption import EncryptedTextField


class TwilioConnection(models.Model):
    account_sid = models.CharField("account SID", max_length=64, blank=True)
    auth_token = EncryptedTextField(blank=True)
    base_url = models.URLField(default="https://conversations.twilio.com")
    masking_strict = models.BooleanField(
        default=True, help_text="On: erase by masking PII with updates. Off: delete messages, participants and the user."
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
