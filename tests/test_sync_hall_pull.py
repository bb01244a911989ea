"""The whole hall on every workstation, against a real PostgreSQL server (tests/pg_server.py).

Two workstations of one hall (counters C01 and C02) each open a shift and record orders; both
sync, twice. Afterwards each holds the other's orders (with fees and payments), shifts and
intake log; the hall's day totals (`hall_day_totals`) and the supervisor's day overview are the
same on both and equal the server's; nothing pulled is pushed back or makes a workstation claim
the other's order-number prefix; `counter audit verify` holds on both. A hall setting changed
at one counter is in force at the other after its sync, a tariff with it. An area server with
a second hall: its rows are not pulled.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from app.clock import FixedClock
from app.core.request import parse_request
from app.db import Database, open_database
from app.models import (
    Counter,
    FollowUpTask,
    Hall,
    IntakeEntry,
    OrderPayment,
    ServiceOrder,
    Staff,
    SyncOutbox,
    WorkstationClaim,
)
from app.models.day import Complaint, Shift
from app.services.audit.verify import verify_audit
from app.services.day.counts import Counts
from app.services.day.hall_totals import hall_day_totals
from app.services.day.items import CHECKLIST_CODES, INVOICE, SIM_CARD
from app.services.day.registers import hand_over
from app.services.day.review import overview
from app.services.day.shifts import open_shift
from app.services.day.todo import history, my_items
from app.services.hall.demo import DEMO_PASSWORD, fill_demo
from app.services.hall.registry import Actor, ensure_counter, ensure_hall
from app.services.hall.settings import current_config, set_from_text, update_tariff
from app.services.orders.service import OrderService, Submission
from app.services.staff.auth import login
from app.services.sync.identity import workstation_id
from app.services.sync.run import run_sync
from tests.builders import DAY, OWNER, PERSON
from tests.builders import bill_payment as payment
from tests.builders import counter_line as line

pytestmark = pytest.mark.postgres




def refused(number: str) -> Any:
    """A request the rules refuse (a number change with arrears): an intake entry, no order."""
    return parse_request({"service": "number_change", "customer": PERSON, "presenter": OWNER,
                          "documents": [], "details": {"new_number": "18612340000"},
                          "signature": True, "line": line(number, arrears=58)})


def complaint(number: str) -> Any:
    """An order with a complaint and its follow-up."""
    return parse_request({"service": "complaint", "customer": PERSON, "presenter": OWNER,
                          "documents": [], "signature": True, "line": line(number),
                          "details": {"subject": "网速慢", "description": "晚上八点后网速很慢",
                                      "contact_phone": "13912345678"}})


def start_shift(db: Database, actor: Actor) -> None:
    open_shift(db, actor, dict.fromkeys(CHECKLIST_CODES, True),
               Counts(stock={SIM_CARD: 5, INVOICE: 10}, cash={10000: 1},
                      invoice_first="00000001", invoice_last="00000010"))


def second_workstation(opened: Callable[[str], Database], name: str) -> Database:
    """A new counter PC of the demo hall: only the hall's row, everything else pulled."""
    db = opened(name)
    with db.session() as s:
        ensure_hall(s)
    return db


def server_db(pg_url: str, clock: FixedClock) -> Database:
    return open_database(pg_url, clock=clock, migrate=False)


def day_view(db: Database, actor: Actor) -> tuple[Any, ...]:
    ov = overview(db, actor, DAY)
    return (sorted((r.counter_code, r.staff_no, r.status) for r in ov.shifts),
            sorted((r.clerk, r.service, r.decision) for r in ov.intakes))


def test_two_counters_see_the_whole_hall_after_syncing(
        opened: Callable[[str], Database], pg_url: str, clock: FixedClock) -> None:
    a = opened("a")
    fill_demo(a, customers=3)
    run_sync(a, pg_url, origin="WSA")
    b = second_workstation(opened, "b")
    run_sync(b, pg_url, origin="WSB")

    clerk_a = login(a, "C001", DEMO_PASSWORD, "C01")
    clerk_b = login(b, "C002", DEMO_PASSWORD, "C02")  # an account made at A, pulled by B
    start_shift(a, clerk_a)
    start_shift(b, clerk_b)
    for i, number in enumerate(("18612345670", "18612345671", "18612345672")):
        assert OrderService(a).submit(Submission(payment(number, 10 + i)), clerk_a).order_no
        clock.advance(minutes=2)
    assert OrderService(a).submit(Submission(complaint("18612345670")), clerk_a).order_no
    for number in ("18612345680", "18612345681"):
        assert OrderService(b).submit(Submission(payment(number, 50)), clerk_b).order_no
    assert OrderService(b).submit(Submission(refused("18612345689")), clerk_b).order_no is None

    for _ in range(2):
        run_sync(a, pg_url)
        run_sync(b, pg_url)
    for ws in (a, b):  # nothing pulled waits to be pushed back
        with ws.read() as s:
            assert s.execute(select(func.count(SyncOutbox.id))).scalar() == 0

    server = server_db(pg_url, clock)
    try:
        expected = hall_day_totals(server, "DEMO01", DAY)
        assert expected["orders"] == 6
        assert set(expected["counters"]) == {"C01", "C02"}
        assert expected["amount_paid_fen"] == (10 + 11 + 12 + 50 + 50) * 100
        for ws in (a, b):
            assert hall_day_totals(ws, "DEMO01", DAY) == expected
        with server.read() as s:
            claims = dict(s.execute(select(WorkstationClaim.name, WorkstationClaim.workstation)
                                    .where(WorkstationClaim.kind == "counter")).all())
        # pulled orders never made a workstation claim the other's prefix
        assert claims == {"DEMO01-C01": workstation_id(a), "DEMO01-C02": workstation_id(b)}
        with server.read() as s:
            hall_id = s.execute(select(Hall.id).where(Hall.code == "DEMO01")).scalar_one()
        on_server = day_view(server, Actor(None, "S001", "王丽", "supervisor", hall_id, 0,
                                           "C03"))
    finally:
        server.dispose()

    sup_a = login(a, "S001", DEMO_PASSWORD, "C03")
    sup_b = login(b, "S001", DEMO_PASSWORD, "C03")
    view = day_view(a, sup_a)
    assert view == day_view(b, sup_b) == on_server
    assert view[0] == [("C01", "C001", "open"), ("C02", "C002", "open")]
    assert len(view[1]) == 1  # B's refused request, in A's intake log too
    follow_ups: list[int | None] = []
    for ws in (a, b):
        with ws.read() as s:
            assert s.execute(select(func.count(Shift.id))).scalar() == 2
            assert s.execute(select(func.count(IntakeEntry.id))).scalar() == 1
            assert s.execute(select(func.count(OrderPayment.id))).scalar() == 5
            assert s.execute(select(func.count(Complaint.id))).scalar() == 1
            follow_ups.append(s.execute(select(func.count(FollowUpTask.id))).scalar())
        report = verify_audit(ws)
        assert report.ok, (report.reason, report.rows, report.anchor_problem)
    assert follow_ups[0] == follow_ups[1] and follow_ups[0]


def test_a_hall_setting_changed_at_one_counter_is_in_force_at_the_other(
        opened: Callable[[str], Database], pg_url: str, clock: FixedClock) -> None:
    a = opened("a")
    fill_demo(a, customers=1)
    run_sync(a, pg_url, origin="WSA")
    b = second_workstation(opened, "b")
    run_sync(b, pg_url, origin="WSB")
    manager = login(a, "M001", DEMO_PASSWORD, "C03")
    with a.read() as s:
        hall = s.execute(select(Hall)).scalar_one()
        item = next(iter(current_config(s, hall).tariff_fen))
        before = current_config(s, hall).tariff_fen[item]
    update_tariff(a, manager, {item: 123}, reason="调价")
    set_from_text(a, manager, "complaint_answer_hours", "24")
    run_sync(a, pg_url)
    run_sync(b, pg_url)
    for ws in (a, b):
        with ws.read() as s:
            hall = s.execute(select(Hall)).scalar_one()
            assert current_config(s, hall).as_of(DAY).tariff_fen[item] == 12300 != before
            assert current_config(s, hall).complaint_answer_hours == 24
        assert verify_audit(ws).ok


def test_rows_of_another_hall_on_the_area_server_are_not_pulled(
        opened: Callable[[str], Database], pg_url: str, clock: FixedClock) -> None:
    a = opened("a")
    fill_demo(a, customers=1)
    run_sync(a, pg_url, origin="WSA")
    other = opened("other")
    with other.session() as s:  # a workstation of another hall on the same server
        hall = Hall(code="WEST02", name="城西营业厅", carrier="unicom", config={})
        s.add(hall)
        s.flush()
        counter = ensure_counter(s, hall, "B01", batch=True)
        actor = Actor(None, "batch", "批量受理", "clerk", hall.id, counter.id, "B01",
                      channel="batch")
    assert OrderService(other).submit(Submission(payment("18612345699")), actor).order_no
    run_sync(other, pg_url, origin="WEST")
    run_sync(a, pg_url)
    with a.read() as s:
        assert s.execute(select(func.count(ServiceOrder.id))).scalar() == 0
        assert s.execute(select(Hall.code)).scalars().all() == ["DEMO01"]
        assert s.execute(select(func.count(Counter.id)).join(Hall).where(
            Hall.code == "WEST02")).scalar() == 0
        assert "WEST" not in " ".join(s.execute(select(Staff.staff_no)).scalars())


def test_a_hand_over_at_one_counter_shows_at_the_other(
        opened: Callable[[str], Database], pg_url: str, clock: FixedClock) -> None:
    a = opened("a")
    fill_demo(a, customers=1)
    run_sync(a, pg_url, origin="WSA")
    b = second_workstation(opened, "b")
    run_sync(b, pg_url, origin="WSB")
    clerk_a = login(a, "C001", DEMO_PASSWORD, "C01")
    start_shift(a, clerk_a)
    assert OrderService(a).submit(Submission(complaint("18612345670")), clerk_a).order_no
    with a.read() as s:
        complaint_a, uid = s.execute(select(Complaint.id, Complaint.uid)).one()
    hand_over(a, clerk_a, "complaint", complaint_a, "C002", "下班前转交")
    run_sync(a, pg_url)
    run_sync(b, pg_url)
    with b.read() as s:
        complaint_b = s.execute(select(Complaint.id).where(Complaint.uid == uid)).scalar_one()
        owner = s.execute(select(Staff.staff_no).join(
            Complaint, Complaint.owner_staff_id == Staff.id)).scalar_one()
    assert owner == "C002"
    assert [(h.from_name, h.to_name, h.reason) for h in history(b, "complaint", complaint_b)] \
        == [(h.from_name, h.to_name, h.reason) for h in history(a, "complaint", complaint_a)] \
        == [("李明", "赵敏", "下班前转交")]
    clerk_b = login(b, "C002", DEMO_PASSWORD, "C02")
    assert any(i.kind == "complaint" and i.id == complaint_b for i in my_items(b, clerk_b))
    assert verify_audit(b).ok
