"""The end of a visit, with printers: one line per paper on the done page, and the papers
recorded as printed only once a printer took them.

The counter has an A4 printer ("Office A4", standing in through Qt's PDF output: what it
writes is what the printer would have been sent) and an ESC/POS receipt printer (the TCP
simulator). A visit with a fee is walked through the wizard as a clerk does it.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest
from sqlalchemy import select

from app.devices import config as device_config
from app.models import PrintedDocument
from app.ui.counter.window import CounterWindow
from app.ui.devices import a4_print, paper_set
from app.ui.devices.a4_print import PrintChoice
from app.ui.shell.context import AppContext
from app.ui.wizard.base import CUSTOMER, DETAILS, DOCUMENTS, DONE, PAYMENT, PRESENTER, SIGNATURE
from tests.devices.escpos_sim import TcpPrinter, decode, job_bytes

from .counter_driver import (
    WAIT_MS,
    adult_personal_active,
    click_next,
    ctx,
    draw_signature,
    pick_line,
    settle,
    wait_page,
    wait_verdict,
    window,
)
from .test_counter_gui import find_and_choose
from .ui_fixtures import no_thread_leak, op_runner, translators, ui_settings

__all__ = ["ctx", "no_thread_leak", "op_runner", "translators", "ui_settings", "window"]


@pytest.fixture
def office_a4(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The counter's one A4 printer; each job lands in `spool/jobN.pdf`."""
    spool = tmp_path / "spool"
    spool.mkdir()
    jobs = iter(range(1, 100))
    monkeypatch.setattr(a4_print, "available_printers", lambda: ["Office A4"])
    monkeypatch.setattr(a4_print.QPrinterInfo, "defaultPrinter",
                        staticmethod(lambda: a4_print.QPrinterInfo()))

    def printer(choice: PrintChoice) -> QPrinter:
        assert choice.printer_name == "Office A4"
        return a4_print.new_printer(PrintChoice("", 1, str(spool / f"job{next(jobs)}.pdf")))

    def paint(source: Path, printer: QPrinter, **kw: object) -> a4_print.PrintOutcome:
        done = a4_print.paint_pdf(source, printer, **kw)  # type: ignore[arg-type]
        assert done.ok
        return a4_print.sent_to_printer("Office A4", done.pages)  # as the printer answers

    monkeypatch.setattr(paper_set, "new_printer", printer)
    monkeypatch.setattr(paper_set, "paint_pdf", paint)
    return spool


def walk_to_done(qtbot, window: CounterWindow, ctx: AppContext):  # type: ignore[no-untyped-def]
    """A SIM replacement (10 yuan): its papers are the slip and a receipt."""
    pick = pick_line(ctx, adult_personal_active)
    find_and_choose(qtbot, window, pick.number)
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: window.wizard is not None and window.wizard.currentId() == CUSTOMER,
                    timeout=WAIT_MS)
    wizard = window.wizard
    click_next(qtbot, wizard, PRESENTER)
    QTest.keyClicks(wizard.pages[PRESENTER].id_field.number, pick.detail.id_number)
    click_next(qtbot, wizard, DOCUMENTS)
    click_next(qtbot, wizard, DETAILS)
    QTest.keyClicks(wizard.pages[DETAILS].editor("new_sim_serial").editor, "8986011234567890")
    click_next(qtbot, wizard)
    assert wait_verdict(qtbot, wizard).decision == "accepted"
    wait_page(qtbot, wizard, PAYMENT)
    QTest.keyClicks(wizard.pages[PAYMENT].form.tendered, "20")
    click_next(qtbot, wizard, SIGNATURE)
    draw_signature(wizard.pages[SIGNATURE].pad)
    click_next(qtbot, wizard, DONE)
    return wizard


def rows(ctx: AppContext, order_no: str) -> list[tuple[str, int]]:
    from app.models import ServiceOrder

    with ctx.db.read() as s:
        order_id = s.execute(select(ServiceOrder.id).where(ServiceOrder.order_no == order_no)
                             ).scalar_one()
        return sorted((r.kind, r.copy_no) for r in s.execute(
            select(PrintedDocument).where(PrintedDocument.order_id == order_id)).scalars())


def test_the_done_page_prints_each_paper_and_says_how_it_went(
        qtbot, window: CounterWindow, ctx: AppContext, office_a4: Path) -> None:
    with TcpPrinter() as receipt_printer:
        config = device_config.load()
        config.set("receipt_printer", "url", receipt_printer.url)
        device_config.save(config)
        wizard = walk_to_done(qtbot, window, ctx)
        done = wizard.pages[DONE]
        qtbot.waitUntil(done.reprint.isEnabled, timeout=WAIT_MS)
        settle(ctx)
        [stream] = receipt_printer.wait_closed(1)
    order_no = wizard.controller.result.order_no
    lines = done.print_status.text().splitlines()
    assert lines[0] == "业务受理单：已送打印机“Office A4”（1 页）"
    assert lines[1].startswith("收据：") and len(lines) == 2
    printout = decode(job_bytes(stream))  # the receipt, natively on the receipt printer
    assert printout.starts_with_init and printout.ends_with_cut
    assert any(order_no.encode() == data for _m, data in printout.barcodes) or \
        any(order_no.encode() in q for q in printout.qr_codes)
    assert len(PdfReader(io.BytesIO((office_a4 / "job1.pdf").read_bytes())).pages) == 1
    assert rows(ctx, order_no) == [("receipt", 0), ("slip", 0)]
    assert not done.print_button.isEnabled()  # all printed: another copy is a reprint
    # the receipt printer is gone now; a reprint: the slip prints, marked 补打 1
    config = device_config.load()
    config.set("receipt_printer", "url", "escpos+tcp://127.0.0.1:9")  # nothing listens
    device_config.save(config)
    done.reprint.click()
    qtbot.waitUntil(done.reprint.isEnabled, timeout=WAIT_MS)
    settle(ctx)
    lines = done.print_status.text().splitlines()
    assert lines[0].startswith("业务受理单：已送打印机") and "小票打印机" in lines[1]
    assert rows(ctx, order_no) == [("receipt", 0), ("slip", 0), ("slip", 1)]
    assert done.print_button.isEnabled()  # the reprinted receipt is still to print
