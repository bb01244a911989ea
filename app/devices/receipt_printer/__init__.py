"""The thermal receipt printer over ESC/POS (python-escpos): network, serial and USB.

    from app.devices.receipt_printer import print_paper
    result = print_paper(paper, "receipt", config)   # in a worker thread: a few seconds at most

`render_escpos` makes the job (58 or 80 mm, Chinese in GB18030, CODE128 or QR order number,
cut); `print_paper` checks the printer's status, sends it, retries once and moves to the
fallback printer; `probe.check` is the device test. Qt-free.
"""

from __future__ import annotations

from .errors import PrinterUrlError, PrintResult, ReceiptPrinterError
from .job import PrinterSettings, print_paper, send_job
from .layout import PaperKind, thermal_kinds
from .link import Timeouts
from .render import render_escpos
from .urls import PrinterUrl, is_escpos_url, parse_url

__all__ = [
    "PaperKind",
    "PrintResult",
    "PrinterSettings",
    "PrinterUrl",
    "PrinterUrlError",
    "ReceiptPrinterError",
    "Timeouts",
    "is_escpos_url",
    "parse_url",
    "print_paper",
    "render_escpos",
    "send_job",
    "thermal_kinds",
]
