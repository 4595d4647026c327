"""DateSpan: an inclusive range of calendar days."""

import datetime

from .months import month_end

__all__ = ["DateSpan", "ONE_DAY"]

ONE_DAY = datetime.timedelta(days=1)


def _as_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        return datetime.date.fromisoformat(value)
    raise TypeError("expected a date or an ISO date string, got %r" % (value,))


class DateSpan:
    """The days from *start* to *end*, both included."""

    __slots__ = ("start", "end")

    def __init__(self, start, end):
        start, end = _as_date(start), _as_date(end)
        if end < start:
            raise ValueError("span ends (%s) before it starts (%s)" % (end, start))
        self.start = start
        self.end = end

    @classmethod
    def parse(cls, text):
        """Parse ``2024-01-01..2024-01-31`` (or a single ISO date)."""
        if ".." in text:
            a, b = text.split("..", 1)
            return cls(a.strip(), b.strip())
        return cls(text.strip(), text.strip())

    @classmethod
    def month(cls, year, month):
        first = datetime.date(year, month, 1)
        return cls(first, month_end(first))

    def __repr__(self):
        return "DateSpan(%r, %r)" % (self.start.isoformat(), self.end.isoformat())

    def __str__(self):
        return "%s..%s" % (self.start.isoformat(), self.end.isoformat())

    def __eq__(self, other):
        if not isinstance(other, DateSpan):
            return NotImplemented
        return (self.start, self.end) == (other.start, other.end)

    def __hash__(self):
        return hash((self.start, self.end))

    def __len__(self):
        return (self.end - self.start).days + 1

    @property
    def days(self):
        return len(self)

    def __contains__(self, day):
        day = _as_date(day)
        return self.start <= day <= self.end

    def __iter__(self):
        day = self.start
        while day <= self.end:
            yield day
            day += ONE_DAY

    def overlaps(self, other):
        return self.start <= other.end and other.start <= self.end

    def adjacent(self, other):
        """True when the spans touch without sharing a day."""
        return self.end + ONE_DAY == other.start or other.end + ONE_DAY == self.start

    def intersection(self, other):
        """The shared days, or None."""
        if not self.overlaps(other):
            return None
        return DateSpan(max(self.start, other.start), min(self.end, other.end))

    def shift(self, days):
        delta = datetime.timedelta(days=days)
        return DateSpan(self.start + delta, self.end + delta)
