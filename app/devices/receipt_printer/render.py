"""One paper as one ESC/POS job: bytes built in python-escpos's `Dummy` printer, sent later in
one write (a printer that fails never gets half a receipt from us).

The job: ESC @ (initialise), FS & (Chinese mode: bytes >= 0x80 are GB18030 characters), the
text lines as raw GB18030 bytes, the order number as the printer's own CODE128 (GS k, m=73,
"{B" code set) or QR code (GS ( k), FS . (leave Chinese mode), feed and cut (GS V).

Why raw bytes for the text: python-escpos 3.1's `text()` goes through its code-page "magic
encoder", which picks single-byte code pages and cannot put a printer into GB18030; its own
issue tracker recommends `_raw(text.encode("gb18030"))`. Styles use commands that also apply
to Chinese characters in Chinese mode: ESC E (bold) and GS ! (size); ESC ! would not.

Why `_hw_barcode` and not `barcode()`: the public method prints "Using hardware barcode
renderer" to stdout, which would end up in `counter reprint`'s output; the private one is the
same GS k encoder without the print.
"""

from __future__ import annotations

from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy

from app.printing.paper import OrderPaper

from .layout import COLUMNS, Code, Line, Op, Rule, layout
from .text import encode

__all__ = ["BARCODES", "PRINTABLE_DOTS", "code128_fits", "render_escpos"]

BARCODES = ("code128", "qr")
PRINTABLE_DOTS = {58: 384, 80: 576}  # 48 / 72 mm at 8 dots per mm (203 dpi)
FS_CHINESE_ON = b"\x1c&"
FS_CHINESE_OFF = b"\x1c."
QUIET_MODULES = 10  # Code128 needs 10 light modules on each side to scan
BAR_HEIGHT = 80  # dots: 10 mm
QR_DOT = 6  # dots per QR module: a 25x25 symbol is 19 mm wide


def _code128_modules(text: str) -> int:
    # Code set B: start (11) + 11 per character + check (11) + stop (13).
    return 11 * (len(text) + 2) + 13


def code128_fits(text: str, width_mm: int, module: int = 2) -> bool:
    """Whether `text` as CODE128 of `module` dots per module fits the roll with quiet zones.

    A printer drops a barcode wider than its printable area without a word, so a long order
    number (26 characters: 341 modules, 682 dots at 2 dots) is printed as a QR code instead.
    """
    if not text or not all(32 <= ord(c) < 127 for c in text):
        return False
    return (_code128_modules(text) + 2 * QUIET_MODULES) * module <= PRINTABLE_DOTS[width_mm]


class _Job:
    """The styles in force, so each line sends only the commands that change."""

    def __init__(self, cols: int) -> None:
        self.p = Dummy()
        self.cols = cols
        self.bold = self.center = self.tall = False

    def style(self, *, bold: bool = False, center: bool = False, tall: bool = False) -> None:
        if bold != self.bold:
            self.p.set(bold=bold)  # ESC E n
        if center != self.center:
            self.p.set(align="center" if center else "left")  # ESC a n
        if tall != self.tall:
            self.p.set(custom_size=True, width=1, height=2 if tall else 1)  # GS ! n
        self.bold, self.center, self.tall = bold, center, tall

    def line(self, op: Line) -> None:
        self.style(bold=op.bold, center=op.center, tall=op.tall)
        self.p._raw(encode(op.text) + b"\n")

    def rule(self) -> None:
        self.style()
        self.p._raw(b"-" * self.cols + b"\n")

    def code(self, op: Code, barcode: str, width_mm: int) -> None:
        self.style(center=True)
        module = next((m for m in (3, 2) if code128_fits(op.text, width_mm, m)), 0)
        if barcode == "code128" and module:
            data = "{B" + op.text.replace("{", "{{")  # "{" opens a code set switch in GS k
            self.p._hw_barcode(data, "CODE128", height=BAR_HEIGHT, width=module, pos="OFF",
                               align_ct=False, function_type="B")
        else:
            self.p.qr(op.text, ec=QR_ECLEVEL_M, size=QR_DOT, native=True)
        self.p._raw(b"\n")


def render_escpos(paper: OrderPaper, kind: str, *, width_mm: int = 80,
                  barcode: str = "code128") -> bytes:
    """The ESC/POS job of one paper (`kind`: "receipt", "fault-ticket", "complaint-ticket")
    for a 58 or 80 mm roll, its order number as "code128" (QR when too long) or "qr"."""
    if width_mm not in COLUMNS:
        raise ValueError(f"receipt width must be 58 or 80 mm, not {width_mm}")
    if barcode not in BARCODES:
        raise ValueError(f"barcode must be one of {', '.join(BARCODES)}, not {barcode!r}")
    ops: list[Op] = layout(paper, kind, COLUMNS[width_mm])
    job = _Job(COLUMNS[width_mm])
    job.p.hw("INIT")  # ESC @: whatever the last job left set is reset
    job.p._raw(FS_CHINESE_ON)
    for op in ops:
        if isinstance(op, Line):
            job.line(op)
        elif isinstance(op, Rule):
            job.rule()
        else:
            job.code(op, barcode, width_mm)
    job.style()
    job.p._raw(FS_CHINESE_OFF)
    job.p.cut()  # ESC d 6 (feed past the cutter), GS V 0
    return job.p.output
