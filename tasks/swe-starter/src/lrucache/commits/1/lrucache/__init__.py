"""lrucache: an LRU cache with expiry."""

from .cache import CacheStats, LRUCache

__version__ = "1.0.0"

__all__ = ["CacheStats", "LRUCache"]
