"""A cap on requests in flight per vendor account, across every worker process.

Every call first takes a slot of a semaphore in this process (alone, without Redis: the inline,
single-process setup). With REDIS_URL it then takes a lease in a sorted set of expiring leases
(score = lease expiry), so a worker killed with SIGKILL frees its slots when its leases run out
instead of leaking them for ever. Across processes a freed lease goes to whichever waiter polls first
(backing off up to 0.2 s), not in order of arrival: fair enough for a few workers sharing one connection.
"""

import random
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings


def lease_seconds() -> float:
    """A slot covers one HTTP attempt (outbound releases it while backing off), so a lease only has to
    outlast one attempt's timeout; a SIGKILLed worker's slots come back after this long."""
    return max(30.0, 3 * settings.OUTBOUND_TIMEOUT_SECONDS)


_ACQUIRE = """
local key, cap, now, expires, token = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], ARGV[4]
redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
if redis.call('ZCARD', key) < cap then
  redis.call('ZADD', key, expires, token)
  redis.call('EXPIRE', key, math.ceil(tonumber(expires) - now) + 60)
  return 1
end
return 0
"""

_local_lock = threading.Lock()
_local_semaphores: dict[tuple[str, int], threading.BoundedSemaphore] = {}
_redis_client = None


class Limiter:
    """`with limiter.slot(): ...` holds one of `cap` slots for `name` while the block runs."""

    def __init__(self, name: str, cap: int, *, redis_url: str | None = None):
        self.name = name
        self.cap = max(1, int(cap))
        self.redis_url = settings.REDIS_URL if redis_url is None else redis_url

    @contextmanager
    def slot(self) -> Iterator[None]:
        # Threads of this process queue on a local semaphore first: they wake the moment a slot frees
        # instead of polling Redis, and only the ones that could run ask Redis for a lease.
        semaphore = self._local_semaphore()
        semaphore.acquire()
        try:
            if self.redis_url:
                token = self._acquire_redis()
                try:
                    yield
                finally:
                    _redis(self.redis_url).zrem(self._key, token)
            else:
                yield
        finally:
            semaphore.release()

    @property
    def _key(self) -> str:
        return f"privacyportal:limiter:{self.name}"

    def in_flight(self) -> int:
        if self.redis_url:
            client = _redis(self.redis_url)
            client.zremrangebyscore(self._key, "-inf", time.time())
            return int(client.zcard(self._key))
        return self.cap - self._local_semaphore()._value  # noqa: SLF001

    def _acquire_redis(self) -> str:
        client = _redis(self.redis_url)
        script = client.register_script(_ACQUIRE)
        token = uuid.uuid4().hex
        wait = 0.01
        while True:
            now = time.time()
            if script(keys=[self._key], args=[self.cap, now, now + lease_seconds(), token]):
                return token
            time.sleep(random.uniform(0, wait))
            wait = min(wait * 2, 0.2)

    def _local_semaphore(self) -> threading.BoundedSemaphore:
        with _local_lock:
            key = (self.name, self.cap)
            if key not in _local_semaphores:
                _local_semaphores[key] = threading.BoundedSemaphore(self.cap)
            return _local_semaphores[key]


def _redis(url: str):
    global _redis_client
    if _redis_client is None or _redis_client[0] != url:
        import redis

        _redis_client = (url, redis.Redis.from_url(url))
    return _redis_client[1]
