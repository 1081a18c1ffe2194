"""Staff can look at the sandbox's records in the admin and tune latency and faults."""

import pytest

from twilio_sandbox.models import SandboxAccount
from twilio_sandbox.seed import DEMO_ACCOUNT_SID, seed_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model):
    admin_user = django_user_model.objects.create_superuser("root", "root@example.com", "pw-root-1")
    client.force_login(admin_user)
    seed_demo()
    return client


@pytest.mark.parametrize(
    ("model", "query"),
    [
        ("sandboxuser", "alice@example.com"),
        ("sandboxconversation", "hike"),
        ("sandboxparticipant", "+15005550101"),
        ("sandboxmessage", "knee"),
        ("sandboxaccount", ""),
        ("sandboxcall", ""),
    ],
)
def test_admin_lists_and_searches_sandbox_records(staff_client, model, query):
    response = staff_client.get(f"/admin/twilio_sandbox/{model}/", {"q": query} if query else {})
    assert response.status_code == 200
    if model == "sandboxmessage":
        assert b"My knee is still healing" in response.content


def test_admin_edits_latency_and_fault_rate_of_an_account(staff_client):
    account = SandboxAccount.objects.get(sid=DEMO_ACCOUNT_SID)
    response = staff_client.post(
        f"/admin/twilio_sandbox/sandboxaccount/{account.pk}/change/",
        {"friendly_name": "Demo", "latency_ms": "50", "fault_rate": "0.2", "fault_seed": ""},
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.latency_ms, account.fault_rate) == (50, 0.2)


def test_admin_does_not_offer_to_add_or_edit_messages_by_hand(staff_client):
    assert staff_client.get("/admin/twilio_sandbox/sandboxmessage/add/").status_code == 403
