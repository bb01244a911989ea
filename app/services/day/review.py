"""The supervisor's review of a day before signing it off: the shifts and their
differences, follow-ups and complaints due, rejected requests, voids and refunds, the
sign-off if there is one.

    overview = close_day(db, supervisor, day)          # open shifts, follow-ups, voids, ...
    overview.checklist.blocking                        # what must be settled first
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from app.db import Database
from app.models import Counter, FollowUpTask, IntakeEntry, ServiceOrder, Staff
from app.models.day import (
    CashEntry,
    Complaint,
    Correction,
    DaySignoff,
    OrderVoid,
    Shift,
    ShiftClose,
    ShiftCloseLine,
)
from app.security import Permission
from app.services.day.hooks import hall_zone
from app.services.day.signoff_checks import Checklist, overdue_complaints, signoff_checklist
from app.services.hall.registry import Actor
from app.services.staff.auth import require


@dataclass(frozen=True)
class ShiftRow:
    id: int
    counter_code: str
    staff_no: str
    staff_name: str
    status: str
    opened_at: datetime
    closed_at: datetime | None
    differences: int  # lines with a difference
    beyond_tolerance: int
    approved_by: str | None


@dataclass(frozen=True)
class FollowUpRow:
    kind: str  # follow_up | complaint | fault
    id: int
    order_no: str
    name: str
    due_at: datetime
    owner: str
    overdue: bool


@dataclass(frozen=True)
class IntakeRow:
    at: datetime
    clerk: str
    channel: str
    service: str
    decision: str
    reasons: str


@dataclass(frozen=True)
class VoidRow:
    at: datetime
    order_no: str
    kind: str  # void | refund
    service: str
    clerk: str
    amount_fen: int
    method: str
    reason: str
    authorized_by: str


@dataclass(frozen=True)
class SignoffInfo:
    supervisor: str
    signed_at: datetime
    summary_hash: str
    audit_seq: int
    audit_hash: str


@dataclass
class DayOverview:
    business_date: date
    shifts: list[ShiftRow]
    follow_ups: list[FollowUpRow]
    intakes: list[IntakeRow]
    voids: list[VoidRow]
    signoff: SignoffInfo | None
    corrections: int = 0
    # Before the sign-off: what must be settled (empty once the day is signed off).
    checklist: Checklist = field(default_factory=lambda: Checklist(date.min, []))

    @property
    def open_shifts(self) -> list[ShiftRow]:
        return [r for r in self.shifts if r.status == "open"]

    @property
    def blockers(self) -> list[str]:
        """What stops the sign-off, in the supervisor's words (warnings only need to be
        acknowledged: `checklist.warnings`)."""
        out = [i.zh for i in self.checklist.blocking]
        if self.signoff is not None:
            out.append("当日已签核")
        return out


def _day_end(s: Session, hall_id: int, day: date) -> datetime:
    zone = hall_zone(s, hall_id)
    return datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(UTC)


def overview(db: Database, actor: Actor, day: date, *,
             now: datetime | None = None) -> DayOverview:
    """Everything the supervisor reviews before signing off `day` (read-only)."""
    now = now or db.clock.now()
    late = overdue_complaints(db, actor.hall_id, now)
    with db.read() as s:
        hall_id = actor.hall_id
        end = _day_end(s, hall_id, day)
        signoff = _signoff_info(s, hall_id, day)
        return DayOverview(day, shift_rows(s, hall_id, day), _pending(s, hall_id, end, now),
                           _intakes(s, hall_id, day), _voids_and_refunds(s, hall_id, day),
                           signoff, s.execute(select(func.count(Correction.id)).where(
                               Correction.business_date == day,
                               Correction.signoff_id.in_(hall_signoffs(hall_id)))).scalar() or 0,
                           signoff_checklist(s, hall_id, day, now, late) if signoff is None
                           else Checklist(day, []))


def close_day(db: Database, supervisor: Actor, day: date, *,
              now: datetime | None = None) -> DayOverview:
    """The supervisor's closing review: open shifts, pending and overdue follow-ups, rejected
    intakes, voids and refunds, the checklist before the sign-off, and whether the day is
    already signed off."""
    require(db, supervisor, Permission.DAY_SIGNOFF)
    return overview(db, supervisor, day, now=now)


def shift_rows(s: Session, hall_id: int, day: date) -> list[ShiftRow]:
    approver = aliased(Staff)
    diff_count = (select(func.count(ShiftCloseLine.id)).where(
        ShiftCloseLine.close_id == ShiftClose.id, ShiftCloseLine.difference != 0)
        .correlate(ShiftClose).scalar_subquery())
    beyond_count = (select(func.count(ShiftCloseLine.id)).where(
        ShiftCloseLine.close_id == ShiftClose.id,
        func.abs(ShiftCloseLine.difference) > ShiftCloseLine.tolerance)
        .correlate(ShiftClose).scalar_subquery())
    rows = s.execute(
        select(Shift.id, Counter.code, Staff.staff_no, Staff.name, Shift.status, Shift.opened_at,
               Shift.closed_at, diff_count, beyond_count, approver.name)
        .join(Counter, Counter.id == Shift.counter_id).join(Staff, Staff.id == Shift.staff_id)
        .outerjoin(ShiftClose, ShiftClose.shift_id == Shift.id)
        .outerjoin(approver, approver.id == ShiftClose.approved_by)
        .where(Shift.hall_id == hall_id, Shift.business_date == day)
        .order_by(Counter.code, Shift.opened_at)).all()
    return [ShiftRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], int(r[7] or 0), int(r[8] or 0),
                     r[9]) for r in rows]


def _pending(s: Session, hall_id: int, end: datetime, now: datetime) -> list[FollowUpRow]:
    """Open follow-ups, complaints and fault tickets due by the end of the day (or overdue)."""
    out: list[FollowUpRow] = []
    owner = aliased(Staff)
    for task_id, order_no, name, due, owner_name in s.execute(
            select(FollowUpTask.id, ServiceOrder.order_no, FollowUpTask.name, FollowUpTask.due_at,
                   owner.name)
            .join(ServiceOrder, ServiceOrder.id == FollowUpTask.order_id)
            .outerjoin(owner, owner.id == FollowUpTask.owner_staff_id)
            .where(FollowUpTask.status == "open", FollowUpTask.due_at < end,
                   ServiceOrder.hall_id == hall_id)
            .order_by(FollowUpTask.due_at)):
        out.append(FollowUpRow("follow_up", task_id, order_no, name, due, owner_name or "未指派",
                               due < now))
    for cid, subject, due, owner_name, order_no in s.execute(
            select(Complaint.id, Complaint.subject, Complaint.promised_at, owner.name,
                   ServiceOrder.order_no)
            .outerjoin(owner, owner.id == Complaint.owner_staff_id)
            .outerjoin(ServiceOrder, ServiceOrder.id == Complaint.order_id)
            .where(Complaint.hall_id == hall_id, Complaint.status == "open",
                   Complaint.order_id.is_(None), Complaint.promised_at < end)):
        # Complaints from an order already show through the order's follow-up task.
        out.append(FollowUpRow("complaint", cid, order_no or "", f"答复投诉：{subject}", due,
                               owner_name or "未指派", due < now))
    out.sort(key=lambda r: r.due_at)
    return out


def _intakes(s: Session, hall_id: int, day: date) -> list[IntakeRow]:
    clerk = aliased(Staff)
    rows = s.execute(
        select(IntakeEntry.created_at, clerk.name, IntakeEntry.channel, IntakeEntry.service,
               IntakeEntry.decision, IntakeEntry.violations, IntakeEntry.missing)
        .outerjoin(clerk, clerk.id == IntakeEntry.staff_id)
        .where(IntakeEntry.hall_id == hall_id, IntakeEntry.business_date == day)
        .order_by(IntakeEntry.created_at)).all()
    return [IntakeRow(at, name or ("批量通道" if channel == "batch" else "?"), channel,
                      service_name(service), decision, intake_reasons(violations, missing))
            for at, name, channel, service, decision, violations, missing in rows]


def intake_reasons(violations: list | None, missing: list | None) -> str:
    parts = [v.get("message") or v.get("rule", "") for v in (violations or [])
             if isinstance(v, dict)]
    if missing:
        parts.append("缺少：" + "、".join(str(m) for m in missing))
    return "；".join(p for p in parts if p)


def service_name(code: str) -> str:
    from app.core.catalog import get_catalog

    service = get_catalog().services.get(code)
    return service.name.zh if service else code


def hall_counters(hall_id: int) -> Select[Any]:
    """The hall's counters, for the day's tables that name a counter but not the hall (a
    server may hold several halls)."""
    return select(Counter.id).where(Counter.hall_id == hall_id)


def hall_signoffs(hall_id: int) -> Select[Any]:
    return select(DaySignoff.id).where(DaySignoff.hall_id == hall_id)


def _voids_and_refunds(s: Session, hall_id: int, day: date) -> list[VoidRow]:
    clerk = aliased(Staff)
    out = [VoidRow(at, order_no, "void", service_name(service), name or "", returned, "",
                   reason, authorized or "")
           for at, order_no, service, name, returned, reason, authorized in s.execute(
               select(OrderVoid.at, OrderVoid.order_no, ServiceOrder.service, clerk.name,
                      OrderVoid.returned_fen, OrderVoid.reason, OrderVoid.authorized_by)
               .join(ServiceOrder, ServiceOrder.id == OrderVoid.order_id)
               .outerjoin(clerk, clerk.id == OrderVoid.staff_id)
               .where(ServiceOrder.hall_id == hall_id,
                      (OrderVoid.business_date == day) | (OrderVoid.voided_on == day)))]
    out += [VoidRow(at, order_no, "refund", service_name(service), name or "", -amount,
                    method, "", "")
            for at, order_no, service, name, amount, method in s.execute(
                select(CashEntry.at, ServiceOrder.order_no, ServiceOrder.service, clerk.name,
                       CashEntry.amount_fen, CashEntry.method)
                .join(ServiceOrder, ServiceOrder.id == CashEntry.order_id)
                .outerjoin(clerk, clerk.id == CashEntry.staff_id)
                .where(CashEntry.counter_id.in_(hall_counters(hall_id)),
                       CashEntry.business_date == day, CashEntry.kind == "refund"))]
    out.sort(key=lambda r: r.at)
    return out


def _signoff_info(s: Session, hall_id: int, day: date) -> SignoffInfo | None:
    row = s.execute(select(DaySignoff, Staff.name).join(Staff, Staff.id == DaySignoff.supervisor_id)
                    .where(DaySignoff.hall_id == hall_id, DaySignoff.business_date == day)).first()
    if row is None:
        return None
    so, name = row
    return SignoffInfo(name, so.signed_at, so.summary_hash, so.audit_seq, so.audit_hash)
