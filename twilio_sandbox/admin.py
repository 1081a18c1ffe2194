"""Read-mostly admin of the sandbox Twilio: see what an erasure masked and that others' data is intact."""

from django.contrib import admin

from .models import (
    SandboxAccount,
    SandboxCall,
    SandboxConversation,
    SandboxMessage,
    SandboxParticipant,
    SandboxUser,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """The fake's records change through its API (as Twilio's do), not by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SandboxAccount)
class SandboxAccountAdmin(admin.ModelAdmin):
    list_display = ("sid", "friendly_name", "latency_ms", "fault_rate", "fault_seed")
    fields = (
        "sid",
        "friendly_name",
        "auth_token",
        "chat_service_sid",
        "latency_ms",
        "fault_rate",
        "fault_seed",
    )
    readonly_fields = ("sid", "auth_token", "chat_service_sid")


@admin.register(SandboxUser)
class SandboxUserAdmin(ReadOnlyAdmin):
    list_display = ("identity", "friendly_name", "attributes", "sid", "date_updated")
    search_fields = ("identity", "friendly_name", "sid")
    list_filter = ("account",)


class ParticipantInline(admin.TabularInline):
    model = SandboxParticipant
    fields = ("sid", "identity", "address", "attributes")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(SandboxConversation)
class SandboxConversationAdmin(ReadOnlyAdmin):
    list_display = ("friendly_name", "unique_name", "sid", "state", "date_created")
    search_fields = ("friendly_name", "unique_name", "sid")
    list_filter = ("account", "state")
    inlines = [ParticipantInline]


@admin.register(SandboxParticipant)
class SandboxParticipantAdmin(ReadOnlyAdmin):
    list_display = ("sid", "identity", "address", "attributes", "conversation")
    search_fields = ("identity", "address", "sid", "conversation__sid", "conversation__unique_name")
    list_select_related = ("conversation",)
    raw_id_fields = ("conversation", "user")


@admin.register(SandboxMessage)
class SandboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("conversation", "index", "author", "body", "attributes", "date_updated")
    search_fields = ("author", "body", "sid", "participant_sid")
    list_select_related = ("conversation",)
    raw_id_fields = ("conversation",)
    # 100,000 generated messages: skip the full COUNT(*) on every page view.
    show_full_result_count = False


@admin.register(SandboxCall)
class SandboxCallAdmin(ReadOnlyAdmin):
    list_display = ("created", "method", "route", "target_sid", "status")
    list_filter = ("method", "status", "route")
    search_fields = ("target_sid",)
    show_full_result_count = False
