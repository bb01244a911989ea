"""The window's print path: each paper to its printer, one outcome line each, and a paper
recorded as printed only when a printer accepted it.

Printers here: Qt's PDF output stands in for an A4 printer (what it writes is what a printer
would have been sent); the ESC/POS receipt printer is the TCP simulator of
tests/devices/escpos_sim.py on 127.0.0.1, or `print_paper` stood in for where a fault is the
point.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from sqlalchemy import select

from app.core.request import parse_request
from app.devices import config as device_config
from app.models import AuditEvent, PrintedDocument
from app.printing import render_receipt, render_slip
from app.services.hall.registry import batch_actor
from app.services.orders.papers import PreparedPapers
from app.services.orders.service import OrderService, Submission
from app.ui.devices import a4_print, paper_set
from app.ui.devices.a4_print import PrintChoice
from app.ui.devices.order_print import PrintRun, print_prepared, start_order_print
from app.ui.devices.paper_set import print_paper_set
from app.ui.devices.printer import PrintRoutes, routes_from
from app.ui.kit.op_runner import OpRunner
from app.ui.settings.store import UiSettings
from tests import printing_fixtures as fx
from tests.builders import personal
from tests.devices.escpos_sim import TcpPrinter, closed_port, decode, job_bytes

from .ui_fixtures import no_thread_leak, op_runner, ui_settings

__all__ = ["no_thread_leak", "op_runner", "ui_settings"]


def pages(path: Path) -> int:
    return len(PdfReader(io.BytesIO(path.read_bytes())).pages)


def papers_of(tmp_path: Path) -> tuple[Path, Path]:
    paper = fx.sim_replacement()
    slip, receipt = tmp_path / "H1_slip.pdf", tmp_path / "H1_receipt.pdf"
    slip.write_bytes(render_slip(paper))
    receipt.write_bytes(render_receipt(paper))
    return slip, receipt


def set_receipt_printer(url: str) -> PrintRoutes:
    config = device_config.load()
    config.set("receipt_printer", "url", url)
    device_config.save(config)
    return routes_from(None)


@pytest.fixture
def pdf_printers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every A4 printer is "Office A4", which writes PDF files into a folder (one per job)."""
    out = tmp_path / "spool"
    out.mkdir()
    count = iter(range(1, 1000))
    monkeypatch.setattr(paper_set, "resolve_printer", lambda name: name or "Office A4")

    def printer(choice: PrintChoice) -> QPrinter:
        return a4_print.new_printer(PrintChoice("", 1, str(out / f"job{next(count)}.pdf")))

    def paint(source: Path, printer: QPrinter, **kw: object) -> a4_print.PrintOutcome:
        outcome = a4_print.paint_pdf(source, printer, **kw)  # type: ignore[arg-type]
        return a4_print.sent_to_printer("Office A4", outcome.pages) if outcome.ok else outcome

    monkeypatch.setattr(paper_set, "new_printer", printer)
    monkeypatch.setattr(paper_set, "paint_pdf", paint)
    return out


# -- routing -----------------------------------------------------------------------------------

def test_the_receipt_goes_to_the_escpos_printer_and_the_slip_through_qt(
        qapp, tmp_path: Path, ui_settings: UiSettings, no_thread_leak: None) -> None:
    slip, receipt = papers_of(tmp_path)
    with TcpPrinter() as printer:
        routes = set_receipt_printer(printer.url)
        outcomes = print_paper_set([slip, receipt], routes, paper=fx.sim_replacement(), choices={
            "slip": PrintChoice("", 1, str(tmp_path / "slip-out.pdf"))})
        [stream] = printer.wait_closed(1)
    by_kind = {o.kind: o for o in outcomes}
    assert by_kind["receipt"].ok and by_kind["receipt"].printed
    assert by_kind["receipt"].printer == printer.url
    job = job_bytes(stream)
    printout = decode(job)
    assert printout.starts_with_init and printout.ends_with_cut
    assert fx.sim_replacement().hall_name in printout.text  # GB18030, read back
    assert by_kind["slip"].ok and pages(tmp_path / "slip-out.pdf") == 1
    assert not by_kind["slip"].printed  # a PDF file on request is not a printed paper
    assert by_kind["receipt"].line("zh").startswith("收据：")
    assert by_kind["slip"].line("en").startswith("Acceptance slip: ")


def test_a_receipt_printer_fault_is_that_papers_line_only(qapp, tmp_path: Path,
                                                          ui_settings: UiSettings,
                                                          pdf_printers: Path) -> None:
    slip, receipt = papers_of(tmp_path)
    routes = set_receipt_printer(f"escpos+tcp://127.0.0.1:{closed_port()}")
    outcomes = print_paper_set([slip, receipt], routes, paper=fx.sim_replacement())
    slip_outcome, receipt_outcome = outcomes
    assert slip_outcome.printed and slip_outcome.printer == "Office A4"
    assert pages(pdf_printers / "job1.pdf") == 1
    assert not receipt_outcome.ok and "小票打印机" in receipt_outcome.zh
    assert "\n" not in receipt_outcome.zh  # one line


def test_a_receipt_without_a_receipt_printer_goes_to_the_a4_printer(
        qapp, tmp_path: Path, ui_settings: UiSettings, pdf_printers: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import app.devices.receipt_printer as escpos

    def never(*_a: object, **_k: object) -> None:
        raise AssertionError("no receipt printer is set")

    monkeypatch.setattr(escpos, "print_paper", never)
    calls: list[str] = []
    monkeypatch.setattr(paper_set, "resolve_printer", lambda name: calls.append(name) or name)
    _slip, receipt = papers_of(tmp_path)
    ui_settings.thermal_printer = "XP-80C (driver)"
    [outcome] = print_paper_set([receipt], routes_from(ui_settings), paper=fx.sim_replacement())
    assert outcome.printed
    assert calls == ["XP-80C (driver)"]  # the general settings' receipt printer
    [(w, _h)] = [(float(p.mediabox.width), float(p.mediabox.height))
                 for p in PdfReader(io.BytesIO((pdf_printers / "job1.pdf").read_bytes())).pages]
    assert abs(w - 226.77) < 1.5  # the 80 mm roll, as the PDF receipt is


def test_the_escpos_driver_is_called_with_the_order_paper(qapp, tmp_path: Path,
                                                          ui_settings: UiSettings,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    import app.devices.receipt_printer as escpos

    calls: list[tuple[object, str]] = []

    def fake(paper: object, kind: str, config: object, *, url: str | None = None
             ) -> escpos.PrintResult:
        calls.append((paper, kind))
        if kind == "complaint-ticket":
            raise escpos.ReceiptPrinterError("小票打印机缺纸：请装纸后重试。",
                                              "The receipt printer is out of paper.")
        return escpos.PrintResult("escpos+tcp://10.0.0.5:9100", 2, True, "已改在备用打印机打印",
                                  "Printed on the fallback printer")

    monkeypatch.setattr(escpos, "print_paper", fake)
    routes = set_receipt_printer("escpos+tcp://10.0.0.5:9100")
    paper = fx.complaint()
    receipt, ticket = tmp_path / "C1_receipt.pdf", tmp_path / "C1_complaint-ticket.pdf"
    receipt.write_bytes(b"%PDF")  # not read: the ESC/POS job is made from the paper's data
    ticket.write_bytes(b"%PDF")
    first, second = print_paper_set([receipt, ticket], routes, paper=paper)
    assert calls == [(paper, "receipt"), (paper, "complaint-ticket")]
    assert first.printed and first.zh == "已改在备用打印机打印"
    assert not second.ok and second.line("zh") == "投诉受理单：小票打印机缺纸：请装纸后重试。"


# -- recorded only when printed ----------------------------------------------------------------

def run_print(qtbot, start) -> PrintRun:  # type: ignore[no-untyped-def]
    runs: list[PrintRun] = []
    failures: list[object] = []
    start(done=runs.append, failed=failures.append)
    qtbot.waitUntil(lambda: bool(runs or failures), timeout=30_000)
    assert not failures, failures
    return runs[0]


def printed_rows(db) -> list[PrintedDocument]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return list(s.execute(select(PrintedDocument).order_by(PrintedDocument.id)).scalars())


def test_only_papers_a_printer_accepted_are_recorded(
        no_thread_leak: None, qtbot, order_service: OrderService, op_runner: OpRunner,
        ui_settings: UiSettings, pdf_printers: Path, tmp_path: Path) -> None:
    db = order_service.db
    actor = batch_actor(db)
    result = order_service.submit(Submission(parse_request(personal(
        "complaint", details={"subject": "账单", "description": "未订购的增值业务"}))), actor)
    assert result.order_id is not None, result.evaluation
    out = tmp_path / "papers"
    # the complaint ticket's receipt printer refuses the connection: only the slip is printed
    routes = set_receipt_printer(f"escpos+tcp://127.0.0.1:{closed_port()}")
    first = run_print(qtbot, lambda **cb: start_order_print(
        op_runner, db, actor, result.order_id, out, routes, **cb))
    kinds = {o.kind: o for o in first.outcomes}
    assert set(kinds) == {"slip", "complaint-ticket"}
    assert kinds["slip"].printed and not kinds["complaint-ticket"].ok
    assert all(p.exists() for p in first.prepared.paths)  # both PDFs are kept
    assert [(r.kind, r.copy_no) for r in printed_rows(db)] == [("slip", 0)]
    # the printer is back: the ticket is printed (its first print, not a reprint)
    with TcpPrinter() as printer:
        routes = set_receipt_printer(printer.url)
        again = run_print(qtbot, lambda **cb: print_prepared(
            op_runner, db, actor, first.prepared, [kinds["complaint-ticket"].path], routes, **cb))
        printer.wait_closed(1)
    assert [o.printed for o in again.outcomes] == [True]
    assert sorted((r.kind, r.copy_no) for r in printed_rows(db)) == [
        ("complaint-ticket", 0), ("slip", 0)]
    with db.read() as s:
        events = s.execute(select(AuditEvent).where(AuditEvent.action == "order.print")
                           ).scalars().all()
    assert [len(e.data["files"]) for e in events] == [1, 1]
    # a reprint after that is marked 补打 1
    reprint = run_print(qtbot, lambda **cb: start_order_print(
        op_runner, db, actor, result.order_id, out, set_receipt_printer(""), reprint=True, **cb))
    assert reprint.prepared.copy_no == 1 and reprint.prepared.paper.reprint_count == 1
    assert all(o.printed for o in reprint.outcomes)  # no ESC/POS now: both through Qt
    assert sorted(r.copy_no for r in printed_rows(db)) == [0, 0, 1, 1]


def test_with_no_printer_nothing_is_recorded_and_a_reprint_is_a_first_print(
        qtbot, order_service: OrderService, op_runner: OpRunner, ui_settings: UiSettings,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from .test_a4_print import _NoPrinters

    monkeypatch.setattr(a4_print, "QPrinterInfo", _NoPrinters)
    db = order_service.db
    actor = batch_actor(db)
    result = order_service.submit(Submission(parse_request(personal(
        "complaint", details={"subject": "账单", "description": "未订购的增值业务"}))), actor)
    assert result.order_id is not None
    routes = routes_from(ui_settings)
    run = run_print(qtbot, lambda **cb: start_order_print(
        op_runner, db, actor, result.order_id, tmp_path, routes, **cb))
    assert [o.ok for o in run.outcomes] == [False, False]
    assert all("没有可用的打印机" in o.zh for o in run.outcomes)
    assert printed_rows(db) == []
    again = run_print(qtbot, lambda **cb: start_order_print(
        op_runner, db, actor, result.order_id, tmp_path, routes, reprint=True, **cb))
    assert isinstance(again.prepared, PreparedPapers) and again.prepared.copy_no == 0
