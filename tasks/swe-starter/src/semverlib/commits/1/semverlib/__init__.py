"""semverlib: semantic version parsing and comparison."""

from .version import InvalidVersion, Version, parse

__version__ = "0.1.0"

__all__ = ["InvalidVersion", "Version", "parse"]
