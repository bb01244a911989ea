"""Printing one paper: settings, status check, one retry, the fallback printer.

    1. The job is rendered whole before any connection (a layout error prints nothing).
    2. Connect, send ESC @ (prints nothing; resets whatever an earlier job left half-set)
       and ask the status (DLE EOT 1, 2, 4). Paper out, cover open, an error or offline:
       nothing of the job is sent; the clerk's line says which. Paper near its end: printed,
       and the result says to change the roll.
       No answer within the timeout: with `status = optional` (the default, because cheap
       printers and some serial/USB adapters never answer) the job is sent anyway and the
       result says the status was unknown; with `status = required` that is a fault.
    3. The job goes in one write; a network connection is then half-closed and we wait
       (`Timeouts.drain`) for the printer to close its side, so that our close cannot reset
       the connection while the end of the job is still on its way.
    4. A connection that fails before anything was sent (refused, timed out, dropped) is tried
       once more after a short pause. A status fault is not retried (paper does not come back
       by itself within a second) and a failure half-way through the job is not retried on
       the same printer (it would print the start twice).
    5. Then the job moves to `fallback_url` if one is set, and the result says so; otherwise
       `ReceiptPrinterError` with the one line for the clerk.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import NoReturn

from app.devices.config import DeviceConfig, DeviceConfigError
from app.printing.paper import OrderPaper

from .errors import PrinterUrlError, PrintResult, ReceiptPrinterError
from .layout import COLUMNS
from .link import LinkError, Timeouts, open_link, read_status
from .render import BARCODES, render_escpos
from .urls import PrinterUrl, parse_url

__all__ = ["PrinterSettings", "print_paper", "send_job"]

logger = logging.getLogger(__name__)
SECTION = "receipt_printer"
STATUS_MODES = ("optional", "required")


@dataclass(frozen=True)
class PrinterSettings:
    url: PrinterUrl
    fallback: PrinterUrl | None = None
    width_mm: int = 80
    barcode: str = "code128"
    status_required: bool = False

    @classmethod
    def from_config(cls, config: DeviceConfig, url: str | None = None) -> PrinterSettings:
        """The `[receipt_printer]` section (`url` overrides its url); `PrinterUrlError` names a
        wrong value, and an empty url says that no receipt printer is set."""
        text = (url if url is not None else config.get(SECTION, "url")).strip()
        if not text:
            raise PrinterUrlError("未设置小票打印机（设备设置 [receipt_printer] url）。",
                                  "No receipt printer is set ([receipt_printer] url).")
        fallback = config.get(SECTION, "fallback_url")
        try:
            width = config.get_int(SECTION, "width_mm", 80)
        except DeviceConfigError as exc:
            raise PrinterUrlError(exc.zh, exc.en) from None
        barcode = config.get(SECTION, "barcode", "code128").lower() or "code128"
        status = config.get(SECTION, "status", "optional").lower() or "optional"
        for key, value, allowed in (("width_mm", width, tuple(COLUMNS)),
                                    ("barcode", barcode, BARCODES),
                                    ("status", status, STATUS_MODES)):
            if value not in allowed:
                names = " | ".join(map(str, allowed))
                err = DeviceConfigError(SECTION, key, f"应为 {names}，现为“{value}”",
                                        f"must be {names}, not {value!r}")
                raise PrinterUrlError(err.zh, err.en)
        return cls(parse_url(text), parse_url(fallback) if fallback else None, width,
                   barcode, status == "required")


def _try_once(url: PrinterUrl, job: bytes, status_required: bool, t: Timeouts
              ) -> list[tuple[str, str]]:
    """Print `job` on `url`; the notes for the clerk, or `LinkError`/`ReceiptPrinterError`."""
    link = open_link(url, t)
    sent = False
    try:
        link.greet()
        status = read_status(link)
        notes: list[tuple[str, str]] = []
        if not status.answered:
            if status_required:
                raise LinkError(
                    f"小票打印机（{url.where}）未回应状态查询：请检查打印机是否开机。",
                    f"The receipt printer ({url.where}) did not answer the status query: "
                    "check that it is switched on.", retry=True)
            notes.append(("打印机未回应状态查询，已直接发送。",
                          "The printer did not report its status; the job was sent anyway."))
        fault = status.fault(url.where)
        if fault:
            raise ReceiptPrinterError(*fault)
        warning = status.warning()
        if warning:
            notes.append(warning)
        link.send(job)
        sent = True
        return notes
    finally:
        link.close(sent)


def send_job(job: bytes, settings: PrinterSettings, t: Timeouts | None = None) -> PrintResult:
    """Send a rendered job: status check, one retry, then the fallback printer."""
    t = t or Timeouts()
    targets = [settings.url] + ([settings.fallback] if settings.fallback else [])
    attempts = 0
    failures: list[ReceiptPrinterError] = []
    for target in targets:
        for attempt in (1, 2):
            attempts += 1
            try:
                notes = _try_once(target, job, settings.status_required, t)
            except ReceiptPrinterError as exc:
                logger.info("Receipt printer %s: attempt %d failed: %s", target.where,
                            attempts, exc.en)
                if attempt == 1 and isinstance(exc, LinkError) and exc.retry:
                    time.sleep(t.retry_pause)
                    continue
                failures.append(exc)
                break
            return _result(target, attempts, failures, notes)
    _raise(failures)


def _result(target: PrinterUrl, attempts: int, failures: list[ReceiptPrinterError],
            notes: list[tuple[str, str]]) -> PrintResult:
    zh = f"已在小票打印机（{target.where}）打印。"
    en = f"Printed on the receipt printer ({target.where})."
    if failures:
        zh = f"{failures[0].zh}已改用备用小票打印机（{target.where}）打印。"
        en = f"{failures[0].en} Moved to the fallback receipt printer ({target.where})."
    zh += "".join(n[0] for n in notes)
    en += "".join(" " + n[1] for n in notes)
    return PrintResult(target.text, attempts, bool(failures), zh, en)


def _raise(failures: list[ReceiptPrinterError]) -> NoReturn:
    first = failures[0]
    if len(failures) == 1:
        raise ReceiptPrinterError(first.zh, first.en)
    raise ReceiptPrinterError(f"{first.zh}备用打印机也无法打印：{failures[1].zh}",
                              f"{first.en} The fallback printer failed too: {failures[1].en}")


def print_paper(paper: OrderPaper, kind: str, config: DeviceConfig, *, url: str | None = None,
                timeouts: Timeouts | None = None) -> PrintResult:
    """Print one paper (`kind`: "receipt", "fault-ticket", "complaint-ticket") on the
    workstation's receipt printer, or on `url` (an escpos+… URL) instead of its `url`.

    Blocks for a few seconds at most per printer tried: call it from a worker thread."""
    settings = PrinterSettings.from_config(config, url)
    job = render_escpos(paper, kind, width_mm=settings.width_mm, barcode=settings.barcode)
    return send_job(job, settings, timeouts)
