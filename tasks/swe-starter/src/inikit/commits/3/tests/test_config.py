import pytest

from inikit import NoOptionError, NoSectionError, loads

TEXT = """\
[DEFAULT]
timeout = 30
debug = off

[db]
host = localhost
port = 0x1F90
ratio = 0.75
replicas = a, b,, c
debug = Yes
hosts =
    one.example
    two.example, three.example
"""


def test_typed_getters():
    cfg = loads(TEXT)
    assert cfg.getint("db", "port") == 8080
    assert cfg.getint("db", "timeout") == 30
    assert cfg.getfloat("db", "ratio") == 0.75
    assert cfg.getbool("db", "debug") is True


def test_getlist():
    cfg = loads(TEXT)
    assert cfg.getlist("db", "replicas") == ["a", "b", "c"]
    assert cfg.getlist("db", "hosts") == ["one.example", "two.example", "three.example"]


def test_fallbacks():
    cfg = loads(TEXT)
    assert cfg.get("db", "missing", fallback="x") == "x"
    assert cfg.getint("nope", "port", fallback=5) == 5
    assert cfg.getbool("db", "missing", fallback=None) is None


def test_missing_raises():
    cfg = loads(TEXT)
    with pytest.raises(NoSectionError):
        cfg.get("nope", "x")
    with pytest.raises(NoOptionError):
        cfg.get("db", "x")
    with pytest.raises(KeyError):
        cfg.get("db", "x")


def test_bad_bool_and_int():
    cfg = loads("[a]\nb = maybe\ni = ten\n")
    with pytest.raises(ValueError):
        cfg.getbool("a", "b")
    with pytest.raises(ValueError):
        cfg.getint("a", "i")


def test_options_include_defaults():
    cfg = loads(TEXT)
    assert cfg.options("db") == ["host", "port", "ratio", "replicas", "debug",
                                 "hosts", "timeout"]


def test_set_and_remove():
    cfg = loads(TEXT)
    cfg.set("db", "Host", "db.internal")
    assert cfg.get("db", "host") == "db.internal"
    cfg.remove_option("db", "host")
    assert not cfg.has_option("db", "host")
    with pytest.raises(NoOptionError):
        cfg.remove_option("db", "host")
    with pytest.raises(TypeError):
        cfg.set("db", "port", 80)


def test_sections_management():
    cfg = loads(TEXT)
    cfg.add_section("cache")
    assert cfg.has_section("cache")
    assert not cfg.has_section("DEFAULT")
    with pytest.raises(ValueError):
        cfg.add_section("db")
    cfg.remove_section("cache")
    assert cfg.sections() == ["db"]


def test_dumps_roundtrip():
    cfg = loads(TEXT)
    again = loads(cfg.dumps())
    assert again.as_dict() == cfg.as_dict()


def test_dumps_quotes_when_needed():
    cfg = loads("[a]\n")
    cfg.set("a", "pad", "  x ")
    cfg.set("a", "plain", "value")
    text = cfg.dumps()
    assert 'pad = "  x "' in text
    assert "plain = value" in text
    assert loads(text).get("a", "pad") == "  x "


def test_dumps_multiline():
    cfg = loads("[a]\n")
    cfg.set("a", "lines", "one\ntwo")
    text = cfg.dumps()
    assert text == "[a]\nlines =\n    one\n    two\n"
    assert loads(text).get("a", "lines") == "one\ntwo"
