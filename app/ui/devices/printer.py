"""Sending the papers' PDF files to the printers chosen in the settings.

The printer is looked up with QtPrintSupport (`QPrinterInfo`); a printer that is not set or
not found gives a clear message and the PDF stays where it was written. The PDF itself goes to
the system's spooler (CUPS `lp`, or the Windows shell's "printto"), which prints PDF natively:
this build of Qt has no PDF renderer to draw the pages through a `QPainter`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtPrintSupport import QPrinterInfo

from app.ui.settings.store import UiSettings

THERMAL_KINDS = ("receipt", "fault-ticket", "complaint-ticket")


def printer_names() -> list[str]:
    return list(QPrinterInfo.availablePrinterNames())


def printer_for(path: Path, settings: UiSettings) -> str:
    """The A4 printer for slips and covers; the receipt printer (or else A4) for receipts."""
    kind = path.stem.split("_")[1] if "_" in path.stem else ""
    if kind in THERMAL_KINDS and settings.thermal_printer:
        return settings.thermal_printer
    return settings.a4_printer


def send_pdf(path: Path, printer: str) -> None:
    """Queue one PDF on a printer; raises OSError with a readable message when it can't."""
    if os.name == "nt":
        os.startfile(str(path), "printto", f'"{printer}"')  # type: ignore[attr-defined]
        return
    lp = shutil.which("lp")
    if lp is None:
        raise OSError(QCoreApplication.translate("Printing",
                                                 "The print spooler (lp) is not installed."))
    done = subprocess.run([lp, "-d", printer, str(path)], capture_output=True, text=True,
                          timeout=30, check=False)
    if done.returncode != 0:
        raise OSError(done.stderr.strip() or done.stdout.strip() or "lp failed")


def print_papers(paths: list[Path], settings: UiSettings) -> str:
    """Print every paper; returns one sentence for the clerk saying what happened."""
    if not paths:
        return QCoreApplication.translate("Printing", "Nothing to print.")
    available = set(printer_names())
    sent, problems = [], []
    for path in paths:
        printer = printer_for(path, settings)
        if not printer:
            problems.append(QCoreApplication.translate(
                "Printing", "No printer is set for {file} (see Settings). The PDF is kept: {path}"
            ).format(file=path.name, path=path))
            continue
        if printer not in available:
            problems.append(QCoreApplication.translate(
                "Printing", "Printer {printer} was not found. The PDF is kept: {path}"
            ).format(printer=printer, path=path))
            continue
        try:
            send_pdf(path, printer)
        except (OSError, subprocess.SubprocessError) as exc:
            problems.append(QCoreApplication.translate(
                "Printing", "Printing {file} failed ({error}). The PDF is kept: {path}"
            ).format(file=path.name, error=exc, path=path))
        else:
            sent.append(path.name)
    if problems:
        return "\n".join(problems)
    sent_text = QCoreApplication.translate("Printing", "Sent to the printer: {files}")
    return sent_text.format(files=", ".join(sent))
