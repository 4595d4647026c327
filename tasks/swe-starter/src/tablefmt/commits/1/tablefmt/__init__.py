"""tablefmt: plain-text tables for terminals."""

from .styles import STYLES
from .table import Table, tabulate
from .width import display_width, pad

__version__ = "0.2.0"

__all__ = ["STYLES", "Table", "display_width", "pad", "tabulate"]
