"""Subject identities: normalising what a subject types, and masking what anyone else may see."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

MAX_EMAIL_LENGTH = 254
MAX_PHONE_INPUT_LENGTH = 32


def normalize_phone(raw: str) -> str:
    """Return the number in E.164, or raise ValidationError saying what is wrong with it."""
    text = (raw or "").strip()
    if not text:
        raise ValidationError("Enter a phone number.", code="required")
    if len(text) > MAX_PHONE_INPUT_LENGTH:
        raise ValidationError("That phone number is too long.", code="max_length")
    if not text.startswith("+") and not text.startswith("00"):
        raise ValidationError(
            "Start the number with + and your country code, e.g. +44 7911 123456.", code="no_country_code"
        )
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException as exc:
        if exc.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
            raise ValidationError("That country code does not exist.", code="unknown_country_code") from None
        raise ValidationError("That is not a phone number.", code="invalid") from None
    if number.country_code not in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
        raise ValidationError("That country code does not exist.", code="unknown_country_code")
    if not phonenumbers.is_valid_number(number):
        raise ValidationError("That phone number is not valid for its country.", code="invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_email(raw: str) -> str:
    text = (raw or "").strip()
    if len(text) > MAX_EMAIL_LENGTH:
        raise ValidationError("That email address is too long.", code="max_length")
    validate_email(text)
    local, _, domain = text.rpartition("@")
    # The domain part is case-insensitive; the local part is left as typed (RFC 5321).
    return f"{local}@{domain.lower()}"


def mask_email(email: str) -> str:
    if not email:
        return ""
    local, _, domain = email.rpartition("@")
    return f"{local[:1]}{'•' * max(2, min(len(local) - 1, 6))}@{domain}"


def mask_phone(phone: str) -> str:
    if not phone:
        return ""
    return f"{phone[:3]}{'•' * max(2, len(phone) - 5)}{phone[-2:]}"
