"""tests/contract.py itself: it passes what the spec allows and catches what it does not."""

import json

import pytest
import requests
from django.http import HttpResponse, JsonResponse

from tests.contract import ContractError, check_error_body, check_request, check_response

BASE = "http://127.0.0.1:8000/sandbox/twilio"
USER = {
    "sid": "US" + "a" * 32,
    "account_sid": "AC" + "a" * 32,
    "chat_service_sid": "IS" + "a" * 32,
    "role_sid": None,
    "identity": "alice@example.com",
    "friendly_name": "Alice",
    "attributes": "{}",
    "is_online": None,
    "is_notifiable": None,
    "date_created": "2024-01-01T00:00:00Z",
    "date_updated": "2024-01-01T00:00:00Z",
    "url": "https://conversations.twilio.com/v1/Users/US" + "a" * 32,
    "links": {},
}


def _prepared(method: str, path: str, **kwargs) -> requests.PreparedRequest:
    return requests.Request(method, BASE + path, auth=("AC" + "a" * 32, "token"), **kwargs).prepare()


def _requests_response(status: int, body: dict | None) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode() if body is not None else b""
    response.headers["Content-Type"] = "application/json"
    return response


def test_a_form_encoded_update_through_any_base_url_is_valid():
    check_request(_prepared("POST", "/v1/Users/US" + "a" * 32, data={"FriendlyName": "x", "Attributes": "{}"}))
    check_request(
        requests.Request("GET", "http://localhost:9/v1/Users", params={"PageSize": 50}, auth=("a", "b")).prepare()
    )


def test_a_page_size_above_the_endpoint_maximum_is_caught():
    with pytest.raises(ContractError, match="PageSize"):
        check_request(_prepared("GET", "/v1/Users", params={"PageSize": 1000}))


def test_a_json_update_body_is_caught():
    with pytest.raises(ContractError, match="mimetype"):
        check_request(_prepared("POST", "/v1/Users/US" + "a" * 32, json={"FriendlyName": "x"}))


def test_a_request_without_basic_auth_is_caught():
    with pytest.raises(ContractError):
        check_request(requests.Request("GET", BASE + "/v1/Users").prepare())


def test_a_path_outside_the_spec_is_caught():
    with pytest.raises(ContractError):
        check_request(_prepared("GET", "/v1/Nonsense"))


def test_a_response_in_the_spec_shape_passes_and_a_broken_one_is_caught():
    request = _prepared("GET", "/v1/Users/alice@example.com")
    check_response(request, _requests_response(200, USER))
    with pytest.raises(ContractError):
        check_response(request, _requests_response(200, {**USER, "sid": "not-a-sid"}))
    with pytest.raises(ContractError):
        check_response(request, _requests_response(200, {**USER, "date_created": "yesterday"}))


def test_django_responses_are_checked_too():
    request = _prepared("GET", "/v1/Users/alice@example.com")
    check_response(request, JsonResponse(USER))
    with pytest.raises(ContractError):
        check_response(request, JsonResponse({**USER, "is_online": "yes"}))
    check_response(_prepared("DELETE", "/v1/Users/alice@example.com"), HttpResponse(status=204))


def test_error_bodies_must_have_twilios_shape():
    good = {
        "code": 20404,
        "message": "nope",
        "more_info": "https://www.twilio.com/docs/errors/20404",
        "status": 404,
    }
    assert check_error_body(_requests_response(404, good))["code"] == 20404
    with pytest.raises(ContractError):
        check_error_body(_requests_response(404, {"detail": "not found"}))
    with pytest.raises(ContractError):
        check_error_body(_requests_response(404, {**good, "status": 500}))
