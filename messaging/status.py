"""Is messaging configured? Fides' status check (same shape, same order of checks), plus per channel what is
active and how the last send went. Nothing here contacts a provider."""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

from . import schemas
from .models import Channel, MessageLog, MessagingConfig, MessagingSettings
from .providers import REGISTRY

CHANNEL_NAMES = {Channel.EMAIL: "email", Channel.SMS: "SMS"}
WHO_CANNOT_VERIFY = {
    Channel.EMAIL: "subjects who give only an email address cannot verify",
    Channel.SMS: "subjects who give only a phone number cannot verify",
}


@dataclass(frozen=True)
class ConfigCheck:
    configured: bool
    detail: str

    def as_fides(self) -> dict:
        return {"config_status": "configured" if self.configured else "not configured", "detail": self.detail}


def default_config(channel: str) -> MessagingConfig | None:
    flag = "default_for_email" if channel == Channel.EMAIL else "default_for_sms"
    return MessagingConfig.objects.filter(**{flag: True}).first()


def check_config(config: MessagingConfig | None) -> ConfigCheck:
    """Fides' order, first failure wins; we also name what is missing or wrong (never a value)."""
    if config is None or config.service_type not in REGISTRY:
        return ConfigCheck(False, "No active default messaging configuration found")
    cls = config.provider_class()
    kind = config.service_type
    try:
        cls.clean_details(config.details)
    except schemas.SchemaError as exc:
        return ConfigCheck(
            False, f"Invalid or unpopulated details on {kind} messaging configuration: {_names(exc)}"
        )
    if cls.needs_secrets() and not config.secrets:
        required = ", ".join(k for k, f in cls.secrets_schema.items() if f.required)
        return ConfigCheck(False, f"No secrets found for {kind} messaging configuration (needs {required})")
    try:
        cls.clean_secrets(config.secrets)
    except schemas.SchemaError as exc:
        return ConfigCheck(False, f"Invalid secrets found on {kind} messaging configuration: {_names(exc)}")
    return ConfigCheck(True, f"Active default messaging service of type {kind.upper()} is fully configured")


def _names(exc: schemas.SchemaError) -> str:
    missing = [k for k, v in exc.errors.items() if v == "This field is required."]
    other = [
        f"{k} ({v.rstrip('.').lower()})" for k, v in exc.errors.items() if v != "This field is required."
    ]
    parts = ([f"missing {', '.join(missing)}"] if missing else []) + other
    return "; ".join(parts)


def _safe_load(loader):
    try:
        return loader(), None
    except ImproperlyConfigured as exc:
        # The secrets column cannot be decrypted (a key was removed): say so instead of crashing the page.
        return None, str(exc)


def active_config() -> tuple[MessagingConfig | None, str | None]:
    """Fides: the config of type `notification_service_type`; unset: the email default, else the SMS one."""

    def load():
        service_type = MessagingSettings.load().notification_service_type
        if service_type:
            return MessagingConfig.objects.filter(service_type=service_type).first()
        return default_config(Channel.EMAIL) or default_config(Channel.SMS)

    return _safe_load(load)


def last_send(channel: str) -> MessageLog | None:
    return MessageLog.objects.filter(channel=channel).exclude(status=MessageLog.Status.SENDING).first()


def channel_status(channel: str) -> dict:
    config, error = _safe_load(lambda: default_config(channel))
    check = ConfigCheck(False, error) if error else check_config(config)
    last = last_send(channel)
    return {
        "config": config.name if config else None,
        "service_type": config.service_type if config else None,
        **check.as_fides(),
        "last_send": None
        if last is None
        else {
            "at": last.updated_at.isoformat(),
            "kind": last.kind,
            "status": last.status,
            "permanent": last.permanent,
            "error": last.error,
        },
    }


def messaging_status() -> dict:
    """The body of GET /api/v1/messaging/default/status: Fides' two keys first, then our per-channel view."""
    config, error = active_config()
    check = ConfigCheck(False, error) if error else check_config(config)
    return {**check.as_fides(), "channels": {channel: channel_status(channel) for channel in CHANNEL_NAMES}}


def channel_problems() -> list[str]:
    """Alerts for staff: a channel that cannot send, or whose last message failed."""
    problems = []
    for channel, name in CHANNEL_NAMES.items():
        config, error = _safe_load(lambda channel=channel: default_config(channel))
        if error:
            problems.append(f"The {name} messaging configuration cannot be read: {error}")
        elif config is None:
            problems.append(f"No {name} messaging configuration is active: {WHO_CANNOT_VERIFY[channel]}.")
        else:
            check = check_config(config)
            if not check.configured:
                problems.append(
                    f"The {name} messaging configuration “{config.name}” is not usable: {check.detail}."
                )
        last = last_send(channel)
        if last is not None and last.status == MessageLog.Status.FAILED:
            problems.append(
                f"The last {name} message ({last.get_kind_display().lower()}, "
                f"{last.updated_at:%Y-%m-%d %H:%M} UTC) failed: {last.error}"
            )
    return problems
