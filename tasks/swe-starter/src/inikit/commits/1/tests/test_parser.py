import pytest

from inikit import ParseError, loads

SAMPLE = """\
; a sample file
# with both comment styles
name = top level

[server]
Host = example.org
port: 8080
greeting = hello world   ; trailing comment
color = #ff8800
url = http://example.org/a;b
empty =

[paths]
search =
    /usr/lib
    /usr/local/lib   # local builds
"""


def test_sections_and_default():
    cfg = loads(SAMPLE)
    assert cfg.sections() == ["server", "paths"]
    assert cfg.get("server", "name") == "top level"


def test_keys_are_case_insensitive():
    cfg = loads(SAMPLE)
    assert cfg.get("server", "host") == "example.org"
    assert cfg.get("server", "HOST") == "example.org"


def test_colon_separator():
    assert loads(SAMPLE).get("server", "port") == "8080"


def test_inline_comment_stripped():
    assert loads(SAMPLE).get("server", "greeting") == "hello world"


def test_comment_chars_without_space_are_kept():
    cfg = loads(SAMPLE)
    assert cfg.get("server", "color") == "#ff8800"
    assert cfg.get("server", "url") == "http://example.org/a;b"


def test_empty_value():
    assert loads(SAMPLE).get("server", "empty") == ""


def test_continuation_lines():
    assert loads(SAMPLE).get("paths", "search") == "/usr/lib\n/usr/local/lib"


def test_separator_in_value():
    cfg = loads("[a]\nexpr = a=b:c\n")
    assert cfg.get("a", "expr") == "a=b:c"


@pytest.mark.parametrize("text,lineno", [
    ("[a]\nno separator here\n", 2),
    ("[a\nx = 1\n", 1),
    ("[]\n", 1),
    ("[a]\n = 1\n", 2),
    ("[a]\nx = 1\n[a]\n", 3),
    ("[a]\nx = 1\nX = 2\n", 3),
    ("  x = 1\n", 1),
])
def test_parse_errors(text, lineno):
    with pytest.raises(ParseError) as info:
        loads(text)
    assert info.value.lineno == lineno


def test_non_strict_merges():
    cfg = loads("[a]\nx = 1\n[b]\n[a]\nx = 2\ny = 3\n", strict=False)
    assert cfg.get("a", "x") == "2"
    assert cfg.get("a", "y") == "3"
    assert cfg.sections() == ["a", "b"]


def test_blank_line_ends_continuation():
    with pytest.raises(ParseError):
        loads("[a]\nx = 1\n\n    indented\n")
