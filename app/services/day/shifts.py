"""A clerk's shift (domain.md section 6): opening it after the checks and counts, closing
it against what the orders used and took, a supervisor's approval of its differences.

    shift = open_shift(db, clerk, checklist, Counts(stock={...}, cash={10000: 5, ...}))
    preview = preview_close(db, clerk)                 # expected counts, for the close dialog
    close_shift(db, clerk, counts, explanations)       # ApprovalRequired beyond tolerance
    close_shift(db, clerk, counts, explanations, approval=Approval("S001", "..."))

The day around the shifts: `review` (the supervisor's look at the day), `signoff` (locking
it, corrections). Permissions are checked here, in the core (`auth.require`); refusals are
audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.models import Counter, Staff
from app.models.base import new_uid
from app.models.day import Shift, ShiftClose, ShiftCloseLine, StockCount
from app.security import Permission
from app.services.audit import events as audit
from app.services.day.counts import (
    CloseLine,
    Counts,
    ExpectedLine,
    check_counts,
    compare,
    expected_at_close,
    known_items,
)
from app.services.day.errors import DayError
from app.services.day.hooks import ensure_day_open, local_today, open_shift_at
from app.services.day.items import (
    CHECKLIST,
    CHECKLIST_CODES,
    INVOICE,
    cash_item,
    cash_total,
    item_label,
)
from app.services.day.queue_visits import end_visits_at_counter
from app.services.hall.registry import Actor
from app.services.staff.auth import authorize, require


class ApprovalRequired(DayError):
    """Differences beyond the hall's tolerance: a supervisor must approve at the counter."""

    def __init__(self, lines: list[CloseLine]) -> None:
        names = "、".join(item_label(line.item) for line in lines)
        super().__init__(f"以下差异超出容差，须值班长输入工号和密码审批：{names}",
                         "differences beyond tolerance need a supervisor's approval")
        self.lines = lines


@dataclass(frozen=True)
class Approval:
    """A supervisor's own credentials, typed at the clerk's counter."""

    staff_no: str
    password: str
    note: str = ""


@dataclass(frozen=True)
class ShiftInfo:
    id: int
    counter_code: str
    staff_no: str
    staff_name: str
    business_date: date
    status: str
    opened_at: datetime
    closed_at: datetime | None = None


@dataclass(frozen=True)
class ClosePreview:
    shift: ShiftInfo
    lines: list[ExpectedLine]
    invoice_first_expected: str | None  # the next blank invoice number, if numbered


@dataclass(frozen=True)
class CloseResult:
    shift: ShiftInfo
    lines: list[CloseLine]
    approved_by: str | None


def _shift_info(session: Session, shift: Shift) -> ShiftInfo:
    counter = session.get(Counter, shift.counter_id)
    staff = session.get(Staff, shift.staff_id)
    return ShiftInfo(shift.id, counter.code if counter else "?", staff.staff_no if staff else "?",
                     staff.name if staff else "?", shift.business_date, shift.status,
                     shift.opened_at, shift.closed_at)


# --- opening -------------------------------------------------------------------------------

def open_shift(db: Database, actor: Actor, checklist: dict[str, bool], counts: Counts, *,
               note: str = "", business_date: date | None = None,
               now: datetime | None = None) -> ShiftInfo:
    """Open the clerk's shift at their counter after the "three cleans, three checks".

    Every checklist item must be answered; an item not passed needs a note (the shift still
    opens: a broken note detector is reported, not hidden).
    """
    require(db, actor, Permission.SHIFT_OPEN)
    if actor.channel != "counter" or actor.staff_id is None:
        raise DayError("批量通道不需要开班", "the batch channel has no shifts")
    missing = [c.zh for c in CHECKLIST if c.code not in checklist]
    if missing:
        raise DayError(f"开班检查未完成：{'、'.join(missing)}", "answer every checklist item")
    unknown = [k for k in checklist if k not in CHECKLIST_CODES]
    if unknown:
        raise DayError(f"未知的检查项：{'、'.join(unknown)}", "unknown checklist item")
    failed = [c.zh for c in CHECKLIST if not checklist[c.code]]
    if failed and not note.strip():
        raise DayError(f"以下检查未通过，请填写说明：{'、'.join(failed)}",
                       "explain the checks that did not pass")
    now = now or db.clock.now()
    with db.session() as s:
        check_counts(counts, known_items(s))
        day = business_date or local_today(s, actor.hall_id, now)
        ensure_day_open(s, actor.hall_id, day)
        current = open_shift_at(s, actor.counter_id)
        if current is not None:
            holder = s.get(Staff, current.staff_id)
            raise DayError(f"本柜台已开班（{holder.name if holder else '?'}），须先交班",
                           "this counter already has an open shift")
        elsewhere = s.execute(select(Counter.code).join(Shift, Shift.counter_id == Counter.id)
                              .where(Shift.staff_id == actor.staff_id, Shift.status == "open")
                              ).scalar()
        if elsewhere:
            raise DayError(f"您在 {elsewhere} 柜台的班次尚未交班", "your shift at another "
                           "counter is still open")
        shift = Shift(uid=new_uid(), hall_id=actor.hall_id, counter_id=actor.counter_id,
                      staff_id=actor.staff_id, business_date=day, status="open", opened_at=now,
                      checklist={k: bool(checklist[k]) for k in CHECKLIST_CODES},
                      checklist_note=note.strip() or None)
        s.add(shift)
        s.flush()
        _add_counts(s, shift.id, "open", counts)
        audit.record(s, "shift.open", actor=actor.staff_no, actor_staff_id=actor.staff_id,
                     counter=actor.counter_code, target=f"shift:{shift.id}",
                     data={"business_date": day.isoformat(), "failed_checks": failed,
                           "cash_fen": cash_total(counts.cash)})
        return _shift_info(s, shift)


def _add_counts(s: Session, shift_id: int, phase: str, counts: Counts) -> None:
    for item, quantity in counts.stock.items():
        invoice = item == INVOICE
        s.add(StockCount(shift_id=shift_id, phase=phase, item=item, quantity=quantity,
                         first_no=(counts.invoice_first or None) if invoice else None,
                         last_no=(counts.invoice_last or None) if invoice else None))
    for denomination, pieces in counts.cash.items():
        s.add(StockCount(shift_id=shift_id, phase=phase, item=cash_item(denomination),
                         quantity=pieces))


def current_shift(db: Database, actor: Actor) -> ShiftInfo | None:
    """The open shift at the actor's counter (anyone's), for the counter window's status bar."""
    with db.read() as s:
        shift = open_shift_at(s, actor.counter_id)
        return _shift_info(s, shift) if shift else None


# --- closing -------------------------------------------------------------------------------

def _own_open_shift(s: Session, actor: Actor) -> Shift:
    shift = open_shift_at(s, actor.counter_id)
    if shift is None:
        raise DayError("本柜台没有未交班的班次", "no open shift at this counter")
    if shift.staff_id != actor.staff_id:
        raise DayError("只能由开班人本人交班", "only the clerk who opened the shift closes it")
    return shift


def preview_close(db: Database, actor: Actor) -> ClosePreview:
    """What the clerk should find at closing: opening less what the orders used, money taken."""
    with db.read() as s:
        shift = _own_open_shift(s, actor)
        lines, next_invoice = expected_at_close(s, shift)
        return ClosePreview(_shift_info(s, shift), lines, next_invoice)


def close_shift(db: Database, actor: Actor, counts: Counts, explanations: dict[str, str], *,
                approval: Approval | None = None, now: datetime | None = None) -> CloseResult:
    """Close the clerk's shift: every difference explained; beyond the hall's tolerance a
    supervisor approves with their own staff number and password (never the clerk's own)."""
    require(db, actor, Permission.SHIFT_CLOSE)
    with db.read() as s:
        shift = _own_open_shift(s, actor)
        check_counts(counts, known_items(s))
        expected, _ = expected_at_close(s, shift)
    lines = compare(expected, counts, explanations)
    unexplained = [ln.label for ln in lines if ln.difference and not ln.explanation]
    if unexplained:
        raise DayError(f"以下项目有差异，请填写说明：{'、'.join(unexplained)}",
                       "explain every difference")
    beyond = [ln for ln in lines if ln.beyond_tolerance]
    approver: Actor | None = None
    if beyond:
        if approval is None:
            raise ApprovalRequired(beyond)
        if approval.staff_no.strip() == actor.staff_no:
            raise DayError("差异须由本人以外的值班长审批", "a difference is approved by "
                           "another person, not the clerk")
        reason = "交班差异：" + "、".join(f"{ln.label} {ln.difference:+d}" for ln in beyond)
        approver = authorize(db, actor, approval.staff_no, approval.password,
                             Permission.DIFFERENCE_APPROVE, reason)
    now = now or db.clock.now()
    with db.session() as s:
        shift = _own_open_shift(s, actor)
        ensure_day_open(s, shift.hall_id, shift.business_date)
        fresh, _ = expected_at_close(s, shift)
        if [(e.item, e.expected) for e in fresh] != [(e.item, e.expected) for e in expected]:
            raise DayError("清点期间本班次又有业务入账，请重新核对", "an order was recorded "
                           "while counting: check again")
        approver_id = None
        if approver is not None:
            approver_id = s.execute(select(Staff.id).where(
                Staff.staff_no == approver.authorized_by)).scalar()
        close = ShiftClose(shift_id=shift.id, closed_by=actor.staff_id, closed_at=now,
                           needs_approval=bool(beyond), approved_by=approver_id,
                           approved_at=now if approver_id else None,
                           approval_note=(approval.note.strip() or None) if approval else None)
        close.lines = [ShiftCloseLine(item=ln.item, money=ln.money, expected=ln.expected,
                                      counted=ln.counted, difference=ln.difference,
                                      tolerance=ln.tolerance, explanation=ln.explanation or None)
                       for ln in lines]
        s.add(close)
        _add_counts(s, shift.id, "close", counts)
        shift.status = "approved" if approver_id else "closed"
        shift.closed_at = now
        end_visits_at_counter(s, shift.counter_id, now)  # the last customer's visit too
        audit.record(s, "shift.close", actor=actor.staff_no, actor_staff_id=actor.staff_id,
                     counter=actor.counter_code, target=f"shift:{shift.id}",
                     authorized_by=approver.authorized_by if approver else None,
                     data={"differences": {ln.item: ln.difference for ln in lines
                                           if ln.difference},
                           "beyond_tolerance": [ln.item for ln in beyond]})
        s.flush()
        return CloseResult(_shift_info(s, shift), lines,
                           approver.authorized_by if approver else None)


def approve_shift(db: Database, supervisor: Actor, shift_id: int, note: str = "") -> ShiftInfo:
    """The supervisor's review of a closed shift (its differences were within tolerance)."""
    require(db, supervisor, Permission.DIFFERENCE_APPROVE)
    with db.session() as s:
        shift = s.get(Shift, shift_id)
        if shift is None:
            raise DayError("班次不存在", "no such shift")
        ensure_day_open(s, shift.hall_id, shift.business_date)
        if shift.status != "closed":
            raise DayError("只能审核已交班的班次" if shift.status == "open" else "该班次已审核",
                           "only a closed shift can be approved")
        if shift.staff_id == supervisor.staff_id:
            raise DayError("不能审核本人的班次", "you cannot approve your own shift")
        close = s.execute(select(ShiftClose).where(ShiftClose.shift_id == shift.id)).scalar_one()
        close.approved_by = supervisor.staff_id
        close.approved_at = db.clock.now()
        close.approval_note = note.strip() or close.approval_note
        shift.status = "approved"
        audit.record(s, "shift.approve", actor=supervisor.staff_no,
                     actor_staff_id=supervisor.staff_id, counter=supervisor.counter_code,
                     target=f"shift:{shift.id}")
        return _shift_info(s, shift)
