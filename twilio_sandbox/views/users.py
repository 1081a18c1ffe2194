"""Users and a user's conversations: /v1/Users, /v1/Users/{Sid}, /v1/Users/{UserSid}/Conversations."""

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .. import representations
from ..endpoint import twilio_endpoint
from ..errors import no_content, not_found
from ..models import SandboxAccount, SandboxParticipant, SandboxUser
from ..pagination import base_url, paginate
from ..responses import json_response
from . import lookups, params


@twilio_endpoint("/v1/Users", ("GET",))
def user_list(request: HttpRequest, account: SandboxAccount) -> HttpResponse:
    base = base_url(request)
    body = paginate(
        request,
        SandboxUser.objects.filter(account=account),
        key="id",
        maximum=50,
        list_key="users",
        render=lambda record: representations.user(account, base, record),
    )
    return json_response(body)


@twilio_endpoint("/v1/Users/{Sid}", ("GET", "POST", "DELETE"))
def user_detail(request: HttpRequest, account: SandboxAccount, sid: str) -> HttpResponse:
    record = lookups.user(request, account, sid)
    if request.method == "DELETE":
        record.delete()
        return no_content()
    if request.method == "POST":
        changes = {
            "friendly_name": params.text(request, "FriendlyName", 256),
            "attributes": params.attributes(request),
            "role_sid": params.role_sid(request),
        }
        for field, value in changes.items():
            if value is not None:
                setattr(record, field, value)
        record.date_updated = timezone.now()
        record.save()
    return json_response(representations.user(account, base_url(request), record))


def _user_participants(record: SandboxUser):
    return SandboxParticipant.objects.filter(user=record).select_related("conversation")


@twilio_endpoint("/v1/Users/{UserSid}/Conversations", ("GET",))
def user_conversation_list(request: HttpRequest, account: SandboxAccount, user_sid: str) -> HttpResponse:
    record = lookups.user(request, account, user_sid)
    base = base_url(request)
    body = paginate(
        request,
        _user_participants(record),
        key="id",
        maximum=50,
        list_key="conversations",
        render=lambda participant: representations.user_conversation(account, base, participant, record.sid),
    )
    return json_response(body)


@twilio_endpoint("/v1/Users/{UserSid}/Conversations/{ConversationSid}", ("GET",))
def user_conversation_detail(
    request: HttpRequest, account: SandboxAccount, user_sid: str, conversation_sid: str
) -> HttpResponse:
    record = lookups.user(request, account, user_sid)
    chat = lookups.conversation(request, account, conversation_sid)
    participant = _user_participants(record).filter(conversation=chat).first()
    if participant is None:
        raise not_found(request.path)
    return json_response(
        representations.user_conversation(account, base_url(request), participant, record.sid)
    )
