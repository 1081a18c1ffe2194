"""Every endpoint of the fake answers as the spec says (each exchange is checked by tests/contract.py)."""

from urllib.parse import quote

import pytest

from twilio_sandbox.models import SandboxMessage, SandboxParticipant, SandboxUser
from twilio_sandbox.seed import DEMO_SMS_SUBJECT_PHONE

from .conftest import PREFIX, TwilioClient

pytestmark = pytest.mark.django_db

ALICE = "alice@example.com"


def _conversation_sid(unique_name: str) -> str:
    from twilio_sandbox.models import SandboxConversation

    return SandboxConversation.objects.get(unique_name=unique_name).sid


def test_users_list_holds_every_demo_user_in_spec_shape(twilio):
    body = twilio.get("/v1/Users").json()
    assert [user["identity"] for user in body["users"]] == [
        "alice@example.com",
        "bob@example.com",
        "carol@example.com",
        "dave@example.com",
    ]
    assert body["meta"]["key"] == "users"
    assert body["users"][0]["url"].startswith("http://testserver/sandbox/twilio/v1/Users/US")


def test_user_fetch_accepts_identity_in_place_of_sid(twilio):
    by_identity = twilio.get(f"/v1/Users/{ALICE}").json()
    by_sid = twilio.get(f"/v1/Users/{by_identity['sid']}").json()
    assert by_identity == by_sid
    assert by_identity["friendly_name"] == "Alice Martin"


def test_user_fetch_accepts_url_encoded_identity(twilio):
    assert twilio.get(f"/v1/Users/{quote(ALICE, safe='')}").json()["identity"] == ALICE


def test_user_conversations_accept_identity_and_list_the_users_conversations(twilio):
    body = twilio.get(f"/v1/Users/{ALICE}/Conversations").json()
    assert sorted(c["unique_name"] for c in body["conversations"]) == ["order-1001", "weekend-hike"]
    user_sid = SandboxUser.objects.get(identity=ALICE).sid
    assert {c["user_sid"] for c in body["conversations"]} == {user_sid}
    one = body["conversations"][0]
    assert twilio.get(one["url"]).json() == one


def test_conversations_list_and_fetch(twilio):
    listed = twilio.get("/v1/Conversations").json()["conversations"]
    assert len(listed) == 5
    fetched = twilio.get(f"/v1/Conversations/{listed[0]['sid']}").json()
    assert fetched == listed[0]
    assert twilio.get("/v1/Conversations/order-1001").json()["sid"] == fetched["sid"]


def test_messages_list_in_ascending_and_descending_order(twilio):
    sid = _conversation_sid("weekend-hike")
    ascending = twilio.get(f"/v1/Conversations/{sid}/Messages").json()["messages"]
    descending = twilio.get(f"/v1/Conversations/{sid}/Messages", {"Order": "desc"}).json()["messages"]
    assert [m["index"] for m in ascending] == list(range(8))
    assert descending == ascending[::-1]
    assert twilio.get(ascending[2]["url"]).json() == ascending[2]


def test_message_dates_are_utc_seconds_with_a_z_however_the_database_keeps_them(twilio):
    from datetime import UTC, datetime, timedelta, timezone

    sid = _conversation_sid("weekend-hike")
    message = SandboxMessage.objects.filter(conversation__sid=sid).order_by("index").first()
    # Stored from another zone, with microseconds: the answer is still UTC seconds.
    created = datetime(2024, 2, 29, 23, 59, 58, 987654, tzinfo=timezone(timedelta(hours=-5)))
    SandboxMessage.objects.filter(pk=message.pk).update(date_created=created)
    listed = twilio.get(f"/v1/Conversations/{sid}/Messages").json()["messages"][0]
    assert listed["date_created"] == "2024-03-01T04:59:58Z"
    assert listed["date_created"] == created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert listed == twilio.get(listed["url"]).json()


def test_messages_of_a_phone_participant_carry_its_address_as_author(twilio):
    sid = _conversation_sid("delivery-2002")
    messages = twilio.get(f"/v1/Conversations/{sid}/Messages").json()["messages"]
    participant = SandboxParticipant.objects.get(conversation__sid=sid, address=DEMO_SMS_SUBJECT_PHONE)
    assert {m["author"] for m in messages if m["participant_sid"] == participant.sid} == {DEMO_SMS_SUBJECT_PHONE}


def test_participants_list_and_fetch_show_sms_binding_and_identity(twilio):
    sid = _conversation_sid("weekend-hike")
    participants = twilio.get(f"/v1/Conversations/{sid}/Participants").json()["participants"]
    sms = [p for p in participants if p["messaging_binding"]]
    assert sms[0]["identity"] is None
    assert sms[0]["messaging_binding"]["address"] == DEMO_SMS_SUBJECT_PHONE
    assert twilio.get(sms[0]["url"]).json() == sms[0]
    assert twilio.get(f"/v1/Conversations/{sid}/Participants/{ALICE}").json()["identity"] == ALICE


def test_participant_conversations_by_url_encoded_address(twilio, client):
    body = twilio.get("/v1/ParticipantConversations", {"Address": DEMO_SMS_SUBJECT_PHONE}).json()
    assert sorted(c["conversation_unique_name"] for c in body["conversations"]) == [
        "delivery-2002",
        "weekend-hike",
    ]
    assert all(c["participant_user_sid"] is None for c in body["conversations"])
    assert "Address=%2B15005550101" in body["meta"]["url"]
    # The same, with the query string written by hand as a client would send it.
    raw = client.get(f"{PREFIX}/v1/ParticipantConversations?Address=%2B15005550101", **twilio.headers).json()
    assert raw["conversations"] == body["conversations"]


def test_participant_conversations_by_identity(twilio):
    body = twilio.get("/v1/ParticipantConversations", {"Identity": ALICE}).json()
    assert sorted(c["conversation_unique_name"] for c in body["conversations"]) == [
        "order-1001",
        "weekend-hike",
    ]
    assert {c["participant_identity"] for c in body["conversations"]} == {ALICE}


@pytest.mark.parametrize("params", [{}, {"Identity": ALICE, "Address": DEMO_SMS_SUBJECT_PHONE}])
def test_participant_conversations_need_exactly_one_of_identity_or_address(twilio, params):
    response = twilio.get("/v1/ParticipantConversations", params)
    assert response.status_code == 400
    assert response.json()["code"] == 20001


def test_user_update_form_encoded_changes_state(twilio):
    response = twilio.post(f"/v1/Users/{ALICE}", {"FriendlyName": "Masked", "Attributes": "{}"})
    assert response.status_code == 200
    assert response.json()["friendly_name"] == "Masked"
    user = SandboxUser.objects.get(identity=ALICE)
    assert (user.friendly_name, user.attributes) == ("Masked", "{}")


def test_message_update_form_encoded_changes_only_that_message(twilio):
    sid = _conversation_sid("order-1001")
    first, second = twilio.get(f"/v1/Conversations/{sid}/Messages", {"PageSize": 2}).json()["messages"]
    updated = twilio.post(first["url"], {"Body": "[masked]", "Author": "masked", "Attributes": "{}"}).json()
    assert (updated["body"], updated["author"], updated["attributes"]) == ("[masked]", "masked", "{}")
    assert SandboxMessage.objects.get(sid=first["sid"]).body == "[masked]"
    assert SandboxMessage.objects.get(sid=second["sid"]).body == second["body"]


def test_participant_update_form_encoded_changes_attributes(twilio):
    sid = _conversation_sid("weekend-hike")
    participant = SandboxParticipant.objects.get(conversation__sid=sid, address=DEMO_SMS_SUBJECT_PHONE)
    body = twilio.post(f"/v1/Conversations/{sid}/Participants/{participant.sid}", {"Attributes": "{}"}).json()
    assert body["attributes"] == "{}"
    participant.refresh_from_db()
    assert participant.attributes == "{}"


def test_update_with_attributes_that_are_not_json_is_refused(twilio):
    response = twilio.post(f"/v1/Users/{ALICE}", {"Attributes": "not json"})
    assert response.status_code == 400
    assert SandboxUser.objects.get(identity=ALICE).attributes != "not json"


def test_update_sent_as_multipart_is_refused_and_changes_nothing(twilio, client):
    response = client.post(f"{PREFIX}/v1/Users/{ALICE}", {"FriendlyName": "x"}, **twilio.headers)
    assert response.status_code == 400
    assert SandboxUser.objects.get(identity=ALICE).friendly_name == "Alice Martin"


@pytest.mark.parametrize("kind", ["message", "participant", "user"])
def test_delete_answers_204_without_body_then_404(twilio, kind):
    sid = _conversation_sid("order-1001")
    if kind == "message":
        url = twilio.get(f"/v1/Conversations/{sid}/Messages").json()["messages"][0]["url"]
    elif kind == "participant":
        url = twilio.get(f"/v1/Conversations/{sid}/Participants").json()["participants"][0]["url"]
    else:
        url = twilio.get(f"/v1/Users/{ALICE}").json()["url"]
    deleted = twilio.delete(url)
    assert deleted.status_code == 204
    assert deleted.content == b""
    gone = twilio.get(url)
    assert gone.status_code == 404
    assert twilio.delete(url).status_code == 404


def test_unknown_resource_answers_twilio_404_body(twilio):
    response = twilio.get("/v1/Users/nobody@example.com")
    assert response.status_code == 404
    assert response.json() == {
        "code": 20404,
        "message": "The requested resource /v1/Users/nobody@example.com was not found",
        "more_info": "https://www.twilio.com/docs/errors/20404",
        "status": 404,
    }


@pytest.mark.parametrize("credentials", [None, ("wrong", "creds"), ("own-sid", "wrong-token")])
def test_missing_or_wrong_credentials_answer_twilio_401_body(client, demo, credentials):
    if credentials is None:
        response = client.get(f"{PREFIX}/v1/Users")
    else:
        sid = demo.account_sid if credentials[0] == "own-sid" else credentials[0]
        response = TwilioClient(client, sid, credentials[1], check=False).get("/v1/Users")
    assert response.status_code == 401
    assert response.json() == {
        "code": 20003,
        "message": "Authenticate",
        "more_info": "https://www.twilio.com/docs/errors/20003",
        "status": 401,
    }


def test_another_accounts_data_is_invisible(client, demo):
    from twilio_sandbox.models import SandboxAccount

    other = SandboxAccount.objects.create(friendly_name="other")
    outsider = TwilioClient(client, other.sid, other.auth_token)
    assert outsider.get("/v1/Users").json()["users"] == []
    assert outsider.get(f"/v1/Users/{ALICE}").status_code == 404


def test_method_not_in_spec_answers_405(twilio):
    response = twilio.delete("/v1/Users", valid=False)
    assert response.status_code == 405
