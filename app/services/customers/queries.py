"""Read-only queries behind the counter and supervisor screens (Qt-free).

Every search is written so that SQLite can answer it from an index: an ID number is looked up
by its keyed hash (`id_lookup` / `reg_lookup`), a line number or a name prefix as a range
(`>= x AND < x + U+10FFFF`), never with `LIKE`, which SQLite does not serve from an index.
`tests/gui/test_counter_gui.py` checks the plans with `EXPLAIN QUERY PLAN`.

Supervisor listings check the actor's permission here, in the core (`auth.require`), so a
screen that forgot to hide a menu still cannot show them to a clerk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, null, or_, select
from sqlalchemy.orm import Session

from app.core.request import LineState
from app.db import Database
from app.models import (
    AuditEvent,
    Counter,
    Customer,
    FollowUpTask,
    IntakeEntry,
    Line,
    OrderDocument,
    OrderFee,
    OrderPayment,
    PrintedDocument,
    ServiceOrder,
    SignatureRecord,
    Staff,
)
from app.security import Permission
from app.services.customers.pii import PersonalData
from app.services.hall.registry import Actor
from app.services.orders.service import line_state_of
from app.services.staff.auth import require

# Above every character: "x" <= s < "x" + TOP holds exactly for the strings that start with x.
TOP = chr(0x10FFFF)
SEARCH_LIMIT = 200
PAGE_SIZE = 200
_ID18 = re.compile(r"^(\d{17}[\dX]|[0-9A-HJ-NP-RTUWXY]{18})$")
_DIGITS = re.compile(r"^\d{3,20}$")

# Who may read the supervisor listings (the hall's day log and its records).
SUPERVISOR_VIEW = Permission.DAY_SIGNOFF


# --- customer search ----------------------------------------------------------------------

@dataclass(frozen=True)
class CustomerHit:
    customer_id: int
    kind: str
    name: str
    id_masked: str | None
    line_number: str | None  # the line that matched, when searched by number


def search_kind(text: str) -> str:
    """How `text` will be searched: ``id``, ``number``, ``name`` or ``none``."""
    t = text.strip().upper()
    if len(t) == 18 and _ID18.match(t):
        return "id"
    if _DIGITS.match(t):
        return "number"
    if t and not t.isdigit():
        return "name"
    return "none"


def prefix_range(column: Any, prefix: str) -> Any:
    """`column` starts with `prefix`, as a range an index can serve."""
    return (column >= prefix) & (column < prefix + TOP)


def customer_search_stmt(text: str, pd: PersonalData | None,
                         limit: int = SEARCH_LIMIT) -> Select[*tuple[Any, ...]] | None:
    t = text.strip()
    kind = search_kind(t)
    if kind == "id":
        if pd is None:
            return None
        number = t.upper()
        cond = or_(Customer.id_lookup == pd.lookup_id(number),
                   Customer.reg_lookup == pd.lookup_unit(number))
        return (select(Customer.id, Customer.kind, Customer.name,
                       func.coalesce(Customer.id_masked, Customer.reg_masked), null())
                .where(cond).limit(limit))
    if kind == "number":
        return (select(Customer.id, Customer.kind, Customer.name,
                       func.coalesce(Customer.id_masked, Customer.reg_masked), Line.number)
                .join(Line, Line.customer_id == Customer.id)
                .where(prefix_range(Line.number, t))
                .order_by(Line.number).limit(limit))
    if kind == "name":
        return (select(Customer.id, Customer.kind, Customer.name,
                       func.coalesce(Customer.id_masked, Customer.reg_masked), null())
                .where(prefix_range(Customer.name, t))
                .order_by(Customer.name, Customer.id).limit(limit))
    return None


def search_customers(db: Database, text: str, pd: PersonalData | None,
                     limit: int = SEARCH_LIMIT) -> list[CustomerHit]:
    """Customers by 18-character ID number (exact), line number prefix or name prefix."""
    stmt = customer_search_stmt(text, pd, limit)
    if stmt is None:
        return []
    with db.read() as s:
        rows = s.execute(stmt).all()
    return [CustomerHit(r[0], r[1], r[2], r[3], r[4]) for r in rows]


# --- one customer --------------------------------------------------------------------------

@dataclass(frozen=True)
class LineInfo:
    number: str
    kind: str
    package: str | None
    opened_on: date | None
    state: LineState


@dataclass(frozen=True)
class CustomerDetail:
    """A customer with their lines. The ID numbers are decrypted for building requests only:
    screens show `id_masked` / `reg_masked`; `repr` never prints them."""

    customer_id: int
    kind: str
    name: str
    id_type: str | None
    id_number: str | None = field(repr=False)
    id_masked: str | None
    unit_name: str | None
    reg_type: str | None
    reg_number: str | None = field(repr=False)
    reg_masked: str | None
    phone: str | None
    contact_name: str | None
    lines: tuple[LineInfo, ...]

    def line(self, number: str) -> LineInfo | None:
        return next((ln for ln in self.lines if ln.number == number), None)


def customer_detail(db: Database, customer_id: int, pd: PersonalData) -> CustomerDetail | None:
    with db.read() as s:
        c = s.get(Customer, customer_id)
        if c is None:
            return None
        lines = s.execute(select(Line).where(Line.customer_id == customer_id)
                          .order_by(Line.number)).scalars().all()
        return CustomerDetail(
            customer_id=c.id, kind=c.kind, name=c.name, id_type=c.id_type,
            id_number=pd.decrypt(c.id_enc, "customer.id") if c.id_enc else None,
            id_masked=c.id_masked, unit_name=c.unit_name, reg_type=c.reg_type,
            reg_number=pd.decrypt(c.reg_enc, "customer.reg") if c.reg_enc else None,
            reg_masked=c.reg_masked, phone=c.phone, contact_name=c.contact_name,
            lines=tuple(LineInfo(ln.number, ln.kind, ln.package, ln.opened_on,
                                 line_state_of(ln)) for ln in lines))


def line_state(db: Database, number: str) -> LineState | None:
    """The line's state as stored now (e.g. after a payment in the same visit)."""
    with db.read() as s:
        ln = s.execute(select(Line).where(Line.number == number)).scalar_one_or_none()
        return line_state_of(ln) if ln is not None else None


# --- orders --------------------------------------------------------------------------------

@dataclass(frozen=True)
class OrderRow:
    order_id: int
    order_no: str
    service: str
    status: str
    customer_name: str | None
    line_number: str | None
    total_fen: int
    created_at: datetime
    counter_code: str
    staff_no: str | None
    staff_name: str | None


def _order_select() -> Select[*tuple[Any, ...]]:
    return (select(ServiceOrder.id, ServiceOrder.order_no, ServiceOrder.service,
                   ServiceOrder.status, Customer.name, ServiceOrder.line_number,
                   ServiceOrder.total_fen, ServiceOrder.created_at, Counter.code,
                   Staff.staff_no, Staff.name)
            .join(Counter, Counter.id == ServiceOrder.counter_id)
            .outerjoin(Customer, Customer.id == ServiceOrder.customer_id)
            .outerjoin(Staff, Staff.id == ServiceOrder.staff_id))


def _order_rows(s: Session, stmt: Select[*tuple[Any, ...]]) -> list[OrderRow]:
    return [OrderRow(*r) for r in s.execute(stmt).all()]


def todays_orders(db: Database, counter_id: int, day: date, limit: int = 500) -> list[OrderRow]:
    """This counter's orders of the business day, newest first."""
    stmt = (_order_select()
            .where(ServiceOrder.business_date == day, ServiceOrder.counter_id == counter_id)
            .order_by(ServiceOrder.id.desc()).limit(limit))
    with db.read() as s:
        return _order_rows(s, stmt)


@dataclass(frozen=True)
class DayFilter:
    day: date
    counter_id: int | None = None
    staff_id: int | None = None
    service: str | None = None
    status: str | None = None  # accepted | voided
    time_from: time | None = None  # the hall's local time
    time_to: time | None = None


def _local_to_utc(day: date, t: time, tz: str) -> datetime:
    return datetime.combine(day, t, ZoneInfo(tz)).astimezone(UTC)


def _day_where(stmt: Select[*tuple[Any, ...]], f: DayFilter, tz: str) -> Select[*tuple[Any, ...]]:
    stmt = stmt.where(ServiceOrder.business_date == f.day)
    if f.counter_id is not None:
        stmt = stmt.where(ServiceOrder.counter_id == f.counter_id)
    if f.staff_id is not None:
        stmt = stmt.where(ServiceOrder.staff_id == f.staff_id)
    if f.service:
        stmt = stmt.where(ServiceOrder.service == f.service)
    if f.status:
        stmt = stmt.where(ServiceOrder.status == f.status)
    if f.time_from is not None:
        stmt = stmt.where(ServiceOrder.created_at >= _local_to_utc(f.day, f.time_from, tz))
    if f.time_to is not None:
        stmt = stmt.where(ServiceOrder.created_at < _local_to_utc(f.day, f.time_to, tz))
    return stmt


def day_orders_page(db: Database, actor: Actor, f: DayFilter, *, before_id: int | None = None,
                    limit: int = PAGE_SIZE, tz: str = "Asia/Shanghai") -> list[OrderRow]:
    """One page of the day's orders across counters, newest first (keyset paging by id)."""
    require(db, actor, SUPERVISOR_VIEW)
    # The page's ids first, from service_order alone (a busy day sorts ids, not joined rows),
    # then the columns of just those orders.
    ids = _day_where(select(ServiceOrder.id), f, tz)
    if before_id is not None:
        ids = ids.where(ServiceOrder.id < before_id)
    page = ids.order_by(ServiceOrder.id.desc()).limit(limit).subquery()
    stmt = (_order_select().join(page, page.c.id == ServiceOrder.id)
            .order_by(ServiceOrder.id.desc()))
    with db.read() as s:
        return _order_rows(s, stmt)


def day_orders_count(db: Database, actor: Actor, f: DayFilter,
                     tz: str = "Asia/Shanghai") -> tuple[int, int]:
    """How many orders match, and their total in fen (voided ones count at 0)."""
    require(db, actor, SUPERVISOR_VIEW)
    stmt = _day_where(select(func.count(ServiceOrder.id), func.coalesce(func.sum(
        ServiceOrder.total_fen).filter(ServiceOrder.status == "accepted"), 0)), f, tz)
    with db.read() as s:
        count, total = s.execute(stmt).one()
    return int(count), int(total)


@dataclass(frozen=True)
class Choice:
    id: int
    code: str
    name: str


def filter_choices(db: Database) -> tuple[list[Choice], list[Choice]]:
    """Counters and staff for the supervisor's filters."""
    with db.read() as s:
        counters = [Choice(c.id, c.code, c.name) for c in
                    s.execute(select(Counter).order_by(Counter.code)).scalars()]
        staff = [Choice(st.id, st.staff_no, st.name) for st in
                 s.execute(select(Staff).order_by(Staff.staff_no)).scalars()]
    return counters, staff


# --- intake log and follow-ups -------------------------------------------------------------

@dataclass(frozen=True)
class IntakeRow:
    id: int
    created_at: datetime
    counter_code: str
    staff_no: str | None
    service: str
    decision: str
    customer_name: str | None
    customer_id_masked: str | None
    line_number: str | None
    violations: list[dict[str, str]]
    missing: list[str]


def intake_log(db: Database, actor: Actor, day: date, decision: str | None = None,
               limit: int = 1000) -> list[IntakeRow]:
    """Requests of the day that were rejected, left incomplete or abandoned, with reasons."""
    require(db, actor, SUPERVISOR_VIEW)
    stmt = (select(IntakeEntry, Counter.code, Staff.staff_no)
            .join(Counter, Counter.id == IntakeEntry.counter_id)
            .outerjoin(Staff, Staff.id == IntakeEntry.staff_id)
            .where(IntakeEntry.business_date == day))
    if decision:
        stmt = stmt.where(IntakeEntry.decision == decision)
    stmt = stmt.order_by(IntakeEntry.id.desc()).limit(limit)
    with db.read() as s:
        return [IntakeRow(e.id, e.created_at, code, staff_no, e.service, e.decision,
                          e.customer_name, e.customer_id_masked, e.line_number,
                          list(e.violations or []), list(e.missing or []))
                for e, code, staff_no in s.execute(stmt).all()]


@dataclass(frozen=True)
class FollowUpRow:
    id: int
    order_no: str
    task: str
    name: str
    due_at: datetime
    status: str
    owner_staff_no: str | None
    overdue: bool


def follow_ups(db: Database, actor: Actor, *, now: datetime | None = None,
               status: str = "open", limit: int = 1000) -> list[FollowUpRow]:
    """Follow-up tasks by deadline; `overdue` when an open task is past its due time."""
    require(db, actor, SUPERVISOR_VIEW)
    now = now or datetime.now(UTC)
    stmt = (select(FollowUpTask, ServiceOrder.order_no, Staff.staff_no)
            .join(ServiceOrder, ServiceOrder.id == FollowUpTask.order_id)
            .outerjoin(Staff, Staff.id == FollowUpTask.owner_staff_id)
            .where(FollowUpTask.status == status)
            .order_by(FollowUpTask.due_at).limit(limit))
    with db.read() as s:
        return [FollowUpRow(t.id, order_no, t.task, t.name, t.due_at, t.status, staff_no,
                            t.status == "open" and t.due_at < now)
                for t, order_no, staff_no in s.execute(stmt).all()]


# --- an order's full record ----------------------------------------------------------------

@dataclass(frozen=True)
class DocumentRec:
    code: str
    original_seen: bool
    copy_retained: bool
    scan_name: str | None
    scan_sha256: str | None


@dataclass(frozen=True)
class PaymentRec:
    method: str
    amount_fen: int
    tendered_fen: int | None
    change_fen: int
    reference: str | None


@dataclass(frozen=True)
class SignatureRec:
    on_paper: bool
    png: bytes | None = field(repr=False)
    content_hash: str
    signed_at: datetime
    has_scan: bool


@dataclass(frozen=True)
class PrintedRec:
    kind: str
    copy_no: int
    path: str | None
    sha256: str
    printed_at: datetime


@dataclass(frozen=True)
class AuditRec:
    seq: int
    at: datetime
    actor: str
    authorized_by: str | None
    counter: str
    action: str
    data: dict[str, Any]


@dataclass(frozen=True)
class OrderRecord:
    order_id: int
    order_no: str
    service: str
    carrier: str
    status: str
    business_date: date
    created_at: datetime
    counter_code: str
    staff_no: str | None
    staff_name: str | None
    customer_name: str | None
    customer_id_masked: str | None
    line_number: str | None
    presenter_role: str
    presenter_name: str
    presenter_id_type: str | None
    presenter_id_masked: str | None
    details: dict[str, Any]
    outcome: dict[str, Any]
    total_fen: int
    effective: str | None
    content_hash: str
    void_reason: str | None
    voided_at: datetime | None
    documents: list[DocumentRec]
    fees: list[tuple[str, str, int]]
    payments: list[PaymentRec]
    signature: SignatureRec | None
    printed: list[PrintedRec]
    follow_ups: list[tuple[str, datetime, str]]
    audit: list[AuditRec]


def order_record(db: Database, actor: Actor, order_no: str) -> OrderRecord | None:
    """Everything recorded about one order, with its audit trail."""
    require(db, actor, SUPERVISOR_VIEW)
    with db.read() as s:
        o = s.execute(select(ServiceOrder).where(ServiceOrder.order_no == order_no)
                      ).scalar_one_or_none()
        if o is None:
            return None
        counter = s.get(Counter, o.counter_id)
        staff = s.get(Staff, o.staff_id) if o.staff_id else None
        cust = s.get(Customer, o.customer_id) if o.customer_id else None
        sig = s.execute(select(SignatureRecord).where(SignatureRecord.order_id == o.id)
                        ).scalar_one_or_none()
        docs = s.execute(select(OrderDocument).where(OrderDocument.order_id == o.id)
                         .order_by(OrderDocument.id)).scalars().all()
        fees = s.execute(select(OrderFee).where(OrderFee.order_id == o.id)
                         .order_by(OrderFee.id)).scalars().all()
        pays = s.execute(select(OrderPayment).where(OrderPayment.order_id == o.id)
                         .order_by(OrderPayment.id)).scalars().all()
        printed = s.execute(select(PrintedDocument).where(PrintedDocument.order_id == o.id)
                            .order_by(PrintedDocument.id)).scalars().all()
        tasks = s.execute(select(FollowUpTask).where(FollowUpTask.order_id == o.id)
                          .order_by(FollowUpTask.due_at)).scalars().all()
        events = s.execute(select(AuditEvent).where(AuditEvent.target == o.order_no)
                           .order_by(AuditEvent.seq)).scalars().all()
        return OrderRecord(
            order_id=o.id, order_no=o.order_no, service=o.service, carrier=o.carrier,
            status=o.status, business_date=o.business_date, created_at=o.created_at,
            counter_code=counter.code if counter else "",
            staff_no=staff.staff_no if staff else None, staff_name=staff.name if staff else None,
            customer_name=cust.name if cust else None,
            customer_id_masked=(cust.id_masked or cust.reg_masked) if cust else None,
            line_number=o.line_number, presenter_role=o.presenter_role,
            presenter_name=o.presenter_name, presenter_id_type=o.presenter_id_type,
            presenter_id_masked=o.presenter_id_masked, details=dict(o.details or {}),
            outcome=dict(o.outcome or {}), total_fen=o.total_fen, effective=o.effective,
            content_hash=o.content_hash, void_reason=o.void_reason, voided_at=o.voided_at,
            documents=[DocumentRec(d.code, d.original_seen, d.copy_retained, d.scan_name,
                                   d.scan_sha256) for d in docs],
            fees=[(f.item, f.name, f.amount_fen) for f in fees],
            payments=[PaymentRec(p.method, p.amount_fen, p.tendered_fen, p.change_fen,
                                 p.reference) for p in pays],
            signature=SignatureRec(sig.on_paper, sig.png, sig.content_hash, sig.signed_at,
                                   sig.scan_enc is not None) if sig else None,
            printed=[PrintedRec(p.kind, p.copy_no, p.path, p.sha256, p.printed_at)
                     for p in printed],
            follow_ups=[(t.name, t.due_at, t.status) for t in tasks],
            audit=[AuditRec(e.seq, e.at, e.actor, e.authorized_by, e.counter, e.action,
                            dict(e.data or {})) for e in events])


def has_staff(db: Database) -> bool:
    """Whether anyone can log in yet (an empty database needs the first-run set-up)."""
    with db.read() as s:
        return s.execute(select(Staff.id).limit(1)).first() is not None


__all__ = [
    "AuditRec",
    "Choice",
    "CustomerDetail",
    "CustomerHit",
    "DayFilter",
    "DocumentRec",
    "FollowUpRow",
    "IntakeRow",
    "LineInfo",
    "OrderRecord",
    "OrderRow",
    "PaymentRec",
    "PrintedRec",
    "SignatureRec",
    "customer_detail",
    "customer_search_stmt",
    "day_orders_count",
    "day_orders_page",
    "filter_choices",
    "follow_ups",
    "has_staff",
    "intake_log",
    "line_state",
    "order_record",
    "prefix_range",
    "search_customers",
    "search_kind",
    "todays_orders",
]
