"""Parsing, comparison and bumping of semantic versions (semver 2.0.0)."""

import re
from functools import total_ordering

__all__ = ["Version", "InvalidVersion", "parse"]

_IDENT = r"[0-9A-Za-z-]+"
_VERSION_RE = re.compile(
    r"^v?(?P<major>0|[1-9]\d*)"
    r"\.(?P<minor>0|[1-9]\d*)"
    r"\.(?P<patch>0|[1-9]\d*)"
    r"(?:-(?P<pre>" + _IDENT + r"(?:\." + _IDENT + r")*))?"
    r"(?:\+(?P<build>" + _IDENT + r"(?:\." + _IDENT + r")*))?$"
)


class InvalidVersion(ValueError):
    """Raised when a string is not a valid semantic version."""


def _check_prerelease(parts, text):
    for part in parts:
        if part.isdigit() and len(part) > 1 and part[0] == "0":
            raise InvalidVersion(
                "numeric prerelease identifier with leading zero in %r" % text
            )


def _compare_identifiers(a, b):
    """Compare two prerelease identifiers; return -1, 0 or 1."""
    a_num = a.isdigit()
    b_num = b.isdigit()
    if a_num and not b_num:
        return -1
    if b_num and not a_num:
        return 1
    if a == b:
        return 0
    return -1 if a < b else 1


def _compare_prerelease(a, b):
    # A version without prerelease has higher precedence than one with it.
    if not a and not b:
        return 0
    if not a:
        return 1
    if not b:
        return -1
    for x, y in zip(a, b):
        c = _compare_identifiers(x, y)
        if c:
            return c
    if len(a) == len(b):
        return 0
    return -1 if len(a) < len(b) else 1


@total_ordering
class Version:
    """An immutable semantic version.

    Build metadata is kept but ignored for precedence and equality, as the
    specification requires.
    """

    __slots__ = ("major", "minor", "patch", "prerelease", "build")

    def __init__(self, major, minor=0, patch=0, prerelease=(), build=()):
        for name, value in (("major", major), ("minor", minor), ("patch", patch)):
            if not isinstance(value, int) or value < 0:
                raise InvalidVersion("%s must be a non-negative integer" % name)
        if isinstance(prerelease, str):
            prerelease = tuple(prerelease.split(".")) if prerelease else ()
        if isinstance(build, str):
            build = tuple(build.split(".")) if build else ()
        object.__setattr__(self, "major", major)
        object.__setattr__(self, "minor", minor)
        object.__setattr__(self, "patch", patch)
        object.__setattr__(self, "prerelease", tuple(prerelease))
        object.__setattr__(self, "build", tuple(build))

    def __setattr__(self, name, value):
        raise AttributeError("Version objects are immutable")

    @classmethod
    def parse(cls, text):
        if isinstance(text, Version):
            return text
        if not isinstance(text, str):
            raise TypeError("expected a string, got %s" % type(text).__name__)
        m = _VERSION_RE.match(text.strip())
        if not m:
            raise InvalidVersion("invalid version: %r" % text)
        pre = tuple(m.group("pre").split(".")) if m.group("pre") else ()
        build = tuple(m.group("build").split(".")) if m.group("build") else ()
        _check_prerelease(pre, text)
        return cls(int(m.group("major")), int(m.group("minor")),
                   int(m.group("patch")), pre, build)

    # -- presentation -----------------------------------------------------

    def __str__(self):
        s = "%d.%d.%d" % (self.major, self.minor, self.patch)
        if self.prerelease:
            s += "-" + ".".join(self.prerelease)
        if self.build:
            s += "+" + ".".join(self.build)
        return s

    def __repr__(self):
        return "Version(%r)" % str(self)

    # -- comparison -------------------------------------------------------

    @property
    def is_prerelease(self):
        return bool(self.prerelease)

    def release(self):
        """The version without prerelease and build parts."""
        return Version(self.major, self.minor, self.patch)

    def compare(self, other):
        other = Version.parse(other)
        a = (self.major, self.minor, self.patch)
        b = (other.major, other.minor, other.patch)
        if a != b:
            return -1 if a < b else 1
        return _compare_prerelease(self.prerelease, other.prerelease)

    def __eq__(self, other):
        if isinstance(other, str):
            try:
                other = Version.parse(other)
            except InvalidVersion:
                return NotImplemented
        if not isinstance(other, Version):
            return NotImplemented
        return self.compare(other) == 0

    def __lt__(self, other):
        if isinstance(other, str):
            other = Version.parse(other)
        if not isinstance(other, Version):
            return NotImplemented
        return self.compare(other) < 0

    def __hash__(self):
        return hash((self.major, self.minor, self.patch, self.prerelease))

    # -- bumping ----------------------------------------------------------

    def bump_major(self):
        return Version(self.major + 1, 0, 0)

    def bump_minor(self):
        return Version(self.major, self.minor + 1, 0)

    def bump_patch(self):
        if self.prerelease:
            # 1.2.3-rc.1 -> 1.2.3: the release the prerelease was leading to.
            return self.release()
        return Version(self.major, self.minor, self.patch + 1)


def parse(text):
    """Parse *text* into a :class:`Version`."""
    return Version.parse(text)
