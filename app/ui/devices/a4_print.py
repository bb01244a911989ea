"""Printing a paper's PDF through Qt: PDFium draws each page, `QPrinter` takes the pictures.

No outside PDF program is involved (Windows has none by default; `lp` needs CUPS's PDF filter),
so the same path works on every system Qt prints on. Each page is rendered at the printer's
resolution, capped at `DPI_CAP` (300 dpi is what office lasers resolve; more only grows the
spool file), and painted 1:1 onto a page of the PDF page's own size (A4, A5, the 80 mm roll):
the printer gets the paper size of the page, a full-page layout (the PDFs carry their own
margins) and, should it refuse that size, the picture is fitted to what it has, keeping the
aspect ratio.

A job counts as printed only when `QPainter.begin` succeeded and `QPainter.end` returned true
(the spooler accepted the job). `QPrinter` and `QPainter` on a printer may be used off the GUI
thread; the print dialog (`choose_printer`) may not.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QWidget

from app.ui.devices.pdf_pages import OpenPdf, PageSize, PdfSource, PdfUnreadable

__all__ = [
    "DPI_CAP",
    "PrintChoice",
    "PrintOutcome",
    "ask_choice",
    "available_printers",
    "cancelled",
    "choose_printer",
    "new_printer",
    "no_printer",
    "paint_pdf",
    "print_pdf",
    "resolve_printer",
    "sent_to_printer",
]

logger = logging.getLogger(__name__)

DPI_CAP = 300


@dataclass(frozen=True)
class PrintOutcome:
    """What became of one print job: `ok` only when the printer (or file) accepted it.

    `on_paper` is False for a job written to a PDF file instead of a printer (not a printed
    paper). `zh` / `en` is one sentence for the clerk.
    """

    ok: bool
    zh: str
    en: str
    printer: str = ""
    pages: int = 0
    on_paper: bool = True

    def sentence(self, lang: str = "zh") -> str:
        return self.en if lang.startswith("en") else self.zh


@dataclass(frozen=True)
class PrintChoice:
    """What the clerk picked in the print dialog (plain data: it may travel to a worker)."""

    printer_name: str
    copies: int = 1
    output_file: str = ""  # "Print to file (PDF)" in the dialog


def no_printer() -> PrintOutcome:
    return PrintOutcome(
        False,
        "没有可用的打印机：请在“设置 → 设备”中选择打印机，或使用“另存为 PDF”。",
        "No printer is available: choose one in Settings → Devices, or use “Save as PDF”.")


def _not_found(name: str) -> PrintOutcome:
    return PrintOutcome(
        False,
        f"找不到打印机“{name}”：请确认打印机已开启并已安装，或在“设置 → 设备”中另选一台。",
        f"Printer “{name}” was not found: check that it is on and installed, or choose "
        "another in Settings → Devices.", name)


def available_printers() -> list[str]:
    return list(QPrinterInfo.availablePrinterNames())


def resolve_printer(name: str | None) -> str | PrintOutcome:
    """The printer to use: `name` if Qt knows it; with no name, the system's default printer
    (or the only one there is). Otherwise the sentence saying why there is none."""
    names = available_printers()
    if name:
        return name if name in names else _not_found(name)
    default = QPrinterInfo.defaultPrinter()
    if not default.isNull() and default.printerName() in names:
        return default.printerName()
    if len(names) == 1:
        return names[0]
    return no_printer()


def new_printer(choice: PrintChoice) -> QPrinter:
    """A `QPrinter` for the choice (a PDF file when `output_file` is set)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if choice.output_file:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(choice.output_file)
    else:
        printer.setPrinterName(choice.printer_name)
    printer.setCopyCount(max(1, choice.copies))
    return printer


def _layout_for(size: PageSize) -> QPageLayout:
    """The PDF page's own paper (A4 / A5 recognised as such, else a custom size), no margins."""
    short, long = sorted((size.width_pt, size.height_pt))
    page_size = QPageSize(QSizeF(short, long), QPageSize.Unit.Point, "",
                          QPageSize.SizeMatchPolicy.FuzzyMatch)
    orientation = (QPageLayout.Orientation.Landscape if size.landscape
                   else QPageLayout.Orientation.Portrait)
    layout = QPageLayout(page_size, orientation, QMarginsF(0, 0, 0, 0))
    layout.setMode(QPageLayout.Mode.FullPageMode)
    return layout


def _fit(image_w: float, image_h: float, target: QRectF) -> QRectF:
    """The largest rectangle of the image's aspect ratio inside `target`, centred across and
    at the top (a page that does not fit keeps its header where the paper starts)."""
    scale = min(target.width() / image_w, target.height() / image_h)
    w, h = image_w * scale, image_h * scale
    return QRectF(target.left() + (target.width() - w) / 2, target.top(), w, h)


def _describe(printer: QPrinter) -> str:
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
        return Path(printer.outputFileName()).name
    return printer.printerName()


def paint_pdf(source: PdfSource, printer: QPrinter, *, dpi_cap: int = DPI_CAP,
              doc_name: str = "") -> PrintOutcome:
    """Print every page of the PDF on `printer` (any thread that owns the printer)."""
    who = _describe(printer)
    to_file = printer.outputFormat() == QPrinter.OutputFormat.PdfFormat
    if doc_name:
        printer.setDocName(doc_name)
    printer.setFullPage(True)
    painter = QPainter()
    try:
        with OpenPdf(source) as pdf:
            count = len(pdf)
            if count == 0:
                return PrintOutcome(False, "单据文件没有页面，未打印。",
                                    "The paper's file has no pages; nothing was printed.", who)
            printer.setPageLayout(_layout_for(pdf.size(0)))
            if not painter.begin(printer):
                return PrintOutcome(
                    False, f"打印机“{who}”无法开始打印：请检查打印机是否开启、是否缺纸。",
                    f"Printer “{who}” could not start the job: check that it is on and has "
                    "paper.", who)
            complete = True
            for index in range(count):
                if index:
                    # a later page of another size: the layout must change before newPage()
                    printer.setPageLayout(_layout_for(pdf.size(index)))
                    if not printer.newPage():
                        complete = False
                        printer.abort()  # half a paper is not a printed paper
                        break
                dpi = min(printer.resolution(), dpi_cap)
                image = pdf.render(index, dpi)
                target = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
                target.moveTo(0, 0)
                painter.drawImage(_fit(image.width(), image.height(), target), image)
    except PdfUnreadable as exc:
        if painter.isActive():
            painter.end()
        return PrintOutcome(False, exc.zh + "，未打印。", exc.en + "; nothing was printed.", who)
    accepted = painter.end() and printer.printerState() != QPrinter.PrinterState.Error
    accepted = accepted and complete
    if not accepted:
        logger.warning("The printer did not accept a job (%s pages)", count)
        return PrintOutcome(
            False, f"打印机“{who}”没有接受打印任务：请检查打印机后重试。",
            f"Printer “{who}” did not accept the job: check the printer and try again.", who)
    if to_file:
        return PrintOutcome(True, f"已另存为 PDF：{who}（{count} 页）",
                            f"Saved as PDF: {who} ({count} pages)", who, count, on_paper=False)
    return sent_to_printer(who, count)


def sent_to_printer(printer: str, pages: int) -> PrintOutcome:
    """The outcome of a job the printer accepted."""
    return PrintOutcome(True, f"已送打印机“{printer}”（{pages} 页）",
                        f"Sent to printer “{printer}” ({pages} pages)", printer, pages)


def print_pdf(source: PdfSource, printer_name: str | None, *,
              dialog_parent: QWidget | None = None, copies: int = 1,
              doc_name: str = "") -> PrintOutcome:
    """Print a PDF to a named printer (None: the system default), silently; or, with a
    `dialog_parent`, after the clerk confirmed the print dialog (GUI thread only then).

    A cancelled dialog is an outcome too (not ok, says so)."""
    if dialog_parent is not None:
        asked = ask_choice(dialog_parent, printer_name, copies)
        if isinstance(asked, PrintOutcome):
            return asked
        choice = asked
    else:
        resolved = resolve_printer(printer_name)
        if isinstance(resolved, PrintOutcome):
            return resolved
        choice = PrintChoice(resolved, copies)
    return paint_pdf(source, new_printer(choice), doc_name=doc_name)


def cancelled() -> PrintOutcome:
    return PrintOutcome(False, "已取消打印。", "Printing was cancelled.")


def choose_printer(parent: QWidget, preset: str | None, copies: int = 1,
                   title: str = "") -> PrintChoice | None:
    """The print dialog, opened on the remembered printer; None when the clerk cancels.

    With no printer installed, Qt's dialog would offer only "print to file": the caller says
    `no_printer()` instead of opening it when `available_printers()` is empty."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if preset and preset in available_printers():
        printer.setPrinterName(preset)
    printer.setCopyCount(copies)
    dialog = QPrintDialog(printer, parent)
    dialog.setObjectName("printDialog")
    if title:
        dialog.setWindowTitle(title)
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintSelection, False)
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, False)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return None
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
        return PrintChoice("", printer.copyCount(), printer.outputFileName())
    return PrintChoice(printer.printerName(), printer.copyCount())


def ask_choice(parent: QWidget, preset: str | None, copies: int = 1,
               title: str = "") -> PrintChoice | PrintOutcome:
    """The print dialog when there is a printer to choose; otherwise (or when cancelled) the
    outcome to tell the clerk. GUI thread. Callers use it through this module so that tests
    can stand in for the modal dialog."""
    if not available_printers():
        return no_printer()
    choice = choose_printer(parent, preset, copies, title)
    return cancelled() if choice is None else choice
