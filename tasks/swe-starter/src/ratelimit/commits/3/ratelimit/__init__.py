"""ratelimit: token bucket, sliding window and per-key rate limiters."""

from .bucket import TokenBucket
from .clock import ManualClock, MonotonicClock
from .keyed import KeyedLimiter, RateLimitExceeded
from .window import FixedWindowCounter, SlidingWindowLog

__version__ = "0.3.1"

__all__ = [
    "FixedWindowCounter", "KeyedLimiter", "ManualClock", "MonotonicClock",
    "RateLimitExceeded", "SlidingWindowLog", "TokenBucket",
]
