"""The building blocks of every paper: colours, formats, text styles, flowables and tables.

Every string that comes from an order goes through `esc()` before it reaches a Paragraph:
the platypus markup would otherwise read `<` and `&` in a customer's text as tags.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Table, TableStyle

from app.core.money import format_yuan
from app.printing.direct import PlainGrid
from app.printing.fonts import ensure_fonts

__all__ = [
    "GRID",
    "LABEL_BG",
    "MARK_RED",
    "BoldText",
    "CheckBox",
    "cell",
    "esc",
    "fmt_due",
    "fmt_time",
    "grid_table",
    "kv_grid",
    "money",
    "section",
    "styles",
    "table_style",
]

MARK_RED = colors.Color(0.78, 0.08, 0.08)
LABEL_BG = colors.Color(0.93, 0.93, 0.93)
SECTION_BG = colors.Color(0.85, 0.85, 0.85)
GRID = colors.Color(0.35, 0.35, 0.35)
DASH = "—"
CELL_PAD_X = 8.0  # left + right padding of a table cell, points


# --------------------------------------------------------------------------- formats


def money(fen: int) -> str:
    """Yuan with two decimals, no thousands separator: 1000 fen -> '10.00'."""
    return format_yuan(fen)


def fmt_time(dt: datetime | None) -> str:
    return dt.strftime("%Y-%m-%d %H:%M:%S") if dt is not None else DASH


def fmt_due(dt: datetime | None) -> str:
    return dt.strftime("%Y-%m-%d %H:%M") if dt is not None else DASH


def esc(text: str | None) -> str:
    """Order text made safe for Paragraph markup; newlines kept as line breaks."""
    if text is None or text == "":
        return DASH
    return escape(str(text)).replace("\r\n", "\n").replace("\n", "<br/>")


# --------------------------------------------------------------------------- styles


@lru_cache(maxsize=8)
def styles(base: float = 9.5) -> dict[str, ParagraphStyle]:
    """Paragraph styles in the embedded font; `base` is the body size in points."""
    font = ensure_fonts()

    def ps(name: str, size: float, align: int = TA_LEFT, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(
            name,
            fontName=font,
            fontSize=size,
            leading=kw.pop("leading", size * 1.4),
            alignment=align,
            wordWrap="CJK",  # break between CJK characters; Latin words break only if needed
            **kw,
        )

    return {
        "body": ps("body", base),
        "small": ps("small", base - 1.5, textColor=colors.Color(0.25, 0.25, 0.25)),
        "small_center": ps("small_center", base - 1.5, TA_CENTER),
        "tiny": ps("tiny", base - 2.5, textColor=colors.Color(0.3, 0.3, 0.3)),
        "label": ps("label", base),
        "value": ps("value", base),
        "right": ps("right", base, TA_RIGHT),
        "center": ps("center", base, TA_CENTER),
        "section": ps("section", base + 1),
        "subtitle": ps("subtitle", base + 1, TA_CENTER),
        "notice": ps("notice", base, leftIndent=base * 1.6, firstLineIndent=-base * 1.6),
        "big": ps("big", base + 3.5, leading=(base + 3.5) * 1.3),
        "big_right": ps("big_right", base + 3.5, TA_RIGHT, leading=(base + 3.5) * 1.3),
    }


def table_style(cmds: Sequence[tuple[Any, ...]]) -> TableStyle:
    """A TableStyle in the embedded font (a cell's default font would be a non-embedded
    Helvetica, referenced by the PDF even when every cell holds a Paragraph)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), ensure_fonts()), *cmds])


# --------------------------------------------------------------------------- flowables


class BoldText(Flowable):
    """One line of heading text, faux-bold (fill + thin stroke: the font has no bold face)."""

    def __init__(
        self,
        text: str,
        size: float,
        *,
        align: str = "center",
        color: colors.Color = colors.black,
        space_after: float = 0,
    ) -> None:
        super().__init__()
        self.text = text
        self.size = size
        self.align = align
        self.color = color
        self.spaceAfter = space_after

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = self.size * 1.3
        return self.width, self.height

    def draw(self) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        font = ensure_fonts()
        c = self.canv
        w = stringWidth(self.text, font, self.size)
        x = {"left": 0.0, "right": self.width - w}.get(self.align, (self.width - w) / 2)
        t = c.beginText(x, self.size * 0.3)
        t.setFont(font, self.size)
        t.setTextRenderMode(2)
        c.setFillColor(self.color)
        c.setStrokeColor(self.color)
        c.setLineWidth(self.size * 0.035)
        t.textOut(self.text)
        c.drawText(t)


class CheckBox(Flowable):
    """A tick box: an empty square, or a square with a check mark (the glyph '✓')."""

    def __init__(self, checked: bool, size: float = 9) -> None:
        super().__init__()
        self.checked = checked
        self.size = size
        self.hAlign = "CENTER"

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = self.height = self.size
        return self.size, self.size

    def draw(self) -> None:
        c = self.canv
        c.setLineWidth(0.7)
        c.rect(0, 0, self.size, self.size, stroke=1, fill=0)
        if self.checked:
            c.setFont(ensure_fonts(), self.size * 1.05)
            c.drawCentredString(self.size / 2, self.size * 0.12, "✓")


def section(
    title: str, width: float, base: float = 9.5, *, break_before: bool = True
) -> list[Flowable]:
    """A shaded band that opens a section of the form.

    Preceded by a conditional page break, so that a band is never left alone at the foot of a
    page; the table after it may still split across pages (no keep-with-next, which would push
    a long table to a new page as a whole).
    """
    band: Flowable
    if SectionBand.fits(title, width, base):
        band = SectionBand(title, width, base)
    else:  # a title longer than the band: the table wraps it
        band = Table([[Paragraph(esc(title), styles(base)["section"])]], colWidths=[width])
        band.setStyle(
            table_style(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), SECTION_BG),
                    ("BOX", (0, 0), (-1, -1), 0.6, GRID),
                    ("TOPPADDING", (0, 0), (-1, -1), SectionBand.PAD_TOP),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), SectionBand.PAD_BOTTOM),
                    ("LEFTPADDING", (0, 0), (-1, -1), SectionBand.PAD_LEFT),
                ]
            )
        )
    band.spaceBefore = 4
    return [CondPageBreak(22 * mm), band] if break_before else [band]


class SectionBand(Flowable):
    """A section's shaded band with its one-line title, drawn straight onto the canvas.

    It draws what a one-cell table holding the title's Paragraph drew (same box, shade,
    padding, baseline), without the table's and the paragraph's layout work: a paper has
    up to eight of them, and they were a fifth of its time."""

    PAD_TOP, PAD_BOTTOM, PAD_LEFT, PAD_RIGHT = 1.0, 2.5, 5.0, 6.0

    def __init__(self, title: str, width: float, base: float) -> None:
        super().__init__()
        self.title = title
        self.size = base + 1  # the "section" style
        self.leading = self.size * 1.4
        self.width = width
        self.height = self.PAD_TOP + self.leading + self.PAD_BOTTOM

    @classmethod
    def fits(cls, title: str, width: float, base: float) -> bool:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return ("\n" not in title and "<" not in title and "&" not in title
                and stringWidth(title, ensure_fonts(), base + 1)
                <= width - cls.PAD_LEFT - cls.PAD_RIGHT)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setFillColor(SECTION_BG)
        c.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        c.setStrokeColor(GRID)
        c.setLineWidth(0.6)
        c.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        c.setFillColor(colors.black)
        c.setFont(ensure_fonts(), self.size, self.leading)
        # a one-line Paragraph's baseline: its leading above the cell's bottom padding, less
        # the font size (reportlab's paraFontSizeHeightOffset)
        c.drawString(self.PAD_LEFT, self.PAD_BOTTOM + self.leading - self.size, self.title)
        c.restoreState()


def grid_table(
    rows: Sequence[Sequence[Any]],
    col_widths: Sequence[float],
    *,
    header: bool = False,
    label_cols: Sequence[int] = (),
    extra: Sequence[tuple[Any, ...]] = (),
    repeat_header: bool = True,
    base: float = 9.5,
) -> Flowable:
    """A ruled table (thin grid), optional shaded header row and shaded label columns.

    Plain-string cells are drawn in the embedded font at `base` points (see `cell`)."""
    cmds: list[tuple[Any, ...]] = [
        ("FONTSIZE", (0, 0), (-1, -1), base),
        ("LEADING", (0, 0), (-1, -1), base * 1.4),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD_X / 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD_X / 2),
    ]
    if header:
        cmds.append(("BACKGROUND", (0, 0), (-1, 0), LABEL_BG))
    for col in label_cols:
        cmds.append(("BACKGROUND", (col, 1 if header else 0), (col, -1), LABEL_BG))
    cmds.extend(extra)

    def table() -> Table:
        t = Table(
            [list(r) for r in rows],
            colWidths=list(col_widths),
            repeatRows=1 if header and repeat_header else 0,
            hAlign="LEFT",
        )
        t.setStyle(table_style(cmds))
        return t

    styled = [("FONTNAME", (0, 0), (-1, -1), ensure_fonts()), *cmds]
    return PlainGrid.build(rows, col_widths, styled, table) or table()


def cell(text: str | None, width: float, base: float, style: str = "value") -> str | Paragraph:
    """Table cell content: the plain string when it fits on one line (cheap to lay out and
    draw), else a wrapping Paragraph. Plain cells take font, size and colour from the table
    style (see `grid_table`), so both look the same."""
    if text is None or text == "":
        text = DASH
    if "\n" not in text and "\r" not in text and len(text) * base * 0.5 < width:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        if stringWidth(text, ensure_fonts(), base) <= width - CELL_PAD_X:
            return text
    return Paragraph(esc(text), styles(base)[style])


def kv_grid(
    pairs: Sequence[tuple[str, str | None]],
    width: float,
    *,
    columns: int = 2,
    label_width: float = 22 * mm,
    base: float = 9.5,
) -> Flowable:
    """Label/value pairs in `columns` pairs per row (labels shaded)."""
    value_width = (width - columns * label_width) / columns
    rows: list[list[Any]] = []
    spans: list[tuple[Any, ...]] = []
    for i in range(0, len(pairs), columns):
        row: list[Any] = []
        for label, value in pairs[i : i + columns]:
            row += [cell(label, label_width, base, "label"), cell(value, value_width, base)]
        if len(row) < 2 * columns:  # last row not full: the last value spans the rest
            spans.append(("SPAN", (len(row) - 1, len(rows)), (-1, len(rows))))
            row += [""] * (2 * columns - len(row))
        rows.append(row)
    widths = [label_width, value_width] * columns
    # one shaded band per label column (not a rect per cell): every row has its labels but
    # the last, whose missing pairs are spanned by the value before them
    shading = [
        ("BACKGROUND", (col, 0), (col, len(rows) - 1 if rows[-1][col] != "" else len(rows) - 2),
         LABEL_BG)
        for col in range(0, 2 * columns, 2)
        if rows and (rows[-1][col] != "" or len(rows) > 1)
    ]
    return grid_table(rows, widths, extra=shading + spans, base=base)
