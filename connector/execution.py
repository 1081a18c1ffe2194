"""One privacy request against one connection: discovery, then the access package or erasure and its check.

Worker threads only talk HTTP; every database write happens here, in the calling thread, in batches.
"""

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings

from . import checkpoints
from .checkpoints import CheckpointBuffer
from .client import SaasClient
from .config import Endpoint, SaasConfig
from .engine import (
    Page,
    Subject,
    Traversal,
    link_values,
    looks_masked,
    pii_digest,
    pool_size,
    record_key,
    run_each,
    still_holds,
)
from .limiter import Limiter
from .models import ExecutionRecord, RecordState
from .package import PackageWriter

Progress = Callable[[str, int, int | None], None]
# Calls queued ahead of the pool: enough to keep every thread busy, few enough that a failure stops
# the rest quickly and a long erasure never sits in memory as futures.
ERASE_WINDOW = 100
PROGRESS_EVERY = 500
FLUSH_SECONDS = 1.0


@dataclass
class ErasureOutcome:
    masked: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    gone: dict[str, int] = field(default_factory=dict)
    verified: int = 0
    erased: int = 0
    still_holding: dict[str, int] = field(default_factory=dict)


class Execution:
    def __init__(
        self,
        *,
        privacy_request,
        config: SaasConfig,
        params: dict[str, str],
        subject: Subject,
        concurrency: int,
        limiter: Limiter,
        vendor: str,
        progress: Progress | None = None,
        heartbeat: Callable[[], None] | None = None,
    ):
        self.privacy_request = privacy_request
        self.config = config
        self.subject = subject
        self.concurrency = concurrency
        self.client = SaasClient(config, params, limiter=limiter, vendor=vendor)
        self.progress = progress or (lambda stage, done, total: None)
        self.heartbeat = heartbeat or (lambda: None)
        self.buffer = CheckpointBuffer(privacy_request.pk)
        self._last_flush = time.monotonic()

    # discovery and access

    def discover(self, extra_sink: Callable[[Page], None] | None = None, *, masking: bool = False) -> None:
        """Read the graph, checkpointing the subject's records. When masking, a record that already holds
        the masked values (an update that went through just before a worker died) counts as masked."""
        traversal = self._traversal()

        def sink(page: Page) -> None:
            endpoint = page.endpoint
            for record in page.owned:
                self.buffer.found(
                    endpoint.name,
                    record_key(endpoint, record),
                    link_values(self.config, endpoint, record),
                    pii_digest(endpoint, record),
                    already_masked=masking and looks_masked(endpoint, record),
                )
            if page.others:
                self.buffer.other(endpoint.name, len(page.others))
            if extra_sink:
                extra_sink(page)

        traversal.run(sink, tick=self._tick)
        self.buffer.flush()
        self.buffer.save_others()

    def access(self) -> str:
        """Collect the subject's records into a package; returns its name in the "packages" storage."""
        writer = PackageWriter(
            request_id=self.privacy_request.public_id,
            labels={e.name: e.label for e in self.config.endpoints},
            include_others=settings.PACKAGE_INCLUDE_OTHERS_MESSAGES,
        )
        try:
            self.discover(extra_sink=writer.add)
        except BaseException:
            writer.discard()
            raise
        return writer.finish(others=dict(self.buffer.others))

    # erasure

    def erase(self, *, delete: bool) -> ErasureOutcome:
        """Mask (or delete) every found record, dependents first, then re-read and verify."""
        self.discover(masking=not delete)
        order = [e for level in reversed(self.config.levels()) for e in level]
        erasable = [e for e in order if (e.delete if delete and e.delete else e.update)]
        traversal = self._traversal()
        with ThreadPoolExecutor(max_workers=pool_size(self.concurrency), thread_name_prefix="connector-erase") as pool:
            for endpoint in erasable:
                self._erase_collection(pool, traversal, endpoint, delete=delete)
        self.buffer.flush()
        return self.verify(erasable)

    def _erase_collection(self, pool, traversal: Traversal, endpoint: Endpoint, *, delete: bool) -> None:
        rows = ExecutionRecord.objects.filter(
            privacy_request=self.privacy_request, collection=endpoint.name, state=RecordState.FOUND
        )
        # Keys first, then work: updating rows while iterating the same query is not safe on every database.
        keys = list(rows.values_list("record_key", "links"))
        stage = f"erasing {endpoint.name}"

        def erase_one(key: str, links: dict) -> None:
            state = traversal.erase(endpoint, links, delete=delete)
            self.buffer.outcome(endpoint.name, key, state)

        for done in run_each(pool, erase_one, keys, self._tick, window=ERASE_WINDOW):
            if done % PROGRESS_EVERY == 0:
                self.progress(stage, done, len(keys))
        self.progress(stage, len(keys), len(keys))
        self.buffer.flush()

    def verify(self, erasable: list[Endpoint]) -> ErasureOutcome:
        """Re-read the subject's records: an erased record must be gone or hold none of its old values."""
        names = {e.name for e in erasable}
        erased = ExecutionRecord.objects.filter(
            privacy_request=self.privacy_request,
            collection__in=names,
            state__in=[RecordState.MASKED, RecordState.DELETED, RecordState.GONE],
        )
        digests = {(c, k): d for c, k, d in erased.values_list("collection", "record_key", "digest").iterator()}
        failing: dict[str, set[str]] = {}

        def sink(page: Page) -> None:
            if page.endpoint.name not in names:
                return
            for record in page.owned:
                key = record_key(page.endpoint, record)
                digest = digests.get((page.endpoint.name, key))
                if digest and still_holds(page.endpoint, record, digest):
                    failing.setdefault(page.endpoint.name, set()).add(key)

        self._traversal().run(sink, tick=self._tick)
        outcome = ErasureOutcome(erased=len(digests))
        for collection, key in digests:
            if key in failing.get(collection, ()):
                outcome.still_holding[collection] = outcome.still_holding.get(collection, 0) + 1
        for collection, keys in failing.items():
            # Back to "found": a retry erases them again.
            for chunk in _chunks(sorted(keys)):
                erased.filter(collection=collection, record_key__in=chunk).update(state=RecordState.FOUND)
        erased.filter(verified=False).exclude(state=RecordState.FOUND).update(verified=True)
        outcome.verified = ExecutionRecord.objects.filter(
            privacy_request=self.privacy_request, collection__in=names, verified=True
        ).count()
        for state, bucket in (
            (RecordState.MASKED, outcome.masked),
            (RecordState.DELETED, outcome.deleted),
            (RecordState.GONE, outcome.gone),
        ):
            for collection in names:
                n = erased.filter(collection=collection, state=state).count()
                if n:
                    bucket[collection] = n
        return outcome

    # plumbing

    def _traversal(self) -> Traversal:
        return Traversal(
            self.config,
            self.client,
            self.subject,
            concurrency=self.concurrency,
            known=checkpoints.known(self.privacy_request.pk),
        )

    def _tick(self) -> None:
        now = time.monotonic()
        if now - self._last_flush >= FLUSH_SECONDS or self.buffer.pending() >= checkpoints.BATCH:
            self.buffer.flush()
            self.heartbeat()
            self._last_flush = now
            for collection, n in list(self.buffer.counts.items()):
                if ":" not in collection:
                    self.progress(f"reading {collection}", n, None)


def _chunks(items: list[str], size: int = 500):
    for i in range(0, len(items), size):
        yield items[i : i + size]
