"""Measuring, padding and cutting strings by their width on a terminal."""

import unicodedata

__all__ = ["char_width", "display_width", "pad"]


def char_width(ch):
    """Number of terminal cells *ch* occupies (0, 1 or 2)."""
    if unicodedata.combining(ch):
        return 0
    if unicodedata.category(ch) in ("Cc", "Cf", "Mn", "Me"):
        return 0
    return 1


def display_width(text):
    """Width of *text* in terminal cells."""
    return sum(char_width(ch) for ch in text)


def pad(text, width, align="left"):
    """Pad *text* with spaces to *width* cells."""
    gap = width - display_width(text)
    if gap <= 0:
        return text
    if align == "right":
        return " " * gap + text
    if align == "center":
        left = gap // 2
        return " " * left + text + " " * (gap - left)
    if align != "left":
        raise ValueError("unknown alignment %r" % align)
    return text + " " * gap
