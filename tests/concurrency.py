"""A counter of how many threads are inside a block at once, for tests of caps and windows."""

import threading
from contextlib import contextmanager


class PeakCounter:
    def __init__(self):
        self._lock = threading.Lock()
        self.now = 0
        self.peak = 0

    @contextmanager
    def inside(self):
        with self._lock:
            self.now += 1
            self.peak = max(self.peak, self.now)
        try:
            yield
        finally:
            with self._lock:
                self.now -= 1
