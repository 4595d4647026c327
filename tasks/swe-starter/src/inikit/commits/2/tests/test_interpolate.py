import pytest

from inikit import InterpolationError, loads


def test_local_reference():
    cfg = loads("[app]\nroot = /srv\nlogs = ${root}/logs\n")
    assert cfg.get("app", "logs") == "/srv/logs"


def test_default_reference():
    cfg = loads("[DEFAULT]\nroot = /srv\n[app]\nlogs = ${root}/logs\n")
    assert cfg.get("app", "logs") == "/srv/logs"


def test_nested_local_references():
    cfg = loads("[a]\nx = 1\ny = ${x}2\nz = ${y}3\n")
    assert cfg.get("a", "z") == "123"


def test_cross_section_reference():
    cfg = loads("[paths]\nroot = /opt\n[app]\nbin = ${paths:root}/bin\n")
    assert cfg.get("app", "bin") == "/opt/bin"


def test_reference_key_is_case_insensitive():
    cfg = loads("[a]\nName = x\nv = ${NAME}\n")
    assert cfg.get("a", "v") == "x"


def test_dollar_escape():
    cfg = loads("[a]\nprice = $$5 and ${x}\nx = $$y\n")
    assert cfg.get("a", "price") == "$5 and $y"


def test_raw_and_disabled():
    text = "[a]\nx = 1\ny = ${x}\n"
    assert loads(text).get("a", "y", raw=True) == "${x}"
    assert loads(text, interpolation=False).get("a", "y") == "${x}"


def test_missing_reference():
    cfg = loads("[a]\ny = ${nope}\n")
    with pytest.raises(InterpolationError):
        cfg.get("a", "y")


def test_cycle_detected():
    cfg = loads("[a]\nx = ${y}\ny = ${x}\n")
    with pytest.raises(InterpolationError):
        cfg.get("a", "x")


def test_validate_reports_problems():
    cfg = loads("[a]\nok = 1\nbad = ${missing}\n")
    problems = cfg.validate()
    assert len(problems) == 1
    assert problems[0].startswith("a.bad:")


def test_items_are_expanded():
    cfg = loads("[a]\nx = 1\ny = <${x}>\n")
    assert cfg.items("a") == [("x", "1"), ("y", "<1>")]
