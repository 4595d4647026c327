"""inikit: a small INI file reader and writer."""

from .config import Config
from .errors import IniError, NoOptionError, NoSectionError, ParseError
from .parser import DEFAULT_SECTION

__version__ = "0.9.0"


def loads(text, strict=True):
    """Parse INI *text* into a :class:`Config`."""
    return Config().read_string(text, strict=strict)


def load(fp, strict=True):
    """Parse the INI file object *fp* into a :class:`Config`."""
    return loads(fp.read(), strict=strict)


__all__ = [
    "Config", "DEFAULT_SECTION", "IniError", "NoOptionError",
    "NoSectionError", "ParseError", "load", "loads",
]
