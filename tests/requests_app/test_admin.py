"""Staff review in the admin: actions, deny page, permissions, read-only status, no per-row queries."""

import pytest
from django.urls import reverse

from requests_app.models import AuditEvent, PrivacyRequest, Status
from tests.factories import PrivacyRequestFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:requests_app_privacyrequest_changelist")


@pytest.fixture(autouse=True)
def _no_execution(monkeypatch):
    monkeypatch.setattr("requests_app.jobs.dispatch", lambda *a, **k: None)


def test_reviewer_approves_several_requests_with_the_bulk_action(client, reviewer):
    requests = PrivacyRequestFactory.create_batch(3, pending=True)
    client.force_login(reviewer)
    response = client.post(
        CHANGELIST, {"action": "approve_selected", "_selected_action": [r.pk for r in requests]}, follow=True
    )
    assert "Approved 3 request(s)." in response.content.decode()
    assert set(PrivacyRequest.objects.values_list("status", flat=True)) == {Status.APPROVED}
    assert AuditEvent.objects.filter(to_status=Status.APPROVED, actor_label="reviewer").count() == 3


def test_deny_asks_for_a_reason_and_refuses_an_empty_one(client, reviewer):
    privacy_request = PrivacyRequestFactory(pending=True)
    client.force_login(reviewer)
    response = client.post(CHANGELIST, {"action": "deny_selected", "_selected_action": [privacy_request.pk]})
    deny_url = response.url
    assert "deny" in deny_url
    page = client.get(deny_url).content.decode()
    assert "The subject is told the reason" in page
    empty = client.post(deny_url, {"ids": str(privacy_request.pk), "reason": "   "})
    assert "A denial needs a reason" in empty.content.decode()
    privacy_request.refresh_from_db()
    assert privacy_request.status == Status.PENDING
    client.post(deny_url, {"ids": str(privacy_request.pk), "reason": "Duplicate of an earlier request."})
    privacy_request.refresh_from_db()
    assert (privacy_request.status, privacy_request.denial_reason) == (
        Status.DENIED,
        "Duplicate of an earlier request.",
    )


def test_detail_page_buttons_approve_and_show_the_timeline(client, reviewer):
    privacy_request = PrivacyRequestFactory(pending=True)
    client.force_login(reviewer)
    change = reverse("admin:requests_app_privacyrequest_change", args=[privacy_request.pk])
    assert 'id="approve-button"' in client.get(change).content.decode()
    client.post(reverse("admin:requests_app_privacyrequest_do", args=[privacy_request.pk, "approve"]))
    privacy_request.refresh_from_db()
    assert privacy_request.status == Status.APPROVED
    page = client.get(change).content.decode()
    assert "Audit trail" in page and "Approved" in page and 'id="approve-button"' not in page


def test_staff_without_review_permission_cannot_approve_or_deny(client, outsider):
    privacy_request = PrivacyRequestFactory(pending=True)
    client.force_login(outsider)
    page = client.get(CHANGELIST).content.decode()
    assert "approve_selected" not in page
    client.post(CHANGELIST, {"action": "approve_selected", "_selected_action": [privacy_request.pk]})
    assert (
        client.post(reverse("admin:requests_app_privacyrequest_do", args=[privacy_request.pk, "approve"])).status_code
        == 403
    )
    assert (
        client.post(
            reverse("admin:requests_app_privacyrequest_deny"), {"ids": str(privacy_request.pk), "reason": "x"}
        ).status_code
        == 403
    )
    privacy_request.refresh_from_db()
    assert privacy_request.status == Status.PENDING


def test_status_cannot_be_edited_in_the_admin(client, reviewer):
    privacy_request = PrivacyRequestFactory(pending=True)
    client.force_login(reviewer)
    change = reverse("admin:requests_app_privacyrequest_change", args=[privacy_request.pk])
    assert 'name="status"' not in client.get(change).content.decode()
    client.post(
        change, {"status": "complete", "twilio_user": "US123", "events-TOTAL_FORMS": 0, "events-INITIAL_FORMS": 0}
    )
    privacy_request.refresh_from_db()
    assert privacy_request.status == Status.PENDING


def test_changelist_lists_oldest_pending_first_and_searches_phone_any_format(client, reviewer):
    PrivacyRequestFactory(status=Status.COMPLETE)
    older = PrivacyRequestFactory(pending=True, phone="+14155552671")
    PrivacyRequestFactory(pending=True)
    client.force_login(reviewer)
    response = client.get(CHANGELIST)
    assert list(response.context["cl"].result_list)[0] == older
    found = client.get(CHANGELIST, {"q": "+1 (415) 555-2671"}).context["cl"].result_list
    assert list(found) == [older]


def test_changelist_query_count_does_not_grow_with_rows(client, reviewer, django_assert_max_num_queries):
    client.force_login(reviewer)
    PrivacyRequestFactory.create_batch(5, pending=True)
    with django_assert_max_num_queries(12) as few:
        client.get(CHANGELIST)
    PrivacyRequestFactory.create_batch(45, pending=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(CHANGELIST)


def test_overdue_filter(client, reviewer):
    from datetime import timedelta

    from django.utils import timezone

    late = PrivacyRequestFactory(pending=True, due_date=timezone.localdate() - timedelta(days=1))
    PrivacyRequestFactory(pending=True)
    client.force_login(reviewer)
    result = client.get(CHANGELIST, {"overdue": "yes"}).context["cl"].result_list
    assert list(result) == [late]


def test_resume_button_requeues_a_request_left_in_processing(client, reviewer, monkeypatch):
    dispatched = []
    monkeypatch.setattr("requests_app.jobs.dispatch", lambda pr, **kw: dispatched.append((pr.pk, kw)))
    privacy_request = PrivacyRequestFactory(status=Status.IN_PROCESSING)
    client.force_login(reviewer)
    change = reverse("admin:requests_app_privacyrequest_change", args=[privacy_request.pk])
    assert 'id="resume-button"' in client.get(change).content.decode()
    client.post(reverse("admin:requests_app_privacyrequest_do", args=[privacy_request.pk, "resume"]))
    assert dispatched == [(privacy_request.pk, {"ignore_retention": True})]
    assert privacy_request.events.filter(message__startswith="Resume requested").exists()
