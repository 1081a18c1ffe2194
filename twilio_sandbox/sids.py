"""Twilio-shaped SIDs: a two-letter prefix and 32 hex digits."""

import uuid


def new_sid(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex}"
