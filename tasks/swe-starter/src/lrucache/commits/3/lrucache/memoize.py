"""A memoizing decorator built on LRUCache."""

import functools
import time

from .cache import LRUCache

__all__ = ["memoize", "make_key"]

_MISSING = object()


def make_key(args, kwargs, typed=False):
    """Build a hashable cache key from a call's arguments.

    Keyword arguments are order-independent: f(a=1, b=2) and f(b=2, a=1)
    share an entry. With *typed*, arguments of different types are kept
    apart (f(1) and f(1.0) get separate entries).
    """
    key = args
    if kwargs:
        key += tuple(sorted(kwargs.items()))
    if typed:
        key += tuple(type(v) for v in args)
        if kwargs:
            key += tuple(type(v) for _, v in sorted(kwargs.items()))
    if len(key) == 1 and type(key[0]) in (int, str):
        return key[0]
    return key


def memoize(maxsize=128, ttl=None, typed=False, clock=time.monotonic):
    """Cache a function's results in an :class:`LRUCache`.

    The wrapped function gains ``cache`` (the LRUCache), ``cache_info()``
    and ``cache_clear()``. Arguments must be hashable.
    """

    def decorator(func):
        cache = LRUCache(maxsize=maxsize, ttl=ttl, clock=clock)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            key = make_key(args, kwargs, typed)
            result = cache.get(key, _MISSING)
            if result is _MISSING:
                result = func(*args, **kwargs)
                cache.put(key, result)
            return result

        wrapper.cache = cache
        wrapper.cache_info = cache.stats
        wrapper.cache_clear = cache.clear
        return wrapper

    return decorator
