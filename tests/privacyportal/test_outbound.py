"""privacyportal/outbound.py: the one HTTP path's retries, against a real loopback server."""

from contextlib import contextmanager

import pytest
from werkzeug import Response

from privacyportal import outbound

FAST = outbound.RetryPolicy(retries=3, base_seconds=0.001, cap_seconds=0.002)


@pytest.fixture
def sleeps():
    return []


def test_429_waits_as_retry_after_says_then_succeeds(httpserver, sleeps):
    httpserver.expect_ordered_request("/x").respond_with_response(Response("busy", 429, {"Retry-After": "2"}))
    httpserver.expect_ordered_request("/x").respond_with_data("ok")
    response = outbound.send("GET", httpserver.url_for("/x"), policy=FAST, sleep=sleeps.append)
    assert response.status_code == 200 and sleeps == [2.0]


def test_429_without_retry_after_backs_off_with_jitter_within_the_cap(httpserver, sleeps):
    httpserver.expect_request("/x").respond_with_data("busy", status=429)
    response = outbound.send("GET", httpserver.url_for("/x"), policy=FAST, sleep=sleeps.append)
    assert response.status_code == 429  # the last answer, after every retry
    assert len(sleeps) == 3 and all(0 <= s <= FAST.cap_seconds for s in sleeps)


def test_a_long_retry_after_is_cut_short(httpserver, sleeps):
    httpserver.expect_ordered_request("/x").respond_with_response(Response("", 429, {"Retry-After": "3600"}))
    httpserver.expect_ordered_request("/x").respond_with_data("ok")
    outbound.send("GET", httpserver.url_for("/x"), policy=FAST, sleep=sleeps.append)
    assert sleeps == [FAST.max_retry_after]


def test_client_errors_are_not_retried(httpserver, sleeps):
    httpserver.expect_request("/x").respond_with_data("nope", status=400)
    assert outbound.send("GET", httpserver.url_for("/x"), policy=FAST, sleep=sleeps.append).status_code == 400
    assert sleeps == [] and len(httpserver.log) == 1


def test_timeouts_are_retried_then_reported_unreachable_without_the_path(sleeps):
    import socket

    # A server that accepts connections and never answers (the listen backlog does the accepting).
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    url = f"http://127.0.0.1:{silent.getsockname()[1]}/Users/alice@example.com"
    try:
        with pytest.raises(outbound.Unreachable) as raised:
            outbound.send("GET", url, policy=FAST, timeout=0.05, sleep=sleeps.append)
    finally:
        silent.close()
    assert "timed out after 4 attempt(s)" in str(raised.value)
    assert len(sleeps) == 3
    assert "alice" not in str(raised.value)  # paths may hold an identity: never in errors or logs


def test_the_slot_is_held_for_each_attempt_but_not_while_backing_off(httpserver):
    httpserver.expect_ordered_request("/x").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request("/x").respond_with_data("ok")
    held = {"now": 0, "entered": 0, "while_sleeping": []}

    @contextmanager
    def slot():
        held["now"] += 1
        held["entered"] += 1
        try:
            yield
        finally:
            held["now"] -= 1

    response = outbound.send(
        "GET",
        httpserver.url_for("/x"),
        policy=FAST,
        slot=slot,
        sleep=lambda s: held["while_sleeping"].append(held["now"]),
    )
    assert response.status_code == 200
    assert held["entered"] == 2 and held["while_sleeping"] == [0]


def test_proxy_settings_come_from_the_environment_once_per_host(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example.net:3128")
    monkeypatch.setenv("NO_PROXY", "conversations.internal")
    session = outbound.Session()
    vendor = session.merge_environment_settings("https://api.twilio.com/2010-04-01/x", {}, None, None, None)
    assert vendor["proxies"]["https"] == "http://proxy.example.net:3128"
    internal = session.merge_environment_settings("https://conversations.internal/v1/Users", {}, None, None, None)
    assert "https" not in internal["proxies"]  # NO_PROXY still applies, per host
    monkeypatch.delenv("HTTPS_PROXY")
    again = session.merge_environment_settings("https://api.twilio.com/v1/Other", {}, None, None, None)
    assert again["proxies"]["https"] == "http://proxy.example.net:3128"  # read once, not on every call
    again["proxies"].clear()  # a caller's changes do not leak into the next call
    assert session.merge_environment_settings("https://api.twilio.com/y", {}, None, None, None)["proxies"]
