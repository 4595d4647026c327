"""``${key}`` and ``${section:key}`` references inside values.

``${key}`` looks the key up in the value's own section (falling back to
DEFAULT); ``${section:key}`` names the section explicitly.  ``$$`` stands
for a literal ``$``.  References may nest up to ``MAX_DEPTH`` levels, which
also stops reference cycles.
"""

import re

from .errors import InterpolationError

MAX_DEPTH = 10

_REF_RE = re.compile(r"\$(?:(\$)|\{([^{}]*)\})")


def expand(lookup, section, value, depth=0):
    """Expand every reference in *value*.

    *lookup(section, key)* returns the raw (unexpanded) value of a key or
    None when it does not exist.
    """
    if "$" not in value:
        return value
    if depth > MAX_DEPTH:
        raise InterpolationError(
            "references nested deeper than %d levels in section %r "
            "(is there a cycle?)" % (MAX_DEPTH, section))

    def replace(m):
        if m.group(1):
            return "$"
        ref = m.group(2).strip()
        if ":" in ref:
            target, key = ref.split(":", 1)
            target = target.strip()
        else:
            target, key = section, ref
        key = key.strip().lower()
        if not key:
            raise InterpolationError("empty reference in section %r" % section)
        raw = lookup(target, key)
        if raw is None:
            raise InterpolationError(
                "bad reference ${%s} in section %r: no such option" % (ref, section))
        return expand(lookup, section, raw, depth + 1)

    return _REF_RE.sub(replace, value)
