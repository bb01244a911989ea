"""A PC that replaces a dead one at the same counter on the same day numbers after the orders
the old one synced (#13): its first sync pulls them, and its numbering goes on from there, so
the server takes its orders instead of refusing numbers it already holds."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from app.clock import FixedClock
from app.db import Database, open_database
from app.models import OrderSequence, ServiceOrder
from app.services.hall.demo import DEMO_PASSWORD, fill_demo
from app.services.orders.numbering import serial_of
from app.services.orders.service import OrderService, Submission
from app.services.staff.auth import login
from app.services.sync.hall.retire import release_workstation
from app.services.sync.identity import workstation_id
from app.services.sync.run import run_sync
from tests.builders import bill_payment as payment
from tests.test_sync_release import b_serving_at_c02, new_pc

pytestmark = pytest.mark.postgres


def server_order_nos(pg_url: str) -> list[str]:
    server = open_database(pg_url, migrate=False)
    try:
        with server.read() as s:
            return sorted(s.execute(select(ServiceOrder.order_no).where(
                ServiceOrder.order_no.like("DEMO01-C02-%"))).scalars())
    finally:
        server.dispose()


def test_a_new_pc_at_the_counter_numbers_after_the_old_ones_orders(
        opened: Callable[[str], Database], pg_url: str, clock: FixedClock) -> None:
    a, b, clerk = b_serving_at_c02(opened, pg_url)
    old = [OrderService(b).submit(Submission(payment(n)), clerk).order_no
           for n in ("18612345680", "18612345681")]
    run_sync(b, pg_url)  # everything B took is on the server; then B's disk dies
    server = open_database(pg_url, clock=clock, migrate=False)
    try:
        admin = login(a, "A001", DEMO_PASSWORD, "C01")
        release_workstation(a, server, workstation_id(b), admin, "硬盘损坏，已换新机")
    finally:
        server.dispose()

    c = new_pc(opened, "c")
    run_sync(c, pg_url, origin="WSC")  # pulls the hall: B's orders and its open shift
    with c.read() as s:
        assert s.execute(select(func.max(OrderSequence.last))).scalar() == 2
    clerk_at_c = login(c, "C002", DEMO_PASSWORD, "C02")
    new = OrderService(c).submit(Submission(payment("18612345682")), clerk_at_c).order_no
    assert new is not None and [serial_of(n) for n in (*old, new)] == [1, 2, 3]
    report = run_sync(c, pg_url)
    assert not report.issues, report.issues
    assert server_order_nos(pg_url) == sorted([*old, new])


def test_pulled_numbers_never_lower_the_counters_own_numbering(
        opened: Callable[[str], Database]) -> None:
    from app.models import Counter
    from app.services.orders.numbering import advance_numbering, format_order_no
    from tests.builders import DAY

    db = opened("solo")
    fill_demo(db, customers=1)
    with db.session() as s:
        cid = s.execute(select(Counter.id).where(Counter.code == "C01")).scalar_one()
        advance_numbering(s, [(cid, DAY, format_order_no("DEMO01", "C01", DAY, 7)),
                              (cid, DAY, format_order_no("DEMO01", "C01", DAY, 3)),
                              (cid, DAY, "not an order number")])
    with db.session() as s:
        advance_numbering(s, [(cid, DAY, format_order_no("DEMO01", "C01", DAY, 5))])
    with db.read() as s:
        assert s.execute(select(OrderSequence.last).where(
            OrderSequence.counter_id == cid, OrderSequence.business_date == DAY)
        ).scalar_one() == 7
