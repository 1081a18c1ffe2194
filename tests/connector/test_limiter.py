"""connector.limiter: the cap holds across threads, locally and on Redis; expired leases free their slot."""

import os
import threading
import time
from types import SimpleNamespace

import pytest

from connector.limiter import Limiter
from tests.concurrency import PeakCounter


def peak_in_flight(limiter: Limiter, workers: int = 12) -> int:
    counter = PeakCounter()

    def work():
        with limiter.slot(), counter.inside():
            time.sleep(0.02)

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return counter.peak


def test_the_local_limiter_holds_the_cap():
    assert peak_in_flight(Limiter("local-test", 3, redis_url="")) == 3


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
def test_the_redis_limiter_holds_the_cap_and_expired_leases_free_slots(monkeypatch):
    import redis

    from connector import limiter as limiter_module

    url = os.environ["REDIS_URL"]
    limiter = Limiter(f"redis-test-{time.time()}", 2, redis_url=url)
    assert peak_in_flight(limiter) == 2
    assert limiter.in_flight() == 0
    # A killed worker's lease: it never releases, but it expires.
    client = redis.Redis.from_url(url)
    client.zadd(limiter._key, {"dead-worker-1": time.time() + 0.2, "dead-worker-2": time.time() + 0.2})
    assert limiter.in_flight() == 2
    time.sleep(0.3)
    with limiter.slot():
        assert limiter.in_flight() == 1
    assert limiter_module.lease_seconds() >= 30


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
def test_threads_of_one_process_queue_locally_and_never_poll_redis(monkeypatch):
    from connector import limiter as limiter_module

    backoffs = []
    monkeypatch.setattr(limiter_module, "time", SimpleNamespace(time=time.time, sleep=backoffs.append))
    limiter = Limiter(f"gate-test-{time.time()}", 2, redis_url=os.environ["REDIS_URL"])
    assert peak_in_flight(limiter) == 2
    assert backoffs == []  # no lease was ever refused, so nobody slept and asked again


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
def test_another_workers_live_lease_counts_against_the_cap():
    import redis

    url = os.environ["REDIS_URL"]
    limiter = Limiter(f"shared-test-{time.time()}", 3, redis_url=url)
    redis.Redis.from_url(url).zadd(limiter._key, {"other-worker": time.time() + 5})
    assert peak_in_flight(limiter, workers=6) == 2
