"""Clocks: the real monotonic one and a manual one for tests."""

import time


class MonotonicClock:
    """Seconds from :func:`time.monotonic`."""

    def now(self):
        return time.monotonic()

    def sleep(self, seconds):
        if seconds > 0:
            time.sleep(seconds)


class ManualClock:
    """A clock that only moves when told to; ``sleep`` advances it."""

    def __init__(self, start=0.0):
        self._now = float(start)

    def now(self):
        return self._now

    def advance(self, seconds):
        if seconds < 0:
            raise ValueError("time only moves forward")
        self._now += seconds

    def sleep(self, seconds):
        if seconds > 0:
            self.advance(seconds)
