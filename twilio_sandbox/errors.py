"""Twilio's error bodies: `{code, message, more_info, status}`."""

from django.http import HttpResponse

from .responses import json_response


class TwilioError(Exception):
    """Raised by a view to answer with a Twilio error body."""

    def __init__(self, status: int, code: int, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def error_response(status: int, code: int, message: str) -> HttpResponse:
    body = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
    return json_response(body, status=status)


def not_found(path: str) -> TwilioError:
    # Name the resource as Twilio would, without the sandbox's mount point.
    resource = path[path.find("/v1/") :] if "/v1/" in path else path
    return TwilioError(404, 20404, f"The requested resource {resource} was not found")


def invalid_parameter(message: str) -> TwilioError:
    # 20001 is Twilio's "Invalid parameter"; it answers 400 with it for malformed query and form values.
    return TwilioError(400, 20001, message)


def no_content() -> HttpResponse:
    """A delete's answer: 204 with no body (and so no content type)."""
    response = HttpResponse(status=204)
    del response["Content-Type"]
    return response
