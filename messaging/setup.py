"""Demo setup: the sandbox delivers both channels and every notification is on. Safe to run again."""

from django.db import transaction

from .models import MessagingConfig, MessagingSettings
from .services import make_default


@transaction.atomic
def configure_sandbox() -> MessagingConfig:
    config, _ = MessagingConfig.objects.get_or_create(
        service_type="sandbox", defaults={"name": "Sandbox outbox", "key": "sandbox"}
    )
    make_default(config, channels=("email", "sms"))
    row = MessagingSettings.load()
    row.send_request_receipt_notification = True
    row.send_request_review_notification = True
    row.send_request_completion_notification = True
    row.notification_service_type = "sandbox"
    row.save()
    return config
