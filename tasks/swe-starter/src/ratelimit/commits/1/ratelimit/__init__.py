"""ratelimit: token bucket rate limiter."""

from .bucket import TokenBucket
from .clock import ManualClock, MonotonicClock

__version__ = "0.1.0"

__all__ = ["ManualClock", "MonotonicClock", "TokenBucket"]
