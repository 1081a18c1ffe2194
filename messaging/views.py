"""Staff status page (with a test message form) and the sandbox outbox for the demo."""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .forms import TestMessageForm
from .models import MessageLog, OutboxMessage
from .sending import MessagingUnavailable, send_test_message
from .status import CHANNEL_NAMES, channel_problems, messaging_status

OUTBOX_PAGE_SIZE = 50


@staff_member_required
@require_http_methods(["GET", "POST"])
def status_page(request: HttpRequest) -> HttpResponse:
    form = TestMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = send_test_message(channel=form.cleaned_data["channel"], to=form.cleaned_data["to"])
        except MessagingUnavailable as exc:
            form.add_error(None, str(exc))
        else:
            row.refresh_from_db()
            level = messages.ERROR if row.status == MessageLog.Status.FAILED else messages.SUCCESS
            messages.add_message(
                request,
                level,
                f"Test message to {row.recipient}: {row.get_status_display()}"
                + (f" ({row.error})" if row.error else "."),
            )
            return redirect("messaging:status")
    status = messaging_status()
    channels = [{"name": CHANNEL_NAMES[key], **value} for key, value in status["channels"].items()]
    context = {
        **admin.site.each_context(request),
        "title": "Messaging status",
        "status": status,
        "channels": channels,
        "problems": channel_problems(),
        "form": form,
        "recent": MessageLog.objects.select_related("config")[:20],
    }
    return render(request, "messaging/status.html", context, status=400 if form.errors else 200)


def outbox(request: HttpRequest) -> HttpResponse:
    """Only in sandbox mode: it shows whole messages, codes included, which is the point of the demo."""
    if not settings.SANDBOX:
        raise Http404
    rows = OutboxMessage.objects.all()
    to = request.GET.get("to", "").strip()[:254]
    if to:
        rows = rows.filter(to=to)
    response = render(request, "messaging/outbox.html", {"messages_": rows[:OUTBOX_PAGE_SIZE], "to": to})
    response["Cache-Control"] = "no-store"
    return response
