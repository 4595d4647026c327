from datetime import date

import pytest

from datespan import add_months, days_in_month, month_end, month_start, months_between


def test_days_in_month():
    assert days_in_month(2024, 2) == 29
    assert days_in_month(2023, 2) == 28
    assert days_in_month(2024, 4) == 30


def test_month_start_and_end():
    assert month_start(date(2024, 5, 17)) == date(2024, 5, 1)
    assert month_end(date(2024, 2, 3)) == date(2024, 2, 29)


@pytest.mark.parametrize("start,n,expected", [
    (date(2024, 1, 15), 1, date(2024, 2, 15)),
    (date(2024, 1, 31), 1, date(2024, 2, 29)),
    (date(2023, 1, 31), 1, date(2023, 2, 28)),
    (date(2024, 3, 31), 1, date(2024, 4, 30)),
    (date(2024, 10, 5), 3, date(2025, 1, 5)),
    (date(2024, 5, 20), -2, date(2024, 3, 20)),
    (date(2024, 3, 31), -1, date(2024, 2, 29)),
    (date(2024, 6, 1), 0, date(2024, 6, 1)),
    (date(2024, 2, 29), 12, date(2025, 2, 28)),
])
def test_add_months(start, n, expected):
    assert add_months(start, n) == expected


def test_months_between():
    assert months_between(date(2024, 1, 15), date(2024, 3, 15)) == 2
    assert months_between(date(2024, 1, 15), date(2024, 3, 14)) == 1
    assert months_between(date(2024, 1, 31), date(2024, 2, 29)) == 1
    assert months_between(date(2024, 3, 15), date(2024, 1, 15)) == -2
    assert months_between(date(2024, 3, 1), date(2024, 3, 31)) == 0
