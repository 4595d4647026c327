from datetime import date, datetime

import pytest

from datespan import DateSpan


def test_construction_and_len():
    s = DateSpan("2024-01-01", date(2024, 1, 31))
    assert len(s) == 31
    assert s.days == 31
    assert DateSpan(datetime(2024, 1, 1, 12), "2024-01-01").days == 1


def test_invalid():
    with pytest.raises(ValueError):
        DateSpan("2024-02-01", "2024-01-01")
    with pytest.raises(TypeError):
        DateSpan(20240101, "2024-01-01")


def test_parse_and_str():
    s = DateSpan.parse("2024-01-01 .. 2024-01-10")
    assert str(s) == "2024-01-01..2024-01-10"
    assert DateSpan.parse("2024-03-03") == DateSpan("2024-03-03", "2024-03-03")
    assert repr(s) == "DateSpan('2024-01-01', '2024-01-10')"


def test_month_constructor():
    assert DateSpan.month(2024, 2) == DateSpan("2024-02-01", "2024-02-29")


def test_contains_and_iter():
    s = DateSpan("2024-01-30", "2024-02-02")
    assert "2024-01-31" in s
    assert date(2024, 2, 3) not in s
    assert [d.day for d in s] == [30, 31, 1, 2]


def test_overlap_adjacent_intersection():
    a = DateSpan("2024-01-01", "2024-01-10")
    b = DateSpan("2024-01-10", "2024-01-20")
    c = DateSpan("2024-01-11", "2024-01-20")
    assert a.overlaps(b) and not a.overlaps(c)
    assert a.adjacent(c) and c.adjacent(a) and not a.adjacent(b)
    assert a.intersection(b) == DateSpan("2024-01-10", "2024-01-10")
    assert a.intersection(c) is None


def test_shift():
    assert DateSpan("2024-02-28", "2024-03-01").shift(2) == DateSpan("2024-03-01", "2024-03-03")


def test_hashable():
    assert len({DateSpan("2024-01-01", "2024-01-02"), DateSpan("2024-01-01", "2024-01-02")}) == 1
