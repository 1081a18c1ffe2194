"""Drill: generated bad input against the messaging API (a valid Bearer token, so the bodies reach the
validation): never a 500, and nothing stored that its own schema would refuse."""

import json

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from messaging.models import ApiToken, MessagingConfig, MessagingSettings
from messaging.providers import REGISTRY

pytestmark = pytest.mark.django_db

FUZZ = hsettings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
ANSWERS = {200, 404, 422}

nasty_text = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=3000),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "null",
            "AC" + "0" * 32,
            "MG" + "f" * 32,
            "+15005550006",
            "mg.example.com",
            "a@b.co",
            "x" * 20_000,
            "‮evil",
            "\ud7ff\ue000",
            "🙂" * 100,
            "' OR 1=1 --",
        ]
    ),
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), nasty_text)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(
                nasty_text,
                st.sampled_from(
                    _KEYS := [
                        "domain",
                        "is_eu_domain",
                        "api_version",
                        "from_email",
                        "template_name",
                        "twilio_account_sid",
                        "twilio_messaging_service_sid",
                        "twilio_sender_phone_number",
                        "mailgun_api_key",
                        "sendgrid_api_key",
                        "twilio_auth_token",
                        "notifications",
                        "execution",
                        "send_request_receipt_notification",
                        "notification_service_type",
                        "subject_identity_verification_required",
                        "details",
                        "service_type",
                    ]
                ),
            ),
            children,
            max_size=5,
        ),
    ),
    max_leaves=12,
)
service_types = st.one_of(st.sampled_from(sorted(REGISTRY)), nasty_text, scalars)
raw_bodies = st.one_of(
    st.binary(max_size=300),
    st.sampled_from(
        [
            b"",
            b"{",
            b"[]",
            b"null",
            b"\xff\xfe",
            b'{"a": }',
            b"[" * 100_000 + b"]" * 100_000,
            b'{"service_type": "mailgun", "details": ' + b"[" * 5000 + b"]" * 5000 + b"}",
            b'{"service_type": "' + b"m" * 20_000 + b'"}',
            b"\x00" * 64,
            b'{"\\ud800": 1}',
        ]
    ),
    json_values.map(lambda v: json.dumps(v, allow_nan=True).encode()),
)


def _bodies(top_level):
    return st.one_of(raw_bodies, top_level.map(lambda v: json.dumps(v, allow_nan=True).encode()))


config_bodies = _bodies(
    st.fixed_dictionaries({"service_type": service_types}, optional={"details": json_values, "extra": json_values})
)
settings_bodies = _bodies(
    st.fixed_dictionaries({}, optional={"notifications": json_values, "execution": json_values, "other": scalars})
)


@pytest.fixture
def bearer(db) -> str:
    return "Bearer " + ApiToken.issue(name="fuzz")[1]


def _send(client, method: str, path: str, body: bytes, bearer: str, content_type: str = "application/json"):
    response = client.generic(method, path, data=body, content_type=content_type, HTTP_AUTHORIZATION=bearer)
    assert response.status_code in ANSWERS, (response.status_code, body[:200])
    if response.status_code != 404:  # a path the router cannot match gets Django's own 404 page
        assert response["Content-Type"].startswith("application/json")
    return response


def assert_stored_rows_pass_their_schema() -> None:
    for config in MessagingConfig.objects.all():
        provider = REGISTRY[config.service_type]
        assert provider.clean_details(config.details) == config.details
        if config.secrets:
            assert provider.clean_secrets(config.secrets) == config.secrets
    row = MessagingSettings.objects.first()
    if row is not None:
        for name in (
            "send_request_receipt_notification",
            "send_request_review_notification",
            "send_request_completion_notification",
            "subject_identity_verification_required",
        ):
            assert isinstance(getattr(row, name), bool)
        assert row.notification_service_type in ("", *REGISTRY)


@FUZZ
@given(body=config_bodies)
def test_put_default_config_survives_generated_bodies(client, bearer, body):
    _send(client, "PUT", "/api/v1/messaging/default", body, bearer)
    assert_stored_rows_pass_their_schema()


@FUZZ
@given(
    service_type=st.one_of(
        st.sampled_from(sorted(REGISTRY)),
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=300),
    ),
    body=_bodies(json_values),
)
def test_put_secrets_survives_generated_bodies_and_service_types(client, bearer, service_type, body):
    from urllib.parse import quote

    if not MessagingConfig.objects.exists():
        for name, cls in REGISTRY.items():
            details = cls.clean_details(_minimal_details(name))
            MessagingConfig.objects.create(service_type=name, name=cls.label, key=f"default_{name}", details=details)
    _send(client, "PUT", f"/api/v1/messaging/default/{quote(service_type, safe='')}/secret", body, bearer)
    assert_stored_rows_pass_their_schema()


@FUZZ
@given(
    body=settings_bodies,
    content_type=st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded"]),
)
def test_patch_config_survives_generated_bodies(client, bearer, body, content_type):
    _send(client, "PATCH", "/api/v1/config", body, bearer, content_type)
    assert_stored_rows_pass_their_schema()


def _minimal_details(service_type: str) -> dict:
    """Details each provider's schema accepts, so the secrets endpoint reaches its validation."""
    for candidate in ({}, {"domain": "mg.example.com"}, {"twilio_email_from": "privacy@example.com"}):
        try:
            REGISTRY[service_type].clean_details(candidate)
        except Exception:  # noqa: BLE001, S112 - try the next shape
            continue
        return candidate
    raise AssertionError(f"no minimal details for {service_type}")
