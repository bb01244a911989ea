"""A4 printing through Qt: PDFium renders the paper's pages, `QPrinter` takes them.

Without a printer the job goes to Qt's own PDF output (`QPrinter.PdfFormat`): the file that
comes out is what a printer would have been sent. It is read back with pypdf (pages, sizes)
and drawn with poppler's `pdftoppm`, and its ink is compared with the source PDF's.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import QApplication
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.pdfgen.canvas import Canvas

from app.printing import render_receipt, render_slip
from app.ui.devices import a4_print
from app.ui.devices.a4_print import PrintChoice, new_printer, paint_pdf, print_pdf
from app.ui.devices.pdf_pages import PdfUnreadable, page_sizes, render_page, render_pages
from app.ui.devices.printer import paper_kind, remember_printer, routes_from
from app.ui.settings.store import UiSettings
from tests import printing_fixtures as fx

from .ui_fixtures import no_thread_leak, ui_settings

__all__ = ["no_thread_leak", "ui_settings"]

A4_PT = (595.28, 841.89)
NO_PRINTER_ZH = "没有可用的打印机：请在“设置 → 设备”中选择打印机，或使用“另存为 PDF”。"


@pytest.fixture(scope="module")
def slip() -> bytes:
    return render_slip(fx.sim_replacement())


@pytest.fixture(scope="module")
def long_slip() -> bytes:
    return render_slip(fx.long_cancellation())  # four A4 pages


def darkness(image: Image.Image) -> float:
    """Mean ink of a page, 0 (white) .. 255 (black)."""
    gray = image.convert("L")
    return 255 - sum(i * n for i, n in enumerate(gray.histogram())) / (gray.width * gray.height)


def qimage_darkness(image: QImage) -> float:
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    pil = Image.frombuffer("L", (gray.width(), gray.height()), bytes(gray.constBits()),
                           "raw", "L", gray.bytesPerLine(), 1)
    return darkness(pil)


def poppler_pages(pdf: Path | bytes, tmp: Path, dpi: int = 100) -> list[Image.Image]:
    """Pages drawn by poppler. At 100 dpi and more its vector text and the printed picture
    have the same ink (at 50 dpi poppler draws small text bolder than any raster)."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        pytest.skip("pdftoppm not installed (Debian package poppler-utils)")
    source = tmp / "in.pdf"
    source.write_bytes(pdf if isinstance(pdf, bytes) else pdf.read_bytes())
    subprocess.run([tool, "-r", str(dpi), "-gray", str(source), str(tmp / "page")],
                   check=True, timeout=60)
    pages = sorted(tmp.glob("page*.pgm"))
    images = [Image.open(p).copy() for p in pages]
    for p in [*pages, source]:
        p.unlink()
    return images


def pdf_sizes(path: Path) -> list[tuple[float, float]]:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]


def to_pdf(tmp_path: Path, name: str) -> a4_print.QPrinter:
    return new_printer(PrintChoice("", 1, str(tmp_path / name)))


# -- rendering ---------------------------------------------------------------------------------

def test_a_slip_renders_to_a4_images_at_the_asked_resolution(qapp: QApplication,
                                                             slip: bytes) -> None:
    images = render_pages(slip, 150)
    assert len(images) == 1
    image = images[0]
    assert abs(image.width() - 1240) <= 1 and abs(image.height() - 1754) <= 1  # A4 at 150 dpi
    assert image.format() == QImage.Format.Format_RGB888
    assert 2 < qimage_darkness(image) < 60  # text on white: neither blank nor black
    assert image.pixelColor(3, 3).name() == "#ffffff"  # the margin is paper white
    assert round(image.dotsPerMeterX() * 0.0254) == 150


def test_every_page_of_a_long_slip_is_rendered(qapp: QApplication, long_slip: bytes) -> None:
    sizes = page_sizes(long_slip)
    assert len(sizes) == 4 and all(abs(s.width_pt - A4_PT[0]) < 1 for s in sizes)
    images = render_pages(long_slip, 72)
    assert all(abs(i.width() - 595) <= 1 and abs(i.height() - 842) <= 1 for i in images)
    assert all(qimage_darkness(i) > 1 for i in images)
    # the same page from a file path and from bytes is the same picture
    assert render_page(long_slip, 3, 72) == images[3]


def test_a_damaged_pdf_is_one_sentence_not_a_crash(qapp: QApplication, slip: bytes,
                                                   tmp_path: Path) -> None:
    with pytest.raises(PdfUnreadable) as caught:
        render_pages(slip[: len(slip) // 3], 72)
    assert "无法读取" in caught.value.zh
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    outcome = paint_pdf(broken, to_pdf(tmp_path, "out.pdf"))
    assert not outcome.ok and "未打印" in outcome.zh


# -- printing through QPrinter -----------------------------------------------------------------

def test_a_slip_printed_through_qprinter_is_the_same_paper(qapp: QApplication, slip: bytes,
                                                           tmp_path: Path) -> None:
    out = tmp_path / "printed.pdf"
    outcome = paint_pdf(slip, to_pdf(tmp_path, "printed.pdf"), doc_name="slip")
    assert outcome.ok and outcome.pages == 1 and not outcome.on_paper  # a file, not paper
    assert out.stat().st_size > 10_000
    [(w, h)] = pdf_sizes(out)
    assert abs(w - A4_PT[0]) < 1.5 and abs(h - A4_PT[1]) < 1.5
    [printed] = poppler_pages(out, tmp_path)
    [source] = poppler_pages(slip, tmp_path)
    assert printed.size == source.size
    assert darkness(printed) > 2  # not blank
    assert abs(darkness(printed) - darkness(source)) < 0.08 * darkness(source)
    # the ink sits where it was: band by band down the page (1:1, not shrunk nor shifted)
    w, h = source.size
    for top in range(0, h - h // 8 + 1, h // 8):
        box = (0, top, w, top + h // 8)
        a, b = darkness(printed.crop(box)), darkness(source.crop(box))
        assert abs(a - b) < 0.1 * max(a, b) + 0.3, (top, a, b)


def test_every_page_prints_in_order(qapp: QApplication, long_slip: bytes,
                                    tmp_path: Path) -> None:
    out = tmp_path / "long.pdf"
    outcome = paint_pdf(long_slip, to_pdf(tmp_path, "long.pdf"))
    assert outcome.ok and outcome.pages == 4
    assert len(pdf_sizes(out)) == 4
    printed, source = poppler_pages(out, tmp_path), poppler_pages(long_slip, tmp_path)
    for p, s in zip(printed, source, strict=True):
        assert abs(darkness(p) - darkness(s)) < 0.08 * darkness(s)


def test_the_page_size_comes_from_the_pdf_page(qapp: QApplication, tmp_path: Path) -> None:
    """A4 portrait, A5 landscape and the 80 mm receipt roll each keep their own paper."""
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4)
    canvas.setFont("Helvetica", 40)
    canvas.drawString(72, 700, "A4 page")
    canvas.showPage()
    canvas.setPageSize(landscape(A5))
    canvas.setFont("Helvetica", 40)
    canvas.drawString(72, 200, "A5 landscape")
    canvas.showPage()
    canvas.save()
    out = tmp_path / "mixed.pdf"
    assert paint_pdf(buf.getvalue(), to_pdf(tmp_path, "mixed.pdf")).ok
    (w1, h1), (w2, h2) = pdf_sizes(out)
    assert abs(w1 - A4[0]) < 1.5 and abs(h1 - A4[1]) < 1.5
    assert abs(w2 - A5[1]) < 1.5 and abs(h2 - A5[0]) < 1.5  # landscape: wide
    receipt = render_receipt(fx.sim_replacement())
    roll = page_sizes(receipt)[0]
    assert paint_pdf(receipt, to_pdf(tmp_path, "roll.pdf")).ok
    [(w, h)] = pdf_sizes(tmp_path / "roll.pdf")
    assert abs(w - roll.width_pt) < 1.5 and abs(h - roll.height_pt) < 1.5


def test_a_job_the_printer_does_not_take_is_not_printed(qapp: QApplication, slip: bytes,
                                                        tmp_path: Path) -> None:
    """`QPainter.begin` fails (here: the output cannot be opened): not printed, and said so."""
    printer = new_printer(PrintChoice("", 1, str(tmp_path / "no-such-dir" / "x.pdf")))
    outcome = paint_pdf(slip, printer)
    assert not outcome.ok and "无法开始打印" in outcome.zh


def test_printing_off_the_gui_thread(qapp: QApplication, long_slip: bytes, tmp_path: Path,
                                     no_thread_leak: None) -> None:
    """The job (render + paint) runs on a worker, as the window does it; no widget there."""
    results: list[a4_print.PrintOutcome] = []

    def job() -> None:
        results.append(paint_pdf(long_slip, to_pdf(tmp_path, "worker.pdf")))

    worker = threading.Thread(target=job, name="print-test")
    worker.start()
    worker.join(60)
    assert results and results[0].ok and results[0].pages == 4
    assert len(pdf_sizes(tmp_path / "worker.pdf")) == 4


# -- which printer -----------------------------------------------------------------------------

class _NoPrinters:
    """Stands in for QPrinterInfo on a machine with no printer installed."""

    @staticmethod
    def availablePrinterNames() -> list[str]:
        return []

    @staticmethod
    def defaultPrinter() -> QPrinterInfo:
        return QPrinterInfo()  # the null printer


def test_with_no_printer_the_clerk_is_told_what_to_do(qapp: QApplication, slip: bytes,
                                                      tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(a4_print, "QPrinterInfo", _NoPrinters)
    paper = tmp_path / "H1_slip.pdf"
    paper.write_bytes(slip)
    outcome = print_pdf(paper, None)
    assert not outcome.ok and outcome.zh == NO_PRINTER_ZH
    assert str(tmp_path) not in outcome.zh + outcome.en  # no file path dump
    named = print_pdf(paper, "HP LaserJet 1020")
    assert not named.ok and "HP LaserJet 1020" in named.zh and "找不到打印机" in named.zh
    # the print dialog is not even offered: there is nothing to choose
    assert a4_print.ask_choice(None, None) == a4_print.no_printer()  # type: ignore[arg-type]


def test_the_printer_is_remembered_per_paper_kind(qapp: QApplication,
                                                  ui_settings: UiSettings) -> None:
    ui_settings.a4_printer, ui_settings.thermal_printer = "Office A4", "XP-80C"
    routes = routes_from(ui_settings)
    assert routes.printer_for("slip") == "Office A4"
    assert routes.printer_for("receipt") == "XP-80C"
    assert routes.printer_for("report") == "Office A4"
    assert remember_printer("slip", "Counter 3 HP")
    assert remember_printer("report", "Back office")
    assert not remember_printer("not-a-kind", "X")
    routes = routes_from(ui_settings)
    assert routes.printer_for("slip") == "Counter 3 HP"
    assert routes.printer_for("report") == "Back office"
    assert routes.printer_for("bill-cover") == "Office A4"  # not remembered: the general one
    text = routes.config.path.read_text(encoding="utf-8")  # type: ignore[union-attr]
    assert "[a4_printer]" in text and "slip = Counter 3 HP" in text
    assert routes_from(None).printer_for("fault-ticket") == ""  # "": the system's default


def test_the_kind_of_a_paper_file() -> None:
    assert paper_kind(Path("H4401-C03-20261122-00042-7_slip.pdf")) == "slip"
    assert paper_kind(Path("H4401_C03_x_receipt_reprint2_voided.pdf")) == "receipt"
    assert paper_kind(Path("H1_complaint-ticket.pdf")) == "complaint-ticket"
    assert paper_kind(Path("H1_bill-cover_reprint1.pdf")) == "bill-cover"
    assert paper_kind(Path("daily-report-2026-11-22.pdf")) == "report"
