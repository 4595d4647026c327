"""One limiter per key (client, user, IP address...)."""

from .clock import MonotonicClock


class RateLimitExceeded(Exception):
    def __init__(self, key, retry_after):
        super().__init__("rate limit exceeded for %r; retry in %.3fs" % (key, retry_after))
        self.key = key
        self.retry_after = retry_after


class KeyedLimiter:
    """Create limiters on demand with *factory(clock)*.

    Limiters of keys that have not been used for *idle_ttl* seconds are
    dropped by :meth:`cleanup` (and automatically every *cleanup_every*
    calls to :meth:`allow`).
    """

    def __init__(self, factory, clock=None, idle_ttl=300.0, cleanup_every=1000):
        self.factory = factory
        self.clock = clock or MonotonicClock()
        self.idle_ttl = idle_ttl
        self.cleanup_every = cleanup_every
        self._limiters = {}
        self._last_used = {}
        self._calls = 0

    def __len__(self):
        return len(self._limiters)

    def _get(self, key):
        limiter = self._limiters.get(key)
        if limiter is None:
            limiter = self.factory(self.clock)
            self._limiters[key] = limiter
        self._last_used[key] = self.clock.now()
        return limiter

    def allow(self, key):
        """True if *key* may do one more operation now (and count it)."""
        self._calls += 1
        if self.cleanup_every and self._calls % self.cleanup_every == 0:
            self.cleanup()
        return self._get(key).try_acquire()

    def check(self, key):
        """Like :meth:`allow` but raise :class:`RateLimitExceeded`."""
        if not self.allow(key):
            limiter = self._limiters[key]
            wait = limiter.wait_time() if hasattr(limiter, "wait_time") else limiter.retry_after()
            raise RateLimitExceeded(key, wait)

    def cleanup(self):
        """Forget limiters idle for longer than idle_ttl; return how many."""
        now = self.clock.now()
        stale = [k for k, t in self._last_used.items() if now - t > self.idle_ttl]
        for k in stale:
            del self._limiters[k]
            del self._last_used[k]
        return len(stale)
