"""Portal and admin forms; identities are normalised here, once, on the way in."""

from django import forms
from django.core.exceptions import ValidationError

from .identities import MAX_EMAIL_LENGTH, MAX_PHONE_INPUT_LENGTH, normalize_email, normalize_phone
from .lifecycle import MAX_REASON_LENGTH
from .models import Channel, RequestType

TYPE_HELP = {
    RequestType.ACCESS: "We collect the personal data we hold about you in our Twilio conversations and send you "
    "a link to download it.",
    RequestType.ERASURE: "We remove your personal data from our Twilio conversations; messages other people wrote "
    "are left as they are.",
}


class RequestForm(forms.Form):
    request_type = forms.ChoiceField(
        label="What would you like us to do?",
        choices=RequestType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose access or erasure."},
    )
    email = forms.CharField(
        label="Email address",
        required=False,
        # Let oversized input reach clean_email for a clear message instead of being cut by the browser.
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label="Mobile phone number",
        required=False,
        help_text="With your country code, e.g. +44 7911 123456.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    code_channel = forms.ChoiceField(
        label="If you give both, send the code by",
        choices=Channel.choices,
        initial=Channel.EMAIL,
        required=False,
        widget=forms.RadioSelect,
    )

    def clean_email(self) -> str:
        raw = self.cleaned_data.get("email", "")
        if not raw.strip():
            return ""
        if len(raw) > MAX_EMAIL_LENGTH:
            raise ValidationError("That email address is too long.")
        try:
            return normalize_email(raw)
        except ValidationError:
            raise ValidationError("Enter an email address like name@example.com.") from None

    def clean_phone(self) -> str:
        raw = self.cleaned_data.get("phone", "")
        if not raw.strip():
            return ""
        if len(raw) > MAX_PHONE_INPUT_LENGTH:
            raise ValidationError("That phone number is too long.")
        return normalize_phone(raw)

    def clean(self) -> dict:
        data = super().clean()
        email, phone = data.get("email"), data.get("phone")
        if not email and not phone and not self.has_error("email") and not self.has_error("phone"):
            raise ValidationError("Give an email address, a phone number, or both, so we can find your data.")
        if email and phone:
            data["code_channel"] = data.get("code_channel") or Channel.EMAIL
        else:
            data["code_channel"] = Channel.SMS if phone else Channel.EMAIL
        return data


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Verification code",
        max_length=12,
        error_messages={"required": "Enter the 6-digit code we sent you.", "max_length": "Codes have 6 digits."},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*", "size": 8}
        ),
    )


class DenyForm(forms.Form):
    reason = forms.CharField(
        label="Reason for the denial (the subject is told this)",
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        error_messages={"required": "A denial needs a reason; the subject is told it."},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("A denial needs a reason; the subject is told it.")
        return reason
