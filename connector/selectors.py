"""Reads for the admin: a request's progress per collection, from its checkpoints."""

from django.db.models import Count, Q

from requests_app.models import PrivacyRequest

from .models import ExecutionRecord, ExecutionSummary, RecordState


def progress(privacy_request: PrivacyRequest) -> list[dict]:
    """Per collection: found, masked, deleted (incl. already gone), verified, others (seen, not kept)."""
    rows = (
        ExecutionRecord.objects.filter(privacy_request=privacy_request)
        .values("collection")
        .annotate(
            found=Count("id"),
            masked=Count("id", filter=Q(state=RecordState.MASKED)),
            deleted=Count("id", filter=Q(state__in=[RecordState.DELETED, RecordState.GONE])),
            verified=Count("id", filter=Q(verified=True)),
        )
        .order_by("collection")
    )
    summary = ExecutionSummary.objects.filter(privacy_request=privacy_request).first()
    others = summary.others if summary else {}
    result = [{**row, "others": others.get(row["collection"], 0)} for row in rows]
    seen = {row["collection"] for row in result}
    for collection, count in sorted(others.items()):
        if collection not in seen:
            result.append(
                {
                    "collection": collection,
                    "found": 0,
                    "masked": 0,
                    "deleted": 0,
                    "verified": 0,
                    "others": count,
                }
            )
    return result
