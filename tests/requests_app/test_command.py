"""`manage.py privacy_request`: create, show, approve, deny, and one-line errors."""

import json

import pytest
from django.core.management import CommandError, call_command

from requests_app.models import PrivacyRequest, Status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_execution(monkeypatch):
    monkeypatch.setattr("requests_app.jobs.dispatch", lambda *a, **k: None)


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("privacy_request", *args, stdout=out)
    return out.getvalue().strip()


def test_create_prints_the_id_of_a_verified_request():
    public_id = run("create", "--type", "erasure", "--phone", "+44 7911 123456")
    privacy_request = PrivacyRequest.objects.get(public_id=public_id)
    assert (privacy_request.status, privacy_request.phone) == (Status.PENDING, "+447911123456")


def test_create_with_approve_and_a_twilio_user():
    public_id = run(
        "create",
        "--type",
        "access",
        "--email",
        "sam@example.com",
        "--twilio-user",
        "US00000000000000000000000000000001",
        "--approve",
    )
    privacy_request = PrivacyRequest.objects.get(public_id=public_id)
    assert privacy_request.status == Status.APPROVED
    assert privacy_request.twilio_user.startswith("US")


def test_show_json_masks_identities_and_lists_the_audit_trail():
    public_id = run("create", "--type", "access", "--email", "samantha@example.com")
    run("deny", public_id, "--reason", "Not a customer")
    data = json.loads(run("show", public_id, "--json"))
    assert data["status"] == "denied" and data["denial_reason"] == "Not a customer"
    assert "samantha@example.com" not in json.dumps(data)
    assert [e["to"] for e in data["events"]] == ["identity_unverified", "pending", "denied"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create", "--type", "access"], "Give --email or --phone"),
        (["create", "--type", "access", "--phone", "12"], "country code"),
        (["create", "--type", "access", "--email", "nope"], "valid email"),
        (["show", "missing"], "No privacy request"),
        (["approve", "missing"], "No privacy request"),
    ],
)
def test_bad_arguments_fail_with_a_one_line_reason(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_approving_a_denied_request_is_refused():
    public_id = run("create", "--type", "access", "--email", "sam@example.com")
    run("deny", public_id, "--reason", "No")
    with pytest.raises(CommandError, match="cannot become approved"):
        run("approve", public_id)


def test_run_retries_a_request_in_error_in_the_foreground(monkeypatch):
    from requests_app import lifecycle
    from requests_app.models import Status as S

    public_id = run("create", "--type", "access", "--email", "sam@example.com", "--approve")
    privacy_request = PrivacyRequest.objects.get(public_id=public_id)
    lifecycle.fail(
        privacy_request, actor=lifecycle.Actor.system("worker"), reason="Twilio rejected the credentials (HTTP 401)."
    )
    ran = []

    def fake_run(pk, progress=None):
        ran.append(PrivacyRequest.objects.get(pk=pk).status)
        progress("reading user", 1, 1)

    monkeypatch.setattr("connector.runner.run_request", fake_run)
    with pytest.raises(CommandError):  # the stand-in leaves it approved, not complete: reported, non-zero
        run("run", public_id)
    assert ran == [S.APPROVED]


def test_public_ids_never_look_like_command_line_options():
    from requests_app.models import new_public_id

    ids = [new_public_id() for _ in range(5000)]
    assert not any(public_id.startswith("-") for public_id in ids)
    assert len(set(ids)) == 5000
