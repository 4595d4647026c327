"""Render rows of data as a text table."""

from .styles import get_style
from .width import display_width, pad, truncate, wrap

__all__ = ["Table", "tabulate"]

ALIGNMENTS = ("left", "right", "center")


def _is_number(value):
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    if isinstance(value, str):
        text = value.strip()
        return text.replace(".", "", 1).isdigit()
    return False


class Table:
    """A table of rows under optional headers.

    *align* is a list with one of ``left``, ``right``, ``center`` per column,
    or None to pick automatically: columns holding only numbers (missing
    cells aside) are right-aligned, everything else is left-aligned.

    *max_width* limits every column to that many cells; longer cells are
    truncated with an ellipsis, or wrapped onto several lines when
    *wrap_cells* is true.
    """

    def __init__(self, headers=None, style="simple", align=None,
                 max_width=None, wrap_cells=False, missing="", floatfmt=None):
        self.headers = list(headers) if headers is not None else None
        self.style = get_style(style)
        self.align = list(align) if align is not None else None
        if self.align:
            for a in self.align:
                if a not in ALIGNMENTS:
                    raise ValueError("unknown alignment %r" % a)
        if max_width is not None and max_width < 1:
            raise ValueError("max_width must be at least 1")
        self.max_width = max_width
        self.wrap_cells = wrap_cells
        self.missing = missing
        self.floatfmt = floatfmt
        self.rows = []

    def add_row(self, row):
        self.rows.append(list(row))

    def add_rows(self, rows):
        for row in rows:
            self.add_row(row)

    # -- helpers ----------------------------------------------------------

    def _ncols(self):
        counts = [len(r) for r in self.rows]
        if self.headers is not None:
            counts.append(len(self.headers))
        return max(counts) if counts else 0

    def _cell_text(self, value):
        if value is None:
            return self.missing
        if isinstance(value, float) and self.floatfmt:
            return format(value, self.floatfmt)
        return str(value)

    def _column_alignments(self, ncols):
        if self.align is not None:
            return (self.align + ["left"] * ncols)[:ncols]
        result = []
        for c in range(ncols):
            values = [r[c] for r in self.rows if c < len(r) and r[c] is not None]
            numeric = bool(values) and all(_is_number(v) for v in values)
            result.append("right" if numeric else "left")
        return result

    def _cell_lines(self, text):
        lines = text.split("\n")
        if self.max_width is None:
            return lines
        if self.wrap_cells:
            out = []
            for line in lines:
                out.extend(wrap(line, self.max_width))
            return out
        return [truncate(line, self.max_width) for line in lines]

    # -- rendering --------------------------------------------------------

    def render(self):
        ncols = self._ncols()
        if ncols == 0:
            return ""
        aligns = self._column_alignments(ncols)
        body = []
        for row in self.rows:
            cells = [self._cell_text(v) for v in row]
            cells += [self.missing] * (ncols - len(cells))
            body.append([self._cell_lines(c) for c in cells])
        head = None
        if self.headers is not None:
            cells = [str(h) for h in self.headers]
            cells += [""] * (ncols - len(cells))
            head = [self._cell_lines(c) for c in cells]
        widths = [0] * ncols
        for row in ([head] if head else []) + body:
            for c, lines in enumerate(row):
                for line in lines:
                    widths[c] = max(widths[c], display_width(line))
        st = self.style
        out = []
        if st.top:
            out.append(self._rule(st.top, widths, aligns))
        if head:
            out.extend(self._row_lines(head, widths, aligns))
            if st.header_rule:
                out.append(self._rule(st.header_rule, widths, aligns))
        for row in body:
            out.extend(self._row_lines(row, widths, aligns))
        if st.bottom:
            out.append(self._rule(st.bottom, widths, aligns))
        return "\n".join(line.rstrip() for line in out)

    __str__ = render

    def _rule(self, rule, widths, aligns):
        left, fill, junction, right = rule
        pad_n = self.style.padding
        parts = []
        for w, a in zip(widths, aligns):
            seg = fill * (w + 2 * pad_n)
            if self.style is get_style("markdown"):
                if a == "right":
                    seg = seg[:-1] + ":"
                elif a == "center":
                    seg = ":" + seg[1:-1] + ":"
            parts.append(seg)
        return left + junction.join(parts) + right

    def _row_lines(self, row, widths, aligns):
        left, sep, right = self.style.row
        space = " " * self.style.padding
        height = max(len(lines) for lines in row)
        out = []
        for i in range(height):
            parts = []
            for lines, w, a in zip(row, widths, aligns):
                text = lines[i] if i < len(lines) else ""
                parts.append(space + pad(text, w, a) + space)
            out.append(left + sep.join(parts) + right)
        return out


def tabulate(rows, headers=None, **options):
    """Render *rows* (an iterable of sequences) as a table string."""
    table = Table(headers=headers, **options)
    table.add_rows(rows)
    return table.render()
