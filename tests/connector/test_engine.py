"""connector.engine's scheduling: thread pools sized for the cap, and windowed submission of many calls."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from connector.engine import pool_size, run_each
from tests.concurrency import PeakCounter


def test_cap_one_stays_one_thread_and_larger_caps_get_headroom_for_parsing():
    assert pool_size(1) == 1
    assert pool_size(10) == 15


def test_run_each_keeps_at_most_window_calls_unfinished_and_counts_every_finish():
    counter = PeakCounter()
    ticks = []

    def call(n):
        with counter.inside():
            time.sleep(0.002)

    with ThreadPoolExecutor(8) as pool:
        counts = list(run_each(pool, call, [(n,) for n in range(60)], lambda: ticks.append(1), window=3))
    assert counts == list(range(1, 61))
    assert counter.peak == 3
    assert ticks  # the caller's tick ran while it waited


def test_run_each_reraises_the_first_failure_and_submits_nothing_after_it():
    started = []

    def call(n):
        started.append(n)
        if n == 5:
            raise ValueError("the sixth call failed")

    with ThreadPoolExecutor(2) as pool, pytest.raises(ValueError, match="sixth"):
        for _ in run_each(pool, call, [(n,) for n in range(100)], lambda: None, window=2):
            pass
    assert 5 in started
    assert len(started) <= 5 + 2
