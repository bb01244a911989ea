"""The daily report (营业日报) and the figures of the supervisor's day view.

Every figure comes from one aggregate query (GROUP BY in the database), never from a Python
loop over the day's orders: a busy hall has tens of thousands of orders a day. Counter work
and the batch channel of `counter process` are shown apart (the batch channel's money is not
in any drawer).

    report = build_daily_report(db, date(2026, 11, 22))
    pdf = render_daily_report(report)        # app.printing
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Float, Integer, Interval, case, cast, extract, func, literal, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from app.core import domain
from app.core.money import format_yuan
from app.db import Database
from app.models import (
    Counter,
    FollowUpTask,
    Hall,
    IntakeEntry,
    OrderPayment,
    ServiceOrder,
    Staff,
)
from app.models.day import (
    CashEntry,
    Correction,
    DaySignoff,
    OrderVoid,
    Shift,
    ShiftClose,
    ShiftCloseLine,
    StockCount,
    StockMovement,
)
from app.printing.daily import (
    ClerkLine,
    DailyReport,
    DifferenceLine,
    FollowUpLine,
    PaymentLine,
    QueueTimeLine,
    RejectionLine,
    RevenueLine,
    ServiceLine,
    StockLine,
)
from app.services.day.errors import DayError
from app.services.day.hooks import hall_zone
from app.services.day.items import is_cash, item_label, item_unit, stock_items
from app.services.day.queue_times import QueueTimes, mmss, queue_times_in
from app.services.day.revenue import Revenue, revenue_in
from app.services.day.review import hall_counters, hall_signoffs, intake_reasons, service_name
from app.services.hall.registry import get_hall

Rows = Sequence[Any]  # result rows of one query
BATCH_LABEL = "批量通道"
FOLLOW_UP_STATUS_ZH = {"open": "未办结", "done": "已办结", "cancelled": "已取消"}
CORRECTION_KIND_ZH = {"order": "订单", "stock": "物品", "money": "款项", "note": "说明"}


@dataclass
class RawDay:
    """The result rows of the report's aggregate queries, as the database returned them."""

    clerks: Rows = ()
    clerk_money: Rows = ()
    clerk_rejected: Rows = ()
    services: Rows = ()
    payments: Rows = ()
    stock_open: Rows = ()
    stock_used: Rows = ()
    stock_received: Rows = ()
    stock_close: Rows = ()
    differences: Rows = ()
    rejections: Rows = ()
    follow_ups: Rows = ()
    per_hour: Rows = ()
    handling: Rows = ()
    voids: Rows = ()
    refunds: Rows = ()
    corrections: Rows = ()
    signoff: Any = None
    queue: QueueTimes | None = None
    revenue: Revenue | None = None


@dataclass(frozen=True)
class HandlingTime:
    service_code: str
    service_name: str
    orders: int
    avg_seconds: float
    max_seconds: float


@dataclass
class DayFigures:
    """What the supervisor's charts draw (counter work; the batch channel apart)."""

    business_date: date
    per_hour: dict[int, int]  # local hour -> counter orders
    batch_per_hour: dict[int, int]
    per_service: list[ServiceLine]  # counter, most orders first
    handling: list[HandlingTime]  # per service, counter orders with a start time
    batch_orders: int
    batch_amount_fen: int

    @property
    def handling_overall(self) -> tuple[int, float, float]:
        n = sum(h.orders for h in self.handling)
        if not n:
            return 0, 0.0, 0.0
        avg = sum(h.avg_seconds * h.orders for h in self.handling) / n
        return n, avg, max(h.max_seconds for h in self.handling)


def _offset_minutes(zone: Any, day: date) -> int:
    offset = datetime.combine(day, time(12), zone).utcoffset() or timedelta(0)
    return int(offset.total_seconds() // 60)


def _local_hour(s: Session, column: Any, minutes: int) -> ColumnElement[Any]:
    """The hall's local hour of a stored (naive UTC) time, computed in the database."""
    if s.get_bind().dialect.name == "sqlite":
        return cast(func.strftime("%H", column, f"{minutes:+d} minutes"), Integer)
    # The offset is bound as an INTERVAL: left to the column's type, a timedelta would go
    # through `UTCDateTime` as if it were a time.
    offset = literal(timedelta(minutes=minutes), Interval())
    return cast(extract("hour", column + offset), Integer)


def _seconds_between(s: Session, start: Any, end: Any) -> ColumnElement[Any]:
    """Seconds from `start` to `end` as a plain number. On PostgreSQL the difference of two
    timestamps is an INTERVAL; typed as a float here, it is never read back as a time."""
    if s.get_bind().dialect.name == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 86400.0
    return cast(extract("epoch", end - start), Float)


def run_queries(s: Session, hall_id: int, day: date) -> RawDay:
    """Every aggregate the report needs, each one query."""
    zone = hall_zone(s, hall_id)
    minutes = _offset_minutes(zone, day)
    end = datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(UTC)
    so = ServiceOrder
    on_day = (so.hall_id == hall_id, so.business_date == day)
    voided = case((so.status == "voided", 1), else_=0)
    kept = case((so.status == "voided", 0), else_=1)
    raw = RawDay()
    raw.clerks = s.execute(
        select(so.channel, so.staff_id, Staff.staff_no, Staff.name, func.sum(kept),
               func.sum(voided))
        .outerjoin(Staff, Staff.id == so.staff_id).where(*on_day)
        .group_by(so.channel, so.staff_id, Staff.staff_no, Staff.name)).all()
    raw.clerk_money = s.execute(
        select(so.channel, so.staff_id, func.sum(OrderPayment.amount_fen))
        .join(OrderPayment, OrderPayment.order_id == so.id)
        .where(*on_day, so.status != "voided").group_by(so.channel, so.staff_id)).all()
    raw.clerk_rejected = s.execute(
        select(IntakeEntry.channel, IntakeEntry.staff_id, Staff.staff_no, Staff.name,
               func.count(IntakeEntry.id))
        .outerjoin(Staff, Staff.id == IntakeEntry.staff_id)
        .where(IntakeEntry.hall_id == hall_id, IntakeEntry.business_date == day)
        .group_by(IntakeEntry.channel, IntakeEntry.staff_id, Staff.staff_no, Staff.name)).all()
    raw.services = s.execute(
        select(so.channel, so.service, func.count(so.id), func.sum(so.total_fen))
        .where(*on_day, so.status != "voided").group_by(so.channel, so.service)).all()
    raw.payments = s.execute(
        select(so.channel, OrderPayment.method, func.count(OrderPayment.id),
               func.sum(OrderPayment.amount_fen))
        .join(OrderPayment, OrderPayment.order_id == so.id)
        .where(*on_day, so.status != "voided").group_by(so.channel, OrderPayment.method)).all()
    shifts_of_day = select(Shift.id).where(Shift.hall_id == hall_id, Shift.business_date == day)
    counters = hall_counters(hall_id)  # stock and cash rows name their counter, not the hall
    raw.stock_open = s.execute(
        select(StockCount.item, func.sum(StockCount.quantity))
        .where(StockCount.shift_id.in_(shifts_of_day), StockCount.phase == "open")
        .group_by(StockCount.item)).all()
    raw.stock_close = s.execute(
        select(StockCount.item, func.sum(StockCount.quantity))
        .where(StockCount.shift_id.in_(shifts_of_day), StockCount.phase == "close")
        .group_by(StockCount.item)).all()
    raw.stock_used = s.execute(
        select(StockMovement.item, func.sum(StockMovement.quantity))
        .where(StockMovement.counter_id.in_(counters), StockMovement.business_date == day,
               StockMovement.channel == "counter",
               StockMovement.kind.in_(("use", "void_return")))
        .group_by(StockMovement.item)).all()
    # Receipts into the hall's counters (stored negative: stock in); transfers between its
    # counters move stock, they bring none into the hall.
    raw.stock_received = s.execute(
        select(StockMovement.item, -func.sum(StockMovement.quantity))
        .where(StockMovement.counter_id.in_(counters), StockMovement.business_date == day,
               StockMovement.kind == "receipt")
        .group_by(StockMovement.item)).all()
    raw.differences = s.execute(
        select(Counter.code, Staff.name, ShiftCloseLine.item, ShiftCloseLine.money,
               ShiftCloseLine.expected, ShiftCloseLine.counted, ShiftCloseLine.explanation)
        .join(ShiftClose, ShiftClose.id == ShiftCloseLine.close_id)
        .join(Shift, Shift.id == ShiftClose.shift_id)
        .join(Counter, Counter.id == Shift.counter_id).join(Staff, Staff.id == Shift.staff_id)
        .where(Shift.hall_id == hall_id, Shift.business_date == day,
               ShiftCloseLine.difference != 0)
        .order_by(Counter.code, ShiftCloseLine.id)).all()
    raw.rejections = s.execute(
        select(IntakeEntry.created_at, IntakeEntry.channel, Staff.name, IntakeEntry.service,
               IntakeEntry.decision, IntakeEntry.violations, IntakeEntry.missing)
        .outerjoin(Staff, Staff.id == IntakeEntry.staff_id)
        .where(IntakeEntry.hall_id == hall_id, IntakeEntry.business_date == day)
        .order_by(IntakeEntry.created_at)).all()
    owner = aliased(Staff)
    follow_ups = (
        select(FollowUpTask.id, so.order_no, FollowUpTask.name, FollowUpTask.due_at, owner.name,
               FollowUpTask.status)
        .join(so, so.id == FollowUpTask.order_id)
        .outerjoin(owner, owner.id == FollowUpTask.owner_staff_id).where(so.hall_id == hall_id))
    # The day's orders' follow-ups and the open ones due by the day's end: two indexed reads
    # (one OR over both tables reads every follow-up of a server's halls)
    found = {r[0]: tuple(r[1:]) for q in (
        follow_ups.where(so.business_date == day),
        follow_ups.where(FollowUpTask.status == "open", FollowUpTask.due_at < end))
        for r in s.execute(q)}
    raw.follow_ups = sorted(found.values(), key=lambda r: (r[2], r[0]))
    hour = _local_hour(s, so.created_at, minutes)
    raw.per_hour = s.execute(
        select(so.channel, hour, func.count(so.id)).where(*on_day)
        .group_by(so.channel, hour)).all()
    secs = _seconds_between(s, so.started_at, so.created_at)
    raw.handling = s.execute(
        select(so.service, func.count(so.id), func.avg(secs), func.max(secs))
        .where(*on_day, so.channel == "counter", so.started_at.is_not(None))
        .group_by(so.service)).all()
    clerk = aliased(Staff)
    raw.voids = s.execute(
        select(OrderVoid.order_no, so.service, OrderVoid.returned_fen, OrderVoid.reason,
               clerk.name, OrderVoid.authorized_by)
        .join(so, so.id == OrderVoid.order_id).outerjoin(clerk, clerk.id == OrderVoid.staff_id)
        .where(so.hall_id == hall_id,
               (OrderVoid.business_date == day) | (OrderVoid.voided_on == day))
        .order_by(OrderVoid.at)).all()
    raw.refunds = s.execute(
        select(so.order_no, so.service, CashEntry.method, CashEntry.amount_fen, CashEntry.channel)
        .join(so, so.id == CashEntry.order_id)
        .where(CashEntry.counter_id.in_(counters), CashEntry.business_date == day,
               CashEntry.kind == "refund")
        .order_by(CashEntry.at)).all()
    raw.corrections = s.execute(
        select(Correction.kind, Correction.order_no, Correction.item, Correction.quantity,
               Correction.amount_fen, Correction.explanation)
        .where(Correction.business_date == day, Correction.signoff_id.in_(hall_signoffs(hall_id)))
        .order_by(Correction.created_at)).all()
    raw.signoff = s.execute(
        select(Staff.name, Staff.staff_no, DaySignoff.signed_at, DaySignoff.summary_hash,
               DaySignoff.notes)
        .join(Staff, Staff.id == DaySignoff.supervisor_id)
        .where(DaySignoff.hall_id == hall_id, DaySignoff.business_date == day)).first()
    raw.queue = queue_times_in(s, hall_id, day)  # percentiles: from the durations, in Python
    raw.revenue = revenue_in(s, hall_id, day)
    return raw


def _method_zh(method: str) -> str:
    return domain.PAYMENT_METHOD_ZH.get(method, method)


def figures_from(raw: RawDay, day: date) -> DayFigures:
    per_hour: dict[int, int] = {}
    batch_hour: dict[int, int] = {}
    for channel, hour, n in raw.per_hour:
        target = batch_hour if channel == "batch" else per_hour
        target[int(hour)] = target.get(int(hour), 0) + int(n)
    services = sorted((ServiceLine(service_name(code), int(n), int(amount or 0), code)
                       for channel, code, n, amount in raw.services if channel != "batch"),
                      key=lambda line: (-line.orders, line.service_code))
    # To the millisecond: SQLite's day fractions carry float noise the other database has not.
    handling = sorted((HandlingTime(code, service_name(code), int(n), round(float(avg or 0), 3),
                                    round(float(mx or 0), 3)) for code, n, avg, mx in raw.handling),
                      key=lambda h: -h.orders)
    batch = [(int(n), int(amount or 0)) for channel, _c, n, amount in raw.services
             if channel == "batch"]
    return DayFigures(day, per_hour, batch_hour, services, handling,
                      sum(n for n, _ in batch), sum(a for _, a in batch))


def _clock(when: datetime, zone: Any) -> str:
    return when.astimezone(zone).strftime("%H:%M")


def _stamp(when: datetime, zone: Any) -> str:
    return when.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def assemble(raw: RawDay, hall: Hall, day: date, zone: Any, *, now: datetime) -> DailyReport:
    """The report from the query results, as at `now` (what is overdue, when it was made):
    only per-group rows are looped over here."""
    money_of = {(c, sid): int(a or 0) for c, sid, a in raw.clerk_money}
    rejected_of = {(c, sid): int(n) for c, sid, _no, _name, n in raw.clerk_rejected}
    clerks: dict[tuple[str, int | None], ClerkLine] = {}
    for channel, sid, staff_no, name, kept, voided in raw.clerks:
        key = (channel, sid)
        clerks[key] = ClerkLine(
            staff_no or "B01", name or BATCH_LABEL, int(kept or 0), int(voided or 0),
            rejected_of.get(key, 0), money_of.get(key, 0))
    for channel, sid, staff_no, name, n in raw.clerk_rejected:
        clerks.setdefault((channel, sid), ClerkLine(staff_no or "B01", name or BATCH_LABEL, 0, 0,
                                                    int(n), 0))
    clerk_lines = sorted(clerks.values(), key=lambda c: (c.clerk_name == BATCH_LABEL, c.clerk_no))

    services = [ServiceLine(service_name(code) if channel != "batch"
                            else f"{BATCH_LABEL}·{service_name(code)}", int(n), int(amount or 0),
                            code)
                for channel, code, n, amount in sorted(
                    raw.services, key=lambda r: (r[0] == "batch", -int(r[2]), r[1]))]
    payments = [PaymentLine(_method_zh(method) if channel != "batch"
                            else f"{BATCH_LABEL}·{_method_zh(method)}", int(n), int(amount or 0))
                for channel, method, n, amount in sorted(
                    raw.payments, key=lambda r: (r[0] == "batch", _method_order(r[1])))]

    opening = {i: int(q or 0) for i, q in raw.stock_open if not is_cash(i)}
    used = {i: int(q or 0) for i, q in raw.stock_used}
    received = {i: int(q or 0) for i, q in raw.stock_received}
    closing = {i: int(q or 0) for i, q in raw.stock_close if not is_cash(i)}
    order = {item: n for n, item in enumerate(stock_items())}
    stock = [StockLine(item_label(i), item_unit(i), opening.get(i, 0), used.get(i, 0),
                       received.get(i, 0), closing.get(i, 0))
             for i in sorted(set(opening) | set(used) | set(received) | set(closing),
                             key=lambda it: (order.get(it, len(order)), it))]
    differences = [DifferenceLine(f"{code} {name} {item_label(item)}", int(expected),
                                  int(counted), explanation or "", bool(is_money))
                   for code, name, item, is_money, expected, counted, explanation
                   in raw.differences]
    rejections = [RejectionLine(_clock(at, zone),
                                BATCH_LABEL if channel == "batch" else (name or ""),
                                service_name(service),
                                ("资料不全：" if decision == "incomplete" else "")
                                + intake_reasons(violations, missing))
                  for at, channel, name, service, decision, violations, missing in raw.rejections]
    follow_ups = [FollowUpLine(order_no, name, _stamp(due, zone), owner or "未指派",
                               "已逾期" if status == "open" and due < now
                               else FOLLOW_UP_STATUS_ZH.get(status, status))
                  for order_no, name, due, owner, status in raw.follow_ups]

    figures = figures_from(raw, day)
    notes: list[str] = []
    if figures.per_hour:
        notes.append("柜台每小时受理笔数：" + "，".join(
            f"{h:02d}时 {n}" for h, n in sorted(figures.per_hour.items())))
    count, avg, longest = figures.handling_overall
    if count:
        notes.append(f"柜台办理时长（开始受理至生成订单）：{count} 笔，平均 {_minutes(avg)}，"
                     f"最长 {_minutes(longest)}；" + "，".join(
                         f"{h.service_name} 平均 {_minutes(h.avg_seconds)}"
                         for h in figures.handling[:6]))
    if raw.queue is not None and (raw.queue.no_shows or raw.queue.serving):
        notes.append(f"排队叫号：过号 {raw.queue.no_shows} 人，未结束接待 {raw.queue.serving} 人"
                     "（均不计入办理时长）；未记录取号时间的排队号不计入等候时长。")
    if figures.batch_orders:
        notes.append(f"批量通道（counter process）另计：{figures.batch_orders} 笔，金额 "
                     f"{format_yuan(figures.batch_amount_fen)} 元，不计入柜台现金。")
    for order_no, service, returned, reason, clerk, authorized in raw.voids:
        notes.append(f"作废：{order_no}（{service_name(service)}），退还 "
                     f"{format_yuan(int(returned or 0))} 元，原因：{reason}；经办 {clerk or '?'}"
                     + (f"，授权 {authorized}" if authorized else ""))
    for order_no, service, method, amount, channel in raw.refunds:
        notes.append(f"退款：{order_no}（{service_name(service)}），{_method_zh(method)} "
                     f"{format_yuan(-int(amount))} 元" + ("（批量通道）" if channel == "batch"
                                                         else ""))
    for kind, order_no, item, quantity, amount, explanation in raw.corrections:
        what = order_no or (item_label(item) if item else "")
        figures_text = "，".join(x for x in (
            f"数量 {quantity:+d}" if quantity else "",
            f"金额 {format_yuan(amount)} 元" if amount else "") if x)
        notes.append(f"更正（{CORRECTION_KIND_ZH.get(kind, kind)}）：{what} {figures_text} "
                     f"{explanation}".replace("  ", " "))
    prepared = ""
    if raw.signoff is not None:
        name, staff_no, signed_at, digest, signoff_notes = raw.signoff
        prepared = f"值班长 {name}（{staff_no}）"
        notes.append(f"日结签核：{name}（{staff_no}）于 {_stamp(signed_at, zone)}，"
                     f"摘要哈希 {digest[:16]}…")
        notes += [f"签核说明：{line}" for line in (signoff_notes or "").splitlines() if line]
    return DailyReport(
        hall_name=hall.name, hall_code=hall.code, business_date=day.isoformat(),
        generated_at=now.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"), prepared_by=prepared,
        clerks=clerk_lines, services=services, payments=payments, stock=stock,
        differences=differences, rejections=rejections, follow_ups=follow_ups, notes=notes,
        queue=queue_lines(raw.queue), **revenue_lines(raw.revenue))


def revenue_lines(revenue: Revenue | None) -> dict[str, Any]:
    """The report's revenue table: one column per payment method, one row per clerk."""
    if revenue is None or not revenue.methods:
        return {}
    codes = revenue.method_codes
    return {"revenue_methods": [m.label for m in revenue.methods],
            "revenue": [RevenueLine(c.label, tuple(c.by_method.get(m, 0) for m in codes),
                                    c.orders) for c in revenue.clerks]}


def queue_lines(times: QueueTimes | None) -> list[QueueTimeLine]:
    """The report's queue table: the day, then per service, then per clerk."""
    if times is None or times.empty:
        return []
    rows = [("合计", times.overall), *(("业务", r) for r in times.per_service),
            *(("营业员", r) for r in times.per_clerk)]
    return [QueueTimeLine(group, r.name if group != "营业员" else f"{r.name}（{r.key}）",
                          r.visits, mmss(r.waiting.avg), mmss(r.waiting.p90),
                          mmss(r.handling.avg), mmss(r.handling.p90)) for group, r in rows]


def _method_order(method: str) -> int:
    return domain.PAYMENT_METHODS.index(method) if method in domain.PAYMENT_METHODS else 99


def _minutes(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} 秒"
    return f"{seconds / 60:.1f} 分钟"


def build_daily_report(db: Database, day: date, *, now: datetime | None = None,
                       hall_id: int | None = None) -> DailyReport:
    """`hall_id`: which hall of a server holding several (default: the database's hall)."""
    with db.read() as s:
        hall = get_hall(s) if hall_id is None else s.get(Hall, hall_id)
        if hall is None:
            raise DayError("数据库中没有营业厅", "no hall in the database")
        raw = run_queries(s, hall.id, day)
        return assemble(raw, hall, day, hall_zone(s, hall.id), now=now or db.clock.now())


def day_figures(db: Database, day: date) -> DayFigures:
    """The chart figures of the supervisor's day view."""
    with db.read() as s:
        hall = get_hall(s)
        if hall is None:
            return DayFigures(day, {}, {}, [], [], 0, 0)
        return figures_from(run_queries(s, hall.id, day), day)
