"""Twilio SMS against a loopback fake: the documented request, and how each error is classified."""

import time

import pytest
from werkzeug import Response

from messaging.providers import DeliveryError, HttpProvider, OutgoingMessage
from privacyportal.outbound import RetryPolicy
from tests.messaging.conftest import ACCOUNT_SID, AUTH_TOKEN, MESSAGING_SERVICE_SID

pytestmark = pytest.mark.django_db

PATH = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
MESSAGE = OutgoingMessage(to="+14155552671", subject="s", text="Acme: your code is 123456.", kind="test", channel="sms")


def _error(status: int, code: int, message: str = "error") -> dict:
    return {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


def test_it_posts_the_documented_form_with_basic_auth_and_returns_the_sid(vendor, twilio_sms):
    vendor.expect_request(PATH, method="POST").respond_with_json({"sid": "SM" + "1" * 32, "status": "queued"}, 201)

    assert twilio_sms.provider().send(MESSAGE) == "SM" + "1" * 32

    request, _ = vendor.log[0]
    assert request.authorization.type == "basic"
    assert (request.authorization.username, request.authorization.password) == (ACCOUNT_SID, AUTH_TOKEN)
    assert request.content_type == "application/x-www-form-urlencoded"
    assert request.form.to_dict() == {
        "To": "+14155552671",
        "Body": "Acme: your code is 123456.",
        "MessagingServiceSid": MESSAGING_SERVICE_SID,
    }


def test_a_sender_phone_number_goes_in_from(vendor, twilio_sms):
    twilio_sms.secrets = {**twilio_sms.secrets, "twilio_sender_phone_number": "+15005550006"}
    del twilio_sms.secrets["twilio_messaging_service_sid"]
    vendor.expect_request(PATH, method="POST").respond_with_json({"sid": "SM1"}, 201)

    twilio_sms.provider().send(MESSAGE)

    form = vendor.log[0][0].form
    assert form["From"] == "+15005550006" and "MessagingServiceSid" not in form


def test_twilio_21211_is_permanent_and_not_retried(vendor, twilio_sms):
    vendor.expect_request(PATH).respond_with_json(_error(400, 21211, "The 'To' number +14155552671 is not valid"), 400)

    with pytest.raises(DeliveryError) as caught:
        twilio_sms.provider().send(MESSAGE)

    assert caught.value.permanent and caught.value.reason == "invalid_number"
    assert "21211" in caught.value.message and "+14155552671" not in caught.value.message
    assert len(vendor.log) == 1


@pytest.mark.parametrize(("code", "reason"), [(21608, "unverified_number"), (21610, "unsubscribed")])
def test_unverified_and_unsubscribed_numbers_are_permanent(vendor, twilio_sms, code, reason):
    vendor.expect_request(PATH).respond_with_json(_error(400, code), 400)

    with pytest.raises(DeliveryError) as caught:
        twilio_sms.provider().send(MESSAGE)

    assert caught.value.permanent and caught.value.reason == reason and len(vendor.log) == 1


def test_401_is_permanent_with_a_staff_readable_message(vendor, twilio_sms):
    vendor.expect_request(PATH).respond_with_json(_error(401, 20003, "Authenticate"), 401)

    with pytest.raises(DeliveryError) as caught:
        twilio_sms.provider().send(MESSAGE)

    assert caught.value.permanent
    assert caught.value.message == "Twilio rejected the credentials (HTTP 401)."
    assert AUTH_TOKEN not in str(caught.value) and len(vendor.log) == 1


def test_429_honours_retry_after_then_gives_a_transient_error(vendor, twilio_sms, sleeps):
    vendor.expect_request(PATH).respond_with_json(_error(429, 20429), 429, headers={"Retry-After": "2"})

    with pytest.raises(DeliveryError) as caught:
        twilio_sms.provider().send(MESSAGE)

    assert not caught.value.permanent
    assert len(vendor.log) == 4  # the first try and outbound's three retries
    assert sleeps == [2.0, 2.0, 2.0]


def test_a_500_is_retried_and_a_later_success_counts(vendor, twilio_sms, sleeps):
    vendor.expect_ordered_request(PATH).respond_with_json({"message": "oops"}, 500)
    vendor.expect_ordered_request(PATH).respond_with_json({"sid": "SM2"}, 201)

    assert twilio_sms.provider().send(MESSAGE) == "SM2"
    assert len(sleeps) == 1


def test_a_500_every_time_is_transient(vendor, twilio_sms):
    vendor.expect_request(PATH).respond_with_json({"message": "oops"}, 500)

    with pytest.raises(DeliveryError) as caught:
        twilio_sms.provider().send(MESSAGE)

    assert not caught.value.permanent and "HTTP 500" in caught.value.message


def test_a_timeout_is_transient_and_names_no_path(vendor, twilio_sms, settings, monkeypatch):
    settings.OUTBOUND_TIMEOUT_SECONDS = 0.1
    monkeypatch.setattr(HttpProvider, "policy", RetryPolicy(retries=1))

    def slow(request):
        time.sleep(0.3)
        return Response("{}", status=201)

    vendor.expect_request(PATH).respond_with_handler(slow)

    with pytest.raises(DeliveryError) as caught:
        twilio_sms.provider().send(MESSAGE)

    assert not caught.value.permanent and "timed out" in caught.value.message
    assert ACCOUNT_SID not in caught.value.message


def test_other_twilio_errors_are_permanent_and_do_not_quote_twilio(vendor, twilio_sms):
    vendor.expect_request(PATH).respond_with_json(_error(400, 21602, "Message body is required for +14155552671"), 400)

    with pytest.raises(DeliveryError) as caught:
        twilio_sms.provider().send(MESSAGE)

    assert caught.value.permanent and "21602" in caught.value.message and "+1415" not in caught.value.message
