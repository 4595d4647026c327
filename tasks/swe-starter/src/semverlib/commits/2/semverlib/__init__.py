"""semverlib: semantic version parsing, comparison and range matching."""

from .version import InvalidVersion, Version, parse
from .ranges import InvalidRange, Range, satisfies

__version__ = "0.2.0"

__all__ = [
    "InvalidRange",
    "InvalidVersion",
    "Range",
    "Version",
    "parse",
    "satisfies",
]
