"""The subject portal through the Django test client: form errors, CSRF, rate limits, status page."""

import pytest
from django.test import Client
from django.urls import reverse

from requests_app import lifecycle
from requests_app.identities import mask_email, mask_phone
from requests_app.models import AuditEvent, PrivacyRequest, Status
from tests.conftest import latest_code
from tests.factories import PrivacyRequestFactory

pytestmark = pytest.mark.django_db

FORM = reverse("portal:request")


def submit(client, **fields):
    data = {"request_type": "access", "email": "", "phone": "", "code_channel": "email", **fields}
    return client.post(FORM, data)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"phone": "07911 123456"}, "Start the number with + and your country code"),
        ({"phone": "+999 1234567"}, "That country code does not exist."),
        ({"phone": "+44 12"}, "not"),
        ({"phone": "+" + "1" * 40}, "too long"),
        ({"email": "not-an-email"}, "Enter an email address like name@example.com."),
        ({"email": "a" * 300 + "@example.com"}, "too long"),
        ({}, "Give an email address, a phone number, or both"),
        ({"request_type": "everything", "email": "a@example.com"}, "Select a valid choice"),
    ],
)
def test_bad_input_gets_a_clear_message_and_stores_nothing(client, fields, message):
    response = submit(client, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PrivacyRequest.objects.exists()


def test_form_is_csrf_protected(sandbox_messaging):
    strict = Client(enforce_csrf_checks=True)
    response = submit(strict, email="sam@example.com")
    assert response.status_code == 403
    assert not PrivacyRequest.objects.exists()


def test_submit_by_phone_sends_code_and_verify_page_counts_tries(client, sandbox_messaging):
    response = submit(client, phone="+1 (415) 555-2671")
    privacy_request = PrivacyRequest.objects.get()
    assert privacy_request.phone == "+14155552671"
    assert response.url == reverse("portal:verify", args=[privacy_request.public_id])
    page = client.get(response.url).content.decode()
    assert "You have 5 tries left" in page and "+14" in page and "+14155552671" not in page

    code = latest_code("+14155552671")
    wrong = client.post(response.url, {"code": f"{(int(code) + 1) % 10**6:06d}"}).content.decode()
    assert "4 tries left" in wrong
    done = client.post(response.url, {"code": code})
    assert done.url == reverse("portal:status", args=[privacy_request.public_id])
    privacy_request.refresh_from_db()
    assert privacy_request.status == Status.PENDING


def test_both_identities_let_the_subject_choose_the_code_channel(client, sandbox_messaging):
    submit(client, email="sam@example.com", phone="+14155552671", code_channel="sms")
    assert latest_code("+14155552671")
    assert PrivacyRequest.objects.get().code_channel == "sms"


def test_no_messaging_provider_shows_cannot_verify_page_and_keeps_the_request(client):
    response = submit(client, email="sam@example.com")
    assert response.status_code == 503
    assert "cannot verify" in response.content.decode()
    privacy_request = PrivacyRequest.objects.get()
    assert privacy_request.status == Status.IDENTITY_UNVERIFIED
    assert AuditEvent.objects.filter(privacy_request=privacy_request, message__contains="could not be sent").exists()


def test_submissions_from_one_ip_hit_the_rate_limit_with_a_friendly_page(client, settings):
    settings.RATELIMIT_SUBMIT_PER_IP = "3/h"
    statuses = [submit(client, email="bad").status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]
    assert "Too many attempts" in submit(client, email="bad").content.decode()


def test_one_identity_is_rate_limited_across_ips(client, settings, sandbox_messaging):
    settings.RATELIMIT_SUBMIT_PER_IDENTITY = "2/h"
    codes = [
        client.post(FORM, {"request_type": "access", "email": "sam@example.com"}, REMOTE_ADDR=f"10.0.0.{i}").status_code
        for i in range(3)
    ]
    assert codes == [302, 302, 429]


def test_status_page_masks_identities_and_shows_denial_reason(client, reviewer):
    privacy_request = PrivacyRequestFactory(email="samantha@example.com", phone="+14155552671", pending=True)
    lifecycle.deny(privacy_request, reviewer=lifecycle.Actor.staff(reviewer), reason="We could not match your data.")
    page = client.get(reverse("portal:status", args=[privacy_request.public_id])).content.decode()
    assert "samantha@example.com" not in page and "+14155552671" not in page
    assert mask_email("samantha@example.com") in page and mask_phone("+14155552671") in page
    assert "We could not match your data." in page
    assert privacy_request.due_date.strftime("%Y") in page


def test_unknown_request_id_is_404(client):
    assert client.get(reverse("portal:status", args=["x" * 22])).status_code == 404
    assert client.get("/requests/" + "y" * 500 + "/").status_code == 404
