"""Checkpoints per record (ExecutionRecord): buffered by worker threads, written in bulk by the main thread.

A worker killed between two flushes loses at most the last batch of outcomes; the next run re-reads
those records, sees they already hold the masked values and marks them without masking them again.
"""

import threading
from collections import defaultdict

from .models import ExecutionRecord, ExecutionSummary, RecordState

BATCH = 1000


class CheckpointBuffer:
    def __init__(self, privacy_request_id: int):
        self.privacy_request_id = privacy_request_id
        self._lock = threading.Lock()
        self._found: list[ExecutionRecord] = []
        self._already_masked: dict[str, list[str]] = defaultdict(list)
        self._outcomes: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.others: dict[str, int] = defaultdict(int)
        self.counts: dict[str, int] = defaultdict(int)

    def found(self, collection: str, key: str, links: dict, digest: dict, *, already_masked: bool = False) -> None:
        row = ExecutionRecord(
            privacy_request_id=self.privacy_request_id,
            collection=collection,
            record_key=key,
            links=links,
            digest=digest,
        )
        with self._lock:
            self._found.append(row)
            self.counts[collection] += 1
            if already_masked:
                self._already_masked[collection].append(key)

    def other(self, collection: str, count: int) -> None:
        with self._lock:
            self.others[collection] += count

    def outcome(self, collection: str, key: str, state: str) -> None:
        with self._lock:
            self._outcomes[(collection, state)].append(key)
            self.counts[f"{collection}:{state}"] += 1

    def pending(self) -> int:
        with self._lock:
            return len(self._found) + sum(len(v) for v in self._outcomes.values())

    def flush(self) -> None:
        """Write what the threads gathered. Call from the thread that owns the database connection."""
        with self._lock:
            found, self._found = self._found, []
            masked, self._already_masked = self._already_masked, defaultdict(list)
            outcomes, self._outcomes = self._outcomes, defaultdict(list)
        if found:
            ExecutionRecord.objects.bulk_create(found, ignore_conflicts=True, batch_size=BATCH)
        mine = ExecutionRecord.objects.filter(privacy_request_id=self.privacy_request_id)
        for collection, keys in masked.items():
            for chunk in _chunks(keys):
                mine.filter(collection=collection, state=RecordState.FOUND, record_key__in=chunk).update(
                    state=RecordState.MASKED
                )
        for (collection, state), keys in outcomes.items():
            for chunk in _chunks(keys):
                mine.filter(collection=collection, record_key__in=chunk).update(state=state)

    def save_others(self) -> None:
        ExecutionSummary.objects.update_or_create(
            privacy_request_id=self.privacy_request_id, defaults={"others": dict(self.others)}
        )


def known(privacy_request_id: int) -> dict[str, list[tuple[str, dict]]]:
    """What earlier runs found: per collection, (record key, link fields)."""
    result: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    rows = ExecutionRecord.objects.filter(privacy_request_id=privacy_request_id).values_list(
        "collection", "record_key", "links"
    )
    for collection, key, links in rows.iterator(chunk_size=BATCH):
        result[collection].append((key, links))
    return dict(result)


def _chunks(items: list[str], size: int = 500):
    for i in range(0, len(items), size):
        yield items[i : i + size]
