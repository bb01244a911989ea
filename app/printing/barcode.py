"""Code128 of the order number, drawn as vector bars on a reportlab canvas.

python-barcode's encoder gives the module pattern (start, data, check and stop characters);
we draw each run of dark modules as one filled rectangle, so the printer's rasteriser sees
exact edges instead of an image that was scaled once already.

The default module width is 0.254 mm (10 mil): 2 pixels at 200 dpi, 6 dots at 600 dpi and
about 2 dots on a 203 dpi thermal head. A ~25-character order number such as
`H4401-C03-20261122-00042-7` is 299 modules, i.e. 76 mm plus quiet zones. That fits A4 and
A5 across, but not the 72 mm printable width of an 80 mm roll; there the flowable turns the
symbol 90 degrees so it runs along the roll (the receipt's height grows anyway) rather than
shrinking the modules below what a scanner reads reliably.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import barcode as python_barcode
from reportlab.lib.colors import black, white
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from app.printing.fonts import ensure_fonts

__all__ = [
    "DEFAULT_MODULE",
    "QUIET_MODULES",
    "BarcodeFlowable",
    "code128_modules",
    "draw_code128",
    "symbol_width",
]

DEFAULT_MODULE = 0.254 * mm  # 10 mil
QUIET_MODULES = 10  # Code128 minimum quiet zone on each side: 10 modules


@lru_cache(maxsize=256)
def code128_modules(text: str) -> str:
    """The module pattern of `text` as Code128: '1' for a dark module, '0' for a light one."""
    if not text:
        raise ValueError("empty barcode text")
    if any(not (32 <= ord(ch) < 127) for ch in text):
        raise ValueError(f"Code128 takes printable ASCII only: {text!r}")
    code: Any = python_barcode.get("code128", text)
    pattern = "".join(code.build())
    if not pattern or set(pattern) - {"0", "1"}:
        raise ValueError(f"unexpected Code128 pattern for {text!r}")
    return pattern


def _runs(pattern: str) -> list[tuple[int, int]]:
    """(start, length) of each run of dark modules."""
    runs: list[tuple[int, int]] = []
    i, n = 0, len(pattern)
    while i < n:
        if pattern[i] == "1":
            j = i
            while j < n and pattern[j] == "1":
                j += 1
            runs.append((i, j - i))
            i = j
        else:
            i += 1
    return runs


def symbol_width(text: str, module: float = DEFAULT_MODULE, quiet: int = QUIET_MODULES) -> float:
    """Width in points of the symbol including both quiet zones."""
    return (len(code128_modules(text)) + 2 * quiet) * module


def draw_code128(
    canvas: Canvas,
    text: str,
    x: float,
    y: float,
    *,
    module: float = DEFAULT_MODULE,
    height: float = 12 * mm,
    quiet: int = QUIET_MODULES,
) -> float:
    """Draw the bars with the lower-left corner of the left quiet zone at (x, y).

    A white rectangle is painted under the whole symbol first, so the quiet zones stay clear
    over shaded cells or a watermark. Returns the total width drawn.
    """
    pattern = code128_modules(text)
    total = (len(pattern) + 2 * quiet) * module
    canvas.saveState()
    canvas.setFillColor(white)
    canvas.rect(x, y, total, height, stroke=0, fill=1)
    canvas.setFillColor(black)
    left = x + quiet * module
    path = canvas.beginPath()
    for start, length in _runs(pattern):
        path.rect(left + start * module, y, length * module, height)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
    return total


class BarcodeFlowable(Flowable):
    """Code128 symbol with the human-readable text under it.

    If the symbol does not fit the available width and `allow_vertical` is set, it is drawn
    turned by 90 degrees (bars horizontal, symbol running down the page) with the text beside
    it, reading bottom to top.
    """

    def __init__(
        self,
        text: str,
        *,
        module: float = DEFAULT_MODULE,
        bar_height: float = 12 * mm,
        font_size: float = 9,
        show_text: bool = True,
        allow_vertical: bool = False,
        h_align: str = "CENTER",
    ) -> None:
        super().__init__()
        self.text = text
        self.module = module
        self.bar_height = bar_height
        self.font_size = font_size
        self.show_text = show_text
        self.allow_vertical = allow_vertical
        self.hAlign = h_align
        self.vertical = False
        self._length = symbol_width(text, module)  # validates the text early
        self._text_band = font_size * 1.45 if show_text else 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.vertical = self.allow_vertical and self._length > availWidth
        if self.vertical:
            self.width = self.bar_height + self._text_band
            self.height = self._length
        else:
            self.width = self._length
            self.height = self.bar_height + self._text_band
        return self.width, self.height

    def draw(self) -> None:
        c: Canvas = self.canv
        font = ensure_fonts()
        if self.vertical:
            # Rotate so that the symbol's "up" points to the left of the page: the symbol is
            # read top to bottom, the text sits at its right reading upwards.
            c.saveState()
            c.translate(self.width, 0)
            c.rotate(90)
            self._draw_upright(c, font)
            c.restoreState()
        else:
            self._draw_upright(c, font)

    def _draw_upright(self, c: Canvas, font: str) -> None:
        draw_code128(c, self.text, 0, self._text_band, module=self.module, height=self.bar_height)
        if self.show_text:
            c.setFillColor(black)
            c.setFont(font, self.font_size)
            c.drawCentredString(self._length / 2, self.font_size * 0.35, self.text)
