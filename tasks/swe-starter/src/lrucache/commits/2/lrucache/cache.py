"""A least-recently-used cache with optional per-entry expiry."""

import time
from collections import OrderedDict, namedtuple

__all__ = ["LRUCache", "CacheStats"]

CacheStats = namedtuple("CacheStats", "hits misses evictions expirations size maxsize")

_MISSING = object()


class LRUCache:
    """Map keys to values, keeping at most *maxsize* entries.

    When the cache is full, adding a new key evicts the least recently used
    entry. ``get`` and ``put`` make an entry the most recently used one;
    ``peek`` and ``in`` do not.

    With *ttl* (seconds), entries expire that long after they were last
    written. *clock* returns the current time in seconds. *on_evict* is
    called as ``on_evict(key, value)`` for entries dropped to make room
    (not for expired, popped or cleared ones).
    """

    def __init__(self, maxsize=128, ttl=None, clock=time.monotonic, on_evict=None):
        if maxsize < 1:
            raise ValueError("maxsize must be at least 1")
        if ttl is not None and ttl <= 0:
            raise ValueError("ttl must be positive")
        self.maxsize = maxsize
        self.ttl = ttl
        self.clock = clock
        self.on_evict = on_evict
        self._data = OrderedDict()  # key -> (value, expires_at or None)
        self._hits = self._misses = self._evictions = self._expirations = 0

    # -- internals --------------------------------------------------------

    def _expired(self, entry, now):
        return entry[1] is not None and entry[1] <= now

    def _lookup(self, key):
        """Return the live entry for key (dropping it if expired) or None."""
        entry = self._data.get(key)
        if entry is None:
            return None
        if self._expired(entry, self.clock()):
            del self._data[key]
            self._expirations += 1
            return None
        return entry

    def _evict_one(self):
        key, (value, _) = self._data.popitem(last=False)
        self._evictions += 1
        if self.on_evict is not None:
            self.on_evict(key, value)

    # -- public API -------------------------------------------------------

    def get(self, key, default=None):
        entry = self._lookup(key)
        if entry is None:
            self._misses += 1
            return default
        self._hits += 1
        self._data.move_to_end(key)
        return entry[0]

    def peek(self, key, default=None):
        """Like get, but leaves recency and statistics untouched."""
        entry = self._lookup(key)
        return default if entry is None else entry[0]

    def put(self, key, value):
        expires = None if self.ttl is None else self.clock() + self.ttl
        if len(self._data) >= self.maxsize:
            self.purge_expired()
        if len(self._data) >= self.maxsize:
            self._evict_one()
        self._data[key] = (value, expires)
        self._data.move_to_end(key)

    __setitem__ = put

    def __getitem__(self, key):
        value = self.get(key, _MISSING)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def __contains__(self, key):
        return self._lookup(key) is not None

    def __len__(self):
        self.purge_expired()
        return len(self._data)

    def pop(self, key, default=_MISSING):
        entry = self._lookup(key)
        if entry is None:
            if default is _MISSING:
                raise KeyError(key)
            return default
        del self._data[key]
        return entry[0]

    def __delitem__(self, key):
        self.pop(key)

    def clear(self):
        self._data.clear()

    def purge_expired(self):
        """Drop every expired entry; return how many were dropped."""
        if self.ttl is None:
            return 0
        now = self.clock()
        dead = [k for k, e in self._data.items() if self._expired(e, now)]
        for k in dead:
            del self._data[k]
        self._expirations += len(dead)
        return len(dead)

    def keys(self):
        """Live keys from least to most recently used."""
        self.purge_expired()
        return list(self._data)

    def items(self):
        self.purge_expired()
        return [(k, e[0]) for k, e in self._data.items()]

    def stats(self):
        return CacheStats(self._hits, self._misses, self._evictions,
                          self._expirations, len(self._data), self.maxsize)
