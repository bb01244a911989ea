"""Printing to the receipt printer simulator over real TCP and a real pty: status, faults,
the retry, the fallback printer, and the device test (which must print nothing)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from app.devices.config import DeviceConfig, load
from app.devices.receipt_printer import (
    PrinterUrlError,
    ReceiptPrinterError,
    Timeouts,
    print_paper,
    render_escpos,
)
from app.devices.receipt_printer.probe import check
from tests import printing_fixtures as samples
from tests.devices.escpos_sim import (
    COVER_OPEN,
    OFFLINE,
    PAPER_LOW,
    PAPER_OUT,
    PtyPrinter,
    TcpPrinter,
    closed_port,
    decode,
    job_bytes,
)

FAST = Timeouts(connect=1.0, status=0.3, send=2.0, drain=1.0, retry_pause=0.05)
PAPER = samples.sim_replacement()
STATUS_QUERIES = b"\x10\x04\x01\x10\x04\x02\x10\x04\x04"


@pytest.fixture(autouse=True)
def no_leaked_threads() -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    left = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    assert not left, left


def config(tmp_path: Path, **values: str) -> DeviceConfig:
    cfg = load(tmp_path / "devices.ini")  # not written: starts empty
    for key, value in values.items():
        cfg.set("receipt_printer", key, value)
    return cfg


def test_prints_the_whole_job_after_the_status_check(tmp_path: Path) -> None:
    with TcpPrinter() as printer:
        result = print_paper(PAPER, "receipt", config(tmp_path, url=printer.url), timeouts=FAST)
        [got] = printer.wait_closed(1)
    assert (result.printer_url, result.attempts, result.moved_to_fallback) == (printer.url, 1,
                                                                               False)
    assert result.zh == f"已在小票打印机（127.0.0.1:{printer.port}）打印。"
    # ESC @, the three status questions, then the job in one piece, exactly as rendered.
    assert got == b"\x1b@" + STATUS_QUERIES + render_escpos(PAPER, "receipt")
    assert decode(got).starts_with_init and decode(got).ends_with_cut


def test_layout_settings_reach_the_printer(tmp_path: Path) -> None:
    with TcpPrinter() as printer:
        print_paper(PAPER, "receipt", config(tmp_path, url="escpos+tcp://192.0.2.1",
                                            width_mm="58", barcode="qr"),
                    url=printer.url, timeouts=FAST)  # the url argument overrides devices.ini
        [got] = printer.wait_closed(1)
    assert job_bytes(got) == b"\x1b@" + render_escpos(PAPER, "receipt", width_mm=58,
                                                     barcode="qr")


@pytest.mark.parametrize("status, zh, en", [
    (PAPER_OUT, "小票打印机缺纸（127.0.0.1:{port}）：请装纸后重试。", "out of paper"),
    (COVER_OPEN, "小票打印机纸仓盖未合上（127.0.0.1:{port}）：请合上后重试。", "cover is open"),
    (OFFLINE, "小票打印机离线（127.0.0.1:{port}）：请检查打印机后重试。", "is offline"),
])
def test_fault_prints_nothing(tmp_path: Path, status: dict[int, int], zh: str, en: str) -> None:
    with TcpPrinter(status) as printer:
        with pytest.raises(ReceiptPrinterError) as err:
            print_paper(PAPER, "receipt", config(tmp_path, url=printer.url), timeouts=FAST)
        got = printer.wait_closed(1)
        time.sleep(0.1)
        assert len(printer.received) == 1  # a status fault is not retried
    assert err.value.zh == zh.format(port=printer.port) and en in err.value.en
    assert got == [b"\x1b@" + STATUS_QUERIES]  # asked, and nothing printed


def test_paper_low_prints_and_says_so(tmp_path: Path) -> None:
    with TcpPrinter(PAPER_LOW) as printer:
        result = print_paper(PAPER, "receipt", config(tmp_path, url=printer.url), timeouts=FAST)
        [got] = printer.wait_closed(1)
    assert result.zh.endswith("小票纸将用完，请及时换纸。") and "running low" in result.en
    assert decode(got).cuts == 1


def test_offline_primary_moves_to_the_fallback(tmp_path: Path) -> None:
    with TcpPrinter(OFFLINE) as primary, TcpPrinter() as fallback:
        result = print_paper(PAPER, "receipt",
                             config(tmp_path, url=primary.url, fallback_url=fallback.url),
                             timeouts=FAST)
        [asked] = primary.wait_closed(1)
        [printed] = fallback.wait_closed(1)
    assert (result.printer_url, result.attempts, result.moved_to_fallback) == (fallback.url, 2,
                                                                               True)
    assert result.zh == (f"小票打印机离线（127.0.0.1:{primary.port}）：请检查打印机后重试。"
                         f"已改用备用小票打印机（127.0.0.1:{fallback.port}）打印。")
    assert "Moved to the fallback receipt printer" in result.en
    assert asked == b"\x1b@" + STATUS_QUERIES
    assert decode(printed).cuts == 1


def test_refused_connection_is_retried_once_then_reported(tmp_path: Path) -> None:
    port = closed_port()
    start = time.monotonic()
    with pytest.raises(ReceiptPrinterError) as err:
        print_paper(PAPER, "receipt", config(tmp_path, url=f"escpos+tcp://127.0.0.1:{port}"),
                    timeouts=FAST)
    assert time.monotonic() - start < 3
    assert err.value.zh.startswith(f"小票打印机未连接（127.0.0.1:{port}）")
    assert "connection refused" in err.value.en


def test_refused_primary_then_fallback(tmp_path: Path) -> None:
    with TcpPrinter() as fallback:
        result = print_paper(PAPER, "receipt", config(
            tmp_path, url=f"escpos+tcp://127.0.0.1:{closed_port()}", fallback_url=fallback.url),
            timeouts=FAST)
        fallback.wait_closed(1)
    assert result.attempts == 3 and result.moved_to_fallback  # primary twice, fallback once
    assert result.zh.startswith("小票打印机未连接（127.0.0.1:")


def test_both_printers_failing_names_both(tmp_path: Path) -> None:
    with TcpPrinter(PAPER_OUT) as primary, TcpPrinter(COVER_OPEN) as fallback:
        with pytest.raises(ReceiptPrinterError) as err:
            print_paper(PAPER, "receipt",
                        config(tmp_path, url=primary.url, fallback_url=fallback.url),
                        timeouts=FAST)
        primary.wait_closed(1)
        fallback.wait_closed(1)
    assert "缺纸" in err.value.zh and "备用打印机也无法打印：小票打印机纸仓盖未合上" in err.value.zh


def test_accepted_then_dropped_is_retried_then_reported(tmp_path: Path) -> None:
    with TcpPrinter(mode="drop") as printer:
        with pytest.raises(ReceiptPrinterError) as err:
            print_paper(PAPER, "receipt", config(tmp_path, url=printer.url), timeouts=FAST)
        assert printer.wait_closed(2) == [b"", b""]  # two tries
    assert "打印机断开了连接" in err.value.zh and "closed the connection" in err.value.en


def test_silent_printer_optional_status(tmp_path: Path) -> None:
    """A printer that never answers DLE EOT gets the job anyway by default (many cheap ones
    do not answer), and the clerk is told the status was not known."""
    with TcpPrinter(mode="silent") as printer:
        result = print_paper(PAPER, "receipt", config(tmp_path, url=printer.url), timeouts=FAST)
        [got] = printer.wait_closed(1)
    assert "未回应状态查询，已直接发送" in result.zh
    assert got.endswith(render_escpos(PAPER, "receipt"))
    assert decode(got).status_queries == [1]  # no answer to the first: not asked again


def test_silent_printer_required_status(tmp_path: Path) -> None:
    with TcpPrinter(mode="silent") as printer:
        with pytest.raises(ReceiptPrinterError) as err:
            print_paper(PAPER, "receipt",
                        config(tmp_path, url=printer.url, status="required"), timeouts=FAST)
        got = printer.wait_closed(2)
    assert "未回应状态查询" in err.value.zh
    assert got == [b"\x1b@\x10\x04\x01"] * 2  # retried once, nothing printed


def test_serial_printer_on_a_pty(tmp_path: Path) -> None:
    ticket = samples.fault_report()
    with PtyPrinter() as printer:
        result = print_paper(ticket, "fault-ticket", config(tmp_path, url=printer.url),
                             timeouts=FAST)
        got = printer.wait_for(b"\x1dV\x00")
    assert result.zh == f"已在小票打印机（{printer.path}）打印。"
    assert got == b"\x1b@" + STATUS_QUERIES + render_escpos(ticket, "fault-ticket")
    assert printer.answerer.queries == [1, 2, 4]


def test_serial_printer_out_of_paper_on_a_pty(tmp_path: Path) -> None:
    with PtyPrinter(PAPER_OUT) as printer:
        with pytest.raises(ReceiptPrinterError, match="缺纸"):
            print_paper(PAPER, "receipt", config(tmp_path, url=printer.url), timeouts=FAST)
        time.sleep(0.2)
        assert bytes(printer.got) == b"\x1b@" + STATUS_QUERIES


def test_missing_serial_port(tmp_path: Path) -> None:
    url = f"escpos+serial://{tmp_path / 'ttyNONE'}"
    with pytest.raises(ReceiptPrinterError) as err:
        print_paper(PAPER, "receipt", config(tmp_path, url=url), timeouts=FAST)
    assert "串口无法打开" in err.value.zh


def test_usb_without_pyusb_says_what_to_install(tmp_path: Path) -> None:
    from escpos.printer import Usb

    if Usb.is_usable():
        pytest.skip("pyusb is installed here: the message for its absence cannot be shown")
    with pytest.raises(ReceiptPrinterError) as err:
        print_paper(PAPER, "receipt", config(tmp_path, url="escpos+usb://04b8:0202"),
                    timeouts=FAST)
    assert "pyusb" in err.value.zh and "pyusb" in err.value.en
    assert not isinstance(err.value, PrinterUrlError)  # a machine problem, not bad input


def test_bad_url_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(PrinterUrlError, match="应以 escpos"):
        print_paper(PAPER, "receipt", config(tmp_path), url="lpt1", timeouts=FAST)


def test_reprint_mark_reaches_the_printer(tmp_path: Path) -> None:
    with TcpPrinter() as printer:
        print_paper(replace(PAPER, reprint_count=1), "receipt",
                    config(tmp_path, url=printer.url), timeouts=FAST)
        [got] = printer.wait_closed(1)
    assert "【补打（第1次）】" in decode(got).text


# ------------------------------------------------------------------------- the device test


def test_check_not_configured(tmp_path: Path) -> None:
    result = check(config(tmp_path))
    assert (result.ok, result.configured, result.device) == (True, False, "receipt_printer")


def test_check_ready_prints_nothing(tmp_path: Path) -> None:
    with TcpPrinter() as printer:
        result = check(config(tmp_path, url=printer.url, width_mm="58"), FAST)
        [got] = printer.wait_closed(1)
    assert result.ok and result.zh == f"小票打印机（127.0.0.1:{printer.port}，58 mm）已连接，状态正常。"
    assert got == STATUS_QUERIES  # asked its status; not a byte to print


@pytest.mark.parametrize("status, words", [(PAPER_OUT, "缺纸"), (COVER_OPEN, "纸仓盖"),
                                           (PAPER_LOW, "纸将用完")])
def test_check_reports_the_status(tmp_path: Path, status: dict[int, int], words: str) -> None:
    with TcpPrinter(status) as printer:
        result = check(config(tmp_path, url=printer.url), FAST)
        printer.wait_closed(1)
    assert words in result.zh and result.ok == (status is PAPER_LOW)


def test_check_unreachable_and_silent_and_bad(tmp_path: Path) -> None:
    refused = check(config(tmp_path, url=f"escpos+tcp://127.0.0.1:{closed_port()}"), FAST)
    assert not refused.ok and "未连接" in refused.zh
    with TcpPrinter(mode="silent") as printer:
        silent = check(config(tmp_path, url=printer.url), FAST)
        strict = check(config(tmp_path, url=printer.url, status="required"), FAST)
        printer.wait_closed(2)
    assert silent.ok and "未回应状态查询" in silent.zh
    assert not strict.ok
    bad = check(config(tmp_path, url="escpos+tcp://h", width_mm="76"), FAST)
    assert not bad.ok and "width_mm" in bad.zh
