"""The papers' fixed parts drawn straight onto the canvas (`app/printing/direct.py`) must print
exactly what platypus drew: every sample paper, rendered with them and with them switched off
(every `Line` a Paragraph, every `PlainGrid` its Table), gives the same pixels on every page,
the same text, and the same page count — including a slip whose tables split over four pages
(where `PlainGrid` hands over to its Table) and a voided, reprinted receipt."""

from __future__ import annotations

import dataclasses
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from app.printing import direct, render_bill_cover, render_receipt, render_slip
from app.printing.paper import OrderPaper
from tests import printing_fixtures as fx
from tests.test_printing import need, pdf_text, rasterize

SAMPLES = fx.all_samples()

RENDERERS: dict[str, Callable[[OrderPaper], bytes]] = {
    "slip": render_slip,
    "thermal": render_receipt,
    "a5": lambda p: render_receipt(p, "a5"),
    "cover": render_bill_cover,
}


def layout_text(pdf: bytes, tmp: Path) -> str:
    """`pdftotext -layout`: the text where it stands on the page (pypdf's extraction reads a
    Paragraph's relative text moves as leading spaces, which nobody sees)."""
    exe = need("pdftotext", "poppler-utils")
    src = tmp / "text.pdf"
    src.write_bytes(pdf)
    out = subprocess.run(
        [exe, "-layout", str(src), "-"], check=True, capture_output=True, timeout=60
    )
    return out.stdout.decode()


def _platypus_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(direct.PlainGrid, "build", staticmethod(lambda *a, **k: None))
    monkeypatch.setattr(direct.Line, "_direct", lambda self, avail_width: False)


@pytest.mark.parametrize("sample", ["sim_replacement", "long_cancellation", "group_new_activation"])
@pytest.mark.parametrize("kind", sorted(RENDERERS))
def test_direct_drawing_prints_what_platypus_printed(
    sample: str, kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paper = SAMPLES[sample]
    if kind == "thermal":
        paper = dataclasses.replace(paper, voided=True, reprint_count=2)
    render = RENDERERS[kind]
    fast = render(paper)
    with monkeypatch.context() as m:
        _platypus_only(m)
        slow = render(paper)
    assert layout_text(fast, tmp_path) == layout_text(slow, tmp_path)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    pages_fast = rasterize(fast, tmp_path / "a", 100)
    pages_slow = rasterize(slow, tmp_path / "b", 100)
    assert len(pages_fast) == len(pages_slow) >= 1
    for a, b in zip(pages_fast, pages_slow, strict=True):
        assert a.read_bytes() == b.read_bytes(), f"{sample} {kind}: {a.name} differs"


def test_long_slip_splits_through_the_real_table() -> None:
    """The 4-page slip: its details grid is too tall for a page, so it is split by Table."""
    pdf = render_slip(SAMPLES["long_cancellation"])
    assert len(pdf_text(pdf)) == 4
