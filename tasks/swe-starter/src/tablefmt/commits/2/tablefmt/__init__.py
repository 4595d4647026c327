"""tablefmt: plain-text tables for terminals."""

from .styles import STYLES
from .table import Table, tabulate
from .width import display_width, pad, truncate, wrap

__version__ = "0.3.0"

__all__ = ["STYLES", "Table", "display_width", "pad", "tabulate", "truncate", "wrap"]
