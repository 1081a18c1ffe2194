"""The Fides-compatible API: Bearer auth, 422s for bad bodies, the document's round trip, no secret echoed."""

import json

import pytest

from messaging.models import ApiToken, MessagingConfig, MessagingSettings
from tests.messaging.conftest import ACCOUNT_SID, AUTH_TOKEN, MAILGUN_KEY, MESSAGING_SERVICE_SID

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(db):
    return ApiToken.issue(name="automation")[1]


@pytest.fixture
def api(client, token):
    def call(method: str, path: str, body=None, *, raw: str | None = None, auth: str | None = f"Bearer {token}"):
        headers = {"HTTP_AUTHORIZATION": auth} if auth else {}
        if method == "GET":
            return client.get(path, **headers)
        data = raw if raw is not None else (json.dumps(body) if body is not None else "")
        return getattr(client, method.lower())(path, data=data, content_type="application/json", **headers)

    return call


@pytest.mark.parametrize("auth", [None, "Bearer wrong-token", "Basic dXNlcjpwdw==", "Bearer "])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/messaging/default/status"),
        ("PUT", "/api/v1/messaging/default"),
        ("PUT", "/api/v1/messaging/default/mailgun/secret"),
        ("PATCH", "/api/v1/config"),
    ],
)
def test_no_or_wrong_token_gets_401_json(api, auth, method, path):
    response = api(method, path, {"service_type": "mailgun"}, auth=auth)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "detail" in response.json()
    assert not MessagingConfig.objects.exists()


def test_the_documents_mailgun_round_trip(api, token):
    created = api(
        "PUT",
        "/api/v1/messaging/default",
        {"service_type": "mailgun", "details": {"domain": "mg.example.com"}},
    )
    assert created.status_code == 200
    body = created.json()
    assert body["service_type"] == "mailgun"
    assert body["details"] == {
        "domain": "mg.example.com",
        "is_eu_domain": False,
        "api_version": "v3",
        "template_name": "fides",
    }
    assert api("GET", "/api/v1/messaging/default/status").json()["detail"] == (
        "No secrets found for mailgun messaging configuration (needs mailgun_api_key)"
    )

    secret = api("PUT", "/api/v1/messaging/default/mailgun/secret", {"mailgun_api_key": MAILGUN_KEY})
    assert secret.status_code == 200 and MAILGUN_KEY not in secret.content.decode()
    assert secret.json()["msg"] == "Secrets updated for MessagingConfig with key: default_mailgun."

    patched = api(
        "PATCH",
        "/api/v1/config",
        {
            "notifications": {
                "notification_service_type": "mailgun",
                "send_request_completion_notification": True,
                "send_request_receipt_notification": True,
                "send_request_review_notification": True,
            },
            "execution": {"subject_identity_verification_required": True},
        },
    )
    assert patched.status_code == 200
    assert patched.json()["notifications"]["send_request_receipt_notification"] is True

    status = api("GET", "/api/v1/messaging/default/status")
    assert status.status_code == 200
    assert {k: status.json()[k] for k in ("config_status", "detail")} == {
        "config_status": "configured",
        "detail": "Active default messaging service of type MAILGUN is fully configured",
    }
    assert MAILGUN_KEY not in status.content.decode()
    assert MessagingConfig.objects.get().default_for_email
    assert ApiToken.objects.get().last_used_at is not None


def test_twilio_text_with_no_details_and_its_secrets(api):
    assert api("PUT", "/api/v1/messaging/default", {"service_type": "twilio_text"}).status_code == 200
    response = api(
        "PUT",
        "/api/v1/messaging/default/twilio_text/secret",
        {
            "twilio_account_sid": ACCOUNT_SID,
            "twilio_auth_token": AUTH_TOKEN,
            "twilio_messaging_service_sid": MESSAGING_SERVICE_SID,
        },
    )
    assert response.status_code == 200 and AUTH_TOKEN not in response.content.decode()
    config = MessagingConfig.objects.get()
    assert config.default_for_sms and config.secrets["twilio_auth_token"] == AUTH_TOKEN


@pytest.mark.parametrize(
    ("path", "raw", "loc"),
    [
        ("/api/v1/messaging/default", "{not json", ["body"]),
        ("/api/v1/messaging/default", "[1, 2]", ["body"]),
        ("/api/v1/messaging/default", '{"service_type": "pigeon"}', ["body", "service_type"]),
        ("/api/v1/messaging/default", '{"service_type": 7}', ["body", "service_type"]),
        ("/api/v1/messaging/default", '{"service_type": "mailgun"}', ["body", "details", "domain"]),
        ("/api/v1/messaging/default", '{"service_type": "mailgun", "details": "x"}', ["body", "details"]),
        ("/api/v1/messaging/default", '{"service_type": "mailgun", "extra": 1}', ["body", "extra"]),
        (
            "/api/v1/messaging/default",
            '{"service_type": "mailgun", "details": {"domain": "mg.example.com", "is_eu_domain": "yes"}}',
            ["body", "details", "is_eu_domain"],
        ),
        (
            "/api/v1/messaging/default",
            '{"service_type": "twilio_email", "details": {"twilio_email_from": "nope"}}',
            ["body", "details", "twilio_email_from"],
        ),
    ],
)
def test_malformed_bodies_get_422_with_field_errors(api, path, raw, loc):
    response = api("PUT", path, raw=raw)
    assert response.status_code == 422
    assert any(error["loc"] == loc for error in response.json()["detail"]), response.json()
    assert not MessagingConfig.objects.exists()


def test_a_deeply_nested_body_gets_422_not_500(api):
    response = api("PUT", "/api/v1/messaging/default", raw="[" * 5000 + "]" * 5000)
    assert response.status_code == 422


def test_an_oversized_body_gets_422(api):
    response = api("PUT", "/api/v1/messaging/default", raw=json.dumps({"service_type": "x" * 20000}))
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("secrets", "bad_field"),
    [
        (
            {"twilio_account_sid": ACCOUNT_SID, "twilio_auth_token": AUTH_TOKEN},
            "twilio_messaging_service_sid",
        ),
        (
            {
                "twilio_account_sid": ACCOUNT_SID,
                "twilio_auth_token": AUTH_TOKEN,
                "twilio_messaging_service_sid": MESSAGING_SERVICE_SID,
                "twilio_sender_phone_number": "+15005550006",
            },
            "twilio_sender_phone_number",
        ),
        (
            {
                "twilio_account_sid": ACCOUNT_SID,
                "twilio_auth_token": AUTH_TOKEN,
                "twilio_sender_phone_number": "555-0006",
            },
            "twilio_sender_phone_number",
        ),
        (
            {
                "twilio_account_sid": "nope",
                "twilio_auth_token": AUTH_TOKEN,
                "twilio_messaging_service_sid": MESSAGING_SERVICE_SID,
            },
            "twilio_account_sid",
        ),
        (
            {
                "twilio_account_sid": ACCOUNT_SID,
                "twilio_auth_token": AUTH_TOKEN,
                "twilio_messaging_service_sid": MESSAGING_SERVICE_SID,
                "surprise": "x",
            },
            "surprise",
        ),
    ],
)
def test_bad_twilio_secrets_get_422_and_are_never_echoed(api, secrets, bad_field):
    api("PUT", "/api/v1/messaging/default", {"service_type": "twilio_text"})
    response = api("PUT", "/api/v1/messaging/default/twilio_text/secret", secrets)
    assert response.status_code == 422
    assert bad_field in {error["loc"][-1] for error in response.json()["detail"]}
    assert AUTH_TOKEN not in response.content.decode()
    assert MessagingConfig.objects.get().secrets == {}


def test_secrets_for_an_unknown_or_missing_config_get_404(api):
    assert api("PUT", "/api/v1/messaging/default/pigeon/secret", {}).status_code == 404
    assert api("PUT", "/api/v1/messaging/default/mailgun/secret", {"mailgun_api_key": MAILGUN_KEY}).status_code == 404


def test_patch_config_validates_types_and_keys(api):
    response = api(
        "PATCH",
        "/api/v1/config",
        {
            "notifications": {"send_request_receipt_notification": "true", "bogus": True},
            "execution": {"subject_identity_verification_required": 1},
            "other": {},
        },
    )
    assert response.status_code == 422
    locs = {tuple(e["loc"]) for e in response.json()["detail"]}
    assert locs == {
        ("body", "notifications", "send_request_receipt_notification"),
        ("body", "notifications", "bogus"),
        ("body", "execution", "subject_identity_verification_required"),
        ("body", "other"),
    }
    assert MessagingSettings.load().subject_identity_verification_required is True


def test_patch_config_changes_only_what_it_names(api):
    response = api("PATCH", "/api/v1/config", {"execution": {"subject_identity_verification_required": False}})
    assert response.status_code == 200
    row = MessagingSettings.load()
    assert row.subject_identity_verification_required is False and row.send_request_receipt_notification is False


def test_wrong_method_gets_405(api):
    assert api("POST", "/api/v1/messaging/default", {}).status_code == 405
