"""RQ jobs for privacy requests: thin, they take ids and call services."""

from datetime import timedelta

from django.utils import timezone

from privacyportal import queueing

from .models import PrivacyRequest, RequestType


def execute_request(privacy_request_id: int) -> None:
    """Run a request's Twilio traversal; resumes from checkpoints when run again."""
    from connector.runner import run_request

    run_request(privacy_request_id)


def dispatch(privacy_request: PrivacyRequest, *, ignore_retention: bool = False) -> None:
    """Start an approved request now, or hold an erasure back for the connection's retention period."""
    from connector.models import TwilioConnection

    from . import lifecycle

    retention_days = TwilioConnection.current().retention_days
    if privacy_request.request_type == RequestType.ERASURE and retention_days > 0 and not ignore_retention:
        run_at = timezone.now() + timedelta(days=retention_days)
        lifecycle.schedule(privacy_request, run_at=run_at, actor=lifecycle.Actor.system("retention"))
        queueing.enqueue_at(run_at, execute_request, privacy_request.pk, job_id=job_id(privacy_request, "scheduled"))
        return
    queueing.enqueue(execute_request, privacy_request.pk)


def job_id(privacy_request: PrivacyRequest, suffix: str) -> str:
    return f"privacy-request-{privacy_request.public_id}-{suffix}"
