"""inikit: a small INI file reader and writer."""

from .config import Config
from .errors import (IniError, InterpolationError, NoOptionError,
                     NoSectionError, ParseError)
from .parser import DEFAULT_SECTION

__version__ = "1.0.0"


def loads(text, strict=True, interpolation=True):
    """Parse INI *text* into a :class:`Config`."""
    return Config(interpolation=interpolation).read_string(text, strict=strict)


def load(fp, strict=True, interpolation=True):
    """Parse the INI file object *fp* into a :class:`Config`."""
    return loads(fp.read(), strict=strict, interpolation=interpolation)


__all__ = [
    "Config", "DEFAULT_SECTION", "IniError", "InterpolationError",
    "NoOptionError", "NoSectionError", "ParseError", "load", "loads",
]
