"""The messaging app's entry points for the rest of the product (interface; providers come with issue 3)."""


class MessagingUnavailable(Exception):
    """No usable messaging configuration for the channel; str() is safe to show the subject."""


def identity_verification_required() -> bool:
    return True


def send_verification_code(*, privacy_request, code: str, channel: str) -> int:
    raise MessagingUnavailable("We cannot send verification codes right now. Please try again later.")


def notify_subject(*, privacy_request_id: int, kind: str, context: dict) -> None:
    return None


def delivery_problem(privacy_request) -> str | None:
    return None
