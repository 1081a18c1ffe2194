"""The fake over real HTTP on loopback, as the connector and the benchmark reach it."""

import concurrent.futures
import time

import pytest
import requests

from tests.contract import check_exchange
from twilio_sandbox.models import SandboxAccount, SandboxUser
from twilio_sandbox.seed import DEMO_SMS_SUBJECT_PHONE, seed_demo


@pytest.fixture
def live(live_server, transactional_db):
    result = seed_demo()
    session = requests.Session()
    session.auth = (result.account_sid, result.auth_token)
    return f"{live_server.url}/sandbox/twilio", session, result


def test_traversal_over_http_matches_the_spec_and_follows_absolute_next_urls(live):
    base, session, _ = live
    found = session.get(f"{base}/v1/ParticipantConversations", params={"Address": DEMO_SMS_SUBJECT_PHONE})
    check_exchange(found)
    assert found.json()["meta"]["url"].startswith(base)
    for item in found.json()["conversations"]:
        url = item["links"]["conversation"] + "/Messages"
        page = session.get(url, params={"PageSize": 3})
        while True:
            check_exchange(page)
            next_url = page.json()["meta"]["next_page_url"]
            if not next_url:
                break
            assert next_url.startswith(base)
            page = session.get(next_url)


def test_form_encoded_update_and_delete_over_http(live):
    base, session, _ = live
    updated = session.post(f"{base}/v1/Users/alice@example.com", data={"FriendlyName": "Masked", "Attributes": "{}"})
    check_exchange(updated)
    assert updated.json()["friendly_name"] == "Masked"
    deleted = session.delete(f"{base}/v1/Users/bob@example.com")
    check_exchange(deleted)
    assert deleted.status_code == 204
    assert not SandboxUser.objects.filter(identity="bob@example.com").exists()
    missing = session.get(f"{base}/v1/Users/bob@example.com")
    check_exchange(missing)
    assert missing.status_code == 404


def test_bad_credentials_over_http_get_401(live):
    base, _, _ = live
    response = requests.get(f"{base}/v1/Users", auth=("AC" + "0" * 32, "nope"), timeout=10)
    check_exchange(response)
    assert response.status_code == 401


def test_parallel_requests_each_wait_the_latency_concurrently(live):
    base, session, result = live
    SandboxAccount.objects.filter(sid=result.account_sid).update(latency_ms=200)
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(lambda _: session.get(f"{base}/v1/Users").status_code, range(4)))
    elapsed = time.monotonic() - started
    assert statuses == [200] * 4
    assert 0.2 <= elapsed < 0.75


def test_an_update_whose_body_never_fully_arrived_is_not_processed(live):
    """A client killed between sending the headers and the body (urllib3 sends them separately): Twilio
    never processes such a request, so the fake must not answer it as an update that changed nothing."""
    import base64
    import socket
    from urllib.parse import urlsplit

    from twilio_sandbox import counters

    base, _, result = live
    counters.reset_calls()
    url = urlsplit(base + "/v1/Users/alice@example.com")
    body = b"FriendlyName=Masked&Attributes=%7B%7D"
    credentials = base64.b64encode(f"{result.account_sid}:{result.auth_token}".encode()).decode()
    head = (
        f"POST {url.path} HTTP/1.1\r\nHost: {url.netloc}\r\nAuthorization: Basic {credentials}\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    with socket.create_connection((url.hostname, url.port)) as sock:
        # Cut after "FriendlyName=Masked": processed as if whole, this half would rename the user.
        sock.sendall(head.encode() + body[: body.index(b"&")])  # then the client dies
    user = SandboxUser.objects.get(identity="alice@example.com")
    deadline = time.monotonic() + 5
    while not counters.call_counts() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert counters.call_counts(status=400) == {("POST", "/v1/Users/{Sid}"): 1}
    user.refresh_from_db()
    assert user.friendly_name != "Masked"
