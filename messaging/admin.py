"""Messaging admin: configs with write-only secrets, the settings row, read-only log and outbox, tokens."""

from django.contrib import admin
from django.shortcuts import render
from django.utils.html import format_html_join

from .forms import SECRET_FIELD_NAMES, MessagingConfigForm
from .models import ApiToken, MessageLog, MessagingConfig, MessagingSettings, OutboxMessage


@admin.register(MessagingConfig)
class MessagingConfigAdmin(admin.ModelAdmin):
    form = MessagingConfigForm
    list_display = [
        "name",
        "service_type",
        "default_for_email",
        "default_for_sms",
        "secrets_state",
        "updated_at",
    ]
    prepopulated_fields = {"key": ["name"]}

    @admin.display(description="secrets")
    def secrets_state(self, obj: MessagingConfig):
        keys = obj.provider_class().secrets_schema if obj.service_type else {}
        if not keys:
            return "none needed"
        return format_html_join(
            ", ", "{} {}", ((key, "set" if obj.secrets.get(key) else "not set") for key in keys)
        )

    fieldsets = [
        (
            None,
            {"fields": ["name", "key", "service_type", "details", "default_for_email", "default_for_sms"]},
        ),
        ("Secrets (write-only)", {"fields": [*SECRET_FIELD_NAMES, "clear_secrets"]}),
    ]


@admin.register(MessagingSettings)
class MessagingSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "send_request_receipt_notification",
        "send_request_review_notification",
        "send_request_completion_notification",
        "subject_identity_verification_required",
        "notification_service_type",
    ]

    def has_add_permission(self, request):
        return not MessagingSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MessageLog)
class MessageLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "channel", "provider", "recipient", "status", "permanent", "error"]
    list_filter = ["status", "channel", "kind", "provider", "permanent"]
    search_fields = ["=privacy_request__public_id", "provider_message_id"]
    fields = readonly_fields = [
        "created_at",
        "updated_at",
        "kind",
        "channel",
        "config",
        "provider",
        "recipient",
        "privacy_request",
        "status",
        "permanent",
        "attempts",
        "provider_message_id",
        "error",
        "reason",
        "sent_at",
    ]
    list_select_related = ["privacy_request"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "to", "channel", "kind", "subject"]
    fields = readonly_fields = ["created_at", "to", "channel", "kind", "subject", "text", "html"]
    list_filter = ["channel", "kind"]
    search_fields = ["to"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "hint", "created_at", "last_used_at", "created_by"]
    readonly_fields = ["hint", "created_at", "last_used_at", "created_by"]
    fields = ["name", "hint", "created_at", "last_used_at", "created_by"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        token, plaintext = ApiToken.issue(name=obj.name, created_by=request.user)
        obj.pk, obj.token_hash, obj.hint, obj.created_at = (
            token.pk,
            token.token_hash,
            token.hint,
            token.created_at,
        )
        obj._state.adding = False
        obj._plaintext = plaintext

    def response_add(self, request, obj, post_url_continue=None):
        # Rendered straight into this response: the token never goes through a session, cookie or redirect.
        context = {
            **self.admin_site.each_context(request),
            "title": "API token created",
            "token": obj,
            "plaintext": obj._plaintext,
        }
        response = render(request, "messaging/api_token_created.html", context)
        response["Cache-Control"] = "no-store"
        return response
