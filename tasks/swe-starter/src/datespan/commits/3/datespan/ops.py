"""Operations on collections of DateSpans."""

from .span import ONE_DAY, DateSpan

__all__ = ["merge", "subtract", "total_days", "gaps"]


def merge(spans):
    """Combine overlapping or adjacent spans; result is sorted by start."""
    out = []
    for s in sorted(spans, key=lambda s: s.start):
        if out and s.start <= out[-1].end + ONE_DAY:
            out[-1] = DateSpan(out[-1].start, s.end)
        else:
            out.append(s)
    return out


def total_days(spans):
    """Number of distinct days covered by *spans*."""
    return sum(len(s) for s in merge(spans))


def subtract(span, others):
    """The parts of *span* not covered by any of *others*."""
    result = []
    cursor = span.start
    for other in merge(others):
        if other.end < cursor:
            continue
        if other.start > span.end:
            break
        if other.start > cursor:
            result.append(DateSpan(cursor, other.start - ONE_DAY))
        cursor = max(cursor, other.end + ONE_DAY)
    if cursor <= span.end:
        result.append(DateSpan(cursor, span.end))
    return result


def gaps(spans):
    """The uncovered stretches between the first start and the last end."""
    merged = merge(spans)
    return [DateSpan(a.end + ONE_DAY, b.start - ONE_DAY)
            for a, b in zip(merged, merged[1:])]
