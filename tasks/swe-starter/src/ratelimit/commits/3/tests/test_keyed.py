import pytest

from ratelimit import KeyedLimiter, ManualClock, RateLimitExceeded, SlidingWindowLog, TokenBucket


def test_keys_are_independent():
    clock = ManualClock()
    lim = KeyedLimiter(lambda c: TokenBucket(1, 1, c), clock)
    assert lim.allow("a")
    assert not lim.allow("a")
    assert lim.allow("b")
    assert len(lim) == 2


def test_check_raises_with_retry_after():
    clock = ManualClock()
    lim = KeyedLimiter(lambda c: SlidingWindowLog(1, 30, c), clock)
    lim.check("ip")
    clock.advance(10)
    with pytest.raises(RateLimitExceeded) as info:
        lim.check("ip")
    assert info.value.key == "ip"
    assert info.value.retry_after == 20.0


def test_check_with_bucket():
    clock = ManualClock()
    lim = KeyedLimiter(lambda c: TokenBucket(2, 1, c), clock)
    lim.check("u")
    with pytest.raises(RateLimitExceeded) as info:
        lim.check("u")
    assert info.value.retry_after == 0.5


def test_cleanup_drops_idle_keys():
    clock = ManualClock()
    lim = KeyedLimiter(lambda c: TokenBucket(1, 1, c), clock, idle_ttl=60)
    lim.allow("old")
    clock.advance(50)
    lim.allow("new")
    clock.advance(20)
    assert lim.cleanup() == 1
    assert len(lim) == 1


def test_automatic_cleanup():
    clock = ManualClock()
    lim = KeyedLimiter(lambda c: TokenBucket(1, 1, c), clock, idle_ttl=1, cleanup_every=3)
    lim.allow("a")
    clock.advance(5)
    lim.allow("b")
    assert len(lim) == 2
    lim.allow("b")
    assert len(lim) == 1
