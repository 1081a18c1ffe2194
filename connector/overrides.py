"""Functions a saas_config names in `request_override`, registered by name.

An override receives the client, the request's resolved params and the endpoint's masked values,
and returns the vendor's response; the engine reads its status like any other request's.
"""

from collections.abc import Callable
from urllib.parse import quote

import requests

from .client import SaasClient

Override = Callable[..., requests.Response]
REGISTRY: dict[str, Override] = {}


def register(name: str) -> Callable[[Override], Override]:
    def decorator(func: Override) -> Override:
        REGISTRY[name] = func
        return func

    return decorator


def get(name: str) -> Override:
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"No request override named {name!r} is registered in connector/overrides.py") from None


def _seg(value: str) -> str:
    return quote(str(value), safe="")


# Twilio updates are POSTs with form-encoded PascalCase fields (the fields the spec marks as PII).


@register("twilio_user_update")
def twilio_user_update(client: SaasClient, *, params: dict, masked: dict) -> requests.Response:
    data = {"FriendlyName": masked["friendly_name"], "Attributes": masked["attributes"]}
    return client.request("POST", f"/v1/Users/{_seg(params['sid'])}", data=data)


@register("twilio_conversation_message_update")
def twilio_conversation_message_update(client: SaasClient, *, params: dict, masked: dict) -> requests.Response:
    data = {"Body": masked["body"], "Attributes": masked["attributes"], "Author": masked["author"]}
    path = f"/v1/Conversations/{_seg(params['conversation_id'])}/Messages/{_seg(params['message_id'])}"
    return client.request("POST", path, data=data)


@register("twilio_conversation_participant_update")
def twilio_conversation_participant_update(client: SaasClient, *, params: dict, masked: dict) -> requests.Response:
    # Identity and the SMS address (messaging_binding) cannot be masked through the API;
    # only deletion removes them.
    path = f"/v1/Conversations/{_seg(params['conversation_id'])}/Participants/{_seg(params['participant_id'])}"
    return client.request("POST", path, data={"Attributes": masked["attributes"]})
