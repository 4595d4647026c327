import pytest

from tablefmt import Table, tabulate

ROWS = [["apple", 3, 1.5], ["banana", 12, 0.25], ["cherry", 7, 10.0]]


def test_simple_style():
    assert tabulate(ROWS, headers=["fruit", "qty", "price"]) == (
        "fruit   qty  price\n"
        "------  ---  -----\n"
        "apple     3    1.5\n"
        "banana   12   0.25\n"
        "cherry    7   10.0"
    )


def test_plain_style_without_headers():
    assert tabulate([["a", "b"], ["cc", "d"]], style="plain") == "a   b\ncc  d"


def test_grid_style():
    out = tabulate([["x", 1]], headers=["name", "n"], style="grid")
    assert out == (
        "+------+---+\n"
        "| name | n |\n"
        "+======+===+\n"
        "| x    | 1 |\n"
        "+------+---+"
    )


def test_numeric_strings_are_right_aligned():
    out = tabulate([["a", "10"], ["b", "2.5"]], headers=["k", "v"])
    assert out.splitlines()[2:] == ["a   10", "b  2.5"]


def test_text_column_left_aligned():
    out = tabulate([["10", "x"], ["n/a", "y"]], headers=["v", "k"])
    assert out.splitlines()[2:] == ["10   x", "n/a  y"]


def test_missing_values():
    out = tabulate([["a", None], ["b", 2]], headers=["k", "v"], missing="-")
    assert out.splitlines()[2:] == ["a  -", "b  2"]


def test_short_rows_are_padded():
    out = tabulate([["a"], ["b", "c"]], style="plain")
    assert out == "a\nb  c"


def test_floatfmt():
    out = tabulate([[1.23456], [2.0]], floatfmt=".2f", style="plain")
    assert out == "1.23\n2.00"


def test_multiline_cells():
    out = tabulate([["a\nbb", "c"]], headers=["h1", "h2"])
    assert out.splitlines() == ["h1  h2", "--  --", "a   c", "bb"]


def test_booleans_are_text():
    out = tabulate([[True], [False]], headers=["flag"])
    assert out.splitlines()[2:] == ["True", "False"]


def test_empty_table():
    assert Table().render() == ""


def test_bad_options():
    with pytest.raises(ValueError):
        Table(style="fancy")
    with pytest.raises(ValueError):
        Table(align=["up"])
