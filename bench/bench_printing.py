"""How long the counter waits for its papers (figures, not a test).

    python bench/bench_printing.py [--runs 60]

Prints: the one-off font load, then median / p95 of slip + thermal receipt for one order with
the font loaded (target: median < 30 ms), beside a bare reportlab one-page document with a
little text in a built-in font, measured in the same run as a yardstick for the machine.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

TARGET_MS = 30.0


def bare_reportlab_page() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 12)
    for i in range(40):
        c.drawString(72, 800 - i * 18, f"Line {i}: order H4401-C03-20261122-00042-7  10.00")
    c.rect(60, 60, 475, 722)
    c.showPage()
    c.save()
    return buf.getvalue()


def measure(fn: Callable[[], object], runs: int) -> list[float]:
    for _ in range(3):  # warm up caches (styles, barcode patterns, imports)
        fn()
    out: list[float] = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20, method="inclusive")[18]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()

    t0 = time.perf_counter()
    from app.printing import ensure_fonts, render_receipt, render_slip

    import_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    ensure_fonts()
    font_ms = (time.perf_counter() - t0) * 1000

    import printing_fixtures as fx

    paper = fx.sim_replacement()
    group = fx.group_new_activation()
    t0 = time.perf_counter()
    render_slip(paper)
    render_receipt(paper)
    first_ms = (time.perf_counter() - t0) * 1000

    try:
        from reportlab.lib import rl_accel

        accel = "C accelerator (rl_accel)" if rl_accel._c_funcs else "pure Python"
    except Exception:  # pragma: no cover - reportlab internals
        accel = "unknown"

    rows = [
        ("slip + thermal receipt (1 fee)", lambda: (render_slip(paper), render_receipt(paper))),
        ("slip + thermal receipt (group)", lambda: (render_slip(group), render_receipt(group))),
        ("slip only", lambda: render_slip(paper)),
        ("thermal receipt only", lambda: render_receipt(paper)),
        ("A5 receipt only", lambda: render_receipt(paper, "a5")),
        ("bare reportlab page (Helvetica)", bare_reportlab_page),
    ]
    print(f"reportlab helpers: {accel}; runs per row: {args.runs}")
    print(f"import app.printing:            {import_ms:7.1f} ms (once)")
    print(f"font load (ensure_fonts):       {font_ms:7.1f} ms (once)")
    print(f"first slip + receipt:           {first_ms:7.1f} ms (once, builds style caches)")
    print(f"{'':32}{'median':>9}{'p95':>9}")
    results: dict[str, float] = {}
    for name, fn in rows:
        xs = measure(fn, args.runs)
        results[name] = statistics.median(xs)
        print(f"{name:32}{statistics.median(xs):8.1f}ms{p95(xs):7.1f}ms")
    main_ms = results["slip + thermal receipt (1 fee)"]
    verdict = "OK" if main_ms < TARGET_MS else "OVER TARGET"
    print(f"target: slip + receipt median < {TARGET_MS:.0f} ms -> {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
