"""Every request the engine sends, and every answer the sandbox gives, validated against Twilio's OpenAPI spec."""

import pytest

from connector.runner import run_request
from requests_app.models import RequestType, Status
from tests.contract import check_exchange
from tests.factories import PrivacyRequestFactory
from twilio_sandbox.seed import DEMO_ACCOUNT_SID, DEMO_AUTH_TOKEN, seed_demo

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def exchanges(monkeypatch):
    """Record every (request, response) that goes through the one outbound HTTP path."""
    from privacyportal import outbound

    seen = []
    real_session = outbound.session

    def recording_session():
        session = real_session()
        if not getattr(session, "_recording", False):
            session.hooks["response"].append(lambda response, *a, **k: seen.append(response))
            session._recording = True
        return session

    monkeypatch.setattr(outbound, "session", recording_session)
    yield seen
    real_session().hooks["response"].clear()


@pytest.fixture
def sandbox(live_server):
    from connector.connection import set_connection

    seed_demo()
    return set_connection(
        account_sid=DEMO_ACCOUNT_SID,
        auth_token=DEMO_AUTH_TOKEN,
        base_url=f"{live_server.url}/sandbox/twilio",
        page_size=2,  # several pages everywhere, so next_page_url links are exercised too
    )


@pytest.mark.parametrize(
    ("request_type", "identity", "strict"),
    [
        (RequestType.ACCESS, {"email": "alice@example.com"}, True),
        (RequestType.ACCESS, {"phone": "+15005550101"}, True),
        (RequestType.ERASURE, {"email": "alice@example.com"}, True),
        (RequestType.ERASURE, {"phone": "+15005550101"}, False),
    ],
)
def test_engine_requests_and_sandbox_answers_match_the_spec(sandbox, exchanges, request_type, identity, strict):
    sandbox.masking_strict = strict
    sandbox.save()
    privacy_request = PrivacyRequestFactory(request_type=request_type, status=Status.APPROVED, **identity)
    run_request(privacy_request.pk)
    privacy_request.refresh_from_db()
    assert privacy_request.status == Status.COMPLETE, privacy_request.failure_reason
    methods = {response.request.method for response in exchanges}
    assert "GET" in methods
    if request_type == RequestType.ERASURE:
        assert methods & {"POST", "DELETE"}
    for response in exchanges:
        check_exchange(response)
