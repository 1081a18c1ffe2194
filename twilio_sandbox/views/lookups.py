"""Find the record a URL names as Twilio does: by SID, or by identity or unique name in its place."""

import re

from django.http import HttpRequest

from ..errors import not_found
from ..models import SandboxAccount, SandboxConversation, SandboxUser

USER_SID = re.compile(r"^US[0-9a-fA-F]{32}$")
CONVERSATION_SID = re.compile(r"^CH[0-9a-fA-F]{32}$")


def user(request: HttpRequest, account: SandboxAccount, sid_or_identity: str) -> SandboxUser:
    users = SandboxUser.objects.filter(account=account)
    if USER_SID.match(sid_or_identity):
        found = users.filter(sid=sid_or_identity).first()
    else:
        # Twilio accepts the user's identity in place of the SID.
        found = users.filter(identity=sid_or_identity).first()
    if found is None:
        raise not_found(request.path)
    return found


def conversation(
    request: HttpRequest, account: SandboxAccount, sid_or_unique_name: str
) -> SandboxConversation:
    conversations = SandboxConversation.objects.filter(account=account)
    if CONVERSATION_SID.match(sid_or_unique_name):
        found = conversations.filter(sid=sid_or_unique_name).first()
    else:
        found = conversations.filter(unique_name=sid_or_unique_name).first()
    if found is None:
        raise not_found(request.path)
    return found
