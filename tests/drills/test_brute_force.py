"""Drills: guessing codes and flooding the form."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from requests_app.models import PrivacyRequest, Status, VerificationCode
from tests.conftest import latest_code

pytestmark = pytest.mark.django_db


def test_after_five_wrong_codes_even_the_right_one_is_refused_until_a_new_code(client, sandbox_messaging):
    client.post(reverse("portal:request"), {"request_type": "erasure", "phone": "+14155552671"})
    privacy_request = PrivacyRequest.objects.get()
    verify = reverse("portal:verify", args=[privacy_request.public_id])
    code = latest_code("+14155552671")
    guesses = [f"{n:06d}" for n in range(1000000) if f"{n:06d}" != code][:5]
    for guess in guesses:
        client.post(verify, {"code": guess})
    page = client.post(verify, {"code": code}).content.decode()
    assert "Too many wrong codes" in page
    privacy_request.refresh_from_db()
    assert privacy_request.status == Status.IDENTITY_UNVERIFIED

    VerificationCode.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    client.post(reverse("portal:resend", args=[privacy_request.public_id]))
    client.post(verify, {"code": latest_code("+14155552671")})
    privacy_request.refresh_from_db()
    assert privacy_request.status == Status.PENDING


def test_fifty_submissions_from_one_ip_hit_the_rate_limit_with_a_friendly_page(client, sandbox_messaging):
    statuses = []
    for n in range(50):
        response = client.post(reverse("portal:request"), {"request_type": "access", "email": f"s{n}@example.com"})
        statuses.append(response.status_code)
    assert 429 in statuses
    first_limited = statuses.index(429)
    assert all(s == 429 for s in statuses[first_limited:])
    assert "Too many attempts" in response.content.decode()
    assert PrivacyRequest.objects.count() == first_limited
