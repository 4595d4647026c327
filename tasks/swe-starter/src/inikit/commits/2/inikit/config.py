"""The Config object: typed access to parsed INI data."""

from . import interpolate
from .errors import InterpolationError, NoOptionError, NoSectionError
from .parser import DEFAULT_SECTION, parse

_MISSING = object()

TRUE_WORDS = {"1", "yes", "true", "on"}
FALSE_WORDS = {"0", "no", "false", "off"}


class Config:
    """Sections of key/value pairs with DEFAULT fallback and interpolation."""

    def __init__(self, interpolation=True):
        self._data = {DEFAULT_SECTION: {}}
        self.interpolation = interpolation

    # -- loading ----------------------------------------------------------

    def read_string(self, text, strict=True):
        for name, entries in parse(text, strict=strict):
            section = self._data.setdefault(name, {})
            for key, value, _ in entries:
                section[key] = value
        return self

    # -- structure --------------------------------------------------------

    def sections(self):
        return [s for s in self._data if s != DEFAULT_SECTION]

    def has_section(self, name):
        return name in self._data and name != DEFAULT_SECTION

    def add_section(self, name):
        if name == DEFAULT_SECTION or name in self._data:
            raise ValueError("section %r already exists" % name)
        self._data[name] = {}

    def remove_section(self, name):
        if not self.has_section(name):
            raise NoSectionError(name)
        del self._data[name]

    def options(self, section):
        if section not in self._data:
            raise NoSectionError(section)
        keys = list(self._data[section])
        keys += [k for k in self._data[DEFAULT_SECTION] if k not in keys]
        return keys

    def has_option(self, section, key):
        return self._raw(section, key.lower()) is not None

    # -- values -----------------------------------------------------------

    def _raw(self, section, key):
        data = self._data.get(section)
        if data is None:
            return None
        if key in data:
            return data[key]
        return self._data[DEFAULT_SECTION].get(key)

    def get(self, section, key, fallback=_MISSING, raw=False):
        if section not in self._data:
            if fallback is not _MISSING:
                return fallback
            raise NoSectionError(section)
        key = key.lower()
        value = self._raw(section, key)
        if value is None:
            if fallback is not _MISSING:
                return fallback
            raise NoOptionError(section, key)
        if raw or not self.interpolation:
            return value
        return interpolate.expand(self._raw, section, value)

    def getint(self, section, key, fallback=_MISSING):
        value = self.get(section, key, fallback)
        if value is fallback:
            return value
        try:
            return int(value.strip(), 0)
        except ValueError:
            raise ValueError("%s.%s: not an integer: %r" % (section, key, value))

    def getfloat(self, section, key, fallback=_MISSING):
        value = self.get(section, key, fallback)
        if value is fallback:
            return value
        return float(value)

    def getbool(self, section, key, fallback=_MISSING):
        value = self.get(section, key, fallback)
        if value is fallback:
            return value
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError("%s.%s: not a boolean: %r" % (section, key, value))

    def getlist(self, section, key, fallback=_MISSING, sep=","):
        """Split a value on *sep* and on newlines; empty items are dropped."""
        value = self.get(section, key, fallback)
        if value is fallback:
            return value
        items = []
        for line in value.splitlines():
            items.extend(part.strip() for part in line.split(sep))
        return [item for item in items if item]

    def set(self, section, key, value):
        if section not in self._data:
            raise NoSectionError(section)
        if not isinstance(value, str):
            raise TypeError("values must be strings")
        self._data[section][key.lower()] = value

    def remove_option(self, section, key):
        data = self._data.get(section)
        if data is None:
            raise NoSectionError(section)
        try:
            del data[key.lower()]
        except KeyError:
            raise NoOptionError(section, key.lower()) from None

    def items(self, section, raw=False):
        return [(k, self.get(section, k, raw=raw)) for k in self.options(section)]

    def as_dict(self, raw=False):
        return {s: dict(self.items(s, raw=raw)) for s in self.sections()}

    def validate(self):
        """Expand every value once; return the list of problems found."""
        problems = []
        for section in [DEFAULT_SECTION] + self.sections():
            for key in self._data[section]:
                try:
                    self.get(section, key)
                except InterpolationError as exc:
                    problems.append("%s.%s: %s" % (section, key, exc))
        return problems
