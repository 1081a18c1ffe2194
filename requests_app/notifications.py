"""The points where the subject is told about their request; messaging.sending does the sending.

Each call is deferred until the surrounding transaction commits, so a rolled-back change
never sends a message.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse


def status_url(privacy_request) -> str:
    return settings.PORTAL_BASE_URL + reverse("portal:status", args=[privacy_request.public_id])


def _notify(privacy_request, kind: str, **context) -> None:
    from messaging.sending import notify_subject

    request_id = privacy_request.pk
    transaction.on_commit(lambda: notify_subject(privacy_request_id=request_id, kind=kind, context=context))


def request_received(privacy_request) -> None:
    _notify(privacy_request, "receipt", status_url=status_url(privacy_request))


def request_approved(privacy_request) -> None:
    _notify(privacy_request, "review_approved", status_url=status_url(privacy_request))


def request_denied(privacy_request) -> None:
    _notify(
        privacy_request,
        "review_denied",
        status_url=status_url(privacy_request),
        reason=privacy_request.denial_reason,
    )


def request_completed(privacy_request) -> None:
    from .downloads import download_url

    context = {"status_url": status_url(privacy_request)}
    if privacy_request.package_name:
        context["download_url"] = download_url(privacy_request)
    _notify(privacy_request, "completion", **context)
