"""Mailgun: the named template when the domain has it (body in `fides_email_body`, as in Fides), else ours."""

import json
from email.utils import formataddr

from django.conf import settings
from django.utils.html import escape, linebreaks

from .. import schemas
from .base import DeliveryError, HttpProvider, OutgoingMessage, json_body, vendor_text


class MailgunProvider(HttpProvider):
    service_type = "mailgun"
    label = "Mailgun (email)"
    vendor = "Mailgun"
    channels = frozenset({"email"})
    details_schema = {
        "domain": schemas.Field(
            required=True, pattern=schemas.DOMAIN, hint="a domain name such as mg.example.com"
        ),
        "is_eu_domain": schemas.Field(kind=bool, default=False),
        "api_version": schemas.Field(default="v3", choices=("v3",)),
        "template_name": schemas.Field(
            default="fides", pattern=schemas.TEMPLATE_NAME, hint="a Mailgun template name", max_length=100
        ),
        # Fides hard-codes mailgun@<domain>; ours defaults to that address and can be changed.
        "from_email": schemas.EMAIL,
    }
    secrets_schema = {
        "mailgun_api_key": schemas.Field(required=True, pattern=schemas.TOKEN, hint="a Mailgun API key"),
    }

    @property
    def domain_url(self) -> str:
        base = settings.MAILGUN_EU_BASE_URL if self.details.get("is_eu_domain") else settings.MAILGUN_BASE_URL
        return f"{base}/{self.details.get('api_version', 'v3')}/{self.details['domain']}"

    @property
    def sender(self) -> str:
        address = self.details.get("from_email") or f"mailgun@{self.details['domain']}"
        return formataddr((settings.ORGANIZATION_NAME, address))

    def _auth(self) -> tuple[str, str]:
        return ("api", self.secret("mailgun_api_key"))

    def template_exists(self) -> bool:
        """A sending key may not read templates (401/403): that, like 404, means the built-in template."""
        name = self.details.get("template_name") or "fides"
        response = self.request("GET", f"{self.domain_url}/templates/{name}", auth=self._auth())
        return response.status_code == 200

    def send(self, message: OutgoingMessage) -> str:
        data = {"from": self.sender, "to": message.to, "subject": message.subject}
        html = message.html or linebreaks(escape(message.text))
        if self.template_exists():
            data["template"] = self.details.get("template_name") or "fides"
            data["t:variables"] = json.dumps({"fides_email_body": html})
        else:
            data["text"] = message.text
            data["html"] = html
        response = self.deliver("POST", f"{self.domain_url}/messages", data=data, auth=self._auth())
        return str(json_body(response).get("id", ""))[:128]

    def raise_for_response(self, response) -> None:
        if response.status_code == 404:
            raise DeliveryError(
                f"Mailgun does not know the domain {self.details['domain']} (HTTP 404).",
                permanent=True,
                reason="configuration",
            )
        if response.status_code == 400:
            detail = vendor_text(json_body(response).get("message"))
            raise DeliveryError(
                f"Mailgun rejected the message (HTTP 400): {detail or 'no reason given'}.",
                permanent=True,
                reason="invalid_address"
                if "to" in detail.lower() and "address" in detail.lower()
                else "rejected",
            )
        super().raise_for_response(response)
