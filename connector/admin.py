"""Admin for the Twilio connection: the auth token is write-only, and a button tests the connection."""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import path, reverse

from .connection import test_connection
from .models import TwilioConnection


class TwilioConnectionForm(forms.ModelForm):
    base_url = forms.URLField(assume_scheme="https", initial="https://conversations.twilio.com")
    auth_token = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Leave blank to keep the current token.",
    )

    class Meta:
        model = TwilioConnection
        fields = [
            "account_sid",
            "auth_token",
            "base_url",
            "masking_strict",
            "retention_days",
            "concurrency",
            "page_size",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        is_set = bool(self.instance.pk and self.instance.auth_token)
        self.fields["auth_token"].label = f"Auth token ({'set' if is_set else 'not set'})"
        self.initial["auth_token"] = ""

    def clean_auth_token(self) -> str:
        value = self.cleaned_data.get("auth_token", "")
        # Blank keeps the stored token: it is never sent back to the browser.
        return value or (self.instance.auth_token if self.instance.pk else "")


@admin.register(TwilioConnection)
class TwilioConnectionAdmin(admin.ModelAdmin):
    form = TwilioConnectionForm
    list_display = ["__str__", "base_url", "masking_strict", "retention_days", "concurrency", "page_size"]
    actions = ["run_test"]
    change_form_template = "admin/connector/twilioconnection/change_form.html"

    def has_add_permission(self, request) -> bool:
        # One connection: add it once, then change it.
        return not TwilioConnection.objects.exists() and super().has_add_permission(request)

    def get_urls(self):
        return [
            path(
                "<int:pk>/test/",
                self.admin_site.admin_view(self.test_view),
                name="connector_twilioconnection_test",
            ),
            *super().get_urls(),
        ]

    def test_view(self, request, pk: int):
        if request.method != "POST" or not self.has_change_permission(request):
            return HttpResponseRedirect(reverse("admin:connector_twilioconnection_change", args=[pk]))
        connection = TwilioConnection.objects.get(pk=pk)
        self._report(request, connection)
        return HttpResponseRedirect(reverse("admin:connector_twilioconnection_change", args=[pk]))

    @admin.action(description="Test connection")
    def run_test(self, request, queryset):
        for connection in queryset:
            self._report(request, connection)

    def _report(self, request, connection: TwilioConnection) -> None:
        ok, message = test_connection(connection)
        self.message_user(request, message, level=messages.SUCCESS if ok else messages.ERROR)
