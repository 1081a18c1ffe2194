"""Validation of a messaging config's details and secrets: same rules in API, admin and status.

Error messages name fields, never values, so they are safe to return from the API even for secrets.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", re.IGNORECASE)
ACCOUNT_SID = re.compile(r"^AC[0-9a-fA-F]{32}$")
MESSAGING_SERVICE_SID = re.compile(r"^MG[0-9a-fA-F]{32}$")
TEMPLATE_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")
# Credentials are opaque to us, but printable and without spaces: a pasted newline or quote is a mistake.
TOKEN = re.compile(r"^[\x21-\x7e]{8,512}$")


class SchemaError(Exception):
    """Field name -> message; the message never repeats the value."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class Field:
    kind: type = str
    required: bool = False
    default: object = None
    pattern: re.Pattern | None = None
    hint: str = ""
    choices: tuple = ()
    max_length: int = 254
    check: Callable[[str], None] | None = None


def _email(value: str) -> None:
    validate_email(value)


EMAIL = Field(check=_email, hint="an email address")


def _field_error(field: Field, value) -> str | None:
    if field.kind is bool:
        return None if isinstance(value, bool) else "Must be true or false."
    if field.kind is dict:
        return None if isinstance(value, dict) else "Must be an object."
    if not isinstance(value, str):
        return "Must be a string."
    if len(value) > field.max_length:
        return f"Must be at most {field.max_length} characters."
    if field.choices and value not in field.choices:
        return "Must be one of: " + ", ".join(field.choices) + "."
    if field.pattern is not None and not field.pattern.match(value):
        return f"Must be {field.hint}." if field.hint else "Has the wrong format."
    if field.check is not None:
        try:
            field.check(value)
        except ValidationError:
            return f"Must be {field.hint}." if field.hint else "Has the wrong format."
    return None


def clean(schema: dict[str, Field], data, *, fill_defaults: bool = True) -> dict:
    """Return the cleaned dict or raise SchemaError: unknown keys, missing required keys, wrong types."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SchemaError({"__all__": "Must be an object."})
    errors: dict[str, str] = {}
    for key in data:
        if key not in schema:
            errors[str(key)[:100]] = "Unknown field."
    cleaned: dict = {}
    for name, field in schema.items():
        value = data.get(name)
        if isinstance(value, str) and field.kind is str:
            value = value.strip()
        if value is None or value == "":
            if field.required:
                errors[name] = "This field is required."
            elif fill_defaults and field.default is not None:
                cleaned[name] = field.default
            continue
        problem = _field_error(field, value)
        if problem:
            errors[name] = problem
        else:
            cleaned[name] = value
    if errors:
        raise SchemaError(errors)
    return cleaned
