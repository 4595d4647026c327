"""Version ranges in the syntax popularised by npm.

A range is one or more comparator sets joined by ``||``.  A comparator set is
either a hyphen range (``1.2.3 - 2.0.0``) or a whitespace-separated list of
comparators, each of which may use a shorthand:

* ``1.2.x``, ``1.2``, ``1``, ``*``  -- x-ranges
* ``~1.2.3``                        -- patch-level changes
* ``^1.2.3``                        -- changes that do not modify the
                                       left-most non-zero component
* ``<``, ``<=``, ``>``, ``>=``, ``=`` -- plain comparators

Prerelease versions only satisfy a comparator set when one of its
comparators names a prerelease of the same ``major.minor.patch`` (unless
``include_prerelease=True`` is given).
"""

import re

from .version import InvalidVersion, Version

__all__ = ["InvalidRange", "Range", "satisfies"]


class InvalidRange(ValueError):
    """Raised when a range expression cannot be parsed."""


_WILD = ("x", "X", "*")
_PARTIAL_RE = re.compile(
    r"^v?(?P<major>\d+|[xX*])"
    r"(?:\.(?P<minor>\d+|[xX*])"
    r"(?:\.(?P<patch>\d+|[xX*])"
    r"(?:-(?P<pre>[0-9A-Za-z.-]+))?"
    r"(?:\+[0-9A-Za-z.-]+)?)?)?$"
)
_COMPARATOR_RE = re.compile(r"^(?P<op><=|>=|<|>|=|~>|~|\^)?\s*(?P<ver>\S+)$")


class Comparator:
    __slots__ = ("op", "version")

    def __init__(self, op, version):
        self.op = op
        self.version = version

    def test(self, v):
        c = v.compare(self.version)
        if self.op == "<":
            return c < 0
        if self.op == "<=":
            return c <= 0
        if self.op == ">":
            return c > 0
        if self.op == ">=":
            return c >= 0
        return c == 0

    def __repr__(self):
        return "%s%s" % ("" if self.op == "=" else self.op, self.version)


def _parse_partial(text):
    m = _PARTIAL_RE.match(text)
    if not m:
        raise InvalidRange("invalid version in range: %r" % text)
    parts = []
    for name in ("major", "minor", "patch"):
        value = m.group(name)
        if value is None or value in _WILD:
            parts.append(None)
        else:
            parts.append(int(value))
    # Anything after a wildcard is a wildcard too: 1.x.3 means 1.x
    for i in range(3):
        if parts[i] is None:
            parts[i + 1:] = [None] * (2 - i)
            break
    pre = m.group("pre")
    pre = tuple(pre.split(".")) if pre and parts[2] is not None else ()
    return parts, pre


def _floor(parts, pre=()):
    major, minor, patch = parts
    return Version(major or 0, minor or 0, patch or 0, pre)


def _xrange(parts, pre):
    major, minor, patch = parts
    if major is None:
        return [Comparator(">=", Version(0, 0, 0))]
    if minor is None:
        return [Comparator(">=", Version(major, 0, 0)),
                Comparator("<", Version(major + 1, 0, 0))]
    if patch is None:
        return [Comparator(">=", Version(major, minor, 0)),
                Comparator("<", Version(major, minor + 1, 0))]
    return [Comparator("=", Version(major, minor, patch, pre))]


def _tilde(parts, pre):
    major, minor, _ = parts
    if major is None:
        return [Comparator(">=", Version(0, 0, 0))]
    lower = _floor(parts, pre)
    if minor is None:
        upper = Version(major + 1, 0, 0)
    else:
        upper = Version(major, minor + 1, 0)
    return [Comparator(">=", lower), Comparator("<", upper)]


def _caret(parts, pre):
    major, _, _ = parts
    if major is None:
        return [Comparator(">=", Version(0, 0, 0))]
    lower = _floor(parts, pre)
    upper = Version(major + 1, 0, 0)
    return [Comparator(">=", lower), Comparator("<", upper)]


def _primitive(op, parts, pre):
    major, minor, patch = parts
    if major is None:
        if op in ("<", ">"):
            # Nothing is below 0.0.0 or above everything.
            return [Comparator("<", Version(0, 0, 0))]
        return [Comparator(">=", Version(0, 0, 0))]
    if patch is not None:
        return [Comparator(op, Version(major, minor, patch, pre))]
    # Partial versions: widen to the whole block they describe.
    if minor is None:
        nxt = Version(major + 1, 0, 0)
    else:
        nxt = Version(major, minor + 1, 0)
    if op == ">":
        return [Comparator(">=", nxt)]
    if op == "<=":
        return [Comparator("<", nxt)]
    return [Comparator(op, _floor(parts))]


def _parse_comparator(token):
    m = _COMPARATOR_RE.match(token)
    if not m:
        raise InvalidRange("invalid comparator: %r" % token)
    op = m.group("op") or "="
    parts, pre = _parse_partial(m.group("ver"))
    if op in ("~", "~>"):
        return _tilde(parts, pre)
    if op == "^":
        return _caret(parts, pre)
    if op == "=":
        return _xrange(parts, pre)
    return _primitive(op, parts, pre)


def _parse_hyphen(low, high):
    lparts, lpre = _parse_partial(low)
    hparts, hpre = _parse_partial(high)
    result = [Comparator(">=", _floor(lparts, lpre))]
    if hparts[0] is None:
        return result
    if hparts[2] is not None:
        result.append(Comparator("<=", Version(*hparts, prerelease=hpre)))
    elif hparts[1] is not None:
        result.append(Comparator("<", Version(hparts[0], hparts[1] + 1, 0)))
    else:
        result.append(Comparator("<", Version(hparts[0] + 1, 0, 0)))
    return result


def _parse_set(text):
    text = text.strip()
    if not text:
        return [Comparator(">=", Version(0, 0, 0))]
    hyphen = re.match(r"^(\S+)\s+-\s+(\S+)$", text)
    if hyphen:
        return _parse_hyphen(hyphen.group(1), hyphen.group(2))
    # Allow "> 1.2.3" with a space after the operator.
    text = re.sub(r"(<=|>=|<|>|=|~>|~|\^)\s+", r"\1", text)
    comparators = []
    for token in text.split():
        comparators.extend(_parse_comparator(token))
    return comparators


class Range:
    """A parsed range expression."""

    def __init__(self, text):
        if not isinstance(text, str):
            raise TypeError("range must be a string")
        self.raw = text
        self.sets = [_parse_set(part) for part in text.split("||")]

    def __repr__(self):
        return "Range(%r)" % self.raw

    def __str__(self):
        return " || ".join(" ".join(repr(c) for c in s) for s in self.sets)

    def _set_matches(self, comparators, v, include_prerelease):
        for c in comparators:
            if not c.test(v):
                return False
        if v.prerelease and not include_prerelease:
            # Only allow a prerelease if some comparator opts into
            # prereleases of this very major.minor.patch.
            for c in comparators:
                cv = c.version
                if cv.prerelease and (cv.major, cv.minor, cv.patch) == (
                        v.major, v.minor, v.patch):
                    return True
            return False
        return True

    def test(self, version, include_prerelease=False):
        try:
            v = Version.parse(version)
        except InvalidVersion:
            return False
        return any(self._set_matches(s, v, include_prerelease) for s in self.sets)

    __contains__ = test


def _as_range(rng):
    return rng if isinstance(rng, Range) else Range(rng)


def satisfies(version, rng, include_prerelease=False):
    """True when *version* is inside the range *rng*."""
    return _as_range(rng).test(version, include_prerelease)
