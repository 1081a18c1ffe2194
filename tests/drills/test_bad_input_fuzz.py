"""Generated bad input against the portal form and the verify form: never a 500, never stored garbage."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from requests_app import lifecycle
from requests_app.identities import normalize_email, normalize_phone
from requests_app.models import PrivacyRequest, Status, VerificationCode

pytestmark = pytest.mark.django_db

FUZZ = hsettings(max_examples=700, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

nasty_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=250, max_size=5000),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "+",
            "00",
            "+1",
            "@",
            "a@b",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "+1 415 555 2671\x00",
            "sam@example.com\r\nBcc: x@y.z",
            "🙂@🙂.com",
            "+٤٤٧٩١١١٢٣٤٥٦",
        ]
    ),
    st.from_regex(r"\+[0-9 ()\-]{0,40}", fullmatch=True),
    st.emails().map(lambda e: e * 3),
)


@pytest.fixture
def open_portal(settings):
    settings.RATELIMIT_SUBMIT_PER_IP = "100000/h"
    settings.RATELIMIT_SUBMIT_PER_IDENTITY = "100000/h"
    settings.RATELIMIT_VERIFY_PER_IP = "100000/h"


def _assert_stored_rows_are_clean() -> None:
    for row in PrivacyRequest.objects.all():
        assert row.email or row.phone
        if row.email:
            assert normalize_email(row.email) == row.email
        if row.phone:
            assert normalize_phone(row.phone) == row.phone


@FUZZ
@given(
    request_type=st.one_of(nasty_text, st.sampled_from(["access", "erasure"])),
    email=nasty_text,
    phone=nasty_text,
    channel=nasty_text,
)
def test_request_form_survives_generated_input(client, open_portal, request_type, email, phone, channel):
    try:
        response = client.post(
            reverse("portal:request"),
            {"request_type": request_type, "email": email, "phone": phone, "code_channel": channel},
        )
    except ValidationError:  # pragma: no cover - would be a bug: the form must turn this into a 400
        raise
    assert response.status_code in (302, 400, 503), response.status_code
    _assert_stored_rows_are_clean()


@FUZZ
@given(code=nasty_text)
def test_verify_form_survives_generated_input_and_never_verifies(client, open_portal, code):
    privacy_request = PrivacyRequest.objects.filter(email="fuzz@example.com").first() or lifecycle.create(
        request_type="access", email="fuzz@example.com", actor=lifecycle.Actor.subject()
    )
    VerificationCode.objects.get_or_create(
        privacy_request=privacy_request,
        defaults={"code_hash": "f" * 64, "channel": "email", "expires_at": "2999-01-01T00:00:00Z"},
    )
    VerificationCode.objects.filter(privacy_request=privacy_request).update(failed_attempts=0)
    response = client.post(reverse("portal:verify", args=[privacy_request.public_id]), {"code": code})
    assert response.status_code in (200, 400)
    privacy_request.refresh_from_db()
    assert privacy_request.status == Status.IDENTITY_UNVERIFIED


@hsettings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(public_id=st.text(max_size=600).filter(lambda s: "/" not in s and "\x00" not in s))
def test_status_and_download_urls_survive_generated_ids(client, public_id):
    from urllib.parse import quote

    assert client.get(f"/requests/{quote(public_id, safe='')}/").status_code in (404, 200, 301)
    assert client.get(f"/download/{quote(public_id, safe='')}/").status_code in (404, 410)
