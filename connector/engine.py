"""The generic graph engine: reads a saas_config's endpoints level by level, concurrently, and erases records.

It knows nothing about any vendor. Reads start from the subject's identities and external references,
follow `param_values` references to earlier collections, page through `next` links verbatim, and sort
each record into the subject's own (`subject_match`) or someone else's. Records reach the caller
through a thread-safe `sink` page by page, so nothing holds a whole collection in memory.
"""

import hashlib
import hmac
import itertools
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

import orjson
from django.conf import settings

from . import overrides
from .client import SaasClient, VendorError, fill
from .config import Endpoint, MatchRule, Request, SaasConfig


@dataclass
class Subject:
    identities: dict[str, str]
    external: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Page:
    endpoint: Endpoint
    owned: list[dict]
    others: list[dict]


Sink = Callable[[Page], None]


def dotted(record: dict, path: str):
    value = record
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def record_key(endpoint: Endpoint, record: dict) -> str:
    return ":".join(str(dotted(record, k) or "") for k in endpoint.key)


def link_values(config: SaasConfig, endpoint: Endpoint, record: dict) -> dict:
    return {f: dotted(record, f) for f in config.link_fields(endpoint.name)}


def pii_digest(endpoint: Endpoint, record: dict) -> dict[str, str]:
    """Keyed digests of the masked fields' values: enough to tell later whether a value is still there."""
    return {f: _digest(dotted(record, f)) for f in endpoint.masking if dotted(record, f) not in (None, "")}


def looks_masked(endpoint: Endpoint, record: dict) -> bool:
    return bool(endpoint.masking) and all(str(dotted(record, f)) == value for f, value in endpoint.masking.items())


def still_holds(endpoint: Endpoint, record: dict, digest: dict[str, str]) -> list[str]:
    """Masked fields whose current value is the old one."""
    return [
        f
        for f, old in digest.items()
        if dotted(record, f) is not None
        and str(dotted(record, f)) != endpoint.masking.get(f)
        and _digest(dotted(record, f)) == old
    ]


def _digest(value) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), str(value).encode(), hashlib.sha256).hexdigest()[:32]


class Traversal:
    """One pass over the graph. `known` seeds it with what earlier runs found (checkpoints): their keys
    count as the subject's and their link fields feed references, so a resumed or verifying pass
    reaches records even after masking or deletion broke the original path to them."""

    def __init__(
        self,
        config: SaasConfig,
        client: SaasClient,
        subject: Subject,
        *,
        concurrency: int,
        known: dict[str, list[tuple[str, dict]]] | None = None,
    ):
        self.config = config
        self.client = client
        self.subject = subject
        self.concurrency = max(1, concurrency)
        self._lock = threading.Lock()
        self._values: dict[tuple[str, str], set[str]] = {}
        self._known_keys: dict[str, set[str]] = {}
        self._seen_urls: set[str] = set()
        for collection, rows in (known or {}).items():
            self._known_keys[collection] = {key for key, _ in rows}
            for _, links in rows:
                self._add_links(collection, links)

    def run(self, sink: Sink, *, tick: Callable[[], None] = lambda: None) -> None:
        """Read every endpoint, level by level; calls within a level run concurrently."""
        with ThreadPoolExecutor(max_workers=pool_size(self.concurrency), thread_name_prefix="connector") as pool:
            for level in self.config.levels():
                futures = [
                    pool.submit(self._read_all, endpoint, request, binding, sink)
                    for endpoint in level
                    for request in endpoint.reads
                    for binding in self._bindings(endpoint, request)
                ]
                drain(futures, tick)

    def erase(self, endpoint: Endpoint, links: dict, *, delete: bool) -> str:
        """Mask (update) or delete one record; returns 'masked', 'deleted' or 'gone' (404: already erased)."""
        request = endpoint.delete if delete and endpoint.delete else endpoint.update
        if request is None:
            raise VendorError(f"{endpoint.name}: no {'delete' if delete else 'update'} request is configured")
        params = {}
        for pv in request.param_values:
            own = [ref for ref in pv.references if ref.collection == endpoint.name]
            params[pv.name] = str(links.get(own[0].field, "")) if own else self.client.params.get(pv.name, "")
        if request.request_override:
            response = overrides.get(request.request_override)(
                self.client, params=params, masked=dict(endpoint.masking)
            )
        else:
            path = fill(request.path, {**self.client.params, **params}, quote_values=True)
            response = self.client.request(request.method, path)
        if response.status_code == 404:
            return "gone"
        if response.status_code >= 300:
            raise VendorError(self.client.describe_error(response))
        return "deleted" if request is endpoint.delete else "masked"

    # reading

    def _bindings(self, endpoint: Endpoint, request: Request) -> list[dict[str, str]]:
        choices = []
        for pv in request.param_values:
            values = [self.subject.identities.get(i) for i in pv.identities]
            values += [v for name in pv.external for v in self.subject.external.get(name, [])]
            values += [v for ref in pv.references for v in sorted(self._values.get((ref.collection, ref.field), ()))]
            if pv.connector_param:
                values.append(self.client.params.get(pv.connector_param))
            values = list(dict.fromkeys(str(v) for v in values if v not in (None, "")))
            if not values:
                return []  # this entry point does not apply to the subject
            choices.append([(pv.name, v) for v in values])
        return [dict(combo) for combo in itertools.product(*choices)]

    def _read_all(self, endpoint: Endpoint, request: Request, binding: dict[str, str], sink: Sink) -> None:
        values = {**self.client.params, **binding}
        path = fill(request.path, values, quote_values=True)
        query = []
        for q in request.query_params:
            value = fill(q.value, values)
            if q.maximum is not None and value.isdigit():
                value = str(min(int(value), q.maximum))
            query.append((q.name, value))
        signature = request.method + " " + path + "?" + repr(query)
        with self._lock:
            if signature in self._seen_urls:
                return
            self._seen_urls.add(signature)
        url, params = self.client.url(path), query
        while url:
            response = self.client.request(request.method, url, params=params)
            if response.status_code in request.ignore_errors:
                return
            if response.status_code != 200:
                raise VendorError(self.client.describe_error(response))
            try:
                # orjson: a 100-message page parses about four times faster than with the json module, and
                # the worker's parsing is GIL time the threads waiting on the vendor need.
                body = orjson.loads(response.content)
            except ValueError:
                raise VendorError(f"{self.client.vendor} answered with a body that is not JSON") from None
            records = dotted(body, request.data_path) if request.data_path else body
            if isinstance(records, dict):
                records = [records]
            self._accept(endpoint, records or [], sink)
            # Follow the vendor's link verbatim: it carries the page token and the page size.
            url = dotted(body, request.pagination_path) if request.pagination_path else None
            params = None

    def _accept(self, endpoint: Endpoint, records: list[dict], sink: Sink) -> None:
        owned, others = [], []
        for record in records:
            (owned if self._is_subjects(endpoint, record) else others).append(record)
        with self._lock:
            for record in owned:
                self._add_links(endpoint.name, link_values(self.config, endpoint, record))
        sink(Page(endpoint, owned, others))

    def _is_subjects(self, endpoint: Endpoint, record: dict) -> bool:
        if not endpoint.subject_match:
            return True
        if record_key(endpoint, record) in self._known_keys.get(endpoint.name, ()):
            return True
        return any(self._matches(rule, record) for rule in endpoint.subject_match)

    def _matches(self, rule: MatchRule, record: dict) -> bool:
        value = dotted(record, rule.field)
        if value in (None, ""):
            return False
        value = str(value)
        if any(value == self.subject.identities.get(i) for i in rule.identities):
            return True
        return any(value in self._values.get((ref.collection, ref.field), ()) for ref in rule.references)

    def _add_links(self, collection: str, links: dict) -> None:
        for f, v in links.items():
            if v not in (None, ""):
                self._values.setdefault((collection, f), set()).add(str(v))


def pool_size(cap: int) -> int:
    """Threads for `cap` concurrent calls: half as many again, so every slot stays busy while some threads
    parse a page or checkpoint between calls (the limiter still lets only `cap` call at once). At cap 1
    this stays one thread: strictly sequential."""
    return cap + cap // 2


def drain(futures: list[Future], tick: Callable[[], None], interval: float = 0.5) -> None:
    """Wait for futures, calling `tick` in this (the main) thread meanwhile; re-raise the first failure."""
    pending = set(futures)
    while pending:
        pending = _wait_some(pending, tick, interval, FIRST_EXCEPTION)


def run_each(
    pool: ThreadPoolExecutor,
    fn: Callable[..., None],
    items: Iterable[tuple],
    tick: Callable[[], None],
    *,
    window: int,
    interval: float = 0.5,
) -> Iterator[int]:
    """Call `fn(*item)` for every item on `pool`, with at most `window` calls submitted and unfinished, so
    no batch ever waits for its slowest call. Yields the number of finished calls as they finish, calls
    `tick` in this thread meanwhile, and re-raises the first failure (cancelling what has not started)."""
    queue = iter(items)
    pending: set[Future] = set()
    finished = 0
    while True:
        for item in itertools.islice(queue, window - len(pending)):
            pending.add(pool.submit(fn, *item))
        if not pending:
            return
        left = _wait_some(pending, tick, interval, FIRST_COMPLETED)
        for _ in range(len(pending) - len(left)):
            finished += 1
            yield finished
        pending = left


def _wait_some(pending: set[Future], tick: Callable[[], None], interval: float, when: str) -> set[Future]:
    done, pending = wait(pending, timeout=interval, return_when=when)
    tick()
    for future in done:
        if future.exception() is not None:
            for other in pending:
                other.cancel()
            raise future.exception()
    return pending
