"""requests_app/lifecycle.py: every allowed and refused transition, audit rows, row locking."""

import threading

import pytest
from django.db import connection

from requests_app import lifecycle
from requests_app.lifecycle import ALLOWED, Actor, TransitionError
from requests_app.models import AuditEvent, PrivacyRequest, Status
from tests.factories import PrivacyRequestFactory

ALL_PAIRS = [(a, b) for a in Status.values for b in Status.values]
ALLOWED_PAIRS = [(a, b) for a, b in ALL_PAIRS if b in ALLOWED[a]]
REFUSED_PAIRS = [(a, b) for a, b in ALL_PAIRS if b not in ALLOWED[a]]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_side_effects(monkeypatch):
    # Transitions here are tested alone; approval's job dispatch is covered by the connector tests.
    monkeypatch.setattr("requests_app.jobs.dispatch", lambda *a, **k: None)


def test_allowed_map_is_exactly_the_documented_lifecycle():
    assert ALLOWED_PAIRS == sorted(
        [
            ("identity_unverified", "pending"),
            ("identity_unverified", "canceled"),
            ("pending", "approved"),
            ("pending", "denied"),
            ("pending", "canceled"),
            ("approved", "scheduled"),
            ("approved", "in_processing"),
            ("approved", "error"),
            ("approved", "canceled"),
            ("scheduled", "in_processing"),
            ("scheduled", "error"),
            ("scheduled", "canceled"),
            ("in_processing", "complete"),
            ("in_processing", "error"),
            ("in_processing", "canceled"),
            ("error", "approved"),
            ("error", "canceled"),
        ],
        key=lambda p: (Status.values.index(p[0]), Status.values.index(p[1])),
    )


@pytest.mark.parametrize(("start", "to"), ALLOWED_PAIRS)
def test_allowed_transition_changes_status_and_writes_one_audit_event(start, to):
    privacy_request = PrivacyRequestFactory(status=start)
    lifecycle._transition(privacy_request, to, actor=Actor.system("test"), message="moved")
    privacy_request.refresh_from_db()
    assert privacy_request.status == to
    event = AuditEvent.objects.get(privacy_request=privacy_request)
    assert (event.from_status, event.to_status, event.actor_label) == (start, to, "test")


@pytest.mark.parametrize(("start", "to"), REFUSED_PAIRS)
def test_refused_transition_raises_and_changes_nothing(start, to):
    privacy_request = PrivacyRequestFactory(status=start)
    with pytest.raises(TransitionError, match="cannot become"):
        lifecycle._transition(privacy_request, to, actor=Actor.system(), message="nope")
    privacy_request.refresh_from_db()
    assert privacy_request.status == start
    assert not AuditEvent.objects.filter(privacy_request=privacy_request).exists()


def test_stage_timestamps_are_set_when_reached(reviewer):
    privacy_request = PrivacyRequestFactory()
    lifecycle.verify(privacy_request, actor=Actor.subject())
    assert privacy_request.verified_at is not None
    lifecycle.approve(privacy_request, reviewer=Actor.staff(reviewer))
    assert privacy_request.reviewed_at is not None
    assert privacy_request.reviewer == reviewer
    lifecycle.start(privacy_request, actor=Actor.system("worker"))
    lifecycle.complete(privacy_request, actor=Actor.system("worker"), message="done")
    assert privacy_request.started_at <= privacy_request.finished_at


def test_deny_requires_a_reason_and_stores_it(reviewer):
    privacy_request = PrivacyRequestFactory(pending=True)
    with pytest.raises(TransitionError, match="needs a reason"):
        lifecycle.deny(privacy_request, reviewer=Actor.staff(reviewer), reason="   ")
    lifecycle.deny(privacy_request, reviewer=Actor.staff(reviewer), reason="We hold no data for this number.")
    privacy_request.refresh_from_db()
    assert privacy_request.status == Status.DENIED
    assert privacy_request.denial_reason == "We hold no data for this number."
    assert "We hold no data" in privacy_request.events.last().message


def test_fail_then_retry_clears_the_failure_reason(reviewer):
    privacy_request = PrivacyRequestFactory(status=Status.IN_PROCESSING)
    lifecycle.fail(privacy_request, actor=Actor.system("worker"), reason="Twilio rejected the credentials (HTTP 401).")
    assert privacy_request.failure_reason.startswith("Twilio rejected")
    lifecycle.retry(privacy_request, reviewer=Actor.staff(reviewer))
    assert (privacy_request.status, privacy_request.failure_reason) == (Status.APPROVED, "")


def test_audit_events_are_append_only():
    privacy_request = PrivacyRequestFactory()
    event = lifecycle.record(privacy_request, actor=Actor.system(), message="hello")
    event.message = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_auto_approve_moves_a_verified_request_to_approved(settings):
    settings.AUTO_APPROVE = True
    privacy_request = PrivacyRequestFactory()
    lifecycle.verify(privacy_request, actor=Actor.subject())
    assert privacy_request.status == Status.APPROVED
    assert list(privacy_request.events.values_list("to_status", flat=True)) == ["pending", "approved"]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_approvals_one_wins_and_one_audit_event(reviewer):
    privacy_request = PrivacyRequestFactory(pending=True)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve() -> None:
        barrier.wait()
        try:
            lifecycle.approve(PrivacyRequest.objects.get(pk=privacy_request.pk), reviewer=Actor.staff(reviewer))
            outcomes.append("won")
        except TransitionError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "won"]
    assert AuditEvent.objects.filter(privacy_request=privacy_request, to_status=Status.APPROVED).count() == 1
