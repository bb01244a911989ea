"""Line conflicts per hall on an area server (#13), against a real PostgreSQL server.

Hall DEMO01 has a real conflict (a loss report at A's batch channel and a SIM replacement at
B's counter on one line, made offline). Hall WEST02 on the same server has two: one whose
order is numbered under WEST02, one whose order is on the server in WEST02 under a number
without the hall's code (an imported order). Each workstation pulls its own hall's conflicts
only, and a conflict between orders of both halls (one line, two halls) goes to both.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import insert, select, update

from app.clock import FixedClock
from app.db import Database, open_database
from app.models import Hall, LineConflict, ServiceOrder
from app.models.base import new_uid
from app.services.hall.registry import Actor, ensure_counter
from app.services.orders.service import OrderService, Submission
from app.services.sync.conflicts import all_conflicts
from app.services.sync.run import run_sync
from tests.test_sync_conflicts import Hall as DemoHall
from tests.test_sync_conflicts import a_line, take
from tests.test_sync_release import payment

pytestmark = pytest.mark.postgres


@pytest.fixture
def west(tmp_path: Path, clock: FixedClock) -> Iterator[Database]:
    db = open_database(f"sqlite:///{tmp_path / 'west.sqlite3'}", clock=clock)
    yield db
    db.dispose()


def side(order_no: str, at: datetime) -> dict[str, object]:
    return {"order_no": order_no, "service": "report_loss", "counter": "B01", "clerk": "batch",
            "at": at.isoformat(), "version": 2, "origin": "B01", "state": {}, "changed": []}


def add_conflict(server: Database, number: str, server_no: str, other_no: str,
                 now: datetime) -> str:
    """A conflict as the server's detection records it (its line is not needed here)."""
    uid = new_uid()
    with server.session() as s:
        s.execute(insert(LineConflict).values(
            uid=uid, line_uid=new_uid(), line_number=number, status="open", base_version=1,
            other_key=f"2:{uid[:8]}", reason="测试 / test", server_side=side(server_no, now),
            other_side=side(other_no, now), pushed_by="WEST", detected_at=now))
    return uid


def uids(db: Database) -> set[str]:
    with db.read() as s:
        return {c.uid for c in all_conflicts(s)}


def test_each_workstation_pulls_its_own_halls_conflicts(
        tmp_path: Path, clock: FixedClock, pg_url: str, west: Database) -> None:
    b = open_database(f"sqlite:///{tmp_path / 'b.sqlite3'}", clock=clock)
    a = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}", clock=clock)
    server = open_database(pg_url, clock=clock, migrate=False)
    try:
        from app.services.hall.demo import fill_demo

        fill_demo(b, customers=8)
        run_sync(b, pg_url, origin="B")
        run_sync(a, pg_url, origin="A")
        h = DemoHall(a, b, server, pg_url)
        line = a_line(h.a)
        take(h.a, h.batch_a, "report_loss", line["number"])
        take(h.b, h.clerk_b, "sim_replacement", line["number"], documents=["sim_card"])
        h.sync(h.a, h.b)
        demo = uids(server)
        assert len(demo) == 1

        with west.session() as s:  # a batch workstation of another hall, same server
            hall = Hall(code="WEST02", name="城西营业厅", carrier="unicom", config={})
            s.add(hall)
            s.flush()
            counter = ensure_counter(s, hall, "B01", batch=True)
            actor = Actor(None, "batch", "批量受理", "clerk", hall.id, counter.id, "B01",
                          channel="batch")
        west_no = OrderService(west).submit(Submission(payment("18612345699")), actor).order_no
        assert west_no and west_no.startswith("WEST02-B01-")
        run_sync(west, pg_url, origin="WEST")
        now = clock.now()
        by_number = add_conflict(server, "18612345699", west_no, "WEST02-B01-20261122-00009-X",
                                 now)
        with server.session() as s:  # an imported order: no hall code in its number
            s.execute(update(ServiceOrder).where(ServiceOrder.order_no == west_no)
                      .values(order_no="IMPORTED-0001"))
        by_order = add_conflict(server, "18612345698", "IMPORTED-0001", "IMPORTED-0002", now)
        both = add_conflict(server, "18612345697", "DEMO01-B01-20261122-00042-Z",
                            "WEST02-B01-20261122-00043-Z", now)
        with server.read() as s:
            assert len(s.execute(select(LineConflict.id)).all()) == 4

        h.sync(h.a, h.b)
        run_sync(west, pg_url)
        for ws in (a, b):
            assert uids(ws) == demo | {both}
        assert uids(west) == {by_number, by_order, both}
    finally:
        for db in (a, b, server):
            db.dispose()
