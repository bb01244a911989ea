"""The queue caller against a fake queue server on 127.0.0.1 (tests/devices/queue_sim.py):
the real HTTP requests and answers of the contract, and each fault as one sentence."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.devices import config as devices
from app.devices.config import DeviceConfigError
from app.devices.queue import (
    HttpQueueCaller,
    ManualQueueCaller,
    QueueError,
    Ticket,
    check,
    normalize_ticket_number,
    open_caller,
    parse_issued_time,
)

from .queue_sim import QueueServer

HALL = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def server() -> Iterator[QueueServer]:
    before = {t for t in threading.enumerate() if t.is_alive()}
    with QueueServer() as running:
        yield running
    deadline = time.monotonic() + 3
    while {t for t in threading.enumerate() if t.is_alive()} - before and \
            time.monotonic() < deadline:
        time.sleep(0.02)
    assert not {t for t in threading.enumerate() if t.is_alive()} - before, "threads left"


def config(tmp_path: Path, **keys: str) -> devices.DeviceConfig:
    cfg = devices.load(tmp_path / "devices.ini")
    for key, value in keys.items():
        cfg.set("queue", key, value)
    return cfg


def free_port() -> int:
    """A port nobody listens on (bound, then closed: connecting is refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- the contract ------------------------------------------------------------------------------

def test_call_next_gets_the_ticket_and_sends_window_and_clerk(server: QueueServer) -> None:
    server.tickets.append(("A023", "2026-11-22T09:41:05+08:00", "缴费"))
    caller = HttpQueueCaller(server.url, window=3)
    ticket = caller.call_next(clerk_no="C001")
    assert ticket == Ticket("A023", datetime(2026, 11, 22, 1, 41, 5, tzinfo=UTC), "缴费")
    assert server.requests == [("call-next", {"window": 3, "clerk": "C001"})]
    caller.recall(ticket, clerk_no="C001")
    caller.skip(ticket, window=5, clerk_no="C001")
    assert server.requests[1:] == [("recall", {"window": 3, "clerk": "C001", "ticket": "A023"}),
                                   ("skip", {"window": 5, "clerk": "C001", "ticket": "A023"})]


def test_nobody_waiting_is_none_both_ways(server: QueueServer) -> None:
    caller = HttpQueueCaller(server.url, window=3)
    assert caller.call_next(clerk_no="C001") is None  # 204 No Content
    server.tickets.append(("B7", None, None))
    ticket = caller.call_next(clerk_no="C001")
    assert ticket == Ticket("B7", None, None)  # no time of issue: waiting unknown


def test_a_local_time_without_offset_is_the_halls(server: QueueServer) -> None:
    server.tickets.append(("a023", "2026-11-22 09:41:05", None))
    ticket = HttpQueueCaller(server.url, window=3, zone=HALL).call_next(clerk_no="C001")
    assert ticket is not None and ticket.number == "A023"
    assert ticket.issued_at == datetime(2026, 11, 22, 9, 41, 5, tzinfo=HALL)


# --- faults: one sentence naming the server -----------------------------------------------------

def test_http_500_is_a_server_fault(server: QueueServer) -> None:
    server.mode = "500"
    caller = HttpQueueCaller(server.url, window=3)
    with pytest.raises(QueueError) as err:
        caller.call_next(clerk_no="C001")
    host = server.url.split("/")[2]
    assert host in err.value.zh and "HTTP 500" in err.value.zh and "\n" not in err.value.zh
    assert "HTTP 500" in err.value.en and host in err.value.en


def test_garbage_is_not_the_agreed_json(server: QueueServer) -> None:
    server.mode = "garbage"
    with pytest.raises(QueueError, match="not the agreed JSON") as err:
        HttpQueueCaller(server.url, window=3).call_next(clerk_no="C001")
    assert "无法识别" in err.value.zh


@pytest.mark.parametrize("ticket", ["A-023!", "ABCDEFGHI", ""])
def test_a_ticket_number_out_of_contract_is_a_bad_answer(server: QueueServer,
                                                         ticket: str) -> None:
    server.tickets.append((ticket, None, None))
    with pytest.raises(QueueError, match="agreed JSON"):
        HttpQueueCaller(server.url, window=3).call_next(clerk_no="C001")


def test_a_bad_issue_time_is_a_bad_answer(server: QueueServer) -> None:
    server.tickets.append(("A1", "yesterday-ish", None))
    with pytest.raises(QueueError, match="agreed JSON"):
        HttpQueueCaller(server.url, window=3).call_next(clerk_no="C001")


def test_a_server_that_hangs_times_out_within_the_timeout(server: QueueServer) -> None:
    server.mode = "hang"
    caller = HttpQueueCaller(server.url, window=3, timeout=0.5)
    started = time.monotonic()
    with pytest.raises(QueueError) as err:
        caller.call_next(clerk_no="C001")
    assert time.monotonic() - started < 3
    assert "没有应答" in err.value.zh and "did not answer within 0.5 s" in err.value.en


def test_refused_connection() -> None:
    port = free_port()
    caller = HttpQueueCaller(f"http://127.0.0.1:{port}/api", window=3, timeout=2)
    with pytest.raises(QueueError) as err:
        caller.call_next(clerk_no="C001")
    assert f"127.0.0.1:{port}" in err.value.zh and "连接被拒绝" in err.value.zh
    assert "connection refused" in err.value.en


def test_a_4xx_points_at_the_settings(server: QueueServer) -> None:
    server.mode = "404"  # e.g. a wrong path in the URL set up
    with pytest.raises(QueueError, match="HTTP 404") as err:
        HttpQueueCaller(server.url, window=3).call_next(clerk_no="C001")
    assert "设备设置" in err.value.zh


# --- the device test and the settings ------------------------------------------------------------

def test_check_says_the_server_answers_and_how_many_wait(server: QueueServer,
                                                         tmp_path: Path) -> None:
    server.tickets.extend([("A1", None, None), ("A2", None, None)])
    result = check(config(tmp_path, kind="http", url=server.url, window="3"))
    assert result.ok and result.configured and result.device == "queue"
    assert "当前等候 2 人" in result.zh and "2 waiting" in result.en
    assert [p for p, _ in server.requests] == ["status"]  # nobody was called by the test
    assert len(server.tickets) == 2


def test_check_reports_faults_in_one_sentence(server: QueueServer, tmp_path: Path) -> None:
    server.mode = "500"
    failed = check(config(tmp_path, kind="http", url=server.url, window="3"))
    assert not failed.ok and "HTTP 500" in failed.zh
    refused = check(config(tmp_path, kind="http", url=f"http://127.0.0.1:{free_port()}",
                           window="3", timeout="1"))
    assert not refused.ok and "connection refused" in refused.en


def test_check_without_a_queue_system_is_manual_entry(tmp_path: Path) -> None:
    result = check(config(tmp_path))
    assert result.ok and not result.configured and "手工录入" in result.zh


@pytest.mark.parametrize(("keys", "key"), [
    ({"kind": "loudspeaker"}, "kind"),
    ({"kind": "http", "url": "ftp://x", "window": "3"}, "url"),
    ({"kind": "http", "url": "http://10.0.0.9:8080"}, "window"),
    ({"kind": "http", "url": "http://10.0.0.9:8080", "window": "three"}, "window"),
    ({"kind": "http", "url": "http://10.0.0.9:8080", "window": "3", "timeout": "60"},
     "timeout"),
])
def test_wrong_settings_name_the_key(tmp_path: Path, keys: dict[str, str], key: str) -> None:
    with pytest.raises(DeviceConfigError) as err:
        open_caller(config(tmp_path, **keys))
    assert err.value.key == key and f"[queue] {key}" in err.value.zh
    result = check(config(tmp_path, **keys))
    assert not result.ok and f"[queue] {key}" in result.zh


def test_manual_is_the_default_and_calls_nobody(tmp_path: Path) -> None:
    for keys in ({}, {"kind": "none"}, {"kind": "manual", "window": "4"}):
        caller = open_caller(config(tmp_path, **keys))
        assert isinstance(caller, ManualQueueCaller) and caller.manual
        assert caller.call_next(clerk_no="C001") is None
    caller = open_caller(config(tmp_path, kind="http", url="http://10.0.0.9/api", window="2"))
    assert isinstance(caller, HttpQueueCaller) and caller.window == 2 and not caller.manual


# --- typed tickets -----------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "number"), [
    ("A023", "A023"), (" a023 ", "A023"), ("ａ０２３", "A023"), ("1042", "1042"),
    ("V 7", "V7"), ("ABCDEFGH", "ABCDEFGH")])
def test_typed_ticket_numbers_are_normalized(typed: str, number: str) -> None:
    assert normalize_ticket_number(typed) == number


@pytest.mark.parametrize("typed", ["", "   ", "A-023", "ABCDEFGHI", "A023号", "A0.2"])
def test_wrong_ticket_numbers_are_refused_with_a_clear_message(typed: str) -> None:
    with pytest.raises(QueueError) as err:
        normalize_ticket_number(typed)
    assert err.value.zh.startswith(("请输入排队号", "排队号")) and err.value.en


def test_typed_time_of_issue() -> None:
    day = date(2026, 11, 22)
    assert parse_issued_time("9:41", day, HALL) == datetime(2026, 11, 22, 9, 41, tzinfo=HALL)
    assert parse_issued_time("０９：４１：０５", day, HALL) == datetime(2026, 11, 22, 9, 41, 5,
                                                                   tzinfo=HALL)
    assert parse_issued_time("  ", day, HALL) is None
    for wrong in ("25:00", "9", "nine"):
        with pytest.raises(QueueError, match="time of issue"):
            parse_issued_time(wrong, day, HALL)
