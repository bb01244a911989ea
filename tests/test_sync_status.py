"""What sync says it did: `counter sync --status` and the status-bar widget, against a real
PostgreSQL server, with times from the test's clock.

The status names the last sync's time, what went up and down per table, the orders refused,
what waits and the age of the oldest order not on the server yet, and the conflicts waiting
(none can arise yet; the line is there). The widget shows the same briefly, its progress while
a sync runs, and cancels a sync between two batches: what went up stays up, the rest goes
with the next sync.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.clock import FixedClock
from app.commands.sync import status_lines
from app.core.request import parse_request
from app.db import Database, open_database
from app.models import ServiceOrder
from app.services.hall.registry import Actor, ensure_counter, ensure_hall
from app.services.orders.service import OrderService, Submission
from app.services.sync.run import run_sync
from app.services.sync.state import read_status
from bench.generate import generate
from tests.builders import DAY, NOW, personal
from tests.gui.ui_fixtures import op_runner

pytestmark = pytest.mark.postgres
_ = op_runner  # a fixture


@pytest.fixture
def workstation(tmp_path: Path, clock: FixedClock) -> Iterator[Callable[..., Database]]:
    dbs: list[Database] = []

    def make(name: str, orders: int = 30) -> Database:
        url = f"sqlite:///{tmp_path / name}.sqlite3"
        if orders:
            generate(url, orders=orders, customers=10, day=DAY)
        db = open_database(url, clock=clock)
        dbs.append(db)
        return db

    yield make
    for db in dbs:
        db.dispose()


def shown(db: Database) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in status_lines(db))


def serve_one(db: Database, code: str, number: str) -> str:
    with db.session() as s:
        hall = ensure_hall(s)
        counter = ensure_counter(s, hall, code, batch=True)
        actor = Actor(None, "batch", "批量受理", "clerk", hall.id, counter.id, counter.code,
                      channel="batch")
    result = OrderService(db).submit(
        Submission(parse_request(personal("report_loss", line={"number": number}))), actor)
    assert result.order_no
    return result.order_no


def count(db: Database) -> int:
    with db.read() as s:
        return int(s.execute(select(func.count()).select_from(ServiceOrder)).scalar() or 0)


def test_status_says_what_the_last_sync_did(workstation: Callable[..., Database], pg_url: str,
                                            clock: FixedClock) -> None:
    ws = workstation("ws", orders=0)
    serve_one(ws, "B02", "13012340001")  # made at the clock's NOW
    before = shown(ws)
    assert before["last success"] == "-" and before["pushed (last sync)"] == "0"
    assert before["conflicts waiting"] == "0"
    clock.advance(minutes=95)
    assert before["oldest unsynced order"].startswith("2026-11-22 02:00:00 +0000")
    assert shown(ws)["oldest unsynced order"].endswith("(1 h 35 min)")

    report = run_sync(ws, pg_url, origin="ST1")
    after = shown(ws)
    assert after["last success"] == clock.now().strftime("%Y-%m-%d %H:%M:%S %z")
    assert "service_order 1" in after["pushed (last sync)"]
    assert "audit_event" in after["pushed (last sync)"]
    assert after["waiting"] == "0" and after["oldest unsynced order"] == "-"
    assert after["refused orders (last sync)"] == "0" and after["last error"] == "-"
    assert report.pushed["service_order"] == 1

    # Another workstation changes a line; this one pulls it and says so.
    other = workstation("other", orders=0)
    run_sync(other, pg_url, origin="ST2")
    serve_one(other, "B03", "13012340001")
    run_sync(other, pg_url)
    clock.advance(minutes=5)
    serve_one(ws, "B02", "13012340002")  # waits: made now, 0 min old
    assert shown(ws)["oldest unsynced order"].endswith("(0 min)")
    assert int(shown(ws)["waiting"]) > 0
    run_sync(ws, pg_url)
    final = shown(ws)
    assert "line 1" in final["pulled (last sync)"]
    assert "service_order 1" in final["pushed (last sync)"]
    status = read_status(ws)
    assert status.last_success == clock.now() and status.conflicts == 0


@pytest.mark.gui
def test_status_bar_shows_the_sync_briefly(workstation: Callable[..., Database], pg_url: str,
                                           clock: FixedClock, op_runner: Any,
                                           qtbot: Any) -> None:
    from app.ui.data.sync_status import SyncStatusWidget

    ws = workstation("ws", orders=0)
    for i in range(3):
        serve_one(ws, "B02", f"1301234001{i}")  # at the clock's NOW
    clock.advance(minutes=20)
    widget = SyncStatusWidget(op_runner, ws, pg_url, origin="GUI3", start=False,
                              zone="Asia/Shanghai")
    qtbot.addWidget(widget)
    op_runner.wait_idle()
    qtbot.waitUntil(lambda: widget.status is not None, timeout=10000)
    assert "oldest 20 min" in widget.toolTip()
    with qtbot.waitSignal(widget.synced, timeout=60000):
        widget.sync_now()
    op_runner.wait_idle()
    qtbot.waitUntil(lambda: "↑" in widget.text.text(), timeout=10000)
    text = widget.text.text()
    local = (NOW + timedelta(minutes=20)).strftime("%H:%M")
    assert text.startswith(f"Synced {local} · ↑") and "↓" in text and "0 waiting" in text
    assert widget.property("syncState") == "ok"
    assert "service_order 3" in widget.toolTip()
    # An order made after the sync waits, and the bar says since when.
    serve_one(ws, "B02", "13012340009")
    clock.advance(minutes=7)
    widget.refresh()
    op_runner.wait_idle()
    qtbot.waitUntil(lambda: "oldest 7 min" in widget.text.text(), timeout=10000)
    assert widget.property("syncState") == "waiting"
    widget.stop()


@pytest.mark.gui
def test_status_bar_shows_progress_and_cancels(workstation: Callable[..., Database],
                                               pg_url: str, op_runner: Any,
                                               qtbot: Any) -> None:
    from app.ui.data.sync_status import SyncStatusWidget

    ws = workstation("big", orders=3000)
    widget = SyncStatusWidget(op_runner, ws, pg_url, origin="GUI4", start=False,
                              push_rows=150)
    qtbot.addWidget(widget)
    op_runner.wait_idle()
    seen: list[str] = []
    widget.sync_now()
    assert widget.running and widget.button.text() == "Cancel"
    handle = widget._handle
    assert handle is not None
    handle.progress.connect(lambda _d, _t: seen.append(widget.text.text()))
    qtbot.waitUntil(lambda: bool(seen), timeout=60000)
    assert seen[0].startswith("Syncing... ") and seen[0].endswith("%")
    qtbot.mouseClick(widget.button, qtbot_left())  # Cancel
    qtbot.waitUntil(lambda: not widget.running, timeout=60000)
    op_runner.wait_idle()
    assert widget.button.text() == "Sync now" and widget.button.isEnabled()
    assert widget.property("syncState") != "error"
    assert widget.timer.isActive()  # the usual schedule goes on
    server = open_database(pg_url, migrate=False)
    try:
        part = count(server)
        assert 0 < part < 3000  # stopped between two batches
        assert read_status(ws).waiting > 0
        with qtbot.waitSignal(widget.synced, timeout=120000):
            widget.sync_now()
        assert count(server) == 3000
    finally:
        widget.stop()
        server.dispose()


def qtbot_left() -> Any:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
