import pytest

from semverlib import InvalidRange, Range, satisfies


@pytest.mark.parametrize("rng,version,expected", [
    ("1.2.3", "1.2.3", True),
    ("=1.2.3", "1.2.4", False),
    (">1.2.3", "1.2.4", True),
    (">=1.2.3", "1.2.3", True),
    ("<1.2.3", "1.2.3", False),
    ("<=1.2.3", "1.2.3", True),
    (">=1.0.0 <2.0.0", "1.9.9", True),
    (">=1.0.0 <2.0.0", "2.0.0", False),
    ("*", "3.4.5", True),
    ("", "0.0.1", True),
])
def test_primitive_comparators(rng, version, expected):
    assert satisfies(version, rng) is expected


def test_x_ranges():
    assert satisfies("1.2.9", "1.2.x")
    assert not satisfies("1.3.0", "1.2.x")
    assert satisfies("1.9.0", "1.x")
    assert satisfies("1.9.0", "1")
    assert not satisfies("2.0.0", "1.*")


def test_partial_primitives():
    assert satisfies("1.3.0", ">1.2")
    assert not satisfies("1.2.9", ">1.2")
    assert satisfies("1.2.9", "<=1.2")
    assert not satisfies("1.3.0", "<=1.2")


def test_tilde():
    assert satisfies("1.2.9", "~1.2.3")
    assert not satisfies("1.3.0", "~1.2.3")
    assert not satisfies("1.2.2", "~1.2.3")
    assert satisfies("1.9.0", "~1")
    assert satisfies("0.2.5", "~0.2")


def test_caret_major():
    assert satisfies("1.9.9", "^1.2.3")
    assert not satisfies("2.0.0", "^1.2.3")
    assert not satisfies("1.2.2", "^1.2.3")
    assert satisfies("1.4.0", "^1.2")


def test_hyphen_range():
    assert satisfies("1.2.3", "1.2.3 - 2.3.4")
    assert satisfies("2.3.4", "1.2.3 - 2.3.4")
    assert not satisfies("2.3.5", "1.2.3 - 2.3.4")
    assert satisfies("2.3.9", "1.2 - 2.3")
    assert not satisfies("2.4.0", "1.2 - 2.3")


def test_or_ranges():
    r = Range("<1.0.0 || >=2.0.0 <3.0.0")
    assert r.test("0.5.0")
    assert r.test("2.5.0")
    assert not r.test("1.5.0")
    assert "2.0.0" in r


def test_operator_with_space():
    assert satisfies("1.5.0", ">= 1.2.0 < 2.0.0")


def test_prerelease_excluded_by_default():
    assert not satisfies("1.3.0-beta.1", "^1.2.0")
    assert satisfies("1.3.0-beta.1", "^1.2.0", include_prerelease=True)


def test_prerelease_allowed_with_same_tuple():
    assert satisfies("1.2.3-rc.2", ">=1.2.3-rc.1 <2.0.0")
    assert not satisfies("1.2.4-rc.2", ">=1.2.3-rc.1 <2.0.0")


def test_invalid_range():
    with pytest.raises(InvalidRange):
        Range("~>>1.2")
    with pytest.raises(InvalidRange):
        Range("1.2.3 - ")


def test_invalid_version_does_not_match():
    assert not satisfies("not-a-version", "*")


def test_str_of_range():
    assert str(Range("~1.2.3")) == ">=1.2.3 <1.3.0"
