"""Seeding the sandbox (functions and the `sandbox_twilio` command) gives consistent data."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from twilio_sandbox.models import (
    SandboxAccount,
    SandboxConversation,
    SandboxMessage,
    SandboxParticipant,
    SandboxUser,
)
from twilio_sandbox.seed import (
    DEMO_ACCOUNT_SID,
    DEMO_AUTH_TOKEN,
    DEMO_SMS_SUBJECT_PHONE,
    reset_sandbox,
    seed_bulk,
    seed_demo,
)

pytestmark = pytest.mark.django_db


def _assert_messages_point_at_their_conversations_participants(account: SandboxAccount) -> None:
    messages = SandboxMessage.objects.filter(conversation__account=account)
    for message in messages:
        participant = SandboxParticipant.objects.get(sid=message.participant_sid)
        assert participant.conversation_id == message.conversation_id
        assert message.author == (participant.identity or participant.address)


def test_demo_seed_has_email_users_a_phone_only_subject_and_shared_conversations():
    result = seed_demo()
    account = SandboxAccount.objects.get(sid=DEMO_ACCOUNT_SID)
    assert (result.account_sid, result.auth_token) == (DEMO_ACCOUNT_SID, DEMO_AUTH_TOKEN)
    assert sorted(SandboxUser.objects.filter(account=account).values_list("identity", flat=True)) == [
        "alice@example.com",
        "bob@example.com",
        "carol@example.com",
        "dave@example.com",
    ]
    phone_only = SandboxParticipant.objects.filter(address=DEMO_SMS_SUBJECT_PHONE)
    assert phone_only.count() == 2
    assert all(p.user_id is None and p.identity is None for p in phone_only)
    assert not SandboxUser.objects.filter(identity=DEMO_SMS_SUBJECT_PHONE).exists()
    hike = SandboxConversation.objects.get(unique_name="weekend-hike")
    members = {p.identity or p.address for p in hike.participants.all()}
    assert {"alice@example.com", DEMO_SMS_SUBJECT_PHONE} <= members
    authors = set(SandboxMessage.objects.filter(conversation__account=account).values_list("author", flat=True))
    assert len(authors) >= 5
    _assert_messages_point_at_their_conversations_participants(account)


def test_demo_seed_twice_replaces_the_demo_account_and_takes_a_subject_phone():
    seed_demo()
    seed_demo(subject_phone="+15005550199")
    assert SandboxAccount.objects.filter(sid=DEMO_ACCOUNT_SID).count() == 1
    assert SandboxParticipant.objects.filter(address="+15005550199").count() == 2
    assert not SandboxParticipant.objects.filter(address=DEMO_SMS_SUBJECT_PHONE).exists()


def test_bulk_seed_gives_every_conversation_its_messages_and_about_the_subject_share():
    result = seed_bulk(conversations=4, messages=150, subject_share=0.2)
    account = SandboxAccount.objects.get(sid=result.account_sid)
    assert SandboxConversation.objects.filter(account=account).count() == 4
    for chat in SandboxConversation.objects.filter(account=account):
        assert list(chat.messages.order_by("index").values_list("index", flat=True)) == list(range(150))
    subject_messages = SandboxMessage.objects.filter(
        conversation__account=account, author="subject@example.com"
    ).count()
    assert subject_messages == result.subject_messages
    assert 0.14 * 600 <= subject_messages <= 0.26 * 600
    subject = SandboxUser.objects.get(account=account, identity="subject@example.com")
    assert subject.participants.count() == 4
    _assert_messages_point_at_their_conversations_participants(account)


def test_bulk_seed_can_make_the_subject_reachable_by_phone_only():
    result = seed_bulk(conversations=2, messages=20, subject_phone="+15005550155")
    assert not SandboxUser.objects.filter(identity="subject@example.com").exists()
    subject = SandboxParticipant.objects.filter(address="+15005550155")
    assert subject.count() == 2
    assert SandboxMessage.objects.filter(author="+15005550155").count() == result.subject_messages


def test_reset_deletes_every_sandbox_record():
    seed_demo()
    seed_bulk(conversations=1, messages=5)
    reset_sandbox()
    assert not SandboxAccount.objects.exists()
    assert not SandboxMessage.objects.exists()


def test_seed_command_prints_demo_credentials_and_subjects():
    out = StringIO()
    call_command("sandbox_twilio", "seed", "--demo", "--reset", stdout=out)
    text = out.getvalue()
    assert DEMO_ACCOUNT_SID in text and DEMO_AUTH_TOKEN in text
    assert DEMO_SMS_SUBJECT_PHONE in text and "alice@example.com" in text


def test_seed_command_generates_a_bulk_account():
    out = StringIO()
    call_command("sandbox_twilio", "seed", "--conversations", "2", "--messages", "10", stdout=out)
    assert "2 conversations, 20 messages" in out.getvalue()


def test_seed_command_without_what_to_seed_fails_with_a_reason():
    with pytest.raises(CommandError, match="--demo"):
        call_command("sandbox_twilio", "seed")


def test_set_command_changes_latency_and_fault_rate():
    seed_demo()
    call_command("sandbox_twilio", "set", "--latency-ms", "50", "--fault-rate", "0.2", stdout=StringIO())
    account = SandboxAccount.objects.get(sid=DEMO_ACCOUNT_SID)
    assert (account.latency_ms, account.fault_rate) == (50, 0.2)
    with pytest.raises(CommandError):
        call_command("sandbox_twilio", "set", "--fault-rate", "1.5", stdout=StringIO())


def test_stats_command_reports_calls_and_resets(client):
    seed_demo()
    client.get("/sandbox/twilio/v1/Users")
    out = StringIO()
    call_command("sandbox_twilio", "stats", stdout=out)
    assert "GET    /v1/Users" in out.getvalue()
    assert "401: 1" in out.getvalue()
    call_command("sandbox_twilio", "reset-stats", stdout=StringIO())
    out = StringIO()
    call_command("sandbox_twilio", "stats", "--json", stdout=out)
    assert '"calls": []' in out.getvalue()
