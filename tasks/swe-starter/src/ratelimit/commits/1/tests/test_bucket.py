import pytest

from ratelimit import ManualClock, TokenBucket


def make(rate=1, capacity=3):
    clock = ManualClock()
    return TokenBucket(rate, capacity, clock), clock


def test_starts_full():
    bucket, _ = make()
    assert bucket.available() == 3
    assert all(bucket.try_acquire() for _ in range(3))
    assert not bucket.try_acquire()


def test_refills_over_time():
    bucket, clock = make(rate=2, capacity=4)
    for _ in range(4):
        assert bucket.try_acquire()
    clock.advance(1)
    assert bucket.available() == 2
    clock.advance(10)
    assert bucket.available() == 4


def test_acquire_many():
    bucket, clock = make(rate=1, capacity=5)
    assert bucket.try_acquire(4)
    assert not bucket.try_acquire(2)
    clock.advance(1)
    assert bucket.try_acquire(2)
    assert bucket.available() == 0


def test_wait_time():
    bucket, clock = make(rate=2, capacity=2)
    assert bucket.wait_time() == 0.0
    bucket.try_acquire(2)
    assert bucket.wait_time() == 0.5
    assert bucket.wait_time(2) == 1.0
    clock.advance(1)
    assert bucket.wait_time(2) == 0.0


def test_acquire_blocks_using_clock():
    bucket, clock = make(rate=1, capacity=1)
    bucket.acquire()
    bucket.acquire()
    assert clock.now() == 1.0


def test_invalid_arguments():
    with pytest.raises(ValueError):
        TokenBucket(0, 1)
    with pytest.raises(ValueError):
        TokenBucket(1, 0)
    bucket, _ = make(capacity=2)
    with pytest.raises(ValueError):
        bucket.try_acquire(0)
    with pytest.raises(ValueError):
        bucket.try_acquire(3)


def test_manual_clock_rejects_going_back():
    clock = ManualClock(5)
    with pytest.raises(ValueError):
        clock.advance(-1)
