"""Drill: the worker running a 10,000-message erasure is killed with SIGKILL halfway; an operator resumes
the request and a new worker finishes it. Every subject message is masked exactly once, nothing else
is touched."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection as db

from connector.models import TwilioConnection
from requests_app import lifecycle
from requests_app.models import RequestType, Status
from tests.factories import PrivacyRequestFactory

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
SUBJECT = "subject@example.com"
RUN_LOCK_SECONDS = 3


def start_worker(redis_url: str, *, burst: bool) -> subprocess.Popen:
    """`manage.py rqworker` on the test database and Redis (it forks a work-horse per job)."""
    from tests.conftest import worker_env

    # A dead run's lock lapses after this long (renewed every second while the run is alive).
    env = worker_env(redis_url, CONNECTOR_RUN_LOCK_SECONDS=str(RUN_LOCK_SECONDS))
    command = [sys.executable, "manage.py", "rqworker", "default", *(["--burst"] if burst else [])]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def wait_for(condition, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_worker_killed_mid_erasure_is_resumed_and_masks_each_message_exactly_once(redis_url, live_server, reviewer):
    import redis

    from connector.runner import connection_limiter
    from twilio_sandbox.counters import call_counts, message_update_counts, reset_calls
    from twilio_sandbox.models import SandboxMessage
    from twilio_sandbox.seed import seed_bulk

    if db.vendor != "postgresql":
        pytest.skip("the worker processes must share the test database: run on PostgreSQL")
    seeded = seed_bulk(conversations=20, messages=500, subject_share=0.1, seed=5)
    reset_calls()
    before = {m.sid: (m.author, m.body, m.attributes) for m in SandboxMessage.objects.all()}
    subject_sids = {sid for sid, (author, _, _) in before.items() if author == SUBJECT}
    assert len(before) == 10_000 and len(subject_sids) == seeded.subject_messages
    twilio = TwilioConnection.objects.create(
        account_sid=seeded.account_sid,
        auth_token=seeded.auth_token,
        base_url=live_server.url + "/sandbox/twilio",
        concurrency=10,
    )
    privacy_request = PrivacyRequestFactory(request_type=RequestType.ERASURE, email=SUBJECT, pending=True)
    lifecycle.approve(privacy_request, reviewer=lifecycle.Actor.staff(reviewer))  # queued on Redis

    worker = start_worker(redis_url, burst=False)
    try:
        wait_for(lambda: len(message_update_counts()) >= 200, timeout=45, what="the erasure to get going")
    finally:
        # The worker and its work-horse (RQ puts the horse in a session of its own), as a lost host would.
        for pid in (*children(worker.pid), worker.pid):
            os.kill(pid, signal.SIGKILL)
        worker.wait(timeout=10)

    privacy_request.refresh_from_db()
    masked_by_the_dead = len(message_update_counts())
    assert privacy_request.status == Status.IN_PROCESSING
    assert 200 <= masked_by_the_dead < len(subject_sids)

    # The dead worker's run lock lapses within RUN_LOCK_SECONDS. Its limiter leases would hold the
    # account's slots for lease_seconds() (tested in tests/connector/test_limiter.py): let that time pass.
    client = redis.Redis.from_url(redis_url)
    wait_for(lambda: not client.keys("*connector:run:*"), timeout=RUN_LOCK_SECONDS + 5, what="the run lock")
    key = f"privacyportal:limiter:{connection_limiter(twilio).name}"
    client.zadd(key, {member: 0 for member in client.zrange(key, 0, -1)})

    lifecycle.resume(privacy_request, actor=lifecycle.Actor.staff(reviewer))
    subprocess_result = start_worker(redis_url, burst=True).wait(timeout=60)
    assert subprocess_result == 0

    privacy_request.refresh_from_db()
    assert privacy_request.status == Status.COMPLETE, privacy_request.failure_reason
    assert privacy_request.events.filter(message__startswith="Execution resumed").exists()
    updates = message_update_counts()
    assert set(updates) == subject_sids
    assert set(updates.values()) == {1}, {sid: n for sid, n in updates.items() if n != 1}
    after = {m.sid: (m.author, m.body, m.attributes) for m in SandboxMessage.objects.all()}
    assert {sid for sid in after if after[sid] != before[sid]} == subject_sids
    assert all(after[sid] == ("[erased]", "[erased]", "{}") for sid in subject_sids)
    assert not any(method == "DELETE" for method, _ in call_counts())
