"""Staff review: the request queue, approve/deny/retry/cancel, and the read-only audit trail."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from . import lifecycle
from .forms import DenyForm
from .identities import normalize_phone
from .models import AuditEvent, PrivacyRequest, Status

REVIEW_PERMISSION = "requests_app.review_privacyrequest"
QUEUE_RANK = Case(
    When(status=Status.PENDING, then=Value(0)),
    When(status=Status.ERROR, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


class OverdueFilter(admin.SimpleListFilter):
    title = "deadline"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue"), ("soon", "Due within 7 days")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        open_requests = queryset.exclude(status__in=[Status.COMPLETE, Status.DENIED, Status.CANCELED])
        if self.value() == "yes":
            return open_requests.filter(due_date__lt=today)
        if self.value() == "soon":
            return open_requests.filter(due_date__gte=today, due_date__lte=today + timezone.timedelta(days=7))
        return queryset


class AuditEventInline(admin.TabularInline):
    model = AuditEvent
    fields = ["created_at", "actor_label", "actor_kind", "from_status", "to_status", "message"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "Audit trail"
    template = "admin/requests_app/privacyrequest/audit_inline.html"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(admin.ModelAdmin):
    list_display = [
        "short_id",
        "type_short",
        "status_badge",
        "masked_identity",
        "created_at",
        "due_date",
        "days_left_col",
    ]
    list_filter = ["status", "request_type", OverdueFilter]
    search_fields = ["email", "phone", "=public_id"]
    list_per_page = 50
    show_full_result_count = False  # a COUNT(*) over 100,000 rows per page view is wasted work
    actions = ["approve_selected", "deny_selected", "retry_selected"]
    fields = [
        "public_id",
        "request_type",
        "status",
        "email",
        "phone",
        "code_channel",
        "twilio_user",
        "created_at",
        "due_date",
        "verified_at",
        "reviewed_at",
        "reviewer",
        "denial_reason",
        "scheduled_for",
        "started_at",
        "finished_at",
        "failed_at",
        "failure_reason",
        "canceled_at",
        "package_name",
    ]
    readonly_fields = [f for f in fields if f != "twilio_user"]
    inlines = [AuditEventInline]
    change_form_template = "admin/requests_app/privacyrequest/change_form.html"

    def has_add_permission(self, request):
        # Requests come from the portal or `manage.py privacy_request create`, which verify and audit them.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_review_permission(self, request) -> bool:
        return request.user.has_perm(REVIEW_PERMISSION)

    def get_ordering(self, request):
        # Oldest pending first (then requests in error): the review queue reads top-down.
        return [QUEUE_RANK.asc(), "created_at", "id"]

    def get_search_results(self, request, queryset, search_term):
        # Staff type phone numbers any way; match the stored E.164 form too.
        results, distinct = super().get_search_results(request, queryset, search_term)
        try:
            e164 = normalize_phone(search_term)
        except ValidationError:  # not a phone number: the plain search stands
            return results, distinct
        return results | queryset.filter(phone=e164), distinct

    @admin.display(description="ID", ordering="public_id")
    def short_id(self, obj: PrivacyRequest) -> str:
        return obj.public_id[:10]

    @admin.display(description="type", ordering="request_type")
    def type_short(self, obj: PrivacyRequest) -> str:
        return obj.request_type.capitalize()

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj: PrivacyRequest) -> str:
        return obj.get_status_display()

    @admin.display(description="days left", ordering="due_date")
    def days_left_col(self, obj: PrivacyRequest) -> str:
        if obj.is_final:
            return "—"
        days = obj.days_left
        return format_html('<strong style="color:#b3261e">{} overdue</strong>', -days) if days < 0 else str(days)

    # ---- bulk actions -------------------------------------------------------------------------

    def _run_each(self, request, queryset, label: str, service) -> None:
        done, refused = 0, []
        for privacy_request in queryset:
            try:
                service(privacy_request)
                done += 1
            except lifecycle.TransitionError as exc:
                refused.append(str(exc))
        if done:
            self.message_user(request, f"{label} {done} request(s).", messages.SUCCESS)
        for reason in refused:
            self.message_user(request, reason, messages.WARNING)

    @admin.action(description="Approve selected requests", permissions=["review"])
    def approve_selected(self, request, queryset):
        actor = lifecycle.Actor.staff(request.user)
        self._run_each(request, queryset, "Approved", lambda pr: lifecycle.approve(pr, reviewer=actor))

    @admin.action(description="Deny selected requests…", permissions=["review"])
    def deny_selected(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return HttpResponseRedirect(reverse("admin:requests_app_privacyrequest_deny") + f"?ids={ids}")

    @admin.action(description="Retry selected requests in error", permissions=["review"])
    def retry_selected(self, request, queryset):
        actor = lifecycle.Actor.staff(request.user)
        self._run_each(request, queryset, "Retrying", lambda pr: lifecycle.retry(pr, reviewer=actor))

    # ---- detail-page buttons ------------------------------------------------------------------

    def get_urls(self):
        own = [
            path("deny/", self.admin_site.admin_view(self.deny_view), name="requests_app_privacyrequest_deny"),
            path(
                "<int:pk>/do/<str:what>/",
                self.admin_site.admin_view(self.button_view),
                name="requests_app_privacyrequest_do",
            ),
        ]
        return own + super().get_urls()

    def button_view(self, request: HttpRequest, pk: int, what: str) -> HttpResponse:
        if request.method != "POST" or not self.has_review_permission(request):
            raise PermissionDenied
        privacy_request = get_object_or_404(PrivacyRequest, pk=pk)
        actor = lifecycle.Actor.staff(request.user)
        services = {
            "approve": lambda: lifecycle.approve(privacy_request, reviewer=actor),
            "retry": lambda: lifecycle.retry(privacy_request, reviewer=actor),
            "run-now": lambda: self._run_now(privacy_request, actor),
            "resume": lambda: lifecycle.resume(privacy_request, actor=actor),
            "cancel": lambda: lifecycle.cancel(privacy_request, actor=actor, reason="by staff"),
        }
        if what == "deny":
            return HttpResponseRedirect(reverse("admin:requests_app_privacyrequest_deny") + f"?ids={pk}")
        if what not in services:
            raise PermissionDenied
        try:
            services[what]()
        except lifecycle.TransitionError as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(request, f"Done: {what.replace('-', ' ')}.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:requests_app_privacyrequest_change", args=[pk]))

    def _run_now(self, privacy_request: PrivacyRequest, actor: lifecycle.Actor) -> None:
        from privacyportal import queueing

        from .jobs import execute_request

        if privacy_request.status != Status.SCHEDULED:
            raise lifecycle.TransitionError("Only a scheduled erasure can be run now.")
        lifecycle.record(privacy_request, actor=actor, message="Run now requested (retention period skipped)")
        queueing.enqueue(execute_request, privacy_request.pk)

    def deny_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_review_permission(request):
            raise PermissionDenied
        raw_ids = request.POST.get("ids") or request.GET.get("ids", "")
        ids = [int(i) for i in raw_ids.split(",") if i.strip().isdigit()][:500]
        queryset = PrivacyRequest.objects.filter(pk__in=ids).order_by("created_at")
        form = DenyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            actor = lifecycle.Actor.staff(request.user)
            reason = form.cleaned_data["reason"]
            self._run_each(request, queryset, "Denied", lambda pr: lifecycle.deny(pr, reviewer=actor, reason=reason))
            if len(ids) == 1:
                return HttpResponseRedirect(reverse("admin:requests_app_privacyrequest_change", args=[ids[0]]))
            return HttpResponseRedirect(reverse("admin:requests_app_privacyrequest_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": "Deny privacy requests",
            "form": form,
            "requests": queryset,
            "ids": ",".join(str(i) for i in ids),
            "opts": self.model._meta,
        }
        return render(request, "admin/requests_app/privacyrequest/deny.html", context)

    # ---- page context ---------------------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        for problem in _messaging_problems():
            self.message_user(request, problem, messages.WARNING)
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        privacy_request = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if privacy_request is not None:
            extra_context.update(
                can_review=self.has_review_permission(request),
                privacy_request=privacy_request,
                progress=_progress(privacy_request),
            )
        return super().change_view(request, object_id, form_url, extra_context)


def _messaging_problems() -> list[str]:
    try:
        from messaging.status import channel_problems
    except ImportError:
        return []
    return channel_problems()


def _progress(privacy_request: PrivacyRequest) -> list[dict]:
    try:
        from connector.selectors import progress
    except ImportError:
        return []
    return progress(privacy_request)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "privacy_request", "actor_label", "from_status", "to_status", "message"]
    list_filter = ["actor_kind", "to_status"]
    search_fields = ["=privacy_request__public_id", "message"]
    list_select_related = ["privacy_request"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
