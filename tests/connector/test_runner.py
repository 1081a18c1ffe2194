"""connector.runner.run_request against the loopback fake Twilio: access, erasure, failures, resume."""

import json
import zipfile

import pytest
from django.core.files.storage import storages

from connector.models import ExecutionRecord
from connector.runner import run_request
from connector.selectors import progress
from requests_app.models import RequestType, Status

from .conftest import AGENT, ALICE, BOB, CAROL_PHONE, approved

pytestmark = pytest.mark.django_db


def read_package(privacy_request) -> dict:
    with storages["packages"].open(privacy_request.package_name) as fh, zipfile.ZipFile(fh) as zf:
        return {
            name: (json.loads(zf.read(name)) if name.endswith(".json") else zf.read(name).decode())
            for name in zf.namelist()
        }


def all_messages(fake):
    return [m for ms in fake.messages.values() for m in ms]


def test_access_by_email_holds_only_the_subjects_own_data(world, fake, connection):
    pr = approved(email=ALICE)
    run_request(pr.pk)
    pr.refresh_from_db()
    assert pr.status == Status.COMPLETE, pr.failure_reason
    package = read_package(pr)
    assert [u["identity"] for u in package["user.json"]] == [ALICE]
    assert sorted(m["body"] for m in package["conversation_messages.json"]) == [f"alice says {i}" for i in range(3)]
    assert [p["identity"] for p in package["conversation_participants.json"]] == [ALICE]
    assert {c["conversation_sid"] for c in package["user_conversations.json"]} == {world["c1"]}
    assert "bob says" not in json.dumps(package["conversation_messages.json"])
    assert not any(name.startswith("others_") for name in package)
    assert "conversation messages: 3" in package["index.html"]
    assert pr.package_name.endswith(".zip")


def test_the_package_keeps_non_ascii_text_as_readable_utf8(world, fake, connection):
    participant = fake.participants[world["c1"]][0]
    fake.add_message(world["c1"], participant, "Grüße aus Köln 👋 — 東京")
    pr = approved(email=ALICE)
    run_request(pr.pk)
    pr.refresh_from_db()
    with storages["packages"].open(pr.package_name) as fh, zipfile.ZipFile(fh) as zf:
        raw = zf.read("conversation_messages.json")
    assert "Grüße aus Köln 👋 — 東京".encode() in raw  # as UTF-8, not as \u escapes
    assert "Grüße aus Köln 👋 — 東京" in [m["body"] for m in json.loads(raw)]


def test_access_by_phone_only_finds_the_sms_participant(world, fake, connection):
    pr = approved(email="", phone=CAROL_PHONE)
    run_request(pr.pk)
    pr.refresh_from_db()
    assert pr.status == Status.COMPLETE, pr.failure_reason
    package = read_package(pr)
    assert package["user.json"] == []
    assert [m["body"] for m in package["conversation_messages.json"]] == ["carol's question"]
    assert [p["messaging_binding"]["address"] for p in package["conversation_participants.json"]] == [CAROL_PHONE]


def test_access_from_a_staff_added_user_sid(world, fake, connection):
    pr = approved(email="someone-else@example.com", twilio_user=world["alice"]["sid"])
    run_request(pr.pk)
    pr.refresh_from_db()
    package = read_package(pr)
    assert [u["sid"] for u in package["user.json"]] == [world["alice"]["sid"]]
    assert len(package["conversation_messages.json"]) == 3


def test_access_can_include_others_messages_with_author_redacted(world, fake, connection, settings):
    settings.PACKAGE_INCLUDE_OTHERS_MESSAGES = True
    pr = approved(email=ALICE)
    run_request(pr.pk)
    pr.refresh_from_db()
    others = read_package(pr)["others_conversation_messages.json"]
    assert sorted(m["body"] for m in others) == [f"bob says {i}" for i in range(3)]
    assert {m["author"] for m in others} == {"[redacted]"}
    assert BOB not in json.dumps(others)


def test_pagination_follows_next_links_and_caps_page_size(fake, connection):
    fake.add_user(ALICE)
    conversation = fake.add_conversation()
    me = fake.add_participant(conversation, identity=ALICE)
    for i in range(23):
        fake.add_message(conversation, me, f"m{i}")
    connection.page_size = 5
    connection.save()
    pr = approved(email=ALICE)
    run_request(pr.pk)
    pr.refresh_from_db()
    assert len(read_package(pr)["conversation_messages.json"]) == 23
    message_pages = [c for c in fake.calls if c[1].endswith("/Messages")]
    assert len(message_pages) == 5
    assert set(fake.page_sizes) == {5}


def test_page_size_never_exceeds_the_spec_maximum(world, fake, connection):
    pr = approved(email=ALICE)
    run_request(pr.pk)
    assert max(fake.page_sizes) == 100 and 50 in fake.page_sizes


def test_erasure_masks_the_subjects_data_and_leaves_others_untouched(world, fake, connection):
    before_others = [dict(m) for m in all_messages(fake) if m["author"] != ALICE]
    pr = approved(RequestType.ERASURE, email=ALICE)
    run_request(pr.pk)
    pr.refresh_from_db()
    assert pr.status == Status.COMPLETE, pr.failure_reason
    mine = [m for m in all_messages(fake) if m["participant_sid"] == fake.participants[world["c1"]][0]["sid"]]
    assert {m["body"] for m in mine} == {"[erased]"} and {m["author"] for m in mine} == {"[erased]"}
    assert world["alice"]["friendly_name"] == "[erased]" and world["alice"]["attributes"] == "{}"
    assert fake.participants[world["c1"]][0]["attributes"] == "{}"
    assert [m for m in all_messages(fake) if m["author"] != "[erased]"] == before_others
    assert len(fake.updates()) == 3 + 1 + 1
    rows = {r["collection"]: r for r in progress(pr)}
    assert rows["conversation_messages"]["masked"] == 3 and rows["conversation_messages"]["verified"] == 3
    assert rows["conversation_messages"]["others"] == 3
    outcome = pr.events.filter(message__startswith="Erasure in Twilio").get().message
    assert "Verified 5 of 5" in outcome and "30 days" in outcome


def test_erasure_without_masking_strict_deletes_records_but_never_conversations(world, fake, connection):
    connection.masking_strict = False
    connection.save()
    pr = approved(RequestType.ERASURE, email="", phone=CAROL_PHONE)
    run_request(pr.pk)
    pr.refresh_from_db()
    assert pr.status == Status.COMPLETE, pr.failure_reason
    assert [m["body"] for m in fake.messages[world["c2"]]] == ["agent's answer"]
    assert [p["identity"] for p in fake.participants[world["c2"]]] == [AGENT]
    assert world["c2"] in fake.conversations
    assert not any(c[0] == "DELETE" and "/Conversations/" in c[1] and c[1].count("/") == 3 for c in fake.calls)
    rows = {r["collection"]: r for r in progress(pr)}
    assert rows["conversation_messages"]["deleted"] == 1 and rows["conversation_participants"]["verified"] == 1


def test_a_404_mid_erasure_counts_as_already_gone(world, fake, connection):
    def vanish(fake, request):
        if request.method == "POST" and "/Messages/" in request.path and fake.messages[world["c1"]]:
            sid = request.path.rsplit("/", 1)[1]
            fake.messages[world["c1"]] = [m for m in fake.messages[world["c1"]] if m["sid"] != sid]
            fake.on_request = None

    fake.on_request = vanish
    pr = approved(RequestType.ERASURE, email=ALICE)
    run_request(pr.pk)
    pr.refresh_from_db()
    assert pr.status == Status.COMPLETE, pr.failure_reason
    assert ExecutionRecord.objects.filter(privacy_request=pr, state="gone").count() == 1


def test_a_429_storm_is_waited_out(world, fake, connection):
    fake.fail_next = [429] * 4 + [503]
    pr = approved(email=ALICE)
    run_request(pr.pk)
    pr.refresh_from_db()
    assert pr.status == Status.COMPLETE, pr.failure_reason
    assert len(read_package(pr)["conversation_messages.json"]) == 3


def test_rejected_credentials_fail_the_request_and_a_retry_completes_it(world, fake, connection):
    from requests_app import lifecycle

    connection.auth_token = "wrong"
    connection.save()
    pr = approved(RequestType.ERASURE, email=ALICE)
    run_request(pr.pk)
    pr.refresh_from_db()
    assert pr.status == Status.ERROR
    assert pr.failure_reason == "Twilio rejected the credentials (HTTP 401)."
    connection.auth_token = "fake-auth-token"
    connection.save()
    lifecycle.retry(pr, reviewer=lifecycle.Actor.system("test"))
    run_request(pr.pk)
    pr.refresh_from_db()
    assert pr.status == Status.COMPLETE, pr.failure_reason


def test_unreachable_twilio_fails_with_a_plain_reason(world, connection, settings):
    settings.OUTBOUND_TIMEOUT_SECONDS = 0.5
    connection.base_url = "http://127.0.0.1:9"
    connection.save()
    pr = approved(email=ALICE)
    run_request(pr.pk)
    pr.refresh_from_db()
    assert pr.status == Status.ERROR
    assert pr.failure_reason.startswith("Twilio could not be reached")


class WorkerKilled(BaseException):
    """Stands in for SIGKILL: nothing after it runs, no except clause catches it."""


def test_a_resumed_erasure_masks_nothing_twice(world, fake, connection, monkeypatch):
    """The worker dies right after its second message update went through, before checkpointing it."""
    from connector import execution as execution_module
    from connector.engine import Traversal

    monkeypatch.setattr(execution_module, "ERASE_WINDOW", 1)
    original = Traversal.erase
    calls = []

    def erase_then_die(self, endpoint, links, *, delete):
        state = original(self, endpoint, links, delete=delete)
        calls.append(endpoint.name)
        if len(calls) == 2:
            raise WorkerKilled()
        return state

    monkeypatch.setattr(Traversal, "erase", erase_then_die)
    pr = approved(RequestType.ERASURE, email=ALICE)
    with pytest.raises(WorkerKilled):
        run_request(pr.pk)
    monkeypatch.setattr(Traversal, "erase", original)
    pr.refresh_from_db()
    assert pr.status == Status.IN_PROCESSING
    assert len(fake.updates()) == 2
    fake.calls.clear()
    from django.core.cache import cache

    cache.clear()  # the killed worker's run lock would lapse on its own
    run_request(pr.pk)
    pr.refresh_from_db()
    assert pr.status == Status.COMPLETE, pr.failure_reason
    # 3 messages + participant + user = 5 updates in all, each sent once across both runs.
    assert len(fake.updates()) == 3
    mine = [m for m in fake.messages[world["c1"]] if m["participant_sid"] == fake.participants[world["c1"]][0]["sid"]]
    assert {m["body"] for m in mine} == {"[erased]"}
    assert pr.events.filter(message="Execution resumed from its checkpoints").exists()


def test_an_unexpected_error_puts_the_request_in_error_instead_of_leaving_it_stuck(connection, world, monkeypatch):
    from connector import execution

    def broken(self, *args, **kwargs):
        raise TypeError("a bug")

    monkeypatch.setattr(execution.Execution, "access", broken)
    pr = approved(RequestType.ACCESS, email=ALICE)
    run_request(pr.pk)
    pr.refresh_from_db()
    assert pr.status == Status.ERROR
    assert "unexpected error" in pr.failure_reason
