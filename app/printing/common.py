"""Shared building blocks of the papers: text styles, formats, marks and the two page models.

- `build_flow_pdf`: cut sheets (A4, A5). Content flows onto as many pages as it needs; every
  page gets the marks (补打 / 已作废), a running header from page 2 on and a footer with
  "第 x 页 / 共 y 页" (the total is known only at the end, so pages are held until `save`).
- `build_roll_pdf`: one page whose height is the height of the content (thermal roll).

Every string that comes from an order goes through `esc()` before it reaches a Paragraph:
the platypus markup would otherwise read `<` and `&` in a customer's text as tags.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from app.core.money import format_yuan
from app.printing.fonts import ensure_fonts
from app.printing.paper import OrderPaper

__all__ = [
    "GRID",
    "LABEL_BG",
    "MARK_RED",
    "BoldText",
    "CheckBox",
    "DocInfo",
    "Marks",
    "Stamp",
    "build_flow_pdf",
    "build_roll_pdf",
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


class Stamp(Flowable):
    """A red boxed mark (补打 / 已作废) placed in the flow, centred."""

    def __init__(self, text: str, size: float = 12) -> None:
        super().__init__()
        self.text = text
        self.size = size
        self.hAlign = "CENTER"
        self.spaceBefore = 2
        self.spaceAfter = 2

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        self.width = stringWidth(self.text, ensure_fonts(), self.size) + self.size * 0.7 + 2
        self.height = self.size * 1.5 + 2
        return self.width, self.height

    def draw(self) -> None:
        _stamp(self.canv, self.text, 1, self.height - 1, self.size, right=False)


def section(
    title: str, width: float, base: float = 9.5, *, break_before: bool = True
) -> list[Flowable]:
    """A shaded band that opens a section of the form.

    Preceded by a conditional page break, so that a band is never left alone at the foot of a
    page; the table after it may still split across pages (no keep-with-next, which would push
    a long table to a new page as a whole).
    """
    t = Table([[Paragraph(esc(title), styles(base)["section"])]], colWidths=[width])
    t.setStyle(
        table_style(
            [
                ("BACKGROUND", (0, 0), (-1, -1), SECTION_BG),
                ("BOX", (0, 0), (-1, -1), 0.6, GRID),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    t.spaceBefore = 4
    return [CondPageBreak(22 * mm), t] if break_before else [t]


def grid_table(
    rows: Sequence[Sequence[Any]],
    col_widths: Sequence[float],
    *,
    header: bool = False,
    label_cols: Sequence[int] = (),
    extra: Sequence[tuple[Any, ...]] = (),
    repeat_header: bool = True,
    base: float = 9.5,
) -> Table:
    """A ruled table (thin grid), optional shaded header row and shaded label columns.

    Plain-string cells are drawn in the embedded font at `base` points (see `cell`)."""
    t = Table(
        [list(r) for r in rows],
        colWidths=list(col_widths),
        repeatRows=1 if header and repeat_header else 0,
        hAlign="LEFT",
    )
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
    t.setStyle(table_style(cmds))
    return t


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
) -> Table:
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
    shading = [
        ("BACKGROUND", (col, r), (col, r), LABEL_BG)
        for r, row in enumerate(rows)
        for col in range(0, 2 * columns, 2)
        if row[col] != ""
    ]
    return grid_table(rows, widths, extra=shading + spans, base=base)


# --------------------------------------------------------------------------- marks


@dataclass(frozen=True)
class Marks:
    """What every page of a paper must say about its status."""

    reprint_count: int = 0
    voided: bool = False

    @property
    def reprint_text(self) -> str:
        return f"补打（第{self.reprint_count}次）" if self.reprint_count > 0 else ""


VOID_TEXT = "已作废"


def _stamp(c: Canvas, text: str, x: float, y_top: float, size: float, *, right: bool) -> None:
    """A red boxed stamp whose top edge is at y_top; anchored at x by its left or right side."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    font = ensure_fonts()
    pad = size * 0.35
    w = stringWidth(text, font, size) + 2 * pad
    h = size * 1.5
    left = x - w if right else x
    c.saveState()
    c.setStrokeColor(MARK_RED)
    c.setFillColor(MARK_RED)
    c.setLineWidth(1.4)
    c.roundRect(left, y_top - h, w, h, size * 0.2, stroke=1, fill=0)
    t = c.beginText(left + pad, y_top - h + size * 0.45)
    t.setFont(font, size)
    t.setTextRenderMode(2)
    c.setLineWidth(size * 0.03)
    t.textOut(text)
    c.drawText(t)
    c.restoreState()


def _watermark(c: Canvas, width: float, height: float, size: float) -> None:
    """Large diagonal translucent '已作废' across the page, under the content."""
    font = ensure_fonts()
    c.saveState()
    c.setFillColor(MARK_RED)
    c.setFillAlpha(0.16)
    c.translate(width / 2, height / 2)
    c.rotate(35 if height > width else 20)
    c.setFont(font, size)
    c.drawCentredString(0, -size * 0.35, VOID_TEXT)
    c.restoreState()


def draw_marks(c: Canvas, marks: Marks, width: float, height: float, margin_x: float) -> None:
    """Status marks in the top margin of a cut sheet (and the watermark when voided)."""
    if marks.voided:
        _watermark(c, width, height, size=min(width, height) * 0.28)
        _stamp(c, VOID_TEXT, margin_x, height - 5 * mm, 13, right=False)
    if marks.reprint_count > 0:
        _stamp(c, marks.reprint_text, width - margin_x, height - 5 * mm, 12, right=True)


# --------------------------------------------------------------------------- page models


@dataclass(frozen=True)
class DocInfo:
    """PDF metadata and the texts of the running header and footer."""

    title: str
    subject: str = ""
    author: str = ""
    header_left: str = ""  # running header on pages 2.. (e.g. the paper's name)
    header_right: str = ""  # e.g. the order number
    footer_left: str = ""
    footer_right: str = ""


def _numbered_canvas(info: DocInfo, margin_x: float) -> type[Canvas]:
    """A canvas class that holds its pages until save() and then stamps 'page x of y'."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held_pages)
            for state in self._held_pages:
                self.__dict__.update(state)
                self._draw_footer(total)
                super().showPage()
            super().save()

        def _draw_footer(self, total: int) -> None:
            font = ensure_fonts()
            w, _h = self._pagesize
            y = 8 * mm
            self.saveState()
            self.setStrokeColor(GRID)
            self.setLineWidth(0.4)
            self.line(margin_x, y + 9, w - margin_x, y + 9)
            self.setFillColor(colors.Color(0.25, 0.25, 0.25))
            self.setFont(font, 8)
            if info.footer_left:
                self.drawString(margin_x, y, info.footer_left)
            self.drawCentredString(w / 2, y, f"第 {self._pageNumber} 页 / 共 {total} 页")
            if info.footer_right:
                self.drawRightString(w - margin_x, y, info.footer_right)
            self.restoreState()

    return NumberedCanvas


def build_order_pdf(
    story: list[Flowable],
    *,
    paper: OrderPaper,
    title: str,
    header_left: str,
    number_label: str = "受理单号",
    footer_right: str | None = None,
    pagesize: tuple[float, float] = A4,
    margin_x: float = 15 * mm,
) -> bytes:
    """An A4 paper of one order: its number in the running header and footer, the hall and
    counter (or `footer_right`) in the footer, and the reprint / void marks."""
    info = DocInfo(
        title=f"{title} {paper.order_no}",
        subject=paper.service_name,
        author=paper.hall_name,
        header_left=header_left,
        header_right=f"{number_label} {paper.order_no}",
        footer_left=f"{number_label} {paper.order_no}",
        footer_right=footer_right
        or f"{paper.hall_code} · {paper.counter_no}号柜台 · {paper.clerk_name}",
    )
    marks = Marks(paper.reprint_count, paper.voided)
    return build_flow_pdf(story, pagesize=pagesize, info=info, marks=marks, margin_x=margin_x)


def build_flow_pdf(
    story: list[Flowable],
    *,
    pagesize: tuple[float, float],
    info: DocInfo,
    marks: Marks,
    margin_x: float = 15 * mm,
    margin_top: float = 17 * mm,
    margin_bottom: float = 16 * mm,
) -> bytes:
    """Lay out `story` on cut sheets of `pagesize`; returns the PDF bytes."""
    font = ensure_fonts()
    buf = io.BytesIO()
    width, height = pagesize
    doc = BaseDocTemplate(
        buf,
        pagesize=pagesize,
        leftMargin=margin_x,
        rightMargin=margin_x,
        topMargin=margin_top,
        bottomMargin=margin_bottom,
        title=info.title,
        subject=info.subject,
        author=info.author,
        creator="hall-counter",
        invariant=1,  # same input, same bytes (no timestamps or random IDs)
        initialFontName=font,  # else every page references a non-embedded Helvetica
    )
    frame = Frame(
        margin_x,
        margin_bottom,
        width - 2 * margin_x,
        height - margin_top - margin_bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )

    def on_page(c: Canvas, _doc: Any) -> None:
        draw_marks(c, marks, width, height, margin_x)
        if c.getPageNumber() > 1 and (info.header_left or info.header_right):
            c.saveState()
            c.setFont(font, 8)
            c.setFillColor(colors.Color(0.25, 0.25, 0.25))
            y = height - margin_top + 4 * mm
            text_x = margin_x + (22 * mm if marks.voided else 0)
            c.drawString(text_x, y, info.header_left)
            right_x = width - margin_x - (40 * mm if marks.reprint_count > 0 else 0)
            c.drawRightString(right_x, y, info.header_right)
            c.setStrokeColor(GRID)
            c.setLineWidth(0.4)
            c.line(margin_x, y - 2.5, width - margin_x, y - 2.5)
            c.restoreState()

    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page)])
    doc.build(story, canvasmaker=_numbered_canvas(info, margin_x))
    return buf.getvalue()


def build_roll_pdf(
    story: list[Flowable],
    *,
    width: float,
    info: DocInfo,
    marks: Marks,
    margin_x: float = 4 * mm,
    margin_y: float = 5 * mm,
) -> bytes:
    """Lay out `story` on one page as tall as its content (roll paper of `width`)."""
    font = ensure_fonts()
    avail = width - 2 * margin_x
    placed: list[tuple[Flowable, float, float, float, float]] = []
    total = 0.0
    for f in story:
        w, h = f.wrap(avail, 10_000)
        before, after = f.getSpaceBefore(), f.getSpaceAfter()
        placed.append((f, w, h, before, after))
        total += before + h + after
    height = total + 2 * margin_y
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(width, height), invariant=1, initialFontName=font)
    c.setTitle(info.title)
    c.setSubject(info.subject)
    c.setAuthor(info.author)
    c.setCreator("hall-counter")
    if marks.voided:
        _watermark(c, width, height, size=min(width * 0.3, 64))
    y = height - margin_y
    for f, w, h, before, after in placed:
        y -= before + h
        align = str(getattr(f, "hAlign", "LEFT")).upper()
        x = margin_x
        if align in ("CENTER", "CENTRE"):
            x += (avail - w) / 2
        elif align == "RIGHT":
            x += avail - w
        f.drawOn(c, x, y)
        y -= after
    c.showPage()
    c.save()
    return buf.getvalue()
