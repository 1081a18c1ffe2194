"""URLs mirroring https://conversations.twilio.com; mounted at /sandbox/twilio/ when SANDBOX is on."""

from django.urls import path

from .views import conversations, messages, participants, users

app_name = "twilio_sandbox"

urlpatterns = [
    path("v1/Users", users.user_list, name="user-list"),
    path("v1/Users/<str:sid>", users.user_detail, name="user-detail"),
    path(
        "v1/Users/<str:user_sid>/Conversations", users.user_conversation_list, name="user-conversation-list"
    ),
    path(
        "v1/Users/<str:user_sid>/Conversations/<str:conversation_sid>",
        users.user_conversation_detail,
        name="user-conversation-detail",
    ),
    path("v1/Conversations", conversations.conversation_list, name="conversation-list"),
    path("v1/Conversations/<str:sid>", conversations.conversation_detail, name="conversation-detail"),
    path("v1/Conversations/<str:conversation_sid>/Messages", messages.message_list, name="message-list"),
    path(
        "v1/Conversations/<str:conversation_sid>/Messages/<str:sid>",
        messages.message_detail,
        name="message-detail",
    ),
    path(
        "v1/Conversations/<str:conversation_sid>/Participants",
        participants.participant_list,
        name="participant-list",
    ),
    path(
        "v1/Conversations/<str:conversation_sid>/Participants/<str:sid>",
        participants.participant_detail,
        name="participant-detail",
    ),
    path(
        "v1/ParticipantConversations",
        conversations.participant_conversation_list,
        name="participant-conversation-list",
    ),
]
