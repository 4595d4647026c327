"""Sliding-window and fixed-window limiters."""

from collections import deque

from .clock import MonotonicClock


class SlidingWindowLog:
    """At most *limit* operations in any *window* seconds.

    Keeps the time of every accepted operation of the last window. An
    operation accepted at time t stops counting at t + window.
    """

    def __init__(self, limit, window, clock=None):
        if limit < 1:
            raise ValueError("limit must be at least 1")
        if window <= 0:
            raise ValueError("window must be positive")
        self.limit = int(limit)
        self.window = float(window)
        self.clock = clock or MonotonicClock()
        self._log = deque()

    def _purge(self, now):
        horizon = now - self.window
        while self._log and self._log[0] < horizon:
            self._log.popleft()

    def count(self):
        """Operations counted in the current window."""
        self._purge(self.clock.now())
        return len(self._log)

    def remaining(self):
        return self.limit - self.count()

    def try_acquire(self):
        now = self.clock.now()
        self._purge(now)
        if len(self._log) < self.limit:
            self._log.append(now)
            return True
        return False

    def retry_after(self):
        """Seconds until the next operation would be accepted."""
        now = self.clock.now()
        self._purge(now)
        if len(self._log) < self.limit:
            return 0.0
        return self._log[0] + self.window - now


class FixedWindowCounter:
    """At most *limit* operations per window aligned on multiples of *window*."""

    def __init__(self, limit, window, clock=None):
        if limit < 1:
            raise ValueError("limit must be at least 1")
        if window <= 0:
            raise ValueError("window must be positive")
        self.limit = int(limit)
        self.window = float(window)
        self.clock = clock or MonotonicClock()
        self._start = None
        self._count = 0

    def _roll(self, now):
        start = now - (now % self.window)
        if start != self._start:
            self._start = start
            self._count = 0

    def try_acquire(self):
        now = self.clock.now()
        self._roll(now)
        if self._count < self.limit:
            self._count += 1
            return True
        return False

    def retry_after(self):
        now = self.clock.now()
        self._roll(now)
        if self._count < self.limit:
            return 0.0
        return self._start + self.window - now
