"""semverlib: semantic version parsing, comparison and range matching."""

from .version import InvalidVersion, Version, parse
from .ranges import InvalidRange, Range, max_satisfying, min_satisfying, satisfies

__version__ = "0.3.0"

__all__ = [
    "InvalidRange",
    "InvalidVersion",
    "Range",
    "Version",
    "max_satisfying",
    "min_satisfying",
    "parse",
    "satisfies",
]
