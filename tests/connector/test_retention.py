"""Retention: an approved erasure waits `retention_days` in `scheduled`; staff may run it now or cancel it."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from requests_app import lifecycle
from requests_app.models import RequestType, Status
from tests.factories import PrivacyRequestFactory

from .conftest import ALICE

pytestmark = pytest.mark.django_db


@pytest.fixture
def held_back(connection, world, django_capture_on_commit_callbacks):
    connection.retention_days = 3
    connection.save()
    privacy_request = PrivacyRequestFactory(request_type=RequestType.ERASURE, email=ALICE, pending=True)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.approve(privacy_request, reviewer=lifecycle.Actor.system("test"))
    return privacy_request


def test_approved_erasure_is_scheduled_retention_days_later(held_back, fake):
    held_back.refresh_from_db()
    assert held_back.status == Status.SCHEDULED
    delay = held_back.scheduled_for - timezone.now()
    assert timedelta(days=2, hours=23) < delay <= timedelta(days=3)
    assert held_back.events.filter(to_status=Status.SCHEDULED, message__contains="retention").exists()
    assert not fake.updates(), "nothing may be erased before the retention period ends"


def test_access_requests_are_never_held_back(connection, world, django_capture_on_commit_callbacks):
    connection.retention_days = 3
    connection.save()
    privacy_request = PrivacyRequestFactory(request_type=RequestType.ACCESS, email=ALICE, pending=True)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.approve(privacy_request, reviewer=lifecycle.Actor.system("test"))
    privacy_request.refresh_from_db()
    assert privacy_request.status == Status.COMPLETE


def test_run_due_runs_only_erasures_whose_time_has_come(held_back, fake):
    call_command("privacy_request", "run-due")
    held_back.refresh_from_db()
    assert held_back.status == Status.SCHEDULED
    type(held_back).objects.filter(pk=held_back.pk).update(scheduled_for=timezone.now() - timedelta(minutes=1))
    call_command("privacy_request", "run-due")
    held_back.refresh_from_db()
    assert held_back.status == Status.COMPLETE
    assert fake.updates()


def test_staff_run_now_skips_the_wait(held_back, client, reviewer, django_capture_on_commit_callbacks):
    client.force_login(reviewer)
    page = client.get(reverse("admin:requests_app_privacyrequest_change", args=[held_back.pk])).content.decode()
    assert "runs at" in page and 'id="run-now-button"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:requests_app_privacyrequest_do", args=[held_back.pk, "run-now"]))
    held_back.refresh_from_db()
    assert held_back.status == Status.COMPLETE


def test_canceled_schedule_never_runs(held_back, client, reviewer, fake):
    client.force_login(reviewer)
    client.post(reverse("admin:requests_app_privacyrequest_do", args=[held_back.pk, "cancel"]))
    type(held_back).objects.filter(pk=held_back.pk).update(scheduled_for=timezone.now() - timedelta(minutes=1))
    from connector.runner import run_request

    run_request(held_back.pk)
    held_back.refresh_from_db()
    assert held_back.status == Status.CANCELED
    assert not fake.updates()


@pytest.mark.redis
def test_with_redis_the_erasure_is_in_rqs_scheduled_registry_at_the_due_time(
    connection, world, redis_url, django_capture_on_commit_callbacks
):
    from privacyportal.queueing import get_queue

    connection.retention_days = 2
    connection.save()
    privacy_request = PrivacyRequestFactory(request_type=RequestType.ERASURE, email=ALICE, pending=True)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.approve(privacy_request, reviewer=lifecycle.Actor.system("test"))
    privacy_request.refresh_from_db()
    registry = get_queue().scheduled_job_registry
    job_ids = registry.get_job_ids()
    assert len(job_ids) == 1 and privacy_request.public_id in job_ids[0]
    due = registry.get_scheduled_time(job_ids[0])
    assert abs((due - privacy_request.scheduled_for).total_seconds()) < 2
