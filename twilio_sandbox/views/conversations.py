"""Conversations and the participant index: /v1/Conversations, /v1/ParticipantConversations."""

from django.http import HttpRequest, HttpResponse

from .. import representations
from ..endpoint import twilio_endpoint
from ..errors import invalid_parameter
from ..models import SandboxAccount, SandboxConversation, SandboxParticipant
from ..pagination import base_url, paginate
from ..responses import json_response
from . import lookups

STATES = ("initializing", "inactive", "active", "closed")


@twilio_endpoint("/v1/Conversations", ("GET",))
def conversation_list(request: HttpRequest, account: SandboxAccount) -> HttpResponse:
    conversations = SandboxConversation.objects.filter(account=account)
    filters = []
    state = request.GET.get("State")
    if state:
        if state not in STATES:
            raise invalid_parameter(f"Invalid State: {state!r}")
        conversations = conversations.filter(state=state)
        filters.append(("State", state))
    base = base_url(request)
    body = paginate(
        request,
        conversations,
        key="id",
        maximum=100,
        list_key="conversations",
        render=lambda record: representations.conversation(account, base, record),
        filters=filters,
    )
    return json_response(body)


@twilio_endpoint("/v1/Conversations/{Sid}", ("GET",))
def conversation_detail(request: HttpRequest, account: SandboxAccount, sid: str) -> HttpResponse:
    record = lookups.conversation(request, account, sid)
    return json_response(representations.conversation(account, base_url(request), record))


@twilio_endpoint("/v1/ParticipantConversations", ("GET",))
def participant_conversation_list(request: HttpRequest, account: SandboxAccount) -> HttpResponse:
    identity = request.GET.get("Identity")
    address = request.GET.get("Address")
    if bool(identity) == bool(address):
        # Twilio wants exactly one way to name the participant.
        raise invalid_parameter("Either Identity or Address must be specified, but not both")
    participants = SandboxParticipant.objects.filter(conversation__account=account).select_related(
        "conversation", "user"
    )
    if identity:
        participants = participants.filter(identity=identity)
        filters = [("Identity", identity)]
    else:
        participants = participants.filter(address=address)
        filters = [("Address", address)]
    base = base_url(request)
    body = paginate(
        request,
        participants,
        key="id",
        maximum=50,
        list_key="conversations",
        render=lambda record: representations.participant_conversation(account, base, record),
        filters=filters,
    )
    return json_response(body)
