"""A conversation's messages: /v1/Conversations/{ConversationSid}/Messages[/{Sid}]."""

from types import SimpleNamespace

from django.db.models import CharField
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .. import representations
from ..endpoint import twilio_endpoint
from ..errors import invalid_parameter, no_content, not_found
from ..models import SandboxAccount, SandboxMessage
from ..pagination import base_url, paginate
from ..responses import json_response
from . import lookups, params

MESSAGE_FIELDS = ("sid", "index", "author", "body", "attributes", "participant_sid")
DATES_AS_TEXT = {"created_text": Cast("date_created", CharField()), "updated_text": Cast("date_updated", CharField())}


@twilio_endpoint("/v1/Conversations/{ConversationSid}/Messages", ("GET",))
def message_list(request: HttpRequest, account: SandboxAccount, conversation_sid: str) -> HttpResponse:
    chat = lookups.conversation(request, account, conversation_sid)
    order = request.GET.get("Order")
    if order not in (None, "asc", "desc"):
        raise invalid_parameter(f"Invalid Order: {order!r}, expected asc or desc")
    base = base_url(request)
    # The busiest list (100 rows a page, thousands of pages in the benchmark): plain rows, not model
    # instances, keep the fake's own CPU cost per page small next to the latency it simulates.
    # Dates come as the database's own UTC text: turning 200 timestamps a page into aware datetimes only to
    # print them again was a third of the fake's CPU per page (representations.iso reads either).
    rows = SandboxMessage.objects.filter(conversation=chat).values(*MESSAGE_FIELDS, **DATES_AS_TEXT)
    body = paginate(
        request,
        rows,
        key="index",
        maximum=100,
        list_key="messages",
        render=lambda row: representations.message(account, base, _dated(row), chat.sid),
        filters=[("Order", order)] if order else [],
        descending=order == "desc",
    )
    return json_response(body)


def _dated(row: dict) -> SimpleNamespace:
    return SimpleNamespace(**row, date_created=row["created_text"], date_updated=row["updated_text"])


@twilio_endpoint("/v1/Conversations/{ConversationSid}/Messages/{Sid}", ("GET", "POST", "DELETE"))
def message_detail(request: HttpRequest, account: SandboxAccount, conversation_sid: str, sid: str) -> HttpResponse:
    messages = SandboxMessage.objects.filter(conversation__account=account, sid=sid).select_related("conversation")
    if lookups.CONVERSATION_SID.match(conversation_sid):
        record = messages.filter(conversation__sid=conversation_sid).first()
    else:
        record = messages.filter(conversation__unique_name=conversation_sid).first()
    if record is None:
        raise not_found(request.path)
    if request.method == "DELETE":
        record.delete()
        return no_content()
    if request.method == "POST":
        changes = {
            "body": params.text(request, "Body", 1600),
            "author": params.text(request, "Author", 256),
            "attributes": params.attributes(request),
            "date_created": params.date(request, "DateCreated"),
        }
        for field, value in changes.items():
            if value is not None:
                setattr(record, field, value)
        record.date_updated = params.date(request, "DateUpdated") or timezone.now()
        record.save()
    return json_response(representations.message(account, base_url(request), record, record.conversation.sid))
