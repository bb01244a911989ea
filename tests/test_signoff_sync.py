"""The "orders not synced" item of the sign-off checklist, with a real sync: a SQLite
workstation pushes to a PostgreSQL server. On the workstation the item lists the day's
orders above the pushed mark; on the server a counter whose shift's close has not arrived
shows as an open shift; after the sync both are clear."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.clock import FixedClock
from app.core.request import parse_request
from app.db import Database, open_database
from app.services.day.counts import Counts
from app.services.day.items import CHECKLIST_CODES, INVOICE, SIM_CARD
from app.services.day.shifts import close_shift, open_shift, preview_close
from app.services.day.signoff import checklist
from app.services.day.signoff_checks import signoff_checklist
from app.services.hall.demo import DEMO_PASSWORD, fill_demo
from app.services.hall.registry import get_hall
from app.services.orders.service import OrderService, Submission
from app.services.staff.auth import login
from app.services.sync.run import run_sync
from tests.builders import DAY, OWNER, PERSON
from tests.builders import counter_line as line

pytestmark = pytest.mark.postgres


@pytest.fixture
def workstation(tmp_path: Path, clock: FixedClock) -> Iterator[Database]:
    db = open_database(f"sqlite:///{tmp_path / 'ws1.sqlite3'}", clock=clock)
    fill_demo(db, customers=5)
    yield db
    db.dispose()


def payment(number: str) -> Any:
    return parse_request({"service": "bill_payment", "customer": PERSON, "presenter": OWNER,
                          "documents": [], "details": {"amount": 10}, "signature": True,
                          "line": line(number)})


def server_items(server_url: str, clock: FixedClock) -> list[tuple[str, str]]:
    server = open_database(server_url, clock=clock)
    try:
        with server.read() as s:
            hall = get_hall(s)
            assert hall is not None
            found = signoff_checklist(s, hall.id, DAY, clock.now())
        return [(i.kind, i.ref) for i in found.items]
    finally:
        server.dispose()


def test_unsynced_orders_block_until_the_sync(workstation: Database, pg_url: str,
                                              clock: FixedClock) -> None:
    ws = workstation
    run_sync(ws, pg_url, origin="WS1")  # the hall on the server; the capture installed
    clerk = login(ws, "C001", DEMO_PASSWORD, "C01")
    sup = login(ws, "S001", DEMO_PASSWORD, "C03")
    open_shift(ws, clerk, dict.fromkeys(CHECKLIST_CODES, True),
               Counts(stock={SIM_CARD: 5, INVOICE: 10}, cash={10000: 1},
                      invoice_first="00000001", invoice_last="00000010"))
    svc = OrderService(ws)
    for number in ("18612345670", "18612345671"):
        assert svc.submit(Submission(payment(number)), clerk).order_no
        clock.advance(minutes=3)
    assert [(i.kind, i.ref) for i in checklist(ws, sup, DAY).items] == [
        ("open_shift", "C01"), ("unsynced", "C01")]
    assert "2 笔订单尚未同步" in checklist(ws, sup, DAY).items[1].zh
    run_sync(ws, pg_url)
    assert [i.kind for i in checklist(ws, sup, DAY).items] == ["open_shift"]

    # One more order, then the clerk closes: the server still has the shift open.
    assert svc.submit(Submission(payment("18612345672")), clerk).order_no
    p = preview_close(ws, clerk)
    close_shift(ws, clerk, Counts(stock={ln.item: ln.expected for ln in p.lines if not ln.money},
                                  cash={10000: 1, 1000: 3}, invoice_first=p.invoice_first_expected,
                                  invoice_last="00000010"), {})
    local = checklist(ws, sup, DAY)
    assert [(i.kind, i.ref, i.blocking) for i in local.items] == [("unsynced", "C01", True)]
    assert "1 笔订单尚未同步" in local.items[0].zh
    assert server_items(pg_url, clock) == [("open_shift", "C01")]

    run_sync(ws, pg_url)
    assert checklist(ws, sup, DAY).items == []
    assert server_items(pg_url, clock) == []
