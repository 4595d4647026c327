import pytest

from ratelimit import FixedWindowCounter, ManualClock, SlidingWindowLog


def test_sliding_window_limit():
    clock = ManualClock()
    w = SlidingWindowLog(3, 10, clock)
    assert [w.try_acquire() for _ in range(4)] == [True, True, True, False]
    assert w.count() == 3
    assert w.remaining() == 0


def test_sliding_window_events_expire():
    clock = ManualClock()
    w = SlidingWindowLog(2, 10, clock)
    w.try_acquire()
    clock.advance(4)
    w.try_acquire()
    clock.advance(7)
    assert w.count() == 1
    assert w.try_acquire()
    assert not w.try_acquire()


def test_sliding_window_retry_after():
    clock = ManualClock()
    w = SlidingWindowLog(2, 60, clock)
    w.try_acquire()
    clock.advance(20)
    w.try_acquire()
    clock.advance(10)
    assert w.retry_after() == 30.0
    assert SlidingWindowLog(1, 5, clock).retry_after() == 0.0


def test_fixed_window():
    clock = ManualClock(100)
    w = FixedWindowCounter(2, 10, clock)
    assert w.try_acquire() and w.try_acquire()
    assert not w.try_acquire()
    assert w.retry_after() == 10.0
    clock.advance(9)
    assert not w.try_acquire()
    clock.advance(1)
    assert w.try_acquire()


def test_invalid_windows():
    with pytest.raises(ValueError):
        SlidingWindowLog(0, 1)
    with pytest.raises(ValueError):
        SlidingWindowLog(1, 0)
    with pytest.raises(ValueError):
        FixedWindowCounter(1, -1)
