"""The visit's queue ticket and the day's waiting and handling times, on SQLite and PostgreSQL.

A morning at two counters with known times (the frozen clock moved by hand): tickets called
from a queue system and typed by hand, a visit with two services, one without any order, one
whose time of issue is unknown, a no-show, one still being served. The figures (count, average,
90th percentile by nearest rank) are worked out by hand below.
"""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.clock import FixedClock
from app.core.request import parse_request
from app.db import Database
from app.devices.queue import QueueError, Ticket
from app.models import QueueTicket, ServiceOrder
from app.security import PermissionDenied
from app.services.audit.verify import verify_audit
from app.services.day.counts import Counts
from app.services.day.items import CHECKLIST_CODES, SIM_CARD
from app.services.day.queue_times import mmss, percentile_90, queue_times
from app.services.day.queue_visits import (
    call_next,
    current_visit,
    finish_visit,
    record_ticket,
    skip_ticket,
)
from app.services.day.shifts import close_shift, open_shift
from app.services.hall.demo import DEMO_PASSWORD
from app.services.hall.registry import Actor
from app.services.orders.service import OrderError, OrderService, PaymentIn, Submission
from app.services.staff.auth import login
from tests.builders import DAY, HALL_ZONE, NOW, OWNER, PERSON
from tests.builders import counter_line as line


class FakeCaller:
    """A queue system in-process (the HTTP adapter has its own tests against a fake server)."""

    kind = "http"
    manual = False

    def __init__(self, window: int = 3) -> None:
        self.window = window
        self.tickets: deque[Ticket] = deque()
        self.calls: list[tuple[str, str, int | None]] = []

    def call_next(self, window: int | None = None, clerk_no: str = "") -> Ticket | None:
        self.calls.append(("call-next", clerk_no, window))
        return self.tickets.popleft() if self.tickets else None

    def recall(self, ticket: Ticket, window: int | None = None, clerk_no: str = "") -> None:
        self.calls.append(("recall", ticket.number, window))

    def skip(self, ticket: Ticket, window: int | None = None, clerk_no: str = "") -> None:
        self.calls.append(("skip", ticket.number, window))


def at(hh: int, mm: int, ss: int = 0) -> datetime:
    return datetime.combine(DAY, datetime.min.time(), HALL_ZONE).replace(hour=hh, minute=mm,
                                                                        second=ss)


def request(service: str, details: dict[str, Any], number: str) -> Any:
    return parse_request({"service": service, "customer": PERSON, "presenter": OWNER,
                          "documents": [], "details": details, "signature": True,
                          "business_date": DAY.isoformat(), "line": line(number)})


def clerk_on_shift(db: Database, staff_no: str, counter: str, sim_cards: int = 0) -> Actor:
    """A clerk logged in at a counter whose shift is open (with blank SIM cards counted)."""
    actor = login(db, staff_no, DEMO_PASSWORD, counter)
    open_shift(db, actor, dict.fromkeys(CHECKLIST_CODES, True),
               Counts(stock={SIM_CARD: sim_cards} if sim_cards else {}))
    return actor


def pay_bill(svc: OrderService, actor: Actor, number: str) -> str:
    result = svc.submit(Submission(request("bill_payment", {"amount": 50}, number)), actor)
    assert result.order_no, result.evaluation.violations
    return result.order_no


def a_morning(db: Database, clock: FixedClock) -> dict[str, Any]:
    svc = OrderService(db)
    li, zhao = clerk_on_shift(db, "C001", "C01", sim_cards=5), clerk_on_shift(db, "C002", "C02")
    queue = FakeCaller()
    orders: dict[str, list[str]] = {}

    # 李明, C01: A001 waited 10:00, one bill paid, "接待下一位" at 10:03 (handled 3:00).
    queue.tickets.append(Ticket("A001", at(9, 50), "缴费"))
    visit = call_next(db, li, queue)
    assert visit is not None and visit.waited_seconds == 600
    clock.set(at(10, 2))
    orders["A001"] = [pay_bill(svc, li, "18612340101")]
    clock.set(at(10, 3))
    finish_visit(db, li)
    # A002 at 10:05 (waited 10:00): a bill, "接待下一位", then a SIM card for the same
    # customer and "接待下一位" again at 10:12: one visit, handled 7:00, under both services.
    clock.set(at(10, 5))
    queue.tickets.append(Ticket("A002", at(9, 55)))
    call_next(db, li, queue)
    clock.set(at(10, 7))
    orders["A002"] = [pay_bill(svc, li, "18612340102")]
    clock.set(at(10, 8))
    finish_visit(db, li)
    clock.set(at(10, 10))
    sim = svc.submit(Submission(request("sim_replacement",
                                        {"new_sim_serial": "89860112345678901234"},
                                        "18612340102"),
                                payments=[PaymentIn("card", 1000)]), li)
    assert sim.order_no, sim.evaluation.violations
    orders["A002"].append(sim.order_no)
    clock.set(at(10, 12))
    finish_visit(db, li)

    # 赵敏, C02, no queue system: B001 typed with its time (waited 15:00), an enquiry only.
    clock.set(at(10, 15))
    record_ticket(db, zhao, " b001 ", "10:00")
    clock.set(at(10, 16))
    finish_visit(db, zhao)
    # B002 typed without its time: waiting unknown; a bill; no "接待下一位": the next call at
    # 10:25 ends it (handled 5:00).
    clock.set(at(10, 20))
    record_ticket(db, zhao, "B002")
    clock.set(at(10, 22))
    orders["B002"] = [pay_bill(svc, zhao, "18612340103")]
    clock.set(at(10, 25))
    queue.tickets.append(Ticket("B003", at(10, 24, 30)))
    call_next(db, zhao, queue)
    skip_ticket(db, zhao, queue)  # B003 never came
    # 李明 calls A003 at 10:30 (waited 1:00) and is still serving it.
    clock.set(at(10, 30))
    queue.tickets.append(Ticket("A003", at(10, 29)))
    call_next(db, li, queue)
    return {"orders": orders, "queue": queue, "li": li, "zhao": zhao}


def test_a_morning_of_visits(demo_db: Database, clock: FixedClock) -> None:
    morning = a_morning(demo_db, clock)
    with demo_db.read() as s:
        tickets = {t.ticket_no: t for t in s.scalars(select(QueueTicket))}
        linked = {o.order_no: tickets_no for o, tickets_no in s.execute(
            select(ServiceOrder, QueueTicket.ticket_no)
            .join(QueueTicket, QueueTicket.id == ServiceOrder.queue_ticket_id))}
    assert {t: tickets[t].status for t in tickets} == {
        "A001": "done", "A002": "done", "B001": "done", "B002": "done", "B003": "no_show",
        "A003": "serving"}
    for ticket_no, order_nos in morning["orders"].items():
        assert all(linked[o] == ticket_no for o in order_nos)
    assert len(linked) == 4
    assert tickets["A002"].finished_at == at(10, 12)  # the second "接待下一位" moved the end
    assert tickets["B002"].issued_at is None and tickets["B002"].source == "manual"
    assert tickets["B002"].finished_at == at(10, 25)  # ended by the next call
    assert tickets["B001"].issued_at == at(10, 0) and tickets["A001"].service_hint == "缴费"
    assert tickets["A001"].window_no == 3 and tickets["B001"].window_no is None
    assert ("skip", "B003", 3) in morning["queue"].calls

    supervisor = login(demo_db, "S001", DEMO_PASSWORD, "C03")
    times = queue_times(demo_db, supervisor, DAY)
    assert (times.no_shows, times.serving) == (1, 1)

    def figures(row: Any) -> tuple[Any, ...]:
        w, h = row.waiting, row.handling
        return (row.visits, w.count, w.avg, w.p90, h.count, h.avg, h.p90)

    assert figures(times.overall) == (5, 4, 540, 900, 4, 240, 420)
    by_clerk = {r.key: (r.name, *figures(r)) for r in times.per_clerk}
    assert by_clerk == {"C001": ("李明", 3, 3, 420, 600, 2, 300, 420),
                        "C002": ("赵敏", 2, 1, 900, 900, 2, 180, 300)}
    by_service = [(r.key, figures(r)) for r in times.per_service]
    assert by_service == [
        ("bill_payment", (3, 2, 600, 600, 3, 300, 420)),
        ("sim_replacement", (1, 1, 600, 600, 1, 420, 420)),
        ("", (2, 2, 480, 900, 1, 60, 60)),  # visits without an order come last
    ]
    assert times.per_service[-1].name == "未产生订单"

    with pytest.raises(PermissionDenied):  # the figures are the supervisor's
        queue_times(demo_db, morning["li"], DAY)


def test_percentile_and_minutes_seconds() -> None:
    assert percentile_90([]) is None
    assert percentile_90([5.0]) == 5.0
    assert percentile_90([float(x) for x in range(1, 11)]) == 9.0  # ceil(9.0) = 9th
    assert percentile_90([float(x) for x in range(1, 12)]) == 10.0  # ceil(9.9) = 10th
    assert [mmss(v) for v in (None, 0, 59.6, 245, 4530)] == ["—", "0:00", "1:00", "4:05",
                                                            "75:30"]


def test_typed_tickets_are_checked(demo_db: Database, clock: FixedClock) -> None:
    li = clerk_on_shift(demo_db, "C001", "C01")
    with pytest.raises(QueueError, match="1 to 8 letters or digits"):
        record_ticket(demo_db, li, "A-023")
    with pytest.raises(QueueError, match="later than now"):
        record_ticket(demo_db, li, "A023", "10:30")  # the clock stands at 10:00
    with pytest.raises(QueueError, match="hours:minutes"):
        record_ticket(demo_db, li, "A023", "half past nine")
    with demo_db.read() as s:
        assert s.scalars(select(QueueTicket)).first() is None
    visit = record_ticket(demo_db, li, "ａ０２３", "9:41")
    assert visit.ticket_no == "A023" and visit.waited_seconds == 19 * 60


def test_nobody_is_called_without_an_open_shift(demo_db: Database, clock: FixedClock) -> None:
    clerk = login(demo_db, "C001", DEMO_PASSWORD, "C01")
    queue = FakeCaller()
    queue.tickets.append(Ticket("A001", at(9, 50)))
    with pytest.raises(OrderError, match="open shift"):
        call_next(demo_db, clerk, queue)
    assert queue.calls == [] and len(queue.tickets) == 1  # the ticket is still waiting
    with pytest.raises(OrderError):
        record_ticket(demo_db, clerk, "A001")


def test_nobody_waiting_leaves_the_current_visit(demo_db: Database, clock: FixedClock) -> None:
    li = clerk_on_shift(demo_db, "C001", "C01")
    queue = FakeCaller()
    queue.tickets.append(Ticket("A001", at(9, 58)))
    first = call_next(demo_db, li, queue)
    clock.advance(minutes=2)
    assert call_next(demo_db, li, queue) is None
    current = current_visit(demo_db, li)
    assert first is not None and current is not None
    assert (current.ticket_no, current.status, current.finished_at) == ("A001", "serving", None)


def test_a_queue_server_clock_ahead_is_no_negative_wait(demo_db: Database,
                                                       clock: FixedClock) -> None:
    li = clerk_on_shift(demo_db, "C001", "C01")
    queue = FakeCaller()
    queue.tickets.append(Ticket("A001", NOW + timedelta(seconds=20)))
    visit = call_next(demo_db, li, queue)
    assert visit is not None and visit.issued_at == NOW and visit.waited_seconds == 0


def test_closing_the_shift_ends_the_visit(demo_db: Database, clock: FixedClock) -> None:
    li = clerk_on_shift(demo_db, "C001", "C01")
    record_ticket(demo_db, li, "A001", "9:55")
    clock.set(at(10, 20))
    close_shift(demo_db, li, Counts(), {})
    with demo_db.read() as s:
        ticket = s.scalars(select(QueueTicket)).one()
    assert (ticket.status, ticket.finished_at) == ("done", at(10, 20))


def test_orders_without_a_visit_and_batch_orders_are_not_linked(
        demo_db: Database, clock: FixedClock) -> None:
    from app.services.hall.registry import batch_actor

    svc = OrderService(demo_db)
    li = clerk_on_shift(demo_db, "C001", "C01")
    zhao = clerk_on_shift(demo_db, "C002", "C02")
    record_ticket(demo_db, zhao, "B001")  # another counter's visit
    pay_bill(svc, li, "18612340201")
    batch = svc.submit(Submission(request("bill_payment", {"amount": 30}, "18612340202")),
                       batch_actor(demo_db))
    assert batch.order_no
    with demo_db.read() as s:
        assert set(s.scalars(select(ServiceOrder.queue_ticket_id))) == {None}


def test_seals_hold_with_linked_orders(demo_db: Database, clock: FixedClock) -> None:
    """The link is not a sealed column: orders made in a visit verify as before."""
    a_morning(demo_db, clock)
    report = verify_audit(demo_db)
    assert report.ok, report.rows
    assert report.rows_checked > 0


def test_the_daily_report_shows_waiting_and_handling(demo_db: Database,
                                                     clock: FixedClock) -> None:
    import io

    from pypdf import PdfReader

    from app.printing import render_daily_report
    from app.services.day.reports import build_daily_report

    a_morning(demo_db, clock)
    report = build_daily_report(demo_db, DAY)
    rows = [(q.group, q.name, q.visits, q.wait_avg, q.wait_p90, q.handle_avg, q.handle_p90)
            for q in report.queue]
    assert rows == [
        ("合计", "合计", 5, "9:00", "15:00", "4:00", "7:00"),
        ("业务", "缴费", 3, "10:00", "10:00", "5:00", "7:00"),
        ("业务", "补(换)卡", 1, "10:00", "10:00", "7:00", "7:00"),
        ("业务", "未产生订单", 2, "8:00", "15:00", "1:00", "1:00"),
        ("营业员", "李明（C001）", 3, "7:00", "10:00", "5:00", "7:00"),
        ("营业员", "赵敏（C002）", 2, "15:00", "15:00", "3:00", "5:00"),
    ]
    assert any("过号 1 人，未结束接待 1 人" in n for n in report.notes)
    text = "".join(p.extract_text() or "" for p in
                   PdfReader(io.BytesIO(render_daily_report(report))).pages)
    flat = text.replace("\n", " ")
    assert "排队叫号" in flat and "P90 等候" in flat
    assert "李明（C001）" in flat and "15:00" in flat and "未产生订单" in flat
