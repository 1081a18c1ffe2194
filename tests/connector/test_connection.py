"""connector.connection, the `twilio_connection` command and the admin's Test connection button."""

import io

import pytest
from django.core.management import CommandError, call_command

from connector import connection as connection_service
from connector.models import TwilioConnection

from .fake_twilio import ACCOUNT_SID, AUTH_TOKEN

pytestmark = pytest.mark.django_db


def test_a_working_connection_says_so(fake, connection):
    assert connection_service.test_connection(connection) == (True, "Connection works.")
    assert ("GET", "/v1/Users") in fake.calls


def test_rejected_credentials_are_named(fake, connection):
    connection.auth_token = "nope"
    assert connection_service.test_connection(connection) == (
        False,
        "Twilio rejected the credentials (HTTP 401).",
    )


def test_an_unreachable_host_is_named(connection, settings):
    settings.OUTBOUND_TIMEOUT_SECONDS = 0.5
    connection.base_url = "http://127.0.0.1:9"
    ok, message = connection_service.test_connection(connection)
    assert not ok and message.startswith("Twilio could not be reached")


def test_the_set_command_reads_the_token_from_the_environment_and_never_prints_it(fake, monkeypatch):
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
    out = io.StringIO()
    call_command(
        "twilio_connection",
        "set",
        "--account-sid",
        ACCOUNT_SID,
        "--base-url",
        fake.base_url,
        "--no-masking-strict",
        "--concurrency",
        "3",
        "--page-size",
        "20",
        stdout=out,
    )
    connection = TwilioConnection.current()
    assert connection.auth_token == AUTH_TOKEN and not connection.masking_strict and connection.concurrency == 3
    assert AUTH_TOKEN not in out.getvalue() and "auth token set" in out.getvalue()
    out = io.StringIO()
    call_command("twilio_connection", "test", stdout=out)
    assert "Connection works." in out.getvalue()


def test_the_test_command_exits_non_zero_when_rejected(fake, connection):
    connection.auth_token = "nope"
    connection.save()
    with pytest.raises(CommandError, match=r"rejected the credentials \(HTTP 401\)"):
        call_command("twilio_connection", "test")


def test_the_set_command_refuses_a_bad_value(monkeypatch):
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "x")
    with pytest.raises(CommandError, match="concurrency"):
        call_command("twilio_connection", "set", "--account-sid", ACCOUNT_SID, "--concurrency", "0")


def test_the_admin_never_shows_the_token_and_its_button_tests_the_connection(fake, connection, admin_client):
    page = admin_client.get(f"/admin/connector/twilioconnection/{connection.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200 and AUTH_TOKEN not in html
    assert "Auth token (set)" in html and "Test connection" in html
    response = admin_client.post(f"/admin/connector/twilioconnection/{connection.pk}/test/", follow=True)
    assert "Connection works." in response.content.decode()


def test_a_blank_token_in_the_admin_keeps_the_stored_one(fake, connection, admin_client):
    data = {
        "account_sid": ACCOUNT_SID,
        "auth_token": "",
        "base_url": fake.base_url,
        "masking_strict": "on",
        "retention_days": 0,
        "concurrency": 5,
        "page_size": 50,
    }
    response = admin_client.post(f"/admin/connector/twilioconnection/{connection.pk}/change/", data)
    assert response.status_code == 302
    connection.refresh_from_db()
    assert connection.auth_token == AUTH_TOKEN and connection.concurrency == 5
