"""The papers of one order (acceptance slip + thermal receipt) against a fair canvas floor.

    python -m bench.fig_papers ROUNDS RUNS

A: `render_slip` + `render_receipt` of the printing tests' SIM replacement (a fee, a cash
payment with change, two papers shown, notices, a drawn signature), each time for another
customer (name, order number, line number), as at a counter: a paper reused from the one
before (the font's subsets are kept across papers) is never the same paper.
B: the same two documents drawn straight onto reportlab canvases, no layout engine: the same
pages and page sizes, every text line the app's own PDFs hold (read back once with pypdf) in
the same CJK font (embedded as a subset, as the app's is), a rule under each line for the
tables' frames, the order number's Code128 (`draw_code128`) and the signature image.
Paper by paper, A B A B; prints one JSON line.
"""

from __future__ import annotations

import io
import json
import statistics
import sys
import time
from dataclasses import dataclass
from typing import Any

from bench.harness import ROOT, peak_mb

if str(ROOT / "tests") not in sys.path:
    sys.path.append(str(ROOT / "tests"))


@dataclass
class Page:
    size: tuple[float, float]
    lines: list[str]


def _pages(pdf: bytes) -> list[Page]:
    from pypdf import PdfReader

    out = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        box = page.mediabox
        text = page.extract_text() or ""
        out.append(Page((float(box.width), float(box.height)),
                        [ln for ln in text.splitlines() if ln.strip()]))
    return out


def floor_document(pages: list[Page], order_no: str, signature: bytes | None,
                   font: str) -> bytes:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    from app.printing.barcode import draw_code128

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=pages[0].size, invariant=1, initialFontName=font)
    for n, page in enumerate(pages):
        width, height = page.size
        c.setPageSize(page.size)
        step = max(6.0, (height - 60) / max(1, len(page.lines)))
        size = min(9.0, step * 0.8)
        c.setFont(font, size)
        c.setLineWidth(0.4)
        y = height - 30
        for line in page.lines:
            c.drawString(12, y, line)
            c.line(10, y - 2, width - 10, y - 2)
            y -= step
        if n == 0:
            draw_code128(c, order_no, 12, max(4.0, y - 40))
            if signature is not None:
                c.drawImage(ImageReader(io.BytesIO(signature)), width / 2, max(4.0, y - 40),
                            width=min(120, width / 3), height=40, mask="auto")
        c.showPage()
    c.save()
    return buf.getvalue()


NAMES = "郑秋月霍思燕龚雪梅严冬青卢晓峰戴春燕傅国栋钟丽君廖志远蒋文静邱海涛魏婉清"


def papers(count: int) -> list[Any]:
    """The fixture paper for `count` different customers."""
    import dataclasses
    import random

    import printing_fixtures as fx  # type: ignore[import-not-found]

    from app.printing.barcode import code128_modules  # noqa: F401  (warm)
    from app.services.orders.numbering import format_order_no

    rng = random.Random(5)
    base = fx.sim_replacement()
    out = []
    for i in range(count):
        name = "".join(rng.choice(NAMES) for _ in range(3))
        out.append(dataclasses.replace(
            base, customer_name=name, presenter_name=name,
            order_no=format_order_no("H4401", "C03", base.created_at.date(), 100 + i),
            line_number=f"1380013{i:04d}"))
    return out


def _floor_font() -> str:
    """The same font file registered a second time for the floor: no subsets kept."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from app.printing.fonts import font_path

    name = "FloorCJK"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(font_path()), subfontIndex=0))
    return name


def main() -> int:
    rounds, runs = int(sys.argv[1]), int(sys.argv[2])
    from app.printing import ensure_fonts, render_receipt, render_slip

    ensure_fonts()
    font = _floor_font()
    variants = papers(rounds * runs + 3)
    png = variants[0].signature.png if variants[0].signature else None
    floors = [(_pages(render_slip(p)), _pages(render_receipt(p))) for p in variants]
    turn = [0]

    def app() -> None:
        paper = variants[turn[0]]
        render_slip(paper)
        render_receipt(paper)

    def floor() -> None:
        paper, (slip_pages, receipt_pages) = variants[turn[0]], floors[turn[0]]
        floor_document(slip_pages, paper.order_no, png, font)
        floor_document(receipt_pages, paper.order_no, None, font)
        turn[0] += 1

    for _ in range(3):  # warm up both (style caches, glyph widths, imports)
        app()
        floor()
    a: list[float] = []
    b: list[float] = []
    for _ in range(rounds):
        xs, ys = [], []
        for _ in range(runs):
            t0 = time.perf_counter()
            app()
            xs.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            floor()
            ys.append(time.perf_counter() - t0)
        a.append(statistics.median(xs))
        b.append(statistics.median(ys))
    from reportlab.lib import rl_accel

    out: dict[str, Any] = {
        "app": a, "floor": b, "peak_mb": peak_mb(), "accelerated": bool(rl_accel._c_funcs),
        "lines": sum(len(p.lines) for p in floors[0][0] + floors[0][1]),
        "pages": len(floors[0][0]) + len(floors[0][1])}
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
