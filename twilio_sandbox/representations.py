"""JSON bodies in the shapes of the spec's schemas (`conversations.v1.*`), with absolute URLs."""

from datetime import datetime

from .models import SandboxAccount, SandboxConversation, SandboxMessage, SandboxParticipant, SandboxUser


def iso(moment: datetime | str | None) -> str | None:
    """Twilio writes UTC seconds with a Z: 2019-12-16T22:18:37Z. A str is the database's UTC text of a
    timestamp ("2019-12-16 22:18:37.123+00" on PostgreSQL, "2019-12-16 22:18:37.123000" on SQLite)."""
    if not moment:
        return None
    if isinstance(moment, str):
        return f"{moment[:10]}T{moment[11:19]}Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def user(account: SandboxAccount, base: str, record: SandboxUser) -> dict:
    url = f"{base}/v1/Users/{record.sid}"
    return {
        "sid": record.sid,
        "account_sid": account.sid,
        "chat_service_sid": account.chat_service_sid,
        "role_sid": record.role_sid,
        "identity": record.identity,
        "friendly_name": record.friendly_name,
        "attributes": record.attributes,
        "is_online": None,
        "is_notifiable": None,
        "date_created": iso(record.date_created),
        "date_updated": iso(record.date_updated),
        "url": url,
        "links": {"user_conversations": f"{url}/Conversations"},
    }


def conversation(account: SandboxAccount, base: str, record: SandboxConversation) -> dict:
    url = f"{base}/v1/Conversations/{record.sid}"
    return {
        "sid": record.sid,
        "account_sid": account.sid,
        "chat_service_sid": account.chat_service_sid,
        "messaging_service_sid": None,
        "friendly_name": record.friendly_name,
        "unique_name": record.unique_name,
        "attributes": record.attributes,
        "state": record.state,
        "date_created": iso(record.date_created),
        "date_updated": iso(record.date_updated),
        "timers": {},
        "bindings": None,
        "url": url,
        "links": {
            "participants": f"{url}/Participants",
            "messages": f"{url}/Messages",
            "webhooks": f"{url}/Webhooks",
            "export": f"{url}/Export",
        },
    }


def user_conversation(account: SandboxAccount, base: str, record: SandboxParticipant, user_sid: str) -> dict:
    chat = record.conversation
    conversation_url = f"{base}/v1/Conversations/{chat.sid}"
    return {
        "account_sid": account.sid,
        "chat_service_sid": account.chat_service_sid,
        "conversation_sid": chat.sid,
        "unread_messages_count": None,
        "last_read_message_index": None,
        "participant_sid": record.sid,
        "user_sid": user_sid,
        "friendly_name": chat.friendly_name,
        "conversation_state": chat.state if chat.state != "initializing" else "active",
        "timers": {},
        "attributes": chat.attributes,
        "date_created": iso(chat.date_created),
        "date_updated": iso(chat.date_updated),
        "created_by": None,
        "notification_level": "default",
        "unique_name": chat.unique_name,
        "url": f"{base}/v1/Users/{user_sid}/Conversations/{chat.sid}",
        "links": {
            "participant": f"{conversation_url}/Participants/{record.sid}",
            "conversation": conversation_url,
        },
    }


def participant(account: SandboxAccount, base: str, record: SandboxParticipant, conversation_sid: str) -> dict:
    return {
        "account_sid": account.sid,
        "conversation_sid": conversation_sid,
        "sid": record.sid,
        "identity": record.identity,
        "attributes": record.attributes,
        "messaging_binding": record.messaging_binding,
        "role_sid": record.role_sid,
        "date_created": iso(record.date_created),
        "date_updated": iso(record.date_updated),
        "url": f"{base}/v1/Conversations/{conversation_sid}/Participants/{record.sid}",
        "last_read_message_index": None,
        "last_read_timestamp": None,
    }


def participant_conversation(account: SandboxAccount, base: str, record: SandboxParticipant) -> dict:
    chat = record.conversation
    conversation_url = f"{base}/v1/Conversations/{chat.sid}"
    return {
        "account_sid": account.sid,
        "chat_service_sid": account.chat_service_sid,
        "participant_sid": record.sid,
        "participant_user_sid": record.user.sid if record.user_id else None,
        "participant_identity": record.identity,
        "participant_messaging_binding": record.messaging_binding,
        "conversation_sid": chat.sid,
        "conversation_unique_name": chat.unique_name,
        "conversation_friendly_name": chat.friendly_name,
        "conversation_attributes": chat.attributes,
        "conversation_date_created": iso(chat.date_created),
        "conversation_date_updated": iso(chat.date_updated),
        "conversation_created_by": None,
        "conversation_state": chat.state if chat.state != "initializing" else "active",
        "conversation_timers": {},
        "links": {
            "participant": f"{conversation_url}/Participants/{record.sid}",
            "conversation": conversation_url,
        },
    }


def message(account: SandboxAccount, base: str, record: SandboxMessage, conversation_sid: str) -> dict:
    url = f"{base}/v1/Conversations/{conversation_sid}/Messages/{record.sid}"
    return {
        "sid": record.sid,
        "account_sid": account.sid,
        "conversation_sid": conversation_sid,
        "body": record.body,
        "media": None,
        "author": record.author,
        "participant_sid": record.participant_sid,
        "attributes": record.attributes,
        "date_created": iso(record.date_created),
        "date_updated": iso(record.date_updated),
        "index": record.index,
        "delivery": None,
        "content_sid": None,
        "url": url,
        "links": {"delivery_receipts": f"{url}/Receipts", "channel_metadata": f"{url}/ChannelMetadata"},
    }
