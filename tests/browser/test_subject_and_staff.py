"""The demo flows in a real Chromium against the live server (with a real RQ worker when Redis is there)."""

import re
import time
import zipfile

import pytest

from requests_app import lifecycle
from requests_app.models import PrivacyRequest, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def read_latest(page, base_url: str, recipient: str, kind: str) -> str:
    """The text of the newest sandbox outbox message of a kind for a recipient, as a person would read it."""
    page.goto(f"{base_url}/sandbox/outbox/")
    selector = f'article.outbox-message[data-kind="{kind}"][data-to="{recipient}"]'
    page.wait_for_selector(selector)
    return page.locator(selector).first.inner_text()


def wait_for_status(privacy_request: PrivacyRequest, wanted: set[str], seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        privacy_request.refresh_from_db()
        if privacy_request.status in wanted:
            return privacy_request.status
        time.sleep(0.3)
    raise AssertionError(f"request stayed {privacy_request.status}, wanted one of {wanted}")


def test_subject_submits_by_phone_verifies_with_the_outbox_code_and_lands_on_status(page, demo):
    base = demo.base_url
    page.goto(base + "/")
    page.get_by_label("Access (a copy of my data)").check()
    page.get_by_label("Mobile phone number").fill(demo.phone_subject_display)
    page.get_by_role("button", name="Send my request").click()
    page.wait_for_url(re.compile(r"/requests/[^/]+/verify/$"))
    verify_url = page.url
    assert "You have 5 tries left" in page.content()

    message = read_latest(page, base, demo.phone_subject, "verification_code")
    code = re.search(r"\b(\d{6})\b", message).group(1)
    page.goto(verify_url)
    page.get_by_label("Verification code").fill(f"{(int(code) + 1) % 10**6:06d}")
    page.get_by_role("button", name="Verify").click()
    assert "4 tries left" in page.locator("#code-error").inner_text()

    page.get_by_label("Verification code").fill(code)
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(re.compile(r"/requests/[^/]+/$"))
    assert page.locator("#status").inner_text() == "Pending review"
    assert demo.phone_subject not in page.content()


def test_staff_approves_one_and_denies_another_and_the_subject_sees_the_reason(page, demo, staff_login):
    approve_me = lifecycle.create(request_type="access", email=demo.email_subject, actor=lifecycle.Actor.subject())
    lifecycle.verify(approve_me, actor=lifecycle.Actor.subject())
    deny_me = lifecycle.create(request_type="erasure", email="nobody@example.com", actor=lifecycle.Actor.subject())
    lifecycle.verify(deny_me, actor=lifecycle.Actor.subject())

    staff_login(page)
    page.goto(demo.base_url + "/admin/requests_app/privacyrequest/")
    page.get_by_role("link", name="Pending review").click()
    page.wait_for_url(re.compile(r"status__exact=pending"))
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 2

    page.goto(f"{demo.base_url}/admin/requests_app/privacyrequest/{approve_me.pk}/change/")
    page.locator("#approve-button").click()
    wait_for_status(approve_me, {Status.COMPLETE})
    page.goto(f"{demo.base_url}/admin/requests_app/privacyrequest/{approve_me.pk}/change/")
    assert page.locator("#request-status").inner_text() == "Complete"
    assert page.locator("#execution-progress").is_visible()

    page.goto(f"{demo.base_url}/admin/requests_app/privacyrequest/{deny_me.pk}/change/")
    page.locator("#deny-button").click()
    page.get_by_label("Reason for the denial").fill("   ")  # passes the browser's "required", not ours
    page.locator("#confirm-deny").click()
    assert "A denial needs a reason" in page.content()
    page.get_by_label("Reason for the denial").fill("We hold no conversations for this address.")
    page.locator("#confirm-deny").click()
    page.goto(f"{demo.base_url}/requests/{deny_me.public_id}/")
    assert page.locator("#denial-reason").inner_text() == "We hold no conversations for this address."


def test_subject_downloads_their_package_from_the_completion_message(page, demo, tmp_path):
    privacy_request = lifecycle.create(request_type="access", email=demo.email_subject, actor=lifecycle.Actor.subject())
    lifecycle.verify(privacy_request, actor=lifecycle.Actor.subject())
    lifecycle.approve(privacy_request, reviewer=lifecycle.Actor.system("test"))
    wait_for_status(privacy_request, {Status.COMPLETE})

    message = read_latest(page, demo.base_url, demo.email_subject, "completion")
    link = re.search(r"https?://\S+/download/\S+/", message).group(0)
    with page.expect_download() as download_info:
        page.evaluate("url => { window.location.href = url }", link)
    path = tmp_path / "package.zip"
    download_info.value.save_as(path)
    with zipfile.ZipFile(path) as package:
        names = set(package.namelist())
        assert {"user.json", "conversation_messages.json", "conversation_participants.json", "index.html"} <= names
        messages = package.read("conversation_messages.json").decode()
    for body in demo.email_subject_message_bodies:
        assert body in messages
    for body in demo.other_people_message_bodies:
        assert body not in messages


def test_erasure_ends_with_the_sandbox_data_masked(page, demo):
    privacy_request = lifecycle.create(
        request_type="erasure", email=demo.email_subject, actor=lifecycle.Actor.subject()
    )
    lifecycle.verify(privacy_request, actor=lifecycle.Actor.subject())
    lifecycle.approve(privacy_request, reviewer=lifecycle.Actor.system("test"))
    wait_for_status(privacy_request, {Status.COMPLETE})
    page.goto(f"{demo.base_url}/requests/{privacy_request.public_id}/")
    assert "Your data has been erased." in page.content()
    assert demo.subject_bodies_left() == 0
    assert demo.other_bodies_left() == len(demo.other_people_message_bodies)
