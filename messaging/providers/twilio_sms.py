"""Twilio Programmable Messaging (`twilio_text` in Fides): `POST /2010-04-01/Accounts/<sid>/Messages.json`."""

from django.conf import settings

from .. import schemas
from .base import DeliveryError, HttpProvider, OutgoingMessage, json_body

# Twilio's permanent errors for a bad recipient (HTTP 400): retrying cannot help.
PERMANENT_CODES = {
    21211: ("invalid_number", "Twilio error 21211: the 'To' number is not a valid phone number."),
    21608: (
        "unverified_number",
        "Twilio error 21608: the number is not verified, and a trial account may only text verified numbers "
        "(verify it in the Twilio console or upgrade the account).",
    ),
    21610: ("unsubscribed", "Twilio error 21610: the recipient has unsubscribed (replied STOP)."),
}
MAX_BODY = 1600


class TwilioSmsProvider(HttpProvider):
    service_type = "twilio_text"
    label = "Twilio SMS"
    vendor = "Twilio"
    channels = frozenset({"sms"})
    secrets_schema = {
        "twilio_account_sid": schemas.Field(
            required=True, pattern=schemas.ACCOUNT_SID, hint="an account SID (AC followed by 32 hex digits)"
        ),
        "twilio_auth_token": schemas.Field(required=True, pattern=schemas.TOKEN, hint="a Twilio auth token"),
        "twilio_messaging_service_sid": schemas.Field(
            pattern=schemas.MESSAGING_SERVICE_SID,
            hint="a messaging service SID (MG followed by 32 hex digits)",
        ),
        "twilio_sender_phone_number": schemas.Field(
            pattern=schemas.E164, hint="a phone number in E.164 format, such as +14155552671", max_length=16
        ),
    }

    @classmethod
    def clean_secrets(cls, data) -> dict:
        cleaned = super().clean_secrets(data)
        senders = [
            k for k in ("twilio_messaging_service_sid", "twilio_sender_phone_number") if cleaned.get(k)
        ]
        if len(senders) != 1:
            message = "Give exactly one of twilio_messaging_service_sid or twilio_sender_phone_number."
            raise schemas.SchemaError(
                {"twilio_messaging_service_sid": message, "twilio_sender_phone_number": message}
            )
        return cleaned

    def send(self, message: OutgoingMessage) -> str:
        account_sid = self.secret("twilio_account_sid")
        data = {"To": message.to, "Body": message.text[:MAX_BODY]}
        if self.secret("twilio_messaging_service_sid"):
            data["MessagingServiceSid"] = self.secret("twilio_messaging_service_sid")
        else:
            data["From"] = self.secret("twilio_sender_phone_number")
        url = f"{settings.TWILIO_API_BASE_URL}/2010-04-01/Accounts/{account_sid}/Messages.json"
        response = self.deliver("POST", url, data=data, auth=(account_sid, self.secret("twilio_auth_token")))
        return str(json_body(response).get("sid", ""))[:128]

    def raise_for_response(self, response) -> None:
        if 400 <= response.status_code < 500 and response.status_code not in (401, 429):
            code = json_body(response).get("code")
            if code in PERMANENT_CODES:
                reason, message = PERMANENT_CODES[code]
                raise DeliveryError(message, permanent=True, reason=reason)
            if isinstance(code, int):
                # Twilio's own message may quote the phone number: name the code and its docs page instead.
                raise DeliveryError(
                    f"Twilio rejected the message (HTTP {response.status_code}, error {code}: "
                    f"see https://www.twilio.com/docs/api/errors/{code}).",
                    permanent=True,
                    reason="rejected",
                )
        super().raise_for_response(response)
