"""A conversation's participants: /v1/Conversations/{ConversationSid}/Participants[/{Sid}]."""

import re

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .. import representations
from ..endpoint import twilio_endpoint
from ..errors import no_content, not_found
from ..models import SandboxAccount, SandboxParticipant
from ..pagination import base_url, paginate
from ..responses import json_response
from . import lookups, params

PARTICIPANT_SID = re.compile(r"^MB[0-9a-fA-F]{32}$")


@twilio_endpoint("/v1/Conversations/{ConversationSid}/Participants", ("GET",))
def participant_list(request: HttpRequest, account: SandboxAccount, conversation_sid: str) -> HttpResponse:
    chat = lookups.conversation(request, account, conversation_sid)
    base = base_url(request)
    body = paginate(
        request,
        SandboxParticipant.objects.filter(conversation=chat),
        key="id",
        maximum=100,
        list_key="participants",
        render=lambda record: representations.participant(account, base, record, chat.sid),
    )
    return json_response(body)


@twilio_endpoint("/v1/Conversations/{ConversationSid}/Participants/{Sid}", ("GET", "POST", "DELETE"))
def participant_detail(
    request: HttpRequest, account: SandboxAccount, conversation_sid: str, sid: str
) -> HttpResponse:
    chat = lookups.conversation(request, account, conversation_sid)
    participants = SandboxParticipant.objects.filter(conversation=chat)
    # Twilio accepts a chat participant's identity in place of the participant SID.
    record = (
        participants.filter(sid=sid) if PARTICIPANT_SID.match(sid) else participants.filter(identity=sid)
    ).first()
    if record is None:
        raise not_found(request.path)
    if request.method == "DELETE":
        record.delete()
        return no_content()
    if request.method == "POST":
        changes = {
            "attributes": params.attributes(request),
            "role_sid": params.role_sid(request),
            "identity": params.text(request, "Identity", 256),
            "date_created": params.date(request, "DateCreated"),
        }
        for field, value in changes.items():
            if value is not None:
                setattr(record, field, value)
        proxy_address = request.POST.get("MessagingBinding.ProxyAddress")
        if proxy_address is not None and record.messaging_binding:
            record.messaging_binding = {**record.messaging_binding, "proxy_address": proxy_address or None}
        record.date_updated = params.date(request, "DateUpdated") or timezone.now()
        record.save()
    return json_response(representations.participant(account, base_url(request), record, chat.sid))
