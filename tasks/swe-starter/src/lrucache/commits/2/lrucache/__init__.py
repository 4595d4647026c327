"""lrucache: an LRU cache with expiry, and a memoizing decorator."""

from .cache import CacheStats, LRUCache
from .memoize import make_key, memoize

__version__ = "1.1.0"

__all__ = ["CacheStats", "LRUCache", "make_key", "memoize"]
