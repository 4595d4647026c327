"""Exceptions raised by inikit."""


class IniError(Exception):
    """Base class of every inikit error."""


class ParseError(IniError):
    """The text is not valid INI; ``lineno`` is 1-based."""

    def __init__(self, message, lineno):
        super().__init__("line %d: %s" % (lineno, message))
        self.message = message
        self.lineno = lineno


class NoSectionError(IniError, KeyError):
    def __init__(self, section):
        super().__init__("no section %r" % section)
        self.section = section

    def __str__(self):
        return self.args[0]


class NoOptionError(IniError, KeyError):
    def __init__(self, section, key):
        super().__init__("no option %r in section %r" % (key, section))
        self.section = section
        self.key = key

    def __str__(self):
        return self.args[0]


class InterpolationError(IniError):
    """A ``${...}`` reference could not be resolved."""
