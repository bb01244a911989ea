"""The day's sign-off is refused while any counter of the hall still holds orders of that day,
checked from any workstation (real PostgreSQL server, tests/pg_server.py).

Workstation B records an order while its sync is pushing (the run leaves it for the next run)
and so tells the server it still holds one order of the day; at A, after A's sync, the sign-off
is refused with one line naming counter C02, the orders waiting and B's last sync. After B's
next sync, A's checklist names C02 again until A has pulled B's orders (B's last serial is
past A's copy); after A's sync the item is gone. A hall without a server keeps only the local
check.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from app.clock import FixedClock
from app.db import Database
from app.models import WorkstationDay
from app.services.day.signoff import SignoffRefused, checklist, sign_off_day
from app.services.hall.demo import DEMO_PASSWORD, fill_demo
from app.services.hall.registry import Actor, ensure_hall
from app.services.orders.service import OrderService, Submission
from app.services.staff.auth import login
from app.services.sync.run import SyncClient, run_sync
from tests.builders import DAY
from tests.builders import bill_payment as payment

pytestmark = pytest.mark.postgres




def batch_actor_of(db: Database, code: str) -> Actor:
    """A batch channel of its own (no shift needed, so the day has no open shift)."""
    from app.services.hall.registry import ensure_counter

    with db.session() as s:
        hall = ensure_hall(s)
        counter = ensure_counter(s, hall, code, batch=True)
        return Actor(None, "batch", "批量受理", "clerk", hall.id, counter.id, code,
                     channel="batch")


def unsynced(db: Database, sup: Actor) -> list[tuple[str, str]]:
    return [(i.ref, i.zh) for i in checklist(db, sup, DAY).items if i.kind == "unsynced"]


def test_signoff_waits_for_every_counter_of_the_hall(
        opened: Callable[[str], Database], pg_url: str, clock: FixedClock) -> None:
    a = opened("a")
    fill_demo(a, customers=1)
    run_sync(a, pg_url, origin="WSA")
    b = opened("b")
    with b.session() as s:
        ensure_hall(s)
    run_sync(b, pg_url, origin="WSB")
    sup = login(a, "S001", DEMO_PASSWORD, "C03")
    actor_b = batch_actor_of(b, "B02")
    svc = OrderService(b)
    assert svc.submit(Submission(payment("18612345670")), actor_b).order_no

    # B's sync: an order recorded while it pushes stays for the next run, and B says so.
    def record_meanwhile(done: int, total: int) -> None:
        if not recorded:
            recorded.append(svc.submit(Submission(payment("18612345671")), actor_b).order_no)

    recorded: list[str | None] = []
    client = SyncClient(b, pg_url)
    try:
        client.run(progress=record_meanwhile)
    finally:
        client.close()
    assert recorded and recorded[0]
    with b.read() as s:
        assert [(r.counter_code, r.waiting, r.last_serial) for r in s.execute(
            select(WorkstationDay)).scalars()] == []  # its own rows stay on the server only
    assert [ref for ref, _ in unsynced(b, login(b, "S001", DEMO_PASSWORD, "C03"))] == ["B02"]

    run_sync(a, pg_url)
    items = unsynced(a, sup)
    assert len(items) == 1 and items[0][0] == "B02"
    assert "1 笔订单尚未同步" in items[0][1] and "WSB" in items[0][1]
    assert "上次同步 11-22 10:00" in items[0][1]
    with pytest.raises(SignoffRefused) as refused:
        sign_off_day(a, sup, DAY)
    assert "B02" in refused.value.zh

    run_sync(b, pg_url)  # B's order reaches the server; A has not pulled it yet
    with a.session() as s:  # A's copy of B's report as a pull would bring it
        for r in s.execute(select(WorkstationDay)).scalars():
            r.waiting, r.last_serial = 0, 2
    items = unsynced(a, sup)
    assert [ref for ref, _ in items] == ["B02"] and "第 2 笔" in items[0][1]

    run_sync(a, pg_url)
    assert unsynced(a, sup) == []


def test_a_hall_without_a_server_keeps_the_local_check(
        opened: Callable[[str], Database], clock: FixedClock) -> None:
    a = opened("a")
    fill_demo(a, customers=1)
    sup = login(a, "S001", DEMO_PASSWORD, "C03")
    assert OrderService(a).submit(Submission(payment("18612345670")),
                                  batch_actor_of(a, "B02")).order_no
    assert unsynced(a, sup) == []
    sign_off_day(a, sup, DAY)
