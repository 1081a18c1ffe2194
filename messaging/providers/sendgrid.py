"""Twilio SendGrid email (`twilio_email` in Fides): `POST /v3/mail/send`, 202 with the id in X-Message-ID."""

from django.conf import settings

from .. import schemas
from .base import DeliveryError, HttpProvider, OutgoingMessage, json_body, vendor_text


class SendGridProvider(HttpProvider):
    service_type = "twilio_email"
    label = "Twilio SendGrid (email)"
    vendor = "SendGrid"
    channels = frozenset({"email"})
    details_schema = {
        "twilio_email_from": schemas.Field(required=True, check=schemas.EMAIL.check, hint="an email address"),
    }
    secrets_schema = {
        "twilio_api_key": schemas.Field(required=True, pattern=schemas.TOKEN, hint="a SendGrid API key"),
    }

    def send(self, message: OutgoingMessage) -> str:
        content = [{"type": "text/plain", "value": message.text}]
        if message.html:
            content.append({"type": "text/html", "value": message.html})
        payload = {
            "personalizations": [{"to": [{"email": message.to}]}],
            "from": {"email": self.details["twilio_email_from"], "name": settings.ORGANIZATION_NAME},
            "subject": message.subject,
            "content": content,
        }
        headers = {"Authorization": f"Bearer {self.secret('twilio_api_key')}"}
        response = self.deliver(
            "POST", f"{settings.SENDGRID_BASE_URL}/v3/mail/send", json=payload, headers=headers
        )
        return response.headers.get("X-Message-ID", "")[:128]

    def raise_for_response(self, response) -> None:
        if response.status_code in (400, 413):
            errors = json_body(response).get("errors") or []
            first = errors[0] if errors and isinstance(errors[0], dict) else {}
            field = vendor_text(first.get("field"), limit=60)
            detail = vendor_text(first.get("message"))
            where = f" ({field})" if field else ""
            status = response.status_code
            raise DeliveryError(
                f"SendGrid rejected the message (HTTP {status}){where}: {detail or 'no reason given'}.",
                permanent=True,
                reason="invalid_address" if field.startswith("personalizations") else "rejected",
            )
        super().raise_for_response(response)
