"""requests_app/verification.py: hashed codes, expiry, lockout, resend timing, no provider."""

from datetime import timedelta

import pytest
from django.utils import timezone

from requests_app import lifecycle, verification
from requests_app.models import AuditEvent, Status, VerificationCode
from tests.conftest import latest_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def unverified(sandbox_messaging):
    privacy_request = lifecycle.create(
        request_type="access", email="sam@example.com", code_channel="email", actor=lifecycle.Actor.subject()
    )
    verification.issue_code(privacy_request)
    return privacy_request


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_code_is_six_digits_and_stored_only_as_a_hash(unverified):
    code = latest_code("sam@example.com")
    row = VerificationCode.objects.get(privacy_request=unverified)
    assert len(code) == 6 and code.isdigit()
    assert code not in row.code_hash and len(row.code_hash) == 64


def test_right_code_verifies_and_moves_to_pending(unverified):
    result = verification.check_code(unverified, latest_code("sam@example.com"))
    unverified.refresh_from_db()
    assert result.verified and unverified.status == Status.PENDING


def test_wrong_code_counts_down_tries(unverified):
    code = latest_code("sam@example.com")
    result = verification.check_code(unverified, _wrong(code))
    assert not result.verified and result.tries_left == 4
    assert "4 tries left" in result.message


def test_after_five_wrong_codes_the_right_code_is_refused_until_a_new_code(unverified):
    code = latest_code("sam@example.com")
    for _ in range(5):
        verification.check_code(unverified, _wrong(code))
    refused = verification.check_code(unverified, code)
    assert not refused.verified and "new code" in refused.message
    VerificationCode.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    verification.issue_code(unverified, resend=True)
    assert verification.check_code(unverified, latest_code("sam@example.com")).verified


def test_expired_code_is_refused(unverified):
    code = latest_code("sam@example.com")
    VerificationCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    result = verification.check_code(unverified, code)
    assert not result.verified and "expired" in result.message


def test_resend_waits_sixty_seconds_then_old_code_stops_working(unverified):
    old = latest_code("sam@example.com")
    with pytest.raises(verification.ResendRefused, match="wait"):
        verification.issue_code(unverified, resend=True)
    VerificationCode.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    verification.issue_code(unverified, resend=True)
    new = latest_code("sam@example.com")
    if new != old:
        assert not verification.check_code(unverified, old).verified
    assert verification.check_code(unverified, new).verified


def test_malformed_entries_are_just_wrong_codes(unverified):
    for entry in ["", "abcdef", "１２３４５６", "1" * 50, "12345\x00"]:
        assert not verification.check_code(unverified, entry).verified


def test_no_provider_raises_unavailable_and_audits_it(db):
    privacy_request = lifecycle.create(
        request_type="access", phone="+14155552671", code_channel="sms", actor=lifecycle.Actor.subject()
    )
    with pytest.raises(verification.VerificationUnavailable):
        verification.issue_code(privacy_request)
    assert not VerificationCode.objects.exists()
    assert AuditEvent.objects.filter(message__startswith="Verification code could not be sent").exists()
