"""The privacy request state machine: every status change goes through `_transition`.

It locks the row, refuses a move the map does not allow, sets the stage timestamp and writes
the audit event in the same transaction. Notifications and jobs are triggered after commit.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from . import notifications
from .models import ActorKind, AuditEvent, PrivacyRequest, RequestType, Status

ALLOWED: dict[str, frozenset[str]] = {
    Status.IDENTITY_UNVERIFIED: frozenset({Status.PENDING, Status.CANCELED}),
    Status.PENDING: frozenset({Status.APPROVED, Status.DENIED, Status.CANCELED}),
    Status.APPROVED: frozenset({Status.SCHEDULED, Status.IN_PROCESSING, Status.ERROR, Status.CANCELED}),
    Status.SCHEDULED: frozenset({Status.IN_PROCESSING, Status.ERROR, Status.CANCELED}),
    Status.IN_PROCESSING: frozenset({Status.COMPLETE, Status.ERROR, Status.CANCELED}),
    Status.ERROR: frozenset({Status.APPROVED, Status.CANCELED}),
    Status.COMPLETE: frozenset(),
    Status.DENIED: frozenset(),
    Status.CANCELED: frozenset(),
}

# Which timestamp records reaching a stage.
STAGE_FIELD = {
    Status.PENDING: "verified_at",
    Status.APPROVED: "reviewed_at",
    Status.DENIED: "reviewed_at",
    Status.IN_PROCESSING: "started_at",
    Status.COMPLETE: "finished_at",
    Status.ERROR: "failed_at",
    Status.CANCELED: "canceled_at",
}

MAX_REASON_LENGTH = 2000


class TransitionError(Exception):
    """A status change the state machine does not allow; the message says which and why."""


@dataclass(frozen=True)
class Actor:
    kind: str
    user: AbstractBaseUser | None = None
    label: str = ""

    @classmethod
    def staff(cls, user: AbstractBaseUser) -> "Actor":
        return cls(ActorKind.STAFF, user, user.get_username())

    @classmethod
    def subject(cls) -> "Actor":
        return cls(ActorKind.SUBJECT, None, "subject")

    @classmethod
    def system(cls, label: str = "system") -> "Actor":
        return cls(ActorKind.SYSTEM, None, label)


def record(privacy_request: PrivacyRequest, *, actor: Actor, message: str) -> AuditEvent:
    """An audit event that is not a status change (a download, a resent code, an execution outcome)."""
    return AuditEvent.objects.create(
        privacy_request=privacy_request,
        actor_kind=actor.kind,
        actor_user=actor.user,
        actor_label=actor.label,
        message=message,
    )


def _transition(privacy_request: PrivacyRequest, to: str, *, actor: Actor, message: str, **fields) -> PrivacyRequest:
    with transaction.atomic():
        locked = PrivacyRequest.objects.select_for_update().get(pk=privacy_request.pk)
        current = locked.status
        if to not in ALLOWED[current]:
            raise TransitionError(
                f"Request {locked.public_id} is {Status(current).label.lower()}; "
                f"it cannot become {Status(to).label.lower()}."
            )
        locked.status = to
        now = timezone.now()
        if to in STAGE_FIELD:
            fields.setdefault(STAGE_FIELD[to], now)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save(update_fields=["status", *fields.keys()])
        AuditEvent.objects.create(
            privacy_request=locked,
            created_at=now,
            actor_kind=actor.kind,
            actor_user=actor.user,
            actor_label=actor.label,
            from_status=current,
            to_status=to,
            message=message,
        )
    # Callers keep using the object they passed in; bring it up to date.
    privacy_request.refresh_from_db()
    return privacy_request


def create(
    *, request_type: str, email: str = "", phone: str = "", code_channel: str = "", actor: Actor
) -> PrivacyRequest:
    """A new request, unverified; identities must already be normalised (see forms/identities)."""
    if request_type not in RequestType.values:
        raise ValueError(f"Unknown request type {request_type!r}")
    if not email and not phone:
        raise ValueError("A request needs an email address or a phone number")
    with transaction.atomic():
        privacy_request = PrivacyRequest.objects.create(
            request_type=request_type, email=email, phone=phone, code_channel=code_channel
        )
        AuditEvent.objects.create(
            privacy_request=privacy_request,
            actor_kind=actor.kind,
            actor_user=actor.user,
            actor_label=actor.label,
            to_status=Status.IDENTITY_UNVERIFIED,
            message=f"{RequestType(request_type).label} request received",
        )
    return privacy_request


def verify(privacy_request: PrivacyRequest, *, actor: Actor, message: str = "Identity verified") -> PrivacyRequest:
    _transition(privacy_request, Status.PENDING, actor=actor, message=message)
    notifications.request_received(privacy_request)
    from django.conf import settings

    if settings.AUTO_APPROVE:
        approve(privacy_request, reviewer=Actor.system("auto-approve"))
    return privacy_request


def approve(privacy_request: PrivacyRequest, *, reviewer: Actor) -> PrivacyRequest:
    _transition(
        privacy_request,
        Status.APPROVED,
        actor=reviewer,
        message="Approved",
        reviewer=reviewer.user,
    )
    notifications.request_approved(privacy_request)
    from . import jobs

    jobs.dispatch(privacy_request)
    return privacy_request


def deny(privacy_request: PrivacyRequest, *, reviewer: Actor, reason: str) -> PrivacyRequest:
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError("A denial needs a reason; the subject is told it.")
    if len(reason) > MAX_REASON_LENGTH:
        raise TransitionError(f"The reason is too long (at most {MAX_REASON_LENGTH} characters).")
    _transition(
        privacy_request,
        Status.DENIED,
        actor=reviewer,
        message=f"Denied: {reason}",
        reviewer=reviewer.user,
        denial_reason=reason,
    )
    notifications.request_denied(privacy_request)
    return privacy_request


def schedule(privacy_request: PrivacyRequest, *, run_at: datetime, actor: Actor) -> PrivacyRequest:
    return _transition(
        privacy_request,
        Status.SCHEDULED,
        actor=actor,
        message=f"Erasure held back by the retention period; runs at {run_at:%Y-%m-%d %H:%M} UTC",
        scheduled_for=run_at,
    )


def start(privacy_request: PrivacyRequest, *, actor: Actor) -> PrivacyRequest:
    return _transition(privacy_request, Status.IN_PROCESSING, actor=actor, message="Execution started")


def complete(privacy_request: PrivacyRequest, *, actor: Actor, message: str, package_name: str = "") -> PrivacyRequest:
    fields = {"package_name": package_name} if package_name else {}
    _transition(privacy_request, Status.COMPLETE, actor=actor, message=message, **fields)
    notifications.request_completed(privacy_request)
    return privacy_request


def fail(privacy_request: PrivacyRequest, *, actor: Actor, reason: str) -> PrivacyRequest:
    return _transition(privacy_request, Status.ERROR, actor=actor, message=f"Failed: {reason}", failure_reason=reason)


def retry(privacy_request: PrivacyRequest, *, reviewer: Actor, enqueue: bool = True) -> PrivacyRequest:
    """A request in error goes back to approved and its job runs again, resuming from its checkpoints.

    `enqueue=False` is for an operator who runs the job in the foreground right after."""
    _transition(privacy_request, Status.APPROVED, actor=reviewer, message="Retry requested", failure_reason="")
    if enqueue:
        from . import jobs

        jobs.dispatch(privacy_request, ignore_retention=True)
    return privacy_request


def resume(privacy_request: PrivacyRequest, *, actor: Actor) -> PrivacyRequest:
    """Queue the job again for a request left in processing by a worker that died (SIGKILL, a lost host);
    it resumes from its checkpoints. While the first run is still alive it holds the run lock, and the
    queued job does nothing, so resuming a run that was only slow is harmless."""
    if privacy_request.status != Status.IN_PROCESSING:
        raise TransitionError(
            f"Request {privacy_request.public_id} is {Status(privacy_request.status).label.lower()}; "
            "only a request in processing can be resumed."
        )
    record(privacy_request, actor=actor, message="Resume requested: the run continues from its checkpoints")
    from . import jobs

    jobs.dispatch(privacy_request, ignore_retention=True)
    return privacy_request


def cancel(privacy_request: PrivacyRequest, *, actor: Actor, reason: str = "") -> PrivacyRequest:
    message = f"Canceled: {reason}" if reason else "Canceled"
    return _transition(privacy_request, Status.CANCELED, actor=actor, message=message)
