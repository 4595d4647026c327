"""ratelimit: token bucket and sliding window rate limiters."""

from .bucket import TokenBucket
from .clock import ManualClock, MonotonicClock
from .window import FixedWindowCounter, SlidingWindowLog

__version__ = "0.2.0"

__all__ = [
    "FixedWindowCounter", "ManualClock", "MonotonicClock", "SlidingWindowLog",
    "TokenBucket",
]
