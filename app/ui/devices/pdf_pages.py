"""A paper's PDF pages as `QImage`s, rendered with PDFium (`pypdfium2`).

The preview shows, and the printer receives, pictures of the very PDF that was written and
hashed: there is no second layout. PDFium is not thread-safe, so every call into it holds one
lock; a `QImage` may be built on any thread (a `QPixmap` may not), so the rendering can run on a
worker and only the finished images travel to the GUI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtGui import QImage

__all__ = [
    "OpenPdf", "PageSize", "PdfSource", "PdfUnreadable", "page_sizes", "render_page",
    "render_pages",
]

PdfSource = bytes | Path | str

POINTS_PER_INCH = 72.0
# A page is never rendered with more pixels than this (a 300 dpi A3 is ~35 M): a broken or
# hostile page size must not exhaust the memory.
MAX_PIXELS = 40_000_000

_pdfium_lock = threading.RLock()


class PdfUnreadable(ValueError):
    """The file is not a PDF PDFium can open (damaged, truncated, or gone)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


@dataclass(frozen=True)
class PageSize:
    """A page's size in PDF points (1/72 inch), as it is shown (after the page's rotation)."""

    width_pt: float
    height_pt: float

    @property
    def landscape(self) -> bool:
        return self.width_pt > self.height_pt

    def pixels(self, dpi: float) -> tuple[int, int]:
        return (round(self.width_pt * dpi / POINTS_PER_INCH),
                round(self.height_pt * dpi / POINTS_PER_INCH))


@contextmanager
def _document(source: PdfSource) -> Iterator[pdfium.PdfDocument]:
    """Open under the lock, always closed (PDFium's handles are not left to the collector)."""
    with _pdfium_lock:
        try:
            doc = pdfium.PdfDocument(Path(source) if isinstance(source, str) else source)
        except (pdfium.PdfiumError, OSError) as exc:
            raise PdfUnreadable("单据文件无法读取（已损坏或已被移走）",
                                "the paper's file cannot be read (damaged or moved)") from exc
        try:
            yield doc
        finally:
            doc.close()


def page_sizes(source: PdfSource) -> list[PageSize]:
    with OpenPdf(source) as pdf:
        return [pdf.size(i) for i in range(len(pdf))]


def _to_qimage(bitmap: pdfium.PdfBitmap) -> QImage:
    """RGB bytes straight into a QImage (no PNG round trip); `copy()` makes the image own its
    memory, so it outlives PDFium's buffer."""
    image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                   QImage.Format.Format_RGB888)
    return image.copy()


def _render(doc: pdfium.PdfDocument, index: int, dpi: float) -> QImage:
    page = doc[index]
    try:
        w, h = page.get_size()
        scale = dpi / POINTS_PER_INCH
        if w * h * scale * scale > MAX_PIXELS:  # keep the aspect ratio, lower the resolution
            scale = (MAX_PIXELS / (w * h)) ** 0.5
        bitmap = page.render(scale=scale, rev_byteorder=True, fill_color=(255, 255, 255, 255))
        try:
            image = _to_qimage(bitmap)
        finally:
            bitmap.close()
    finally:
        page.close()
    image.setDotsPerMeterX(round(dpi / 0.0254))
    image.setDotsPerMeterY(round(dpi / 0.0254))
    return image


class OpenPdf:
    """An open PDF for rendering page by page (printing keeps one page in memory at a time).

    Use as a context manager; it holds the PDFium lock while open.
    """

    def __init__(self, source: PdfSource) -> None:
        self._source = source
        self._cm = _document(source)
        self._doc: pdfium.PdfDocument | None = None

    def __enter__(self) -> OpenPdf:
        self._doc = self._cm.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._doc = None
        self._cm.__exit__(None, None, None)

    def __len__(self) -> int:
        assert self._doc is not None, "use OpenPdf as a context manager"
        return len(self._doc)

    def size(self, index: int) -> PageSize:
        assert self._doc is not None, "use OpenPdf as a context manager"
        page = self._doc[index]
        try:
            w, h = page.get_size()
        finally:
            page.close()
        return PageSize(w, h)

    def render(self, index: int, dpi: float) -> QImage:
        assert self._doc is not None, "use OpenPdf as a context manager"
        if not 0 <= index < len(self._doc):
            raise IndexError(f"page {index} of {len(self._doc)}")
        return _render(self._doc, index, dpi)


def render_page(source: PdfSource, index: int, dpi: float) -> QImage:
    """One page (0-based) at `dpi`; white background, RGB."""
    with OpenPdf(source) as pdf:
        return pdf.render(index, dpi)


def render_pages(source: PdfSource, dpi: float) -> list[QImage]:
    """Every page at `dpi`. Call off the GUI thread for more than a page or two."""
    with OpenPdf(source) as pdf:
        return [pdf.render(i, dpi) for i in range(len(pdf))]
