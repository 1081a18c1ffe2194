"""Run one privacy request against Twilio Conversations: the job behind `requests_app.jobs.execute_request`.

Permanent failures (credentials rejected, Twilio unreachable after retries, an invalid connector
config) put the request in error with a reason staff can act on; the checkpoints stay, so a retry resumes.
"""

import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache

from requests_app import lifecycle
from requests_app.lifecycle import Actor
from requests_app.models import PrivacyRequest, RequestType, Status

from . import config as saas_config
from .client import CredentialsRejected, Unreachable, VendorError
from .engine import Subject
from .execution import ErasureOutcome, Execution
from .limiter import Limiter
from .models import TwilioConnection

log = logging.getLogger(__name__)

CONFIG_NAME = "twilio_conversations"
WORKER = Actor.system("worker")


def run_request(privacy_request_id: int, *, progress: Callable | None = None) -> None:
    privacy_request = PrivacyRequest.objects.filter(pk=privacy_request_id).first()
    if privacy_request is None:
        return
    lock = f"connector:run:{privacy_request_id}"
    token = uuid.uuid4().hex
    # One run per request at a time; a killed worker's lock expires quickly so a retry can resume.
    if not cache.add(lock, token, timeout=settings.CONNECTOR_RUN_LOCK_SECONDS):
        log.info("request %s is already running elsewhere", privacy_request_id)
        return

    def heartbeat() -> None:
        cache.touch(lock, timeout=settings.CONNECTOR_RUN_LOCK_SECONDS)

    try:
        _run(privacy_request, progress, heartbeat)
    finally:
        if cache.get(lock) == token:
            cache.delete(lock)


def _run(privacy_request: PrivacyRequest, progress: Callable | None, heartbeat: Callable) -> None:
    if privacy_request.status in (Status.APPROVED, Status.SCHEDULED):
        lifecycle.start(privacy_request, actor=WORKER)
    elif privacy_request.status == Status.IN_PROCESSING:
        lifecycle.record(privacy_request, actor=WORKER, message="Execution resumed from its checkpoints")
    else:
        return
    connection = TwilioConnection.current()
    if not connection.is_configured:
        lifecycle.fail(privacy_request, actor=WORKER, reason="The Twilio connection is not set up.")
        return
    try:
        execution = build_execution(privacy_request, connection, progress=progress)
        execution.heartbeat = heartbeat
        if privacy_request.request_type == RequestType.ACCESS:
            package_name = execution.access()
            lifecycle.complete(
                privacy_request,
                actor=WORKER,
                message=access_message(execution),
                package_name=package_name,
            )
            return
        outcome = execution.erase(delete=not connection.masking_strict)
        message = erasure_message(outcome, execution.config.delete_sla_days, strict=connection.masking_strict)
        lifecycle.record(privacy_request, actor=WORKER, message=message)
        if outcome.still_holding:
            lifecycle.fail(
                privacy_request,
                actor=WORKER,
                reason="Verification found records that still hold personal data; retry to erase them again.",
            )
        else:
            lifecycle.complete(privacy_request, actor=WORKER, message="Erasure done and verified")
    except CredentialsRejected as exc:
        lifecycle.fail(privacy_request, actor=WORKER, reason=str(exc))
    except Unreachable as exc:
        lifecycle.fail(privacy_request, actor=WORKER, reason=f"Twilio could not be reached: {exc}")
    except VendorError as exc:
        lifecycle.fail(privacy_request, actor=WORKER, reason=str(exc))
    except saas_config.ConfigError as exc:
        lifecycle.fail(privacy_request, actor=WORKER, reason=f"The connector configuration is invalid: {exc}")
    except Exception:
        # A bug or an answer nobody foresaw: never leave the request stuck in processing. Its checkpoints
        # stay, so a staff retry resumes once the cause is fixed.
        log.exception("request %s failed unexpectedly", privacy_request.pk)
        lifecycle.fail(
            privacy_request,
            actor=WORKER,
            reason="The connector stopped on an unexpected error (details in the worker log); retry once fixed.",
        )


def build_execution(privacy_request: PrivacyRequest, connection: TwilioConnection, *, progress=None) -> Execution:
    config = saas_config.load(CONFIG_NAME)
    params = {k: str(v) for k, v in config.connector_params.items() if v is not None}
    params.update(connection_params(connection))
    subject = Subject(
        identities={"email": privacy_request.email, "phone_number": privacy_request.phone},
        external={"twilio_user_id": [privacy_request.twilio_user] if privacy_request.twilio_user else []},
    )
    return Execution(
        privacy_request=privacy_request,
        config=config,
        params=params,
        subject=subject,
        concurrency=connection.concurrency,
        limiter=connection_limiter(connection),
        vendor="Twilio",
        progress=progress,
    )


def connection_params(connection: TwilioConnection) -> dict[str, str]:
    return {
        "base_url": connection.base_url.rstrip("/"),
        "account_id": connection.account_sid,
        "password": connection.auth_token,
        "page_size": str(connection.page_size),
    }


def connection_limiter(connection: TwilioConnection) -> Limiter:
    # Twilio's limit is per account: every worker shares one cap per account SID.
    return Limiter(f"twilio:{connection.account_sid}", connection.concurrency)


def access_message(execution: Execution) -> str:
    counts = {k: v for k, v in execution.buffer.counts.items() if ":" not in k}
    found = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in sorted(counts.items())) or "no records"
    others = sum(execution.buffer.others.values())
    return f"Access package ready: {found}; {others} records of other people counted, not included"


def erasure_message(outcome: ErasureOutcome, delete_sla_days: int | None, *, strict: bool) -> str:
    def fmt(bucket: dict[str, int]) -> str:
        return ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in sorted(bucket.items())) or "none"

    parts = [
        f"Erasure in Twilio: masked {fmt(outcome.masked)}; deleted {fmt(outcome.deleted)}; "
        f"already gone {fmt(outcome.gone)}.",
        f"Verified {outcome.verified} of {outcome.erased} records by reading them back.",
    ]
    if outcome.still_holding:
        parts.append(f"Still holding old values: {fmt(outcome.still_holding)}.")
    if strict:
        parts.append(
            "Masking leaves the user's identity and a participant's identity and SMS address in place "
            "(Twilio cannot update them); turn masking_strict off to delete those records instead."
        )
    if delete_sla_days:
        parts.append(f"Twilio may keep erased data in its backups for up to {delete_sla_days} days (deleteSla).")
    return " ".join(parts)
