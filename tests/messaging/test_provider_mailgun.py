"""Mailgun against a loopback fake: template found vs not found, EU region, errors."""

import json

import pytest

from messaging.providers import DeliveryError, OutgoingMessage
from tests.messaging.conftest import MAILGUN_KEY

pytestmark = pytest.mark.django_db

MESSAGE = OutgoingMessage(
    to="sam@example.com",
    subject="Acme: Your code",
    text="Code 123456",
    html="<p>Code 123456</p>",
    kind="test",
)
TEMPLATE = "/v3/mg.example.com/templates/fides"
MESSAGES = "/v3/mg.example.com/messages"
QUEUED = {"id": "<20261123.1@mg.example.com>", "message": "Queued. Thank you."}


def _assert_basic_auth(request):
    assert request.authorization.type == "basic"
    assert (request.authorization.username, request.authorization.password) == ("api", MAILGUN_KEY)


def test_it_sends_with_the_fides_template_when_mailgun_has_it(vendor, mailgun):
    vendor.expect_ordered_request(TEMPLATE, method="GET").respond_with_json({"template": {"name": "fides"}})
    vendor.expect_ordered_request(MESSAGES, method="POST").respond_with_json(QUEUED)

    assert mailgun.provider().send(MESSAGE) == QUEUED["id"]

    lookup, _ = vendor.log[0]
    send, _ = vendor.log[1]
    _assert_basic_auth(lookup)
    _assert_basic_auth(send)
    form = send.form.to_dict()
    assert json.loads(form.pop("t:variables")) == {"fides_email_body": "<p>Code 123456</p>"}
    assert form == {
        "from": "Acme <mailgun@mg.example.com>",
        "to": "sam@example.com",
        "subject": "Acme: Your code",
        "template": "fides",
    }


@pytest.mark.parametrize("status", [404, 401, 403])
def test_it_falls_back_to_the_built_in_template_when_the_template_cannot_be_read(vendor, mailgun, status):
    vendor.expect_ordered_request(TEMPLATE).respond_with_json({"message": "template not found"}, status)
    vendor.expect_ordered_request(MESSAGES, method="POST").respond_with_json(QUEUED)

    mailgun.provider().send(MESSAGE)

    form = vendor.log[1][0].form.to_dict()
    assert form == {
        "from": "Acme <mailgun@mg.example.com>",
        "to": "sam@example.com",
        "subject": "Acme: Your code",
        "text": "Code 123456",
        "html": "<p>Code 123456</p>",
    }


def test_eu_domain_template_name_and_sender_come_from_details(vendor, mailgun):
    mailgun.details = {
        "domain": "mg.example.com",
        "is_eu_domain": True,
        "template_name": "privacy",
        "from_email": "privacy@example.com",
    }
    vendor.expect_ordered_request("/eu/v3/mg.example.com/templates/privacy").respond_with_json({}, 404)
    vendor.expect_ordered_request("/eu/v3/mg.example.com/messages", method="POST").respond_with_json(QUEUED)

    mailgun.provider().send(MESSAGE)

    assert vendor.log[1][0].form["from"] == "Acme <privacy@example.com>"


def test_401_on_send_is_permanent(vendor, mailgun):
    vendor.expect_request(TEMPLATE).respond_with_data("Forbidden", 401)
    vendor.expect_request(MESSAGES).respond_with_data("Forbidden", 401)

    with pytest.raises(DeliveryError) as caught:
        mailgun.provider().send(MESSAGE)

    assert caught.value.permanent and caught.value.message == "Mailgun rejected the credentials (HTTP 401)."
    assert MAILGUN_KEY not in caught.value.message


def test_400_is_permanent_and_quotes_mailgun(vendor, mailgun):
    vendor.expect_request(TEMPLATE).respond_with_json({}, 404)
    vendor.expect_request(MESSAGES).respond_with_json({"message": "'to' parameter is not a valid address"}, 400)

    with pytest.raises(DeliveryError) as caught:
        mailgun.provider().send(MESSAGE)

    assert caught.value.permanent and caught.value.reason == "invalid_address"
    assert "not a valid address" in caught.value.message


def test_429_on_send_is_transient_after_retries(vendor, mailgun, sleeps):
    vendor.expect_request(TEMPLATE).respond_with_json({}, 404)
    vendor.expect_request(MESSAGES).respond_with_json({"message": "slow down"}, 429, headers={"Retry-After": "1"})

    with pytest.raises(DeliveryError) as caught:
        mailgun.provider().send(MESSAGE)

    assert not caught.value.permanent and sleeps == [1.0, 1.0, 1.0]


def test_an_unreachable_mailgun_is_transient(settings, mailgun):
    settings.MAILGUN_BASE_URL = "http://127.0.0.1:9"  # discard port: nothing listens

    with pytest.raises(DeliveryError) as caught:
        mailgun.provider().send(MESSAGE)

    assert not caught.value.permanent and "Could not reach Mailgun" in caught.value.message
