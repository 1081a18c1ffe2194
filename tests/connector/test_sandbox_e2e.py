"""End to end over real HTTP: the runner against the sandbox Twilio on pytest-django's live server."""

import json
import zipfile

import pytest
from django.core.files.storage import storages

from connector.models import TwilioConnection
from connector.runner import run_request
from requests_app import lifecycle
from requests_app.models import RequestType, Status

from .conftest import approved

pytestmark = pytest.mark.django_db(transaction=True)

SANDBOX_ALICE = "alice@example.com"


@pytest.fixture
def demo(transactional_db):
    from twilio_sandbox.counters import reset_calls
    from twilio_sandbox.seed import seed_demo

    result = seed_demo()
    reset_calls()
    return result


def connect(live_server, account_sid: str, auth_token: str, **fields) -> TwilioConnection:
    return TwilioConnection.objects.create(
        account_sid=account_sid,
        auth_token=auth_token,
        base_url=live_server.url + "/sandbox/twilio",
        concurrency=4,
        **fields,
    )


def package(privacy_request) -> dict:
    with storages["packages"].open(privacy_request.package_name) as fh, zipfile.ZipFile(fh) as zf:
        return {n: json.loads(zf.read(n)) for n in zf.namelist() if n.endswith(".json")}


def bodies_by_author():
    from twilio_sandbox.models import SandboxMessage

    return {m.sid: (m.author, m.body) for m in SandboxMessage.objects.all()}


def test_access_by_phone_only_holds_exactly_the_sms_subjects_messages(demo, live_server):
    from twilio_sandbox.seed import DEMO_SMS_SUBJECT_PHONE

    connect(live_server, demo.account_sid, demo.auth_token)
    pr = approved(email="", phone=DEMO_SMS_SUBJECT_PHONE)
    run_request(pr.pk)
    pr.refresh_from_db()
    assert pr.status == Status.COMPLETE, pr.failure_reason
    data = package(pr)
    assert {m["author"] for m in data["conversation_messages.json"]} == {DEMO_SMS_SUBJECT_PHONE}
    assert len(data["conversation_messages.json"]) == 5
    assert data["user.json"] == []


def test_access_from_a_staff_added_user_sid(demo, live_server):
    connect(live_server, demo.account_sid, demo.auth_token)
    sid = demo.subjects[SANDBOX_ALICE]["user_sid"]
    pr = approved(email="alice.private@example.net", twilio_user=sid)
    run_request(pr.pk)
    pr.refresh_from_db()
    data = package(pr)
    assert [u["sid"] for u in data["user.json"]] == [sid]
    assert {m["author"] for m in data["conversation_messages.json"]} == {SANDBOX_ALICE}
    assert len(data["conversation_messages.json"]) == 5


def test_erasure_by_email_masks_each_of_alices_messages_once_and_nobody_elses(demo, live_server):
    from twilio_sandbox.counters import message_update_counts
    from twilio_sandbox.models import SandboxUser

    connect(live_server, demo.account_sid, demo.auth_token)
    before = bodies_by_author()
    pr = approved(RequestType.ERASURE, email=SANDBOX_ALICE)
    run_request(pr.pk)
    pr.refresh_from_db()
    assert pr.status == Status.COMPLETE, pr.failure_reason
    after = bodies_by_author()
    alices = {sid for sid, (author, _) in before.items() if author == SANDBOX_ALICE}
    assert len(alices) == 5
    assert all(after[sid] == ("[erased]", "[erased]") for sid in alices)
    assert all(after[sid] == before[sid] for sid in before if sid not in alices)
    assert set(message_update_counts().values()) == {1} and set(message_update_counts()) == alices
    alice = SandboxUser.objects.get(identity=SANDBOX_ALICE)
    assert alice.friendly_name == "[erased]" and alice.attributes == "{}"


def test_pagination_fault_storm_and_deletion_on_a_generated_account(transactional_db, live_server):
    from twilio_sandbox.models import SandboxAccount, SandboxConversation, SandboxMessage, SandboxParticipant
    from twilio_sandbox.seed import seed_bulk

    result = seed_bulk(conversations=3, messages=40, subject_share=0.3, subject_phone="+15005550199", seed=7)
    SandboxAccount.objects.filter(sid=result.account_sid).update(fault_rate=0.25, fault_seed=3)
    connect(live_server, result.account_sid, result.auth_token, page_size=7, masking_strict=False)
    others_before = SandboxMessage.objects.exclude(author="+15005550199").count()
    pr = approved(RequestType.ERASURE, email="", phone="+15005550199")
    run_request(pr.pk)
    pr.refresh_from_db()
    assert pr.status == Status.COMPLETE, pr.failure_reason
    assert not SandboxMessage.objects.filter(author="+15005550199").exists()
    assert not SandboxParticipant.objects.filter(address="+15005550199").exists()
    assert SandboxMessage.objects.count() == others_before
    assert SandboxConversation.objects.count() == 3


def test_bad_credentials_then_fixed_and_retried(demo, live_server):
    connection = connect(live_server, demo.account_sid, "wrong-token")
    pr = approved(RequestType.ACCESS, email=SANDBOX_ALICE)
    run_request(pr.pk)
    pr.refresh_from_db()
    assert pr.status == Status.ERROR and pr.failure_reason == "Twilio rejected the credentials (HTTP 401)."
    connection.auth_token = demo.auth_token
    connection.save()
    lifecycle.retry(pr, reviewer=lifecycle.Actor.system("test"))
    pr.refresh_from_db()
    if pr.status == Status.APPROVED:  # with Redis the job went to a queue; run it here
        run_request(pr.pk)
        pr.refresh_from_db()
    assert pr.status == Status.COMPLETE, pr.failure_reason


@pytest.mark.redis
def test_a_real_rq_worker_runs_an_erasure(demo, live_server, settings, redis_url):
    """`rqworker --burst` in a subprocess picks the job from Redis and erases against the sandbox."""
    import subprocess
    import sys

    from django.db import connection as db

    from privacyportal import queueing
    from requests_app.jobs import execute_request
    from tests.conftest import worker_env

    if db.vendor != "postgresql":
        pytest.skip("the worker process must share the test database: run on PostgreSQL")
    connect(live_server, demo.account_sid, demo.auth_token)
    pr = approved(RequestType.ERASURE, email=SANDBOX_ALICE)
    queueing.get_queue().enqueue(execute_request, pr.pk)
    env = worker_env(redis_url)
    subprocess.run(
        [sys.executable, "manage.py", "rqworker", "--burst", "default"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
    )
    pr.refresh_from_db()
    assert pr.status == Status.COMPLETE, pr.failure_reason
    assert pr.events.filter(message__startswith="Erasure in Twilio").exists()
