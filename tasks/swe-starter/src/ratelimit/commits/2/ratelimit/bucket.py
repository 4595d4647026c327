"""Token bucket limiter."""

from .clock import MonotonicClock


class TokenBucket:
    """Allow bursts of up to *capacity* and *rate* operations per second.

    The bucket starts full. Each operation takes one or more tokens;
    tokens come back continuously at *rate* per second.
    """

    def __init__(self, rate, capacity, clock=None):
        if rate <= 0:
            raise ValueError("rate must be positive")
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.rate = float(rate)
        self.capacity = int(capacity)
        self.clock = clock or MonotonicClock()
        self._tokens = self.capacity
        self._last = self.clock.now()

    def _refill(self):
        now = self.clock.now()
        elapsed = now - self._last
        if elapsed > 0:
            self._tokens = min(self.capacity, self._tokens + int(elapsed * self.rate))
            self._last = now

    def available(self):
        """Whole tokens available right now."""
        self._refill()
        return int(self._tokens)

    def try_acquire(self, n=1):
        """Take *n* tokens if they are all available; return True if taken."""
        if n < 1:
            raise ValueError("n must be at least 1")
        if n > self.capacity:
            raise ValueError("n is larger than the bucket capacity")
        self._refill()
        if self._tokens >= n:
            self._tokens -= n
            return True
        return False

    def wait_time(self, n=1):
        """Seconds until *n* tokens will be available (0 if they are now)."""
        if n > self.capacity:
            raise ValueError("n is larger than the bucket capacity")
        self._refill()
        missing = n - self._tokens
        if missing <= 0:
            return 0.0
        return missing / self.rate

    def acquire(self, n=1):
        """Block (using the clock's sleep) until *n* tokens are taken."""
        while not self.try_acquire(n):
            self.clock.sleep(self.wait_time(n))
