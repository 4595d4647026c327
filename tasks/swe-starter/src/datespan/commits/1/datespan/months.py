"""Calendar month arithmetic on datetime.date."""

import calendar
import datetime

__all__ = ["add_months", "days_in_month", "month_end", "month_start", "months_between"]


def days_in_month(year, month):
    return calendar.monthrange(year, month)[1]


def month_start(d):
    return d.replace(day=1)


def month_end(d):
    return d.replace(day=days_in_month(d.year, d.month))


def add_months(d, n):
    """Move *d* by *n* calendar months (n may be negative).

    The day is clamped to the length of the target month, so Jan 31 plus
    one month is Feb 28 (or 29).
    """
    total = d.month + n
    year = d.year + total // 12
    month = total % 12 or 12
    day = min(d.day, days_in_month(year, month))
    return datetime.date(year, month, day)


def months_between(a, b):
    """Whole calendar months from *a* to *b* (negative if b is earlier)."""
    months = (b.year - a.year) * 12 + (b.month - a.month)
    if months > 0 and b.day < a.day and b != month_end(b):
        months -= 1
    elif months < 0 and b.day > a.day and a != month_end(a):
        months += 1
    return months
