import pytest

from tablefmt import display_width, pad, truncate, wrap


def test_ascii_width():
    assert display_width("hello") == 5
    assert display_width("") == 0


def test_combining_marks_take_no_space():
    assert display_width("e\u0301") == 1
    assert display_width("cafe\u0301") == 4


def test_control_and_format_chars():
    assert display_width("a\u200bb") == 2
    assert display_width("\x1b") == 0


def test_pad():
    assert pad("ab", 5) == "ab   "
    assert pad("ab", 5, "right") == "   ab"
    assert pad("ab", 5, "center") == " ab  "
    assert pad("abcdef", 3) == "abcdef"
    with pytest.raises(ValueError):
        pad("x", 3, "middle")


def test_truncate():
    assert truncate("hello world", 20) == "hello world"
    assert truncate("hello world", 8) == "hello w\u2026"
    assert truncate("hello world", 8, ellipsis="...") == "hello..."
    assert truncate("hello", 0) == ""
    with pytest.raises(ValueError):
        truncate("x", -1)


def test_wrap():
    assert wrap("the quick brown fox", 10) == ["the quick", "brown fox"]
    assert wrap("a\nb c", 3) == ["a", "b c"]
    assert wrap("abcdefgh", 3) == ["abc", "def", "gh"]
    assert wrap("", 4) == [""]
    with pytest.raises(ValueError):
        wrap("x", 0)
