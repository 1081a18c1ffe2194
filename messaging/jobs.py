"""RQ jobs of the "messaging" queue: thin callers of messaging.sending, taking ids only."""

from . import sending


def deliver_message(log_id: int) -> None:
    """Deliver one logged message. On RQ a transient failure re-raises while retries are left, so RQ's
    Retry(max=3, interval=[10, 30, 60]) tries again; a permanent failure is recorded and not retried."""
    sending.deliver(log_id, final_attempt=_final_attempt())


def _final_attempt() -> bool:
    from rq import get_current_job

    job = get_current_job()
    # Inline (no Redis) there is no job, and outbound's own retries were the only ones.
    return job is None or not job.retries_left
