"""Fixtures: a fake Twilio on loopback, seeded with subjects and bystanders, and a connection to it."""

import pytest

from connector.models import TwilioConnection
from requests_app.models import RequestType, Status
from tests.factories import PrivacyRequestFactory

from .fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio

ALICE = "alice@example.com"
BOB = "bob@example.com"
AGENT = "agent@example.com"
CAROL_PHONE = "+15551234567"


@pytest.fixture
def fake(httpserver):
    return FakeTwilio(httpserver)


@pytest.fixture
def world(fake):
    """Alice (chat, by email) talks with Bob; Carol (SMS only) with the agent; Bob and the agent alone."""
    alice = fake.add_user(ALICE, "Alice Doe", '{"city": "Paris"}')
    fake.add_user(BOB, "Bob Roe")
    fake.add_user(AGENT, "Agent Smith")
    c1 = fake.add_conversation("Alice and Bob")
    pa = fake.add_participant(c1, identity=ALICE, attributes='{"vip": true}')
    pb = fake.add_participant(c1, identity=BOB)
    for i in range(3):
        fake.add_message(c1, pa, f"alice says {i}")
        fake.add_message(c1, pb, f"bob says {i}")
    c2 = fake.add_conversation("Carol by SMS")
    pc = fake.add_participant(c2, address=CAROL_PHONE)
    pg = fake.add_participant(c2, identity=AGENT)
    fake.add_message(c2, pc, "carol's question")
    fake.add_message(c2, pg, "agent's answer")
    c3 = fake.add_conversation("Bob and agent")
    pb3 = fake.add_participant(c3, identity=BOB)
    fake.add_message(c3, pb3, "unrelated")
    return {"alice": alice, "c1": c1, "c2": c2, "c3": c3}


@pytest.fixture
def connection(fake, db):
    return TwilioConnection.objects.create(
        account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN, base_url=fake.base_url, concurrency=4, page_size=1000
    )


def approved(request_type: str = RequestType.ACCESS, **identity):
    return PrivacyRequestFactory(request_type=request_type, status=Status.APPROVED, **identity)
