"""What the order service calls inside its own write transaction (the hall's day).

* `require_open_shift` before a counter order is recorded: no business before the shift opens;
* `on_order_recorded` after an order is stored: what it used from stock (a SIM card with its
  serial, an invoice, a campaign gift, value cards by serial; refused when the counter has
  none: `app.services.stock`), the money it took or paid out, and the register entry a
  complaint or fault report opens;
* `on_order_voided` when an order is voided: an `OrderVoid` entry and reversing entries.

All three refuse a write dated a signed-off business date (`DayLocked`): once the supervisor
has signed a day off, only a `Correction` linked to it can change that day.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, bindparam, func, insert, select
from sqlalchemy.orm import Session

from app.clock import business_date, zone_of
from app.db import clock_of
from app.models import FollowUpTask, Hall, OrderPayment, ServiceOrder, Staff
from app.models.base import new_uid
from app.models.day import (
    CashEntry,
    Complaint,
    DaySignoff,
    FaultTicket,
    OrderVoid,
    Shift,
    StockMovement,
)
from app.services.audit.driver_sql import connection_of, run
from app.services.day.items import INVOICE
from app.services.hall.registry import Actor, hall_config
from app.services.orders.service import OrderError, RecordedOrder

FAULT_HOURS = {"ordinary": 12, "cable_cut": 24}
CALLBACK_DAYS = 7


class DayLocked(OrderError):
    """A write dated a business date that the supervisor has signed off."""

    def __init__(self, day: date) -> None:
        super().__init__(
            f"{day.isoformat()} 营业日已日结签核，不能再修改；如需更正，请由值班长登记关联该日的更正记录",
            f"business date {day.isoformat()} is signed off: only a correction linked to it "
            "may be recorded")
        self.day = day


def hall_zone(session: Session, hall_id: int) -> ZoneInfo:
    hall = session.get(Hall, hall_id)
    return zone_of(hall_config(hall).timezone if hall else None)


def local_today(session: Session, hall_id: int, now: datetime | None = None) -> date:
    """The hall's business date at `now` (default: now by the session's clock): its local
    date, not the UTC one."""
    zone = hall_zone(session, hall_id)
    return now.astimezone(zone).date() if now else business_date(clock_of(session), zone)


def is_locked(session: Session, hall_id: int, day: date) -> bool:
    return session.execute(select(DaySignoff.id).where(
        DaySignoff.hall_id == hall_id, DaySignoff.business_date == day)).first() is not None


def ensure_day_open(session: Session, hall_id: int, day: date) -> None:
    if is_locked(session, hall_id, day):
        raise DayLocked(day)


def open_shift_at(session: Session, counter_id: int) -> Shift | None:
    return session.execute(select(Shift).where(
        Shift.counter_id == counter_id, Shift.status == "open")).scalar_one_or_none()


def require_open_shift(session: Session, actor: Actor) -> Shift:
    """The clerk's open shift at this counter, or `OrderError` telling what to do."""
    shift = open_shift_at(session, actor.counter_id)
    if shift is None:
        raise OrderError("本柜台尚未开班，不能受理业务",
                         "this counter has no open shift: open the shift first")
    if shift.staff_id != actor.staff_id:
        holder = session.get(Staff, shift.staff_id)
        name = holder.name if holder else "其他员工"
        raise OrderError(f"本柜台当前班次属于{name}，请先由其交班，再由您本人开班",
                         "the open shift at this counter belongs to another clerk")
    ensure_day_open(session, actor.hall_id, shift.business_date)
    return shift


def on_order_recorded(session: Session, actor: Actor, order: RecordedOrder, *,
                      shift: Shift | None = None,
                      payments: Sequence[tuple[str, int]] | None = None) -> None:
    """Record what the order used and took, in the order's own transaction. `shift` is the
    counter's open shift as `require_open_shift` gave it in this transaction, `payments` the
    (method, amount) rows just written: passed in, they are not read again."""
    # Plain statements on the driver's cursor (`driver_sql`): no unit of work, no execution
    # machinery for rows written once (#17).
    conn = connection_of(session)
    checked = (shift is not None and shift.business_date == order.business_date
               and actor.hall_id == order.hall_id)  # `require_open_shift` saw the day open
    if not checked and run(conn, _SIGNED_OFF, {"hall_id": order.hall_id,
                                               "day": order.business_date}).first():
        raise DayLocked(order.business_date)  # as `ensure_day_open`
    if actor.channel != "counter":
        shift = None
    else:
        if shift is None:
            shift = require_open_shift(session, actor)
        if shift.business_date != order.business_date:
            raise OrderError(
                f"订单营业日期 {order.business_date.isoformat()} 与本班次营业日期 "
                f"{shift.business_date.isoformat()} 不符", "the order's business date is not the "
                "shift's: close the shift and open a new one")
    common = {"shift_id": shift.id if shift else None, "order_id": order.id,
              "business_date": order.business_date, "counter_id": order.counter_id,
              "staff_id": order.staff_id, "channel": actor.channel}
    if payments is None:
        payments = [(m, a) for m, a in run(conn, _ORDER_PAYMENTS, {"order_id": order.id}).rows]
    cash = [{"uid": new_uid(), "kind": "payment" if amount >= 0 else "refund",
             "method": method, "amount_fen": amount, **common} for method, amount in payments]
    if cash:
        run(conn, _INSERT_CASH, cash)
    details = order.details or {}
    # SIM card, gift, value cards: refused when the counter has none (`app.services.stock`).
    from app.services.stock.issues import issued_items, require_issuable

    require_issuable(session, order.counter_id if shift else None, order.service, details)
    uses = issued_items(order.service, details)
    if any(amount > 0 for _, amount in payments):
        uses.append((INVOICE, None))
    if uses:
        run(conn, _INSERT_STOCK, [{"uid": new_uid(), "kind": "use", "item": item,
                                   "quantity": 1, "serial": serial, "voucher_id": None,
                                   **common} for item, serial in uses])
    if order.service == "complaint":
        _open_complaint(session, order, details)
        session.flush()
    elif order.service == "fault_report":
        _open_fault(session, order, details)
        session.flush()


_SIGNED_OFF = select(DaySignoff.id).where(DaySignoff.hall_id == bindparam("hall_id"),
                                        DaySignoff.business_date == bindparam("day"))
_ORDER_PAYMENTS = select(OrderPayment.method, OrderPayment.amount_fen).where(
    OrderPayment.order_id == bindparam("order_id"))
_INSERT_CASH = insert(cast(Table, CashEntry.__table__))
_INSERT_STOCK = insert(cast(Table, StockMovement.__table__))


def _task_due(session: Session, order_id: int, task: str) -> datetime | None:
    return session.execute(select(FollowUpTask.due_at).where(
        FollowUpTask.order_id == order_id, FollowUpTask.task == task)).scalar()


def _open_complaint(session: Session, order: RecordedOrder, details: dict) -> None:
    received = order.created_at or clock_of(session).now()
    hall = session.get(Hall, order.hall_id)
    hours = hall_config(hall).complaint_answer_hours if hall else 48
    promised = _task_due(session, order.id, "answer_complaint") or received + timedelta(hours=hours)
    callback = _task_due(session, order.id, "complaint_callback")
    session.add(Complaint(
        uid=new_uid(), hall_id=order.hall_id, order_id=order.id,
        business_date=order.business_date, received_at=received,
        customer_name=order.presenter_name or "", contact_phone=details.get("contact_phone"),
        line_number=details.get("line_number") or order.line_number,
        subject=str(details.get("subject") or "")[:200],
        description=str(details.get("description") or ""), owner_staff_id=order.staff_id,
        promised_at=promised, callback_due_at=callback))


def _open_fault(session: Session, order: RecordedOrder, details: dict) -> None:
    reported = order.created_at or clock_of(session).now()
    kind = details.get("fault_type") or "ordinary"
    deadline = reported + timedelta(hours=FAULT_HOURS.get(kind, 12))
    session.add(FaultTicket(
        uid=new_uid(), order_id=order.id, business_date=order.business_date,
        line_number=order.line_number, fault_type=kind,
        description=str(details.get("description") or ""), reported_at=reported,
        deadline_at=deadline, owner_staff_id=order.staff_id))


def on_order_voided(session: Session, actor: Actor, order: ServiceOrder, reason: str) -> OrderVoid:
    """The void as its own entry, money handed back and gifts taken back as reversing rows.

    The reversing rows go to the shift open at the counter where the void is done (that
    drawer pays the money back); with no shift open there they belong to no shift and show
    in the day's report only. SIM cards and invoices stay used: a written card and an issued
    invoice are no longer blank stock (the voided invoice is kept with the day's papers).
    """
    ensure_day_open(session, order.hall_id, order.business_date)
    today = local_today(session, order.hall_id)
    ensure_day_open(session, order.hall_id, today)
    shift = open_shift_at(session, actor.counter_id)
    common = {"shift_id": shift.id if shift else None, "order_id": order.id,
              "business_date": today, "counter_id": actor.counter_id,
              "staff_id": actor.staff_id, "channel": actor.channel}
    nets = session.execute(select(CashEntry.method, func.sum(CashEntry.amount_fen)).where(
        CashEntry.order_id == order.id).group_by(CashEntry.method)).all()
    returned = 0
    for method, net in nets:
        if net:
            session.add(CashEntry(uid=new_uid(), kind="void_return", method=method,
                                  amount_fen=-int(net), **common))
            returned += int(net)
    gifts = session.execute(select(StockMovement.item, func.sum(StockMovement.quantity)).where(
        StockMovement.order_id == order.id, StockMovement.item.like("gift:%")
    ).group_by(StockMovement.item)).all()
    for item, quantity in gifts:
        if quantity:
            session.add(StockMovement(uid=new_uid(), kind="void_return", item=item,
                                      quantity=-int(quantity), **common))
    complaint = session.execute(select(Complaint).where(Complaint.order_id == order.id)
                                ).scalar_one_or_none()
    fault = session.execute(select(FaultTicket).where(FaultTicket.order_id == order.id)
                            ).scalar_one_or_none()
    for entry in (complaint, fault):
        if entry is not None and entry.status == "open":
            entry.status = "voided"
    void = OrderVoid(uid=new_uid(), order_id=order.id, order_no=order.order_no,
                     business_date=order.business_date, voided_on=today,
                     staff_id=actor.staff_id, authorized_by=actor.authorized_by,
                     reason=reason[:500], returned_fen=returned)
    session.add(void)
    session.flush()
    return void
