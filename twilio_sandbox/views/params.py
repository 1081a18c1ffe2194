"""Form-encoded (PascalCase) parameters of Twilio's update requests, checked as Twilio checks them."""

import json
import re
from datetime import datetime

from django.http import HttpRequest
from django.utils.dateparse import parse_datetime

from ..errors import invalid_parameter

ROLE_SID = re.compile(r"^RL[0-9a-fA-F]{32}$")


def attributes(request: HttpRequest) -> str | None:
    raw = request.POST.get("Attributes")
    if raw is None:
        return None
    try:
        json.loads(raw)
    except ValueError:
        # Twilio requires "structurally valid JSON" in every Attributes parameter.
        raise invalid_parameter("Invalid Attributes: must be a JSON string") from None
    return raw


def role_sid(request: HttpRequest) -> str | None:
    raw = request.POST.get("RoleSid")
    if raw is not None and not ROLE_SID.match(raw):
        raise invalid_parameter(f"Invalid RoleSid: {raw!r}")
    return raw


def date(request: HttpRequest, name: str) -> datetime | None:
    raw = request.POST.get(name)
    if raw is None:
        return None
    value = parse_datetime(raw)
    if value is None:
        raise invalid_parameter(f"Invalid {name}: {raw!r} is not an ISO 8601 date-time")
    return value


def text(request: HttpRequest, name: str, max_length: int) -> str | None:
    raw = request.POST.get(name)
    if raw is not None and len(raw) > max_length:
        raise invalid_parameter(f"Invalid {name}: longer than {max_length} characters")
    return raw
