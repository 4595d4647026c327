"""Measuring, padding and cutting strings by their width on a terminal."""

import unicodedata

__all__ = ["char_width", "display_width", "pad", "truncate", "wrap"]


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


def truncate(text, width, ellipsis="\u2026"):
    """Cut *text* to at most *width* cells, ending with *ellipsis* if cut."""
    if width < 0:
        raise ValueError("width must not be negative")
    if display_width(text) <= width:
        return text
    room = width - display_width(ellipsis)
    if room < 0:
        return ""
    out = []
    used = 0
    for ch in text:
        w = char_width(ch)
        if used + w > room:
            break
        out.append(ch)
        used += w
    return "".join(out) + ellipsis


def _split_word(word, width):
    parts = []
    current = ""
    for ch in word:
        if current and display_width(current + ch) > width:
            parts.append(current)
            current = ""
        current += ch
    if current:
        parts.append(current)
    return parts


def wrap(text, width):
    """Word-wrap *text* into lines of at most *width* cells.

    Existing newlines are kept; words longer than *width* are split.
    """
    if width < 1:
        raise ValueError("width must be at least 1")
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            for piece in _split_word(word, width):
                candidate = piece if not line else line + " " + piece
                if display_width(candidate) <= width:
                    line = candidate
                else:
                    lines.append(line)
                    line = piece
        lines.append(line)
    return lines
