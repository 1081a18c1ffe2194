"""Staff forms: the status page's test message, and the admin's config form with write-only secret inputs."""

from django import forms
from django.core.exceptions import ValidationError

from requests_app.identities import normalize_email, normalize_phone

from . import schemas
from .models import Channel, MessagingConfig
from .providers import REGISTRY

ALL_SECRET_KEYS = sorted({key for cls in REGISTRY.values() for key in cls.secrets_schema})


class TestMessageForm(forms.Form):
    channel = forms.ChoiceField(choices=Channel.choices)
    to = forms.CharField(label="Send to (email address or phone number in +E.164)", max_length=254)

    def clean(self):
        data = super().clean()
        if "channel" in data and "to" in data:
            normalize = normalize_phone if data["channel"] == Channel.SMS else normalize_email
            try:
                data["to"] = normalize(data["to"])
            except ValidationError as exc:
                self.add_error("to", exc)
        return data


class MessagingConfigForm(forms.ModelForm):
    """Secrets are write-only: each input starts empty, a blank input keeps the stored value."""

    clear_secrets = forms.MultipleChoiceField(
        choices=[(k, k) for k in ALL_SECRET_KEYS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Remove these stored secrets (e.g. to switch from a messaging service SID to a number).",
    )

    class Meta:
        model = MessagingConfig
        fields = ["name", "key", "service_type", "details", "default_for_email", "default_for_sms"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = self.instance.secrets if self.instance.pk else {}
        for key in ALL_SECRET_KEYS:
            field = self.fields[f"secret_{key}"]
            field.help_text = f"{'set' if stored.get(key) else 'not set'} · {field.help_text}"

    def clean(self):
        data = super().clean()
        service_type = data.get("service_type")
        if service_type not in REGISTRY:
            return data
        cls = REGISTRY[service_type]
        merged = {k: v for k, v in (self.instance.secrets or {}).items() if k in cls.secrets_schema}
        for key in data.get("clear_secrets") or []:
            merged.pop(key, None)
        for key in ALL_SECRET_KEYS:
            value = data.get(f"secret_{key}")
            if not value:
                continue
            if key not in cls.secrets_schema:
                self.add_error(f"secret_{key}", f"{cls.label} does not use this secret.")
            else:
                merged[key] = value
        if merged:
            try:
                merged = cls.clean_secrets(merged)
            except schemas.SchemaError as exc:
                for key, message in exc.errors.items():
                    field = f"secret_{key}" if f"secret_{key}" in self.fields else None
                    self.add_error(field, message)
        self.merged_secrets = merged
        return data

    def save(self, commit=True):
        if hasattr(self, "merged_secrets"):
            self.instance.secrets = self.merged_secrets
        return super().save(commit)


def _secret_field(key: str) -> forms.CharField:
    owners = ", ".join(t for t, cls in REGISTRY.items() if key in cls.secrets_schema)
    return forms.CharField(
        label=key,
        required=False,
        max_length=512,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=f"used by {owners}. Blank keeps it.",
    )


# Declared on the class (not per instance) so the admin's fieldsets can name them.
for _key in ALL_SECRET_KEYS:
    MessagingConfigForm.declared_fields[f"secret_{_key}"] = MessagingConfigForm.base_fields[
        f"secret_{_key}"
    ] = _secret_field(_key)
SECRET_FIELD_NAMES = [f"secret_{key}" for key in ALL_SECRET_KEYS]
