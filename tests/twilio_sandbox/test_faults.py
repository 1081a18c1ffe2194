"""Drill knobs: injected 429/500 answers (never processed), latency, and the call counters."""

import time
from collections import Counter

import pytest

from twilio_sandbox import counters
from twilio_sandbox.models import SandboxAccount, SandboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_dice():
    counters.reset_calls()


def _tune(demo, **fields):
    SandboxAccount.objects.filter(sid=demo.account_sid).update(**fields)


def test_fault_rate_answers_about_that_share_with_429_or_500(twilio, demo):
    _tune(demo, fault_rate=0.2, fault_seed=7)
    statuses = Counter(twilio.get("/v1/Users").status_code for _ in range(400))
    faults = statuses[429] + statuses[500]
    assert 60 <= faults <= 100, statuses
    assert statuses[429] > 0 and statuses[500] > 0
    assert set(statuses) == {200, 429, 500}


def test_fault_pattern_repeats_with_the_same_seed(twilio, demo):
    _tune(demo, fault_rate=0.3, fault_seed=11)
    first = [twilio.get("/v1/Users").status_code for _ in range(50)]
    counters.reset_calls()
    second = [twilio.get("/v1/Users").status_code for _ in range(50)]
    assert first == second


def test_429_carries_twilio_body_and_retry_after_only_sometimes(twilio, demo):
    _tune(demo, fault_rate=1.0, fault_seed=3)
    answers = [twilio.get("/v1/Users") for _ in range(200)]
    too_many = [a for a in answers if a.status_code == 429]
    assert too_many[0].json() == {
        "code": 20429,
        "message": "Too Many Requests",
        "more_info": "https://www.twilio.com/docs/errors/20429",
        "status": 429,
    }
    with_header = [a for a in too_many if a.headers.get("Retry-After") == "1"]
    assert 0 < len(with_header) < len(too_many)


def test_a_refused_update_is_never_processed(twilio, demo):
    message = SandboxMessage.objects.filter(conversation__account__sid=demo.account_sid).first()
    url = f"/v1/Conversations/{message.conversation.sid}/Messages/{message.sid}"
    _tune(demo, fault_rate=1.0, fault_seed=5)
    for _ in range(20):
        assert twilio.post(url, {"Body": "[masked]"}).status_code in (429, 500)
    message.refresh_from_db()
    assert message.body != "[masked]"
    assert counters.message_update_counts()[message.sid] == 0


def test_latency_is_applied_before_answering(twilio, demo):
    _tune(demo, latency_ms=150)
    started = time.monotonic()
    assert twilio.get("/v1/Users").status_code == 200
    assert time.monotonic() - started >= 0.15


def test_latency_is_the_response_time_and_the_fakes_own_work_counts_inside_it(twilio, demo, monkeypatch):
    """Twilio's latency includes Twilio's work: 100 ms of slow lookup within a 300 ms latency answers at
    300 ms, not 400 ms."""
    from twilio_sandbox.views import users

    slow_paginate = users.paginate

    def paginate(*args, **kwargs):
        time.sleep(0.1)
        return slow_paginate(*args, **kwargs)

    monkeypatch.setattr(users, "paginate", paginate)
    _tune(demo, latency_ms=300)
    started = time.monotonic()
    assert twilio.get("/v1/Users").status_code == 200
    elapsed = time.monotonic() - started
    assert 0.3 <= elapsed < 0.39, elapsed


def test_counters_count_calls_per_route_and_updates_per_message(twilio, demo):
    messages = list(SandboxMessage.objects.filter(conversation__account__sid=demo.account_sid)[:2])
    urls = [f"/v1/Conversations/{m.conversation.sid}/Messages/{m.sid}" for m in messages]
    twilio.post(urls[0], {"Body": "[masked]"})
    twilio.post(urls[0], {"Body": "[masked]"})
    twilio.post(urls[1], {"Body": "[masked]"})
    twilio.get("/v1/Users")
    assert counters.message_update_counts() == {messages[0].sid: 2, messages[1].sid: 1}
    calls = counters.call_counts()
    assert calls[("POST", counters.MESSAGE_ROUTE)] == 3
    assert calls[("GET", "/v1/Users")] == 1
    counters.reset_calls()
    assert counters.call_counts() == {}
