"""The two page models of the papers and the status marks every page carries.

- `build_flow_pdf`: cut sheets (A4, A5). Content flows onto as many pages as it needs; every
  page gets the marks (补打 / 已作废), a running header from page 2 on and a footer with
  "第 x 页 / 共 y 页" (the total is known only at the end, so pages are held until `save`).
- `build_roll_pdf`: one page whose height is the height of the content (thermal roll).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from app.printing.blocks import GRID, MARK_RED
from app.printing.fonts import ensure_fonts
from app.printing.paper import OrderPaper

__all__ = [
    "DocInfo",
    "Marks",
    "Stamp",
    "build_flow_pdf",
    "build_order_pdf",
    "build_roll_pdf",
]


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
