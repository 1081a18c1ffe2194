"""Changing messaging configuration: the admin, the API and the demo setup call these."""

from django.db import transaction

from .models import Channel, MessagingConfig, MessagingSettings
from .providers import REGISTRY

FLAGS = {Channel.EMAIL: "default_for_email", Channel.SMS: "default_for_sms"}


@transaction.atomic
def make_default(config: MessagingConfig, *, channels=None) -> None:
    """Make `config` the default for these channels (all it supports when None), replacing the old one."""
    supported = config.provider_class().channels
    for channel in channels if channels is not None else supported:
        if channel not in supported:
            continue
        flag = FLAGS[Channel(channel)]
        MessagingConfig.objects.filter(**{flag: True}).exclude(pk=config.pk).update(**{flag: False})
        setattr(config, flag, True)
    config.save()


@transaction.atomic
def upsert_default_config(*, service_type: str, details: dict) -> MessagingConfig:
    """Fides' `PUT /messaging/default`: create or update the config of that type. It becomes the default for
    its channels when none is set yet, or when it is the global notification service type."""
    cls = REGISTRY[service_type]
    config = MessagingConfig.objects.select_for_update().filter(service_type=service_type).first()
    if config is None:
        config = MessagingConfig(
            service_type=service_type, name=f"Default {cls.label}", key=f"default_{service_type}"
        )
    config.details = cls.clean_details(details)
    config.save()
    chosen = MessagingSettings.load().notification_service_type == service_type
    others = MessagingConfig.objects.exclude(pk=config.pk)
    channels = [c for c in cls.channels if chosen or not others.filter(**{FLAGS[Channel(c)]: True}).exists()]
    if channels:
        make_default(config, channels=channels)
    return config


@transaction.atomic
def set_secrets(*, config: MessagingConfig, secrets: dict) -> None:
    """Replace the secrets (validated by the provider's schema, which rejects unknown keys)."""
    config.secrets = config.provider_class().clean_secrets(secrets)
    config.save(update_fields=["secrets", "updated_at"])


@transaction.atomic
def update_settings(**values) -> MessagingSettings:
    row = MessagingSettings.load()
    for name, value in values.items():
        setattr(row, name, value)
    row.save()
    service_type = values.get("notification_service_type")
    if service_type:
        config = MessagingConfig.objects.filter(service_type=service_type).first()
        if config is not None:
            make_default(config)
    return row
