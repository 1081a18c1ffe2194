"""The Fides-compatible messaging API: the same paths and bodies as Fides, Bearer tokens from the admin.

Bad input gets 422 with FastAPI-style field errors (`{"detail": [{"loc", "msg", "type"}]}`), as Fides answers;
secrets are never echoed back.
"""

import json
from functools import wraps

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from . import schemas, services
from .models import ApiToken, MessagingConfig
from .providers import REGISTRY
from .status import messaging_status

MAX_BODY_BYTES = 16 * 1024
NOTIFICATION_FIELDS = {
    "send_request_completion_notification": schemas.Field(kind=bool),
    "send_request_receipt_notification": schemas.Field(kind=bool),
    "send_request_review_notification": schemas.Field(kind=bool),
    "notification_service_type": schemas.Field(choices=tuple(REGISTRY), max_length=32),
}
EXECUTION_FIELDS = {"subject_identity_verification_required": schemas.Field(kind=bool)}


class BadBody(Exception):
    def __init__(self, errors: list[dict]):
        super().__init__("bad body")
        self.errors = errors


def _error(loc: list, msg: str, kind: str = "value_error") -> dict:
    return {"loc": ["body", *loc], "msg": msg, "type": kind}


def _from_schema(exc: schemas.SchemaError, prefix: list) -> BadBody:
    return BadBody([_error([*prefix, *([] if k == "__all__" else [k])], v) for k, v in exc.errors.items()])


def api_view(*methods: str):
    """Bearer auth, allowed methods, JSON body parsing and 422s, for every endpoint of this module."""

    def wrap(view):
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            scheme, _, token = request.headers.get("Authorization", "").partition(" ")
            if scheme.lower() != "bearer" or ApiToken.authenticate(token.strip()) is None:
                response = JsonResponse(
                    {"detail": "Authentication required: send a valid API token as Bearer."}, status=401
                )
                response["WWW-Authenticate"] = "Bearer"
                return response
            if request.method not in methods:
                response = JsonResponse({"detail": "Method not allowed"}, status=405)
                response["Allow"] = ", ".join(methods)
                return response
            try:
                body = _parse(request) if request.method in ("PUT", "PATCH") else None
                return view(request, body, *args, **kwargs)
            except BadBody as exc:
                return JsonResponse({"detail": exc.errors}, status=422)

        return wrapped

    return wrap


def _parse(request: HttpRequest) -> dict:
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY_BYTES or len(request.body) > MAX_BODY_BYTES:
        raise BadBody(
            [_error([], f"The body is larger than {MAX_BODY_BYTES} bytes.", "value_error.too_large")]
        )
    try:
        body = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadBody([_error([], "The body is not valid JSON.", "value_error.jsondecode")]) from None
    if not isinstance(body, dict):
        raise BadBody([_error([], "The body must be a JSON object.", "type_error.dict")])
    return body


@api_view("PUT")
def put_default_config(request: HttpRequest, body: dict) -> JsonResponse:
    try:
        top = schemas.clean(
            {
                "service_type": schemas.Field(required=True, choices=tuple(REGISTRY), max_length=32),
                "details": schemas.Field(kind=dict),
            },
            body,
        )
    except schemas.SchemaError as exc:
        raise _from_schema(exc, []) from None
    service_type = top["service_type"]
    try:
        details = REGISTRY[service_type].clean_details(body.get("details"))
    except schemas.SchemaError as exc:
        raise _from_schema(exc, ["details"]) from None
    config = services.upsert_default_config(service_type=service_type, details=details)
    return JsonResponse(_config_json(config))


@api_view("PUT")
def put_default_secrets(request: HttpRequest, body: dict, service_type: str) -> JsonResponse:
    if service_type not in REGISTRY:
        return JsonResponse({"detail": f"Unknown messaging service type {service_type[:40]!r}."}, status=404)
    config = MessagingConfig.objects.filter(service_type=service_type).first()
    if config is None:
        return JsonResponse(
            {"detail": f"No messaging config of type {service_type}: PUT /api/v1/messaging/default first."},
            status=404,
        )
    try:
        services.set_secrets(config=config, secrets=body)
    except schemas.SchemaError as exc:
        raise _from_schema(exc, []) from None
    return JsonResponse(
        {
            "msg": f"Secrets updated for MessagingConfig with key: {config.key}.",
            "test_status": None,
            "failure_reason": None,
        }
    )


@api_view("PATCH")
def patch_config(request: HttpRequest, body: dict) -> JsonResponse:
    errors: list[dict] = []
    for key in body:
        if key not in ("notifications", "execution"):
            errors.append(_error([str(key)[:100]], "Unknown field."))
    values = {}
    for section, fields in (("notifications", NOTIFICATION_FIELDS), ("execution", EXECUTION_FIELDS)):
        try:
            values.update(schemas.clean(fields, body.get(section), fill_defaults=False))
        except schemas.SchemaError as exc:
            errors.extend(_from_schema(exc, [section]).errors)
    if errors:
        raise BadBody(errors)
    return JsonResponse(_settings_json(services.update_settings(**values)))


@api_view("GET")
def get_status(request: HttpRequest, body: None) -> JsonResponse:
    return JsonResponse(messaging_status())


def _config_json(config: MessagingConfig) -> dict:
    return {
        "name": config.name,
        "key": config.key,
        "service_type": config.service_type,
        "details": config.details,
        "default_for_email": config.default_for_email,
        "default_for_sms": config.default_for_sms,
    }


def _settings_json(row) -> dict:
    return {
        "notifications": {name: getattr(row, name) for name in NOTIFICATION_FIELDS},
        "execution": {name: getattr(row, name) for name in EXECUTION_FIELDS},
    }
