"""The day's revenue by payment method and per clerk (营业收入), for the supervisor's day view
and the daily report.

What counts: the payments of the day's orders that stand (a voided order's money was handed
back), net of the money paid out by an order (a refund is a negative payment). The same basis
as the report's "收款方式" table and its per-clerk "收款" column, so the figures agree. One
aggregate query grouped by channel, clerk and method; the batch channel of `counter process`
is a row of its own (its money is in no drawer).

    revenue = day_revenue(db, supervisor, date(2026, 11, 22))
    revenue.methods[0].net, revenue.clerks[0].by_method["cash"]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.core import domain
from app.db import Database
from app.models import OrderPayment, ServiceOrder, Staff
from app.security import Permission
from app.services.hall.registry import Actor
from app.services.staff.auth import require

BATCH_NAME = ("批量通道", "batch channel")


@dataclass(frozen=True)
class MethodRevenue:
    method: str  # cash | card | mobile_pay | bank_transfer | other
    payments: int  # payment rows (refunds included)
    received_fen: int  # money in
    paid_out_fen: int  # money out (refunds), as a positive amount

    @property
    def net_fen(self) -> int:
        return self.received_fen - self.paid_out_fen

    @property
    def label(self) -> str:
        return domain.PAYMENT_METHOD_ZH.get(self.method, self.method)


@dataclass(frozen=True)
class ClerkRevenue:
    staff_no: str  # "" for the batch channel
    name: str  # the clerk's name, or 批量通道
    channel: str  # counter | batch
    orders: int  # orders with a payment
    by_method: dict[str, int] = field(default_factory=dict)  # net fen per method

    @property
    def total_fen(self) -> int:
        return sum(self.by_method.values())

    @property
    def label(self) -> str:
        return f"{self.name}（{self.staff_no}）" if self.staff_no else self.name


@dataclass(frozen=True)
class Revenue:
    business_date: date
    methods: list[MethodRevenue]  # in the hall's usual order (cash first)
    clerks: list[ClerkRevenue]  # by staff number, the batch channel last

    @property
    def total_fen(self) -> int:
        return sum(m.net_fen for m in self.methods)

    @property
    def method_codes(self) -> list[str]:
        return [m.method for m in self.methods]


def method_order(method: str) -> int:
    return domain.PAYMENT_METHODS.index(method) if method in domain.PAYMENT_METHODS else 99


def revenue_in(s: Session, hall_id: int, day: date) -> Revenue:
    so = ServiceOrder
    amount = OrderPayment.amount_fen
    rows = s.execute(
        select(so.channel, so.staff_id, Staff.staff_no, Staff.name, OrderPayment.method,
               func.count(OrderPayment.id),
               func.sum(case((amount > 0, amount), else_=0)),
               func.sum(case((amount < 0, -amount), else_=0)))
        .join(OrderPayment, OrderPayment.order_id == so.id)
        .outerjoin(Staff, Staff.id == so.staff_id)
        .where(so.hall_id == hall_id, so.business_date == day, so.status != "voided")
        .group_by(so.channel, so.staff_id, Staff.staff_no, Staff.name, OrderPayment.method)
    ).all()
    methods: dict[str, list[int]] = {}
    clerks: dict[tuple[str, int | None], tuple[str, str, dict[str, int]]] = {}
    orders_of = _orders_per_clerk(s, hall_id, day)
    for channel, staff_id, staff_no, name, method, n, received, out in rows:
        totals = methods.setdefault(method, [0, 0, 0])
        totals[0] += int(n)
        totals[1] += int(received or 0)
        totals[2] += int(out or 0)
        batch = channel == "batch"
        key = (channel, None if batch else staff_id)
        entry = clerks.setdefault(key, ("" if batch else (staff_no or "?"),
                                        BATCH_NAME[0] if batch else (name or "?"), {}))
        entry[2][method] = entry[2].get(method, 0) + int(received or 0) - int(out or 0)
    method_lines = [MethodRevenue(m, t[0], t[1], t[2])
                    for m, t in sorted(methods.items(), key=lambda kv: method_order(kv[0]))]
    clerk_lines = [ClerkRevenue(no, name, channel, orders_of.get((channel, sid), 0), by_method)
                   for (channel, sid), (no, name, by_method) in clerks.items()]
    clerk_lines.sort(key=lambda c: (c.channel == "batch", c.staff_no))
    return Revenue(day, method_lines, clerk_lines)


def _orders_per_clerk(s: Session, hall_id: int, day: date) -> dict[tuple[str, int | None], int]:
    """Orders with at least one payment, per clerk (an order paid two ways counts once)."""
    so = ServiceOrder
    paid = select(OrderPayment.order_id).where(OrderPayment.order_id == so.id).exists()
    rows = s.execute(select(so.channel, so.staff_id, func.count(so.id))
                     .where(so.hall_id == hall_id, so.business_date == day,
                            so.status != "voided", paid)
                     .group_by(so.channel, so.staff_id)).all()
    out: dict[tuple[str, int | None], int] = {}
    for channel, sid, n in rows:
        key = (channel, None if channel == "batch" else sid)
        out[key] = out.get(key, 0) + int(n)
    return out


def day_revenue(db: Database, supervisor: Actor, day: date) -> Revenue:
    """The revenue of `day` for the supervisor's day view (a supervisor's right)."""
    require(db, supervisor, Permission.DAY_SIGNOFF)
    with db.read() as s:
        return revenue_in(s, supervisor.hall_id, day)
