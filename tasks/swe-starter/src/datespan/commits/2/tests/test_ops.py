from datespan import DateSpan, gaps, merge, subtract, total_days


def S(text):
    return DateSpan.parse(text)


def test_merge_overlapping():
    assert merge([S("2024-01-05..2024-01-10"), S("2024-01-01..2024-01-06")]) == [
        S("2024-01-01..2024-01-10")]


def test_merge_adjacent():
    assert merge([S("2024-01-01..2024-01-05"), S("2024-01-06..2024-01-09")]) == [
        S("2024-01-01..2024-01-09")]


def test_merge_keeps_separate():
    spans = [S("2024-01-10..2024-01-12"), S("2024-01-01..2024-01-03")]
    assert merge(spans) == [S("2024-01-01..2024-01-03"), S("2024-01-10..2024-01-12")]


def test_merge_empty():
    assert merge([]) == []


def test_total_days():
    assert total_days([S("2024-01-01..2024-01-10"), S("2024-01-06..2024-01-15")]) == 15


def test_subtract():
    span = S("2024-01-01..2024-01-31")
    holes = [S("2024-01-05..2024-01-07"), S("2024-01-20..2024-02-10")]
    assert subtract(span, holes) == [S("2024-01-01..2024-01-04"), S("2024-01-08..2024-01-19")]


def test_subtract_nothing_left():
    assert subtract(S("2024-01-02..2024-01-03"), [S("2024-01-01..2024-01-05")]) == []


def test_subtract_nothing_removed():
    assert subtract(S("2024-01-02..2024-01-03"), [S("2024-02-01..2024-02-05")]) == [
        S("2024-01-02..2024-01-03")]


def test_gaps():
    spans = [S("2024-01-01..2024-01-03"), S("2024-01-10..2024-01-12"), S("2024-01-04..2024-01-05")]
    assert gaps(spans) == [S("2024-01-06..2024-01-09")]
