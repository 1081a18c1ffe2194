"""Messaging providers, one module each, behind one interface (base.py); REGISTRY: service type -> class."""

from .base import DeliveryError, HttpProvider, OutgoingMessage, Provider
from .mailgun import MailgunProvider
from .sandbox import SandboxProvider
from .sendgrid import SendGridProvider
from .twilio_sms import TwilioSmsProvider

REGISTRY: dict[str, type[Provider]] = {
    cls.service_type: cls for cls in (MailgunProvider, SendGridProvider, TwilioSmsProvider, SandboxProvider)
}
CHANNELS = {"email": "email", "sms": "SMS"}


def service_type_choices() -> list[tuple[str, str]]:
    return [(key, cls.label) for key, cls in REGISTRY.items()]


def provider_class(service_type: str) -> type[Provider]:
    try:
        return REGISTRY[service_type]
    except KeyError:
        raise DeliveryError(f"Unknown messaging service type {service_type!r}.", permanent=True) from None


__all__ = [
    "CHANNELS",
    "REGISTRY",
    "DeliveryError",
    "HttpProvider",
    "MailgunProvider",
    "OutgoingMessage",
    "Provider",
    "SandboxProvider",
    "SendGridProvider",
    "TwilioSmsProvider",
    "provider_class",
    "service_type_choices",
]
