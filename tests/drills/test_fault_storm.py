"""Drill: the sandbox answers a fifth of all requests with 429 (with or without Retry-After) or 500.

Access and erasure still complete, and they end exactly where a clean run on an identical account ends:
the same package, the same masked state, every subject message masked exactly once.
"""

import json
import zipfile

import pytest
from django.core.files.storage import storages

from connector.models import TwilioConnection
from connector.runner import run_request
from requests_app.models import RequestType, Status
from tests.factories import PrivacyRequestFactory

pytestmark = pytest.mark.django_db(transaction=True)

SUBJECT = "subject@example.com"
CLEAN_SID = "AC" + "c1" * 16
STORM_SID = "AC" + "57" * 16
# Differs between two seeds of the same account (random SIDs, creation time): not part of the comparison.
VOLATILE = ("sid", "url", "links", "date_")


@pytest.fixture
def twins(transactional_db):
    """Two accounts seeded identically; the second one storms."""
    from twilio_sandbox.models import SandboxAccount
    from twilio_sandbox.seed import seed_bulk

    clean = seed_bulk(conversations=6, messages=60, subject_share=0.25, seed=11, account_sid=CLEAN_SID)
    storm = seed_bulk(conversations=6, messages=60, subject_share=0.25, seed=11, account_sid=STORM_SID)
    SandboxAccount.objects.filter(sid=STORM_SID).update(fault_rate=0.2, fault_seed=5)
    return clean, storm


def use_account(live_server, seeded) -> None:
    TwilioConnection.objects.all().delete()
    TwilioConnection.objects.create(
        account_sid=seeded.account_sid,
        auth_token=seeded.auth_token,
        base_url=live_server.url + "/sandbox/twilio",
        concurrency=4,
        # Small pages: more requests, so more of them meet a fault, including next-page links.
        page_size=10,
    )


def run(request_type: str):
    privacy_request = PrivacyRequestFactory(request_type=request_type, email=SUBJECT, status=Status.APPROVED)
    run_request(privacy_request.pk)
    privacy_request.refresh_from_db()
    assert privacy_request.status == Status.COMPLETE, privacy_request.failure_reason
    return privacy_request


def package_contents(privacy_request) -> dict[str, list[str]]:
    with storages["packages"].open(privacy_request.package_name) as fh, zipfile.ZipFile(fh) as zf:
        files = {n: json.loads(zf.read(n)) for n in zf.namelist() if n.endswith(".json")}
    return {
        name: sorted(json.dumps(_stable(r), sort_keys=True) for r in rows)
        for name, rows in files.items()
        if isinstance(rows, list)
    }


def _stable(record):
    if isinstance(record, dict):
        return {k: _stable(v) for k, v in record.items() if not any(v_ in k for v_ in VOLATILE)}
    return record


def account_state(account_sid: str) -> dict:
    from twilio_sandbox.models import SandboxMessage, SandboxParticipant, SandboxUser

    messages = SandboxMessage.objects.filter(conversation__account__sid=account_sid)
    participants = SandboxParticipant.objects.filter(conversation__account__sid=account_sid)
    return {
        "messages": {
            (m.conversation.unique_name, m.index): (m.author, m.body, m.attributes)
            for m in messages.select_related("conversation")
        },
        "participants": sorted(
            (p.conversation.unique_name, p.identity, p.attributes) for p in participants.select_related("conversation")
        ),
        "users": sorted(
            SandboxUser.objects.filter(account__sid=account_sid).values_list("identity", "friendly_name", "attributes")
        ),
    }


def test_access_and_erasure_in_a_fault_storm_end_as_a_clean_run_does(twins, live_server):
    from twilio_sandbox.counters import message_update_counts, reset_calls, status_counts
    from twilio_sandbox.models import SandboxMessage

    clean, storm = twins
    use_account(live_server, clean)
    clean_package = package_contents(run(RequestType.ACCESS))
    run(RequestType.ERASURE)
    clean_state = account_state(CLEAN_SID)

    use_account(live_server, storm)
    reset_calls()
    storm_package = package_contents(run(RequestType.ACCESS))
    subject_sids = set(
        SandboxMessage.objects.filter(conversation__account__sid=STORM_SID, author=SUBJECT).values_list(
            "sid", flat=True
        )
    )
    run(RequestType.ERASURE)
    statuses = status_counts()

    assert statuses[429] > 10 and statuses[500] > 10, statuses
    assert storm_package == clean_package
    assert len(storm_package["conversation_messages.json"]) == storm.subject_messages == len(subject_sids)
    assert account_state(STORM_SID) == clean_state
    # A fault is answered before anything is processed, so every retried mask still lands exactly once.
    updates = message_update_counts()
    assert set(updates) == subject_sids and set(updates.values()) == {1}
