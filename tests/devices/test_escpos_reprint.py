"""`counter reprint ORDER_NO --printer escpos+tcp://127.0.0.1:PORT` against the printer
simulator: the issue's done-means (ESC @ first, the hall name in GB18030, the order number as a
GS k or GS ( k code, a cut last), the amounts, the 补打 mark, what is recorded, and the exits
for a fault (1) and a wrong URL (2)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.core.request import parse_request
from app.db import Database
from app.models import AuditEvent, Hall, PrintedDocument
from app.services.hall.registry import batch_actor
from app.services.orders.service import OrderService, PaymentIn, Submission
from tests.builders import personal
from tests.devices.escpos_sim import PAPER_OUT, TcpPrinter, closed_port, decode

TIMEOUT = 120


@pytest.fixture
def order_no(order_service: OrderService, tmp_path: Path) -> str:
    """A SIM replacement (10.00 due, 20.00 tendered in cash, 10.00 change) whose papers were
    printed once, so that printing again is 补打 1."""
    from app.services.orders.papers import print_order

    req = parse_request(personal("sim_replacement"))
    actor = batch_actor(order_service.db)
    res = order_service.submit(Submission(req, payments=[PaymentIn("cash", 1000, 2000)]), actor)
    assert res.order_no and res.order_id
    print_order(order_service.db, res.order_id, tmp_path / "first", actor)
    return res.order_no


@pytest.fixture(autouse=True)
def own_settings(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                 ) -> Iterator[None]:
    """No devices.ini of the machine's user, temporary folders inside the test's (set after
    `db`: a PostgreSQL server started for the session must not get its folder here)."""
    monkeypatch.setenv("COUNTER_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    before = set(threading.enumerate())
    yield
    assert not [t for t in threading.enumerate() if t not in before and t.is_alive()]


def printed(db: Database) -> list[tuple[str, int]]:
    """The reprints recorded (kind, copy); the first print (copy 0) is the fixture's."""
    with db.read() as s:
        rows = s.execute(select(PrintedDocument.kind, PrintedDocument.copy_no)
                         .where(PrintedDocument.copy_no > 0).order_by(PrintedDocument.id)).all()
    return [(kind, copy) for kind, copy in rows]


def hall_name(db: Database) -> str:
    with db.read() as s:
        return s.execute(select(Hall.name)).scalar_one()


def test_done_means_through_a_real_process(db: Database, db_url: str, order_no: str,
                                           tmp_path: Path) -> None:
    with TcpPrinter() as printer:
        proc = subprocess.run(
            [sys.executable, "-m", "app", "reprint", order_no, "--printer", printer.url,
             "--db", db_url], capture_output=True, text=True, timeout=TIMEOUT,
            env=os.environ.copy())
        assert proc.returncode == 0, proc.stderr
        [stream] = printer.wait_closed(1)
    assert not proc.stderr
    assert stream.startswith(b"\x1b@")  # ESC @
    assert hall_name(db).encode("gb18030") in stream
    code = order_no.encode()
    assert (b"\x1dk" in stream and code in stream) or b"\x1d(k" in stream  # GS k or GS ( k
    out = decode(stream)
    assert code in [data.removeprefix(b"{B") for _, data in out.barcodes] + out.qr_codes
    assert out.starts_with_init and out.ends_with_cut and out.cuts == 1
    assert stream.endswith(b"\x1dV\x00")  # GS V: the cut is the last thing sent
    text = out.text
    # As the PDF receipt shows them: 收款 what was handed over (20.00), 实收 what was due,
    # the rest is change (issue 12, defect 8: 收款 read 10.00 and the 20 tendered were lost).
    for label, amount in [("应收合计", "10.00"), ("收款：现金", "20.00"), ("实收合计", "10.00"),
                          ("找零", "10.00")]:
        [line] = [x for x in text.splitlines() if x.startswith(label)]
        assert line.endswith(amount), line
    assert "【补打（第1次）】" in text
    # The slip cannot go to a thermal printer: it is a PDF, and the command says where.
    [slip_line] = [x for x in proc.stdout.splitlines() if x.startswith("业务受理单")]
    slip = Path(slip_line.split("PDF：", 1)[1])
    assert slip.is_file() and slip.read_bytes().startswith(b"%PDF")
    assert slip.is_relative_to(tmp_path) and slip.name.endswith("_slip_reprint1.pdf")
    assert f"业务凭证（收据）：已在小票打印机（127.0.0.1:{printer.port}）打印。" in proc.stdout
    assert sorted(printed(db)) == [("receipt", 1), ("slip", 1)]
    with db.read() as s:
        event = s.execute(select(AuditEvent).where(AuditEvent.action == "order.reprint")
                          ).scalar_one()
    assert event.target == order_no and event.data["copy"] == 1


def in_process(*args: str) -> int:
    from app.cli import main

    return main(["reprint", *args])


def test_58_mm_and_qr_flags(db: Database, db_url: str, order_no: str,
                            capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with TcpPrinter() as printer:
        assert in_process(order_no, "--printer", printer.url, "--db", db_url, "--width", "58",
                          "--barcode", "qr", "--out", str(tmp_path / "papers"),
                          "--lang", "en") == 0
        [stream] = printer.wait_closed(1)
    out = decode(stream)
    assert out.qr_codes == [order_no.encode()]
    from app.devices.receipt_printer.text import text_width

    assert max(text_width(x.text) for x in out.lines) == 32
    stdout = capsys.readouterr().out
    assert "receipt: Printed on the receipt printer" in stdout
    assert f"written as PDF: {tmp_path / 'papers'}" in stdout


def test_paper_out_exits_1_and_prints_nothing(db: Database, db_url: str, order_no: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    with TcpPrinter(PAPER_OUT) as printer:
        assert in_process(order_no, "--printer", printer.url, "--db", db_url) == 1
        [stream] = printer.wait_closed(1)
    assert stream == b"\x1b@\x10\x04\x01\x10\x04\x02\x10\x04\x04"  # asked, never printed
    err = capsys.readouterr().err
    assert err == (f"counter: 小票打印机缺纸（127.0.0.1:{printer.port}）：请装纸后重试。 / "
                   f"The receipt printer (127.0.0.1:{printer.port}) is out of paper: load "
                   "paper and try again.\n")
    assert printed(db) == [("slip", 1)]  # the PDF slip was written; the receipt was not


def test_refused_connection_exits_1(db: Database, db_url: str, order_no: str,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    port = closed_port()
    assert in_process(order_no, "--printer", f"escpos+tcp://127.0.0.1:{port}",
                      "--db", db_url) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"counter: 小票打印机未连接（127.0.0.1:{port}）")
    assert "Traceback" not in err


def test_fallback_flag(db: Database, db_url: str, order_no: str,
                       capsys: pytest.CaptureFixture[str]) -> None:
    with TcpPrinter(PAPER_OUT) as primary, TcpPrinter() as fallback:
        assert in_process(order_no, "--printer", primary.url, "--fallback", fallback.url,
                          "--db", db_url) == 0
        [stream] = fallback.wait_closed(1)
        primary.wait_closed(1)
    assert decode(stream).cuts == 1
    assert f"已改用备用小票打印机（127.0.0.1:{fallback.port}）打印" in capsys.readouterr().out


@pytest.mark.parametrize("args, words", [
    (["--printer", "escpos+tcp://10.0.0.5:70000"], "端口应为 1–65535"),
    (["--printer", "lp://receipt"], "应以 escpos+tcp://"),
    (["--printer", "escpos+tcp://10.0.0.5", "--fallback", "escpos+usb://x"], "厂商号"),
    ([], "请指定 --out 文件夹或 --printer 打印机"),
])
def test_bad_input_exits_2_and_records_nothing(db: Database, db_url: str, order_no: str,
                                               capsys: pytest.CaptureFixture[str],
                                               args: list[str], words: str) -> None:
    assert in_process(order_no, *args, "--db", db_url) == 2
    assert words in capsys.readouterr().err
    assert printed(db) == []


def test_out_alone_still_writes_pdfs(db: Database, db_url: str, order_no: str,
                                     tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert in_process(order_no, "--out", str(tmp_path / "pdf"), "--db", db_url) == 0
    paths = [Path(x) for x in capsys.readouterr().out.split()]
    assert sorted(p.name.split("_")[1] for p in paths) == ["receipt", "slip"]
    assert all(p.name.endswith("_reprint1.pdf") and p.is_file() for p in paths)
    assert sorted(printed(db)) == [("receipt", 1), ("slip", 1)]
