"""Border styles for tables."""

from collections import namedtuple

# Each rule is (left, fill, junction, right) or None when the style has no
# such line.  ``row`` is (left, separator, right) between cells.
Style = namedtuple("Style", "top header_rule bottom row padding")

STYLES = {
    "plain": Style(None, None, None, ("", "  ", ""), 0),
    "simple": Style(None, ("", "-", "  ", ""), None, ("", "  ", ""), 0),
    "grid": Style(("+", "-", "+", "+"), ("+", "=", "+", "+"),
                  ("+", "-", "+", "+"), ("|", "|", "|"), 1),
}


def get_style(name):
    try:
        return STYLES[name]
    except KeyError:
        raise ValueError("unknown table style %r (choose from %s)"
                         % (name, ", ".join(sorted(STYLES)))) from None
