"""Where jobs go: RQ queues on Redis when REDIS_URL is set, inline (after commit) when it is not.

Jobs take ids and are enqueued after the transaction commits, so a worker never sees a row
that is not there yet.
"""

import logging
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.db import transaction

log = logging.getLogger(__name__)


def uses_redis() -> bool:
    return bool(settings.REDIS_URL)


def get_queue(name: str = "default"):
    import django_rq

    return django_rq.get_queue(name)


def enqueue(func: Callable, *args, queue: str = "default", retry=None, job_id: str | None = None) -> None:
    """Run `func(*args)` on a worker after commit, or inline after commit without Redis."""

    def _go() -> None:
        if uses_redis():
            get_queue(queue).enqueue(func, *args, retry=retry, job_id=job_id)
        else:
            try:
                func(*args)
            except Exception:
                # Inline jobs record their own failure; never break the web request that triggered them.
                log.exception("inline job %s failed", getattr(func, "__name__", func))

    transaction.on_commit(_go)


def enqueue_at(when: datetime, func: Callable, *args, queue: str = "default", job_id: str | None = None) -> bool:
    """Schedule a job (RQ's scheduler: workers run with --with-scheduler). Without Redis, returns False:
    the caller keeps the due time and `privacy_request run-due` picks it up."""
    if not uses_redis():
        return False
    transaction.on_commit(lambda: get_queue(queue).enqueue_at(when, func, *args, job_id=job_id))
    return True
