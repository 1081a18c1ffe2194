"""Read and reset the fake's call log: requests per method and route, updates per message SID."""

from collections import Counter

from django.db.models import Count

from .endpoint import reset_dice
from .models import SandboxCall

MESSAGE_ROUTE = "/v1/Conversations/{ConversationSid}/Messages/{Sid}"


def reset_calls() -> None:
    """Forget every logged call (and restart seeded fault dice in this process)."""
    SandboxCall.objects.all().delete()
    reset_dice()


def call_counts(*, status: int | None = None) -> Counter:
    """{(method, route template): number of requests}, optionally only those answered with `status`."""
    calls = SandboxCall.objects.all()
    if status is not None:
        calls = calls.filter(status=status)
    rows = calls.values("method", "route").annotate(n=Count("id"))
    return Counter({(row["method"], row["route"]): row["n"] for row in rows})


def status_counts() -> Counter:
    """{HTTP status: number of requests}: shows how many faults were injected."""
    rows = SandboxCall.objects.values("status").annotate(n=Count("id"))
    return Counter({row["status"]: row["n"] for row in rows})


def message_update_counts() -> Counter:
    """{message SID: number of successful (200) POST updates}: "every message masked exactly once"."""
    rows = (
        SandboxCall.objects.filter(method="POST", route=MESSAGE_ROUTE, status=200)
        .values("target_sid")
        .annotate(n=Count("id"))
    )
    return Counter({row["target_sid"]: row["n"] for row in rows})


def target_counts(method: str, route: str, *, status: int = 200) -> Counter:
    """{target SID: number of calls} for any route, e.g. user or participant updates."""
    rows = (
        SandboxCall.objects.filter(method=method, route=route, status=status)
        .values("target_sid")
        .annotate(n=Count("id"))
    )
    return Counter({row["target_sid"]: row["n"] for row in rows})
