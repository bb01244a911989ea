"""Regenerate the sample papers in docs/samples/ from the test fixtures.

    python docs/make_print_samples.py

Writes PDFs of every paper and PNG renders (pdftoppm -r 100, Debian package poppler-utils)
of the slips and the thermal receipt. The PDFs are deterministic (reportlab `invariant`), so
re-running without a layout change leaves git clean.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import printing_fixtures as fx  # noqa: E402

from app.printing import (  # noqa: E402
    render_bill_cover,
    render_daily_report,
    render_receipt,
    render_slip,
    render_ticket,
)

OUT = ROOT / "docs" / "samples"

# name -> (renderer, render PNGs too)
SAMPLES: dict[str, tuple[Callable[[], bytes], bool]] = {
    "slip": (lambda: render_slip(fx.sim_replacement()), True),
    "slip-group": (lambda: render_slip(fx.group_new_activation()), True),
    "slip-long-reprint": (lambda: render_slip(fx.long_cancellation()), False),
    "receipt-thermal": (lambda: render_receipt(fx.group_new_activation(), "thermal"), True),
    "receipt-thermal-voided": (
        lambda: render_receipt(fx.bill_detail_print(), "thermal"),
        False,
    ),
    "receipt-a5": (lambda: render_receipt(fx.group_new_activation(), "a5"), False),
    "ticket-fault": (lambda: render_ticket(fx.fault_report()), False),
    "ticket-complaint": (lambda: render_ticket(fx.complaint()), False),
    "bill-cover": (lambda: render_bill_cover(fx.bill_detail_print()), False),
    "daily-report": (lambda: render_daily_report(fx.daily_report()), False),
}


def main() -> int:
    pdftoppm = shutil.which("pdftoppm")
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()
    for name, (render, png) in SAMPLES.items():
        pdf = OUT / f"{name}.pdf"
        pdf.write_bytes(render())
        print(f"wrote {pdf.relative_to(ROOT)}")
        if png:
            if pdftoppm is None:
                print(
                    "  pdftoppm not found (apt-get install poppler-utils): no PNG", file=sys.stderr
                )
                continue
            subprocess.run([pdftoppm, "-r", "100", "-png", str(pdf), str(OUT / name)], check=True)
            pages = sorted(OUT.glob(f"{name}-*.png"))
            if len(pages) == 1:  # one page: drop pdftoppm's "-1" suffix
                pages[0].rename(OUT / f"{name}.png")
                pages = [OUT / f"{name}.png"]
            for p in pages:
                print(f"  rendered {p.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
