"""Turn INI text into (section, key, value) records.

Supported syntax::

    ; full-line comments start with ';' or '#'
    [section]
    key = value          ; inline comments need whitespace before them
    other: value         # ':' works as a separator too
    multi = first line
        continuation lines are indented

Keys are case-insensitive (stored in lower case); section names are not.
Keys that appear before the first section header go to ``DEFAULT``.
"""

from .errors import ParseError

DEFAULT_SECTION = "DEFAULT"
COMMENT_CHARS = "#;"


def _strip_inline_comment(value):
    """Remove a trailing ``; comment`` or ``# comment`` from *value*.

    A comment marker only counts when whitespace precedes it, so
    ``color = #fff`` and ``url = http://host/a;b`` keep their values.
    """
    for i, ch in enumerate(value):
        if ch in COMMENT_CHARS and i > 0 and value[i - 1] in " \t":
            return value[:i].rstrip()
    return value


def _split_key_value(line, lineno):
    positions = [p for p in (line.find("="), line.find(":")) if p >= 0]
    if not positions:
        raise ParseError("expected 'key = value', got %r" % line.strip(), lineno)
    pos = min(positions)
    key = line[:pos].strip().lower()
    if not key:
        raise ParseError("empty key", lineno)
    value = _strip_inline_comment(line[pos + 1:].strip())
    return key, value


def parse(text, strict=True):
    """Parse *text* and return ``[(section, [(key, value, lineno), ...]), ...]``.

    With *strict*, a duplicate section or a duplicate key in one section is
    an error; otherwise later values win and sections are merged.
    """
    sections = {DEFAULT_SECTION: {}}
    order = [DEFAULT_SECTION]
    current = DEFAULT_SECTION
    last_key = None
    pending = {}    # key -> raw value lines, for the current section
    key_lines = {}  # key -> line number where the key appeared

    def flush():
        for k, lines in pending.items():
            if len(lines) > 1 and lines[0] == "":
                # "key =" followed by indented lines: the value starts below.
                lines = lines[1:]
            value = "\n".join(lines)
            sections[current][k] = (value, key_lines[k])
        pending.clear()

    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped:
            last_key = None
            continue
        if stripped[0] in COMMENT_CHARS:
            continue
        if raw[0] in " \t" and last_key is not None:
            pending[last_key].append(_strip_inline_comment(stripped))
            continue
        if stripped.startswith("["):
            if not stripped.endswith("]"):
                raise ParseError("unterminated section header", lineno)
            name = stripped[1:-1].strip()
            if not name:
                raise ParseError("empty section name", lineno)
            flush()
            if name in sections and strict and name != DEFAULT_SECTION:
                raise ParseError("duplicate section %r" % name, lineno)
            if name not in sections:
                sections[name] = {}
                order.append(name)
            current = name
            last_key = None
            continue
        if raw[0] in " \t":
            raise ParseError("unexpected indentation", lineno)
        key, value = _split_key_value(line, lineno)
        if strict and (key in pending or key in sections[current]):
            raise ParseError("duplicate key %r in section %r" % (key, current), lineno)
        pending[key] = [value]
        key_lines[key] = lineno
        last_key = key
    flush()
    return [(name, [(k, v, n) for k, (v, n) in sections[name].items()])
            for name in order]
