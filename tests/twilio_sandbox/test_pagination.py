"""Twilio paging: PageSize maxima per endpoint, absolute next/previous URLs, every record exactly once."""

import pytest

from twilio_sandbox.seed import seed_bulk

from .conftest import TwilioClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def bulk(client):
    result = seed_bulk(conversations=3, messages=23, others=60)
    return result, TwilioClient(client, result.account_sid, result.auth_token)


def _walk(twilio: TwilioClient, path: str, params: dict) -> tuple[list[dict], list[dict]]:
    records, metas = [], []
    body = twilio.get(path, params).json()
    while True:
        records += body[body["meta"]["key"]]
        metas.append(body["meta"])
        if not body["meta"]["next_page_url"]:
            return records, metas
        body = twilio.get(body["meta"]["next_page_url"]).json()


def test_walking_next_page_urls_sees_every_message_once_in_order(bulk):
    _, twilio = bulk
    chat = twilio.get("/v1/Conversations").json()["conversations"][0]
    records, metas = _walk(twilio, f"/v1/Conversations/{chat['sid']}/Messages", {"PageSize": 5})
    assert [m["index"] for m in records] == list(range(23))
    assert [meta["page"] for meta in metas] == [0, 1, 2, 3, 4]
    assert metas[0]["previous_page_url"] is None
    assert metas[-1]["next_page_url"] is None
    assert all(meta["next_page_url"].startswith("http://testserver/sandbox/twilio/v1/") for meta in metas[:-1])


def test_walking_descending_messages_keeps_the_order_parameter(bulk):
    _, twilio = bulk
    chat = twilio.get("/v1/Conversations").json()["conversations"][0]
    records, metas = _walk(twilio, f"/v1/Conversations/{chat['sid']}/Messages", {"PageSize": 10, "Order": "desc"})
    assert [m["index"] for m in records] == list(range(22, -1, -1))
    assert all("Order=desc" in meta["url"] for meta in metas)


def test_walking_users_with_the_maximum_page_size_sees_each_user_once(bulk):
    _, twilio = bulk
    records, metas = _walk(twilio, "/v1/Users", {"PageSize": 50})
    assert len(records) == 61 == len({user["sid"] for user in records})
    assert [meta["page_size"] for meta in metas] == [50, 50]


def test_previous_page_url_leads_back_to_the_same_records(bulk):
    _, twilio = bulk
    first = twilio.get("/v1/Users", {"PageSize": 20}).json()
    second = twilio.get(first["meta"]["next_page_url"]).json()
    back = twilio.get(second["meta"]["previous_page_url"]).json()
    assert back["users"] == first["users"]
    assert back["meta"]["previous_page_url"] is None


def test_pages_stay_stable_when_records_before_the_token_are_deleted(bulk):
    _, twilio = bulk
    chat = twilio.get("/v1/Conversations").json()["conversations"][0]
    first = twilio.get(f"/v1/Conversations/{chat['sid']}/Messages", {"PageSize": 5}).json()
    for message in first["messages"]:
        assert twilio.delete(message["url"]).status_code == 204
    second = twilio.get(first["meta"]["next_page_url"]).json()
    assert [m["index"] for m in second["messages"]] == [5, 6, 7, 8, 9]


def test_page_without_token_falls_back_to_an_offset(bulk):
    _, twilio = bulk
    users = twilio.get("/v1/Users", {"PageSize": 10, "Page": 2}).json()["users"]
    everyone = twilio.get("/v1/Users", {"PageSize": 50}).json()["users"]
    assert users == everyone[20:30]


@pytest.mark.parametrize(
    ("path", "maximum"),
    [
        ("/v1/Users", 50),
        ("/v1/Users/subject@example.com/Conversations", 50),
        ("/v1/ParticipantConversations?Identity=subject@example.com", 50),
        ("/v1/Conversations", 100),
        ("/v1/Conversations/generated-0/Messages", 100),
        ("/v1/Conversations/generated-0/Participants", 100),
    ],
)
def test_page_size_up_to_the_endpoint_maximum_is_served_and_above_it_refused(bulk, path, maximum):
    _, twilio = bulk
    joiner = "&" if "?" in path else "?"
    served = twilio.get(f"{path}{joiner}PageSize={maximum}")
    assert served.status_code == 200
    assert served.json()["meta"]["page_size"] == maximum
    refused = twilio.get(f"{path}{joiner}PageSize={maximum + 1}", valid=False)
    assert refused.status_code == 400
    assert refused.json()["code"] == 20001


def test_default_page_size_is_50(bulk):
    _, twilio = bulk
    body = twilio.get("/v1/Users").json()
    assert body["meta"]["page_size"] == 50
    assert len(body["users"]) == 50


@pytest.mark.parametrize("token", ["garbage", "PTabc", "XX12"])
def test_malformed_page_token_is_refused(bulk, token):
    _, twilio = bulk
    assert twilio.get("/v1/Users", {"PageToken": token}).status_code == 400
