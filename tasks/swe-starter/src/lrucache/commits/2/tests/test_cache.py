import pytest

from lrucache import LRUCache


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_get_and_put():
    c = LRUCache(2)
    c.put("a", 1)
    c["b"] = 2
    assert c.get("a") == 1
    assert c["b"] == 2
    assert c.get("zz") is None
    assert c.get("zz", 0) == 0
    with pytest.raises(KeyError):
        c["zz"]


def test_evicts_least_recently_used():
    c = LRUCache(2)
    c.put("a", 1)
    c.put("b", 2)
    c.get("a")
    c.put("c", 3)
    assert "b" not in c
    assert c.keys() == ["a", "c"]


def test_update_makes_most_recent():
    c = LRUCache(3)
    c.put("a", 1)
    c.put("b", 2)
    c.put("a", 10)
    assert c.keys() == ["b", "a"]
    assert c["a"] == 10


def test_peek_does_not_touch_recency():
    c = LRUCache(2)
    c.put("a", 1)
    c.put("b", 2)
    assert c.peek("a") == 1
    c.put("c", 3)
    assert "a" not in c
    assert c.stats().hits == 0


def test_on_evict_callback():
    evicted = []
    c = LRUCache(1, on_evict=lambda k, v: evicted.append((k, v)))
    c.put("a", 1)
    c.put("b", 2)
    assert evicted == [("a", 1)]


def test_pop_and_delete():
    c = LRUCache(3)
    c.put("a", 1)
    c.put("b", 2)
    assert c.pop("a") == 1
    assert c.pop("a", None) is None
    with pytest.raises(KeyError):
        c.pop("a")
    del c["b"]
    assert len(c) == 0


def test_ttl_expiry():
    clock = FakeClock()
    c = LRUCache(10, ttl=5, clock=clock)
    c.put("a", 1)
    clock.now = 4.9
    assert c.get("a") == 1
    clock.now = 5.0
    assert c.get("a") is None
    assert "a" not in c
    assert c.stats().expirations == 1


def test_ttl_restarts_on_write():
    clock = FakeClock()
    c = LRUCache(10, ttl=5, clock=clock)
    c.put("a", 1)
    clock.now = 4
    c.put("a", 2)
    clock.now = 8
    assert c.get("a") == 2


def test_expired_entries_make_room_before_eviction():
    clock = FakeClock()
    evicted = []
    c = LRUCache(2, ttl=5, clock=clock, on_evict=lambda k, v: evicted.append(k))
    c.put("a", 1)
    clock.now = 3
    c.put("b", 2)
    clock.now = 6
    c.put("c", 3)
    assert evicted == []
    assert c.keys() == ["b", "c"]


def test_len_ignores_expired():
    clock = FakeClock()
    c = LRUCache(10, ttl=1, clock=clock)
    c.put("a", 1)
    c.put("b", 2)
    clock.now = 2
    c.put("c", 3)
    assert len(c) == 1
    assert c.items() == [("c", 3)]


def test_stats():
    c = LRUCache(1)
    c.put("a", 1)
    c.get("a")
    c.get("b")
    c.put("b", 2)
    s = c.stats()
    assert (s.hits, s.misses, s.evictions, s.size, s.maxsize) == (1, 1, 1, 1, 1)


def test_invalid_arguments():
    with pytest.raises(ValueError):
        LRUCache(0)
    with pytest.raises(ValueError):
        LRUCache(2, ttl=0)
