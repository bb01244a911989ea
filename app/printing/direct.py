"""Flowables that draw straight onto the canvas what platypus would have drawn.

Most of a paper is fixed layout: one-line paragraphs, and tables of short cells in columns
of known width. Platypus spent most of a paper's layout time on their markup, line breaking
and per-cell style bookkeeping. These two draw exactly the same (same font, size, colour,
baselines, shading and lines: the PDFs read and look the same) and hand over to the real
Paragraph / Table, built only then, for whatever they do not draw themselves.

- `Line`: plain order text in a paragraph style. A one-line text that fits is drawn at the
  one-line Paragraph's baseline; a long line, line breaks, repeated spaces or indents go to a
  Paragraph.
- `PlainGrid`: what `grid_table` (and the papers' other fixed tables) drew with a Table, for
  cells of one-line strings and flowables: Table's own row heights and compensated row
  positions, shading, text baselines, and lines with Table's round caps and joins. When it
  must be split across pages it hands over to that Table (repeated header rows and all).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table

__all__ = ["Line", "PlainGrid"]

_DASH = "—"


class Line(Flowable):
    """Plain text (not markup) in a paragraph style; one line drawn directly when it fits."""

    def __init__(self, text: str | None, style: ParagraphStyle) -> None:
        super().__init__()
        self.text = text if text else _DASH
        self.style = style
        # Paragraph collapses runs of white space: those take the slow path, as do indents
        # unless left-aligned (a first line starts at leftIndent + firstLineIndent)
        self._indent = style.leftIndent + style.firstLineIndent
        self._simple = self.text == " ".join(self.text.split()) and (
            style.alignment == TA_LEFT
            or not (style.leftIndent or style.firstLineIndent or style.rightIndent)
        )
        self._text_width = (
            stringWidth(self.text, style.fontName, style.fontSize) if self._simple else 0.0
        )
        self._para: Paragraph | None = None

    def _paragraph(self) -> Paragraph:
        if self._para is None:
            from app.printing.blocks import esc

            self._para = Paragraph(esc(self.text), self.style)
        return self._para

    def _direct(self, avail_width: float) -> bool:
        room = avail_width - self._indent - self.style.rightIndent  # Paragraph's first line
        return self._para is None and self._simple and self._text_width <= room

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._direct(availWidth):
            self.width, self.height = availWidth, self.style.leading
            return self.width, self.height
        w, h = self._paragraph().wrap(availWidth, availHeight)
        self.width, self.height = w, h
        return w, h

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        if self._direct(availWidth):
            return []  # one line: it moves to the next frame whole, as a Paragraph's would
        return list(self._paragraph().split(availWidth, availHeight))

    def getSpaceBefore(self) -> float:
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:
        return float(self.style.spaceAfter)

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        if self._para is not None:
            self._para.drawOn(canvas, x, y, _sW)
        else:
            super().drawOn(canvas, x, y, _sW)

    def draw(self) -> None:
        # Flowable.drawOn has saved the canvas state and will restore it
        st = self.style
        c = self.canv
        x = self._indent
        if st.alignment == TA_CENTER:
            x = (self.width - self._text_width) / 2
        elif st.alignment == TA_RIGHT:
            x = self.width - self._text_width
        c.setFillColor(st.textColor)
        c.setFont(st.fontName, st.fontSize, st.leading)
        c.drawString(x, self.height - st.fontSize, self.text)  # Paragraph's baseline


_ALIGNS = ("LEFT", "RIGHT", "CENTER", "CENTRE")


def _flowables(v: Flowable | list[Flowable]) -> list[Flowable]:
    return v if isinstance(v, list) else [v]


def _stack(
    cells: list[Flowable],
    canv: Any,
    avail_w: float,
    avail_h: float,
    sizes: list[tuple[float, float]] | None = None,
) -> tuple[float, float]:
    """Table._listCellGeom: widest width, and the heights with the spaces between them."""
    t = w = 0.0
    sb0: float | None = None
    sa = 0.0
    for f in cells:
        fw, fh = f.wrapOn(canv, avail_w, avail_h)
        sb, sa = f.getSpaceBefore(), f.getSpaceAfter()
        if sizes is not None:
            sizes.append((fw, fh))
        w = max(w, fw)
        t += fh + sa + sb
        if sb0 is None:
            sb0 = sb
    return w, t - (sb0 or 0.0) - sa


def _norm(i: int, n: int) -> int:
    return i + n if i < 0 else i


class PlainGrid(Flowable):
    """What `grid_table` draws, for rows of one-line strings and flowables (a flowable per
    cell, no space around it); see `PlainGrid.build`."""

    def __init__(
        self,
        rows: list[list[Any]],
        col_widths: list[float],
        *,
        font: str,
        size: float,
        leading: float,
        pad: tuple[float, float, float, float],  # top, bottom, left, right
        valign: str,
        grid: tuple[float, colors.Color] | None,
        rules: list[tuple[int, float, colors.Color]],
        backgrounds: list[tuple[int, int, int, int, colors.Color]],
        aligns: list[str],
        span_from: int | None,
        make_table: Callable[[], Table],
        row_heights: list[float] | None = None,
        box: tuple[float, colors.Color] | None = None,
    ) -> None:
        super().__init__()
        self.rows = rows
        self.col_widths = col_widths
        self.font, self.size, self.leading = font, size, leading
        self.pad = pad
        self.valign = valign
        self.grid = grid  # GRID over the whole table: (width, colour)
        self.rules = rules  # full-width LINEABOVE / LINEBELOW: (row boundary, width, colour)
        self.backgrounds = backgrounds
        self.aligns = aligns
        self.span_from = span_from  # the last row's cells from here on are one cell
        self._make_table = make_table
        self.box = box  # BOX over the whole table: (width, colour)
        self._table: Table | None = None
        self.hAlign = "LEFT"
        self._cols = [0.0]
        for w in col_widths:
            self._cols.append(self._cols[-1] + w)
        # Table._calc_height (a one-line string is `leading` high, a flowable its wrapped
        # height, plus the paddings), then Table's compensated running sum from the bottom
        top, bottom, left, right = pad
        heights: list[float] = []
        for r, row in enumerate(rows):
            tallest = 0.0
            for col, v in enumerate(row):
                if isinstance(v, str):
                    t = leading * 1
                else:
                    x0, x1 = self._cell_x(r, col)
                    t = _stack(_flowables(v), None, x1 - x0 - left - right, 72000 - top - bottom)[1]
                t += bottom + top
                tallest = max(tallest, t)
            heights.append(tallest)
        if row_heights is not None:  # Table's rowHeights: fixed, whatever the cells hold
            heights = list(row_heights)
        self._heights = heights
        positions: list[float] = []
        height = c = 0.0
        for row_h in reversed(heights):
            positions.append(height)
            y = row_h - c
            t = height + y
            c = (t - height) - y
            height = t
        positions.append(height)
        positions.reverse()
        self._rows_y = positions
        self.width, self.height = self._cols[-1], height

    @staticmethod
    def build(
        rows: Sequence[Sequence[Any]],
        col_widths: Sequence[float],
        cmds: Sequence[tuple[Any, ...]],
        make_table: Callable[[], Table],
    ) -> PlainGrid | None:
        """A PlainGrid for `grid_table`'s rows and style commands, or None when they hold
        anything it does not draw (flowables, line breaks, other commands)."""
        if not rows or not all(
            (isinstance(v, str) and "\n" not in v and "\r" not in v)
            or isinstance(v, Flowable)
            or (isinstance(v, list) and v and all(isinstance(f, Flowable) for f in v))
            for r in rows
            for v in r
        ):
            return None
        ncols, nrows = len(col_widths), len(rows)
        whole = ((0, 0), (-1, -1))
        opts: dict[str, Any] = {}
        backgrounds: list[tuple[int, int, int, int, colors.Color]] = []
        aligns = ["LEFT"] * ncols
        span_from: int | None = None
        rules: list[tuple[int, float, colors.Color]] = []
        for cmd in cmds:
            op, start, end, *args = cmd
            sc, sr = _norm(start[0], ncols), _norm(start[1], nrows)
            ec, er = _norm(end[0], ncols), _norm(end[1], nrows)
            if op == "BACKGROUND" and isinstance(args[0], colors.Color):
                backgrounds.append((sc, sr, ec, er, args[0]))
            elif op == "ALIGN" and sr == 0 and er == nrows - 1 and args[0] in _ALIGNS:
                for col in range(sc, ec + 1):
                    aligns[col] = args[0]
            elif op == "SPAN" and sr == er == nrows - 1 and ec == ncols - 1 and span_from is None:
                span_from = sc
            elif (start, end) == whole and op in (
                "FONTNAME",
                "FONTSIZE",
                "LEADING",
                "VALIGN",
                "TOPPADDING",
                "BOTTOMPADDING",
                "LEFTPADDING",
                "RIGHTPADDING",
            ):
                opts[op] = args[0]
            elif (start, end) == whole and op == "GRID" and len(args) == 2:
                opts["GRID"] = tuple(args)
            elif (
                op in ("LINEABOVE", "LINEBELOW")
                and sr == er
                and sc == 0
                and ec == ncols - 1
                and len(args) == 2
            ):
                rules.append((sr if op == "LINEABOVE" else sr + 1, args[0], args[1]))
            else:
                return None
        opts.setdefault("VALIGN", "BOTTOM")  # Table's default
        if opts["VALIGN"] not in ("TOP", "MIDDLE", "BOTTOM") or len(opts) - ("GRID" in opts) != 8:
            return None
        return PlainGrid(
            [list(r) for r in rows],
            list(col_widths),
            font=opts["FONTNAME"],
            size=opts["FONTSIZE"],
            leading=opts["LEADING"],
            pad=(
                opts["TOPPADDING"],
                opts["BOTTOMPADDING"],
                opts["LEFTPADDING"],
                opts["RIGHTPADDING"],
            ),
            valign=opts["VALIGN"],
            grid=opts.get("GRID"),
            rules=rules,
            backgrounds=backgrounds,
            aligns=aligns,
            span_from=span_from,
            make_table=make_table,
        )

    def _cell_x(self, r: int, col: int) -> tuple[float, float]:
        last = r == len(self.rows) - 1 and col == self.span_from
        return self._cols[col], self._cols[len(self.col_widths) if last else col + 1]

    def _real(self) -> Table:
        if self._table is None:
            self._table = self._make_table()
        return self._table

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        table = self._real()  # Table knows how to split and repeat its header rows
        table.wrap(availWidth, availHeight)
        return list(table.split(availWidth, availHeight))

    def draw(self) -> None:
        c = self.canv
        cols, rows_y = self._cols, self._rows_y
        nrows, ncols = len(self.rows), len(self.col_widths)
        c.saveState()
        for sc, sr, ec, er, color in self.backgrounds:  # Table._drawBkgrnd
            x0, y0 = cols[sc], rows_y[sr]
            w, h = cols[min(ec + 1, ncols)] - x0, rows_y[min(er + 1, nrows)] - y0
            c.setFillColor(color)
            c.rect(x0, y0, w, h, stroke=0, fill=1)
        c.setFillColor(colors.black)
        c.setFont(self.font, self.size, self.leading)
        top, bottom, left, right = self.pad
        for r, row in enumerate(self.rows):  # Table._drawCell for one-line strings
            row_y, row_h = rows_y[r + 1], self._heights[r]
            if self.valign == "BOTTOM":
                y = row_y + bottom + 1 * self.leading - self.size
            elif self.valign == "TOP":
                y = row_y + row_h - top - self.size
            else:
                y = row_y + (bottom + row_h - top + 1 * self.leading) / 2.0 - self.size
            last = r == nrows - 1
            for col, text in enumerate(row):
                if last and self.span_from is not None and col > self.span_from:
                    continue
                x0, x1 = self._cell_x(r, col)
                just = self.aligns[col]
                if not isinstance(text, str):
                    self._draw_flowable(text, x0, x1, row_y, row_h, just)
                elif not text:
                    continue  # Table draws an empty text object: nothing shows
                elif just == "LEFT":
                    c.drawString(x0 + left, y, text)
                elif just == "RIGHT":
                    c.drawRightString(x1 - right, y, text)
                else:
                    c.drawCentredString(x0 + (x1 - x0 + left - right) * 0.5, y, text)
        self._draw_grid()
        c.restoreState()

    def _draw_flowable(
        self,
        v: Flowable | list[Flowable],
        x0: float,
        x1: float,
        row_y: float,
        row_h: float,
        just: str,
    ) -> None:
        """Table._drawCell for a cell of flowables, stacked with their spaces."""
        top, bottom, left, right = self.pad
        cells = _flowables(v)
        sizes: list[tuple[float, float]] = []
        h = _stack(cells, self.canv, x1 - x0 - left - right, row_h - top - bottom, sizes)[1]
        if self.valign == "BOTTOM":
            y = row_y + bottom + h
        elif self.valign == "TOP":
            y = row_y + row_h - top
        else:
            y = row_y + (row_h + bottom - top + h) / 2.0
        y += cells[0].getSpaceBefore()
        for f, (w, fh) in zip(cells, sizes, strict=True):
            if just == "LEFT":
                x = x0 + left
            elif just == "RIGHT":
                x = x1 - right - w
            else:
                x = x0 + (x1 - x0 + left - right - w) / 2.0
            y -= f.getSpaceBefore()
            y -= fh
            f.drawOn(self.canv, x, y)
            y -= f.getSpaceAfter()

    def _draw_grid(self) -> None:
        """Table's lines: GRID (the box, then the inner lines; no vertical line inside the
        span), then the rules above / below rows, with Table's round caps and joins."""
        c = self.canv
        cols, rows_y = self._cols, self._rows_y
        left, right = cols[0], cols[-1]
        c.saveState()
        c.setLineCap(1)
        c.setLineJoin(1)
        if self.box is not None:
            c.setStrokeColor(self.box[1])
            c.setLineWidth(self.box[0])
            bottom, top = rows_y[-1], rows_y[0]
            c.line(left, top, right, top)
            c.line(left, bottom, right, bottom)
            c.line(left, bottom, left, top)
            c.line(right, bottom, right, top)
        if self.grid is not None:
            c.setStrokeColor(self.grid[1])
            c.setLineWidth(self.grid[0])
            self._draw_box_and_inner(left, right)
        for boundary, width, color in self.rules:
            c.setStrokeColor(color)
            c.setLineWidth(width)
            c.line(left, rows_y[boundary], right, rows_y[boundary])
        c.restoreState()

    def _draw_box_and_inner(self, left: float, right: float) -> None:
        c = self.canv
        cols, rows_y = self._cols, self._rows_y
        bottom, top = rows_y[-1], rows_y[0]
        c.line(left, top, right, top)
        c.line(left, bottom, right, bottom)
        c.line(left, bottom, left, top)
        c.line(right, bottom, right, top)
        for y in rows_y[1:-1]:
            c.line(left, y, right, y)
        span_top = rows_y[-2]
        for col in range(1, len(cols) - 1):
            x = cols[col]
            if self.span_from is not None and col > self.span_from:
                if span_top < top:  # a one-row grid: nothing above the span
                    c.line(x, span_top, x, top)
            else:
                c.line(x, bottom, x, top)
