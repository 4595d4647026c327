import pytest

from semverlib import InvalidVersion, Version, parse


def test_parse_basic():
    v = parse("1.2.3")
    assert (v.major, v.minor, v.patch) == (1, 2, 3)
    assert v.prerelease == ()
    assert v.build == ()


def test_parse_prerelease_and_build():
    v = parse("1.0.0-alpha.1+build.5")
    assert v.prerelease == ("alpha", "1")
    assert v.build == ("build", "5")
    assert str(v) == "1.0.0-alpha.1+build.5"


def test_parse_leading_v_and_whitespace():
    assert parse(" v2.0.1 ") == Version(2, 0, 1)


@pytest.mark.parametrize("text", ["1.2", "1.2.3.4", "01.2.3", "1.2.3-", "1.2.3-01", "a.b.c", ""])
def test_parse_invalid(text):
    with pytest.raises(InvalidVersion):
        parse(text)


def test_parse_rejects_non_string():
    with pytest.raises(TypeError):
        parse(123)


def test_compare_core_numbers_numerically():
    assert parse("1.10.0") > parse("1.9.0")
    assert parse("2.0.0") > parse("1.99.99")
    assert parse("0.0.2") < parse("0.1.0")


def test_release_beats_prerelease():
    assert parse("1.0.0-rc.1") < parse("1.0.0")
    assert parse("1.0.0") > parse("1.0.0-alpha")


def test_prerelease_order_from_spec():
    order = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
             "1.0.0-beta", "1.0.0-beta.2", "1.0.0-rc.1", "1.0.0"]
    versions = [parse(s) for s in order]
    for lower, higher in zip(versions, versions[1:]):
        assert lower < higher, (lower, higher)


def test_build_metadata_ignored_for_equality():
    assert parse("1.0.0+a") == parse("1.0.0+b")
    assert hash(parse("1.0.0+a")) == hash(parse("1.0.0"))


def test_compare_with_string():
    assert parse("1.2.3") == "1.2.3"
    assert parse("1.2.3") < "1.2.4"


def test_immutable():
    v = parse("1.2.3")
    with pytest.raises(AttributeError):
        v.major = 2


def test_bump():
    v = parse("1.2.3")
    assert str(v.bump_major()) == "2.0.0"
    assert str(v.bump_minor()) == "1.3.0"
    assert str(v.bump_patch()) == "1.2.4"
    assert str(parse("1.2.3-rc.1").bump_patch()) == "1.2.3"


def test_sorting():
    items = ["1.0.0", "0.9.1", "1.0.0-rc.1", "0.10.0"]
    assert [str(v) for v in sorted(map(parse, items))] == [
        "0.9.1", "0.10.0", "1.0.0-rc.1", "1.0.0"]
