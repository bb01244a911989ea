"""The day's listings (Qt-free): a counter's own orders of the day, and for the supervisor
the hall's orders across counters (filtered, paged), the intake log and the follow-ups.

Supervisor listings check the actor's permission here, in the core (`auth.require`), so a
screen that forgot to hide a menu still cannot show them to a clerk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.db import Database
from app.models import Counter, Customer, FollowUpTask, IntakeEntry, ServiceOrder, Staff
from app.security import Permission
from app.services.hall.registry import Actor
from app.services.staff.auth import require

PAGE_SIZE = 200

# Who may read the supervisor listings (the hall's day log and its records).
SUPERVISOR_VIEW = Permission.DAY_SIGNOFF


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
    now = now or db.clock.now()
    stmt = (select(FollowUpTask, ServiceOrder.order_no, Staff.staff_no)
            .join(ServiceOrder, ServiceOrder.id == FollowUpTask.order_id)
            .outerjoin(Staff, Staff.id == FollowUpTask.owner_staff_id)
            .where(FollowUpTask.status == status)
            .order_by(FollowUpTask.due_at).limit(limit))
    with db.read() as s:
        return [FollowUpRow(t.id, order_no, t.task, t.name, t.due_at, t.status, staff_no,
                            t.status == "open" and t.due_at < now)
                for t, order_no, staff_no in s.execute(stmt).all()]
