"""Drill: Twilio refuses the credentials. The request ends in error with a reason staff can act on and
nothing half-erased; once the credentials are fixed, a staff retry completes it."""

import pytest

from connector.models import TwilioConnection
from connector.runner import run_request
from requests_app import lifecycle
from requests_app.models import RequestType, Status
from tests.factories import PrivacyRequestFactory

pytestmark = pytest.mark.django_db(transaction=True)

SUBJECT = "subject@example.com"
REASON = "Twilio rejected the credentials (HTTP 401)."


@pytest.fixture
def account(transactional_db):
    from twilio_sandbox.counters import reset_calls
    from twilio_sandbox.seed import seed_bulk

    seeded = seed_bulk(conversations=4, messages=30, subject_share=0.3, seed=3)
    reset_calls()
    return seeded


def connect(live_server, account_sid: str, auth_token: str) -> TwilioConnection:
    return TwilioConnection.objects.create(
        account_sid=account_sid, auth_token=auth_token, base_url=live_server.url + "/sandbox/twilio", concurrency=4
    )


def snapshot() -> dict:
    from twilio_sandbox.models import SandboxMessage, SandboxParticipant, SandboxUser

    return {
        "messages": sorted(SandboxMessage.objects.values_list("sid", "author", "body", "attributes")),
        "participants": sorted(SandboxParticipant.objects.values_list("sid", "attributes")),
        "users": sorted(SandboxUser.objects.values_list("sid", "friendly_name", "attributes")),
    }


def finish_retry(privacy_request) -> None:
    privacy_request.refresh_from_db()
    if privacy_request.status == Status.APPROVED:  # with Redis the retry went to a queue: run that job here
        run_request(privacy_request.pk)
        privacy_request.refresh_from_db()


def test_wrong_token_fails_the_erasure_cleanly_and_a_retry_after_the_fix_completes(account, live_server, reviewer):
    from twilio_sandbox.counters import call_counts, message_update_counts, status_counts
    from twilio_sandbox.models import SandboxMessage

    connection = connect(live_server, account.account_sid, "not-the-token")
    before = snapshot()
    privacy_request = PrivacyRequestFactory(request_type=RequestType.ERASURE, email=SUBJECT, status=Status.APPROVED)

    run_request(privacy_request.pk)

    privacy_request.refresh_from_db()
    assert privacy_request.status == Status.ERROR
    assert privacy_request.failure_reason == REASON
    assert privacy_request.events.filter(message=f"Failed: {REASON}").exists()
    assert snapshot() == before
    assert set(status_counts()) == {401}
    assert not any(method in ("POST", "DELETE") for method, _ in call_counts())

    connection.auth_token = account.auth_token
    connection.save()
    lifecycle.retry(privacy_request, reviewer=lifecycle.Actor.staff(reviewer))
    finish_retry(privacy_request)

    assert privacy_request.status == Status.COMPLETE, privacy_request.failure_reason
    subject_sids = {sid for sid, author, *_ in before["messages"] if author == SUBJECT}
    assert len(subject_sids) == account.subject_messages
    assert set(message_update_counts()) == subject_sids and set(message_update_counts().values()) == {1}
    assert not SandboxMessage.objects.filter(author=SUBJECT).exists()


def test_token_revoked_mid_erasure_stops_with_a_reason_and_the_retry_masks_nothing_twice(
    account, live_server, reviewer
):
    """Participant records and messages are masked first; the token is rotated before the user is."""
    from twilio_sandbox.counters import message_update_counts, target_counts
    from twilio_sandbox.models import SandboxAccount, SandboxMessage, SandboxUser

    connection = connect(live_server, account.account_sid, account.auth_token)
    subject_sids = set(SandboxMessage.objects.filter(author=SUBJECT).values_list("sid", flat=True))
    privacy_request = PrivacyRequestFactory(request_type=RequestType.ERASURE, email=SUBJECT, status=Status.APPROVED)

    def rotate_after_messages(stage: str, done: int, total: int | None) -> None:
        if stage == "erasing conversation_messages" and done == total:
            SandboxAccount.objects.filter(sid=account.account_sid).update(auth_token="rotated-token")

    run_request(privacy_request.pk, progress=rotate_after_messages)

    privacy_request.refresh_from_db()
    assert privacy_request.status == Status.ERROR
    assert privacy_request.failure_reason == REASON
    assert set(message_update_counts()) == subject_sids
    assert SandboxUser.objects.get(identity=SUBJECT).friendly_name == "Subject"  # not reached before the stop

    connection.auth_token = "rotated-token"
    connection.save()
    lifecycle.retry(privacy_request, reviewer=lifecycle.Actor.staff(reviewer))
    finish_retry(privacy_request)

    assert privacy_request.status == Status.COMPLETE, privacy_request.failure_reason
    assert set(message_update_counts()) == subject_sids and set(message_update_counts().values()) == {1}
    assert not SandboxMessage.objects.filter(author=SUBJECT).exists()
    user = SandboxUser.objects.get(identity=SUBJECT)
    assert user.friendly_name == "[erased]"
    assert target_counts("POST", "/v1/Users/{Sid}") == {user.sid: 1}
