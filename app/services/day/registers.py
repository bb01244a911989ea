"""The hall's registers (domain.md sections 1, 4.18, 4.22, 6): complaints with their answer
and follow-up visit (回访), fault tickets with their restoration clock, and hand-overs of a
request from one clerk to another (首问负责制: nothing is dropped, every hand-over recorded).

Complaint and fault entries are opened by the order service when a `complaint` or
`fault_report` order is recorded (`hooks`); a complaint can also be entered directly.

Only an item's owner (or a supervisor, or anyone while it has no owner) answers, visits,
restores or hands it over: checked here, in the core, and every refusal audited
(`first_ask.refused`). The owner's list of open items is `app.services.day.todo`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from app.db import Database
from app.models import FollowUpTask, ServiceOrder, Staff
from app.models.base import new_uid
from app.models.day import Complaint, FaultTicket, Handover
from app.security import Permission, has_permission, mask_mobile
from app.services.audit import events as audit
from app.services.day.errors import DayError
from app.services.day.hooks import CALLBACK_DAYS, hall_zone, local_today
from app.services.hall.registry import Actor, get_hall, hall_config
from app.services.staff.auth import allowed, require

CALLBACK_RESULTS = {"satisfied": "满意", "basically_satisfied": "基本满意",
                    "unsatisfied": "不满意", "unreachable": "未联系上"}
COMPLAINT_STATUS_ZH = {"open": "待答复", "answered": "待回访", "closed": "已结案",
                       "voided": "已作废"}
SUBJECTS: dict[str, type[FollowUpTask] | type[Complaint] | type[FaultTicket]] = {
    "follow_up": FollowUpTask, "complaint": Complaint, "fault": FaultTicket}
# The follow-up tasks of a complaint or fault order that its register entry carries: they are
# done when the entry is answered, visited or restored, and follow it when it is handed over.
LINKED_TASKS: dict[str, tuple[str, ...]] = {
    "complaint": ("answer_complaint", "complaint_callback"), "fault": ("restore_service",)}


class NotOwner(DayError):
    """Someone else's item: its owner or a supervisor acts on it (首问负责)."""

    def __init__(self, target: str, action: str, owner_staff_id: int | None) -> None:
        super().__init__("只能办理本人负责的事项；他人的事项由值班长办理或转交",
                         "only the item's owner or a supervisor may do that")
        self.target, self.action, self.owner_staff_id = target, action, owner_staff_id


def is_supervisor(db: Database, actor: Actor) -> bool:
    """May act on anyone's item (the actor's current role, read from the database)."""
    return allowed(db, actor, Permission.EXCEPTION_AUTHORIZE)


def check_owner(entry: FollowUpTask | Complaint | FaultTicket, actor: Actor, supervisor: bool,
                target: str, action: str) -> None:
    if entry.owner_staff_id not in (None, actor.staff_id) and not supervisor:
        raise NotOwner(target, action, entry.owner_staff_id)


def carried_by_entry(s: Session, task: FollowUpTask) -> bool:
    """Whether the task is one its order's complaint or fault entry carries (`LINKED_TASKS`)."""
    for kind, model in (("complaint", Complaint), ("fault", FaultTicket)):
        if task.task in LINKED_TASKS[kind] and s.execute(
                select(model.id).where(model.order_id == task.order_id)).first():
            return True
    return False


@contextmanager
def refusals_audited(db: Database, actor: Actor) -> Iterator[None]:
    """Record a `NotOwner` refusal in its own transaction (the refused one rolled back)."""
    try:
        yield
    except NotOwner as exc:
        with db.session() as s:
            audit.record(s, "first_ask.refused", actor=actor.staff_no,
                         actor_staff_id=actor.staff_id, counter=actor.counter_code,
                         target=exc.target, data={"action": exc.action,
                                                  "owner_staff_id": exc.owner_staff_id})
        raise


@dataclass(frozen=True)
class ComplaintRow:
    id: int
    order_no: str
    business_date: date
    received_at: datetime
    customer_name: str
    contact_phone: str  # masked
    line_number: str
    subject: str
    description: str
    owner: str
    promised_at: datetime
    status: str
    answer: str
    answered_at: datetime | None
    callback_due_at: datetime | None
    callback_at: datetime | None
    callback_result: str
    overdue: bool

    @property
    def status_zh(self) -> str:
        return COMPLAINT_STATUS_ZH.get(self.status, self.status)


@dataclass(frozen=True)
class FaultRow:
    id: int
    order_no: str
    line_number: str
    fault_type: str
    description: str
    reported_at: datetime
    deadline_at: datetime
    owner: str
    status: str
    restored_at: datetime | None
    overdue: bool  # open past the deadline, or restored late


def _done_task(s: Session, order_id: int | None, task: str, now: datetime, note: str) -> None:
    if order_id is None:
        return
    for t in s.execute(select(FollowUpTask).where(
            FollowUpTask.order_id == order_id, FollowUpTask.task == task,
            FollowUpTask.status == "open")).scalars():
        t.status, t.done_at, t.note = "done", now, note[:500] or t.note


def _text(value: str, field_zh: str, field_en: str, limit: int = 2000) -> str:
    value = (value or "").strip()
    if not value:
        raise DayError(f"请填写{field_zh}", f"{field_en} is required")
    return value[:limit]


# --- complaints --------------------------------------------------------------------------------

def register_complaint(db: Database, actor: Actor, *, customer_name: str, subject: str,
                       description: str, contact_phone: str = "", line_number: str = "",
                       promised_at: datetime | None = None,
                       now: datetime | None = None) -> int:
    """A complaint entered directly in the register (not from a `complaint` order)."""
    require(db, actor, Permission.ORDER_CREATE)
    now = now or db.clock.now()
    name = _text(customer_name, "客户姓名", "customer name", 100)
    subject = _text(subject, "投诉事由", "subject", 200)
    description = _text(description, "投诉内容", "description")
    phone = contact_phone.strip()
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 20):
        raise DayError("联系电话应为7至20位数字", "contact phone: 7 to 20 digits")
    with db.session() as s:
        hall = get_hall(s)
        if hall is None:
            raise DayError("数据库中没有营业厅", "no hall")
        hours = hall_config(hall).complaint_answer_hours
        promised = promised_at or now + timedelta(hours=hours)
        if promised <= now:
            raise DayError("承诺答复时间应晚于受理时间", "the promised answer time is in the past")
        c = Complaint(uid=new_uid(), hall_id=hall.id, business_date=local_today(s, hall.id, now),
                      received_at=now, customer_name=name, contact_phone=phone or None,
                      line_number=line_number.strip() or None, subject=subject,
                      description=description, owner_staff_id=actor.staff_id,
                      promised_at=promised, status="open")
        s.add(c)
        s.flush()
        audit.record(s, "complaint.register", actor=actor.staff_no, actor_staff_id=actor.staff_id,
                     counter=actor.counter_code, target=f"complaint:{c.id}",
                     data={"promised_at": promised.isoformat()})
        return c.id


def _complaint(s: Session, complaint_id: int) -> Complaint:
    c = s.get(Complaint, complaint_id)
    if c is None:
        raise DayError("投诉记录不存在", "no such complaint")
    return c


def answer_complaint(db: Database, actor: Actor, complaint_id: int, answer: str, *,
                     callback_due_at: datetime | None = None,
                     now: datetime | None = None) -> None:
    """The answer given to the customer; the follow-up visit is due next."""
    require(db, actor, Permission.ORDER_CREATE)
    answer = _text(answer, "答复内容", "answer")
    now = now or db.clock.now()
    supervisor = is_supervisor(db, actor)
    with refusals_audited(db, actor), db.session() as s:
        c = _complaint(s, complaint_id)
        if c.status != "open":
            raise DayError(f"该投诉{COMPLAINT_STATUS_ZH.get(c.status, c.status)}，不能再答复",
                           "the complaint is not waiting for an answer")
        check_owner(c, actor, supervisor, f"complaint:{c.id}", "answer")
        c.answer, c.answered_at, c.answered_by, c.status = answer, now, actor.staff_id, "answered"
        c.callback_due_at = callback_due_at or c.callback_due_at or now + timedelta(
            days=CALLBACK_DAYS)
        _done_task(s, c.order_id, "answer_complaint", now, answer)
        audit.record(s, "complaint.answer", actor=actor.staff_no, actor_staff_id=actor.staff_id,
                     counter=actor.counter_code, target=f"complaint:{c.id}",
                     data={"late": now > c.promised_at})


def record_callback(db: Database, actor: Actor, complaint_id: int, result: str,
                    note: str = "", *, now: datetime | None = None) -> None:
    """The follow-up visit (回访) after the answer; closes the complaint."""
    require(db, actor, Permission.ORDER_CREATE)
    if result not in CALLBACK_RESULTS:
        raise DayError("请选择回访结果", "choose the follow-up visit's result")
    now = now or db.clock.now()
    supervisor = is_supervisor(db, actor)
    with refusals_audited(db, actor), db.session() as s:
        c = _complaint(s, complaint_id)
        if c.status != "answered":
            raise DayError("投诉答复后才能回访" if c.status == "open" else "该投诉已结案",
                           "a follow-up visit comes after the answer")
        check_owner(c, actor, supervisor, f"complaint:{c.id}", "callback")
        c.callback_at, c.callback_by = now, actor.staff_id
        c.callback_result, c.callback_note = result, note.strip() or None
        # An unreachable customer keeps the complaint waiting for another visit.
        if result != "unreachable":
            c.status = "closed"
            _done_task(s, c.order_id, "complaint_callback", now, CALLBACK_RESULTS[result])
        audit.record(s, "complaint.callback", actor=actor.staff_no, actor_staff_id=actor.staff_id,
                     counter=actor.counter_code, target=f"complaint:{c.id}",
                     data={"result": result})


def list_complaints(db: Database, *, status: str | None = None,
                    now: datetime | None = None) -> list[ComplaintRow]:
    """The register, newest first; contact phones masked."""
    now = now or db.clock.now()
    owner = aliased(Staff)
    with db.read() as s:
        q = (select(Complaint, ServiceOrder.order_no, owner.name)
             .outerjoin(ServiceOrder, ServiceOrder.id == Complaint.order_id)
             .outerjoin(owner, owner.id == Complaint.owner_staff_id)
             .order_by(Complaint.received_at.desc()))
        if status:
            q = q.where(Complaint.status == status)
        out = []
        for c, order_no, owner_name in s.execute(q):
            due = c.promised_at if c.status == "open" else (
                c.callback_due_at if c.status == "answered" else None)
            out.append(ComplaintRow(
                c.id, order_no or "", c.business_date, c.received_at, c.customer_name,
                mask_mobile(c.contact_phone) if c.contact_phone else "", c.line_number or "",
                c.subject, c.description, owner_name or "未指派", c.promised_at, c.status,
                c.answer or "", c.answered_at, c.callback_due_at, c.callback_at,
                CALLBACK_RESULTS.get(c.callback_result or "", ""),
                bool(due and due < now)))
        return out


# --- fault tickets -------------------------------------------------------------------------

def restore_fault(db: Database, actor: Actor, ticket_id: int, note: str = "", *,
                  now: datetime | None = None) -> bool:
    """Service restored: stops the clock. Returns whether it was within the deadline.

    `note` (what was done) is required."""
    require(db, actor, Permission.ORDER_CREATE)
    now = now or db.clock.now()
    supervisor = is_supervisor(db, actor)
    with refusals_audited(db, actor), db.session() as s:
        t = s.get(FaultTicket, ticket_id)
        if t is None:
            raise DayError("障碍单不存在", "no such fault ticket")
        if t.status != "open":
            raise DayError("该障碍已修复" if t.status == "restored" else "该障碍单已作废",
                           "the ticket is not open")
        check_owner(t, actor, supervisor, f"fault:{t.id}", "restore")
        note = _text(note, "修复情况", "what was done")
        t.status, t.restored_at, t.restored_by, t.note = "restored", now, actor.staff_id, note
        _done_task(s, t.order_id, "restore_service", now, note)
        in_time = now <= t.deadline_at
        audit.record(s, "fault.restore", actor=actor.staff_no, actor_staff_id=actor.staff_id,
                     counter=actor.counter_code, target=f"fault:{t.id}",
                     data={"in_time": in_time})
        return in_time


def list_faults(db: Database, *, open_only: bool = False,
                now: datetime | None = None) -> list[FaultRow]:
    now = now or db.clock.now()
    owner = aliased(Staff)
    with db.read() as s:
        q = (select(FaultTicket, ServiceOrder.order_no, owner.name)
             .join(ServiceOrder, ServiceOrder.id == FaultTicket.order_id)
             .outerjoin(owner, owner.id == FaultTicket.owner_staff_id)
             .order_by(FaultTicket.deadline_at))
        if open_only:
            q = q.where(FaultTicket.status == "open")
        return [FaultRow(t.id, order_no, t.line_number or "", t.fault_type, t.description,
                         t.reported_at, t.deadline_at, owner_name or "未指派", t.status,
                         t.restored_at,
                         (t.restored_at or now) > t.deadline_at if t.status != "voided" else False)
                for t, order_no, owner_name in s.execute(q)]


# --- hand-overs ------------------------------------------------------------------------------

def hand_over(db: Database, actor: Actor, subject: str, subject_id: int, to_staff_no: str,
              note: str, *, now: datetime | None = None) -> int:
    """Hand a follow-up, complaint or fault to another clerk: the new first-ask owner.

    The current owner hands over their own items; a supervisor may hand over anyone's. The
    reason (`note`) is required; from whom, to whom, by whom and when are kept (`Handover`)
    and audited. A complaint's or fault's own follow-up tasks go with it."""
    require(db, actor, Permission.ORDER_CREATE)
    model = SUBJECTS.get(subject)
    if model is None:
        raise DayError("转交对象应为回访任务、投诉或障碍单", "unknown hand-over subject")
    note = _text(note, "转交原因", "the reason for the hand-over", 500)
    now = now or db.clock.now()
    supervisor = is_supervisor(db, actor)
    with refusals_audited(db, actor), db.session() as s:
        entry: FollowUpTask | Complaint | FaultTicket | None = s.get(model, subject_id)  # type: ignore[assignment]
        if entry is None:
            raise DayError("要转交的记录不存在", "nothing to hand over")
        if entry.status not in ("open", "answered"):
            raise DayError("已办结的事项不能转交", "a finished item cannot be handed over")
        to = s.execute(select(Staff).where(Staff.staff_no == to_staff_no.strip(),
                                           Staff.hall_id == actor.hall_id,
                                           Staff.active.is_(True))).scalar_one_or_none()
        if to is None or not has_permission(to.role, Permission.ORDER_CREATE):
            raise DayError(f"工号 {to_staff_no} 不存在、已停用或不办理业务",
                           "no such active staff serving at the counter")
        if isinstance(entry, FollowUpTask) and carried_by_entry(s, entry):
            raise DayError("该待办随投诉或障碍单办理：请转交对应的投诉或障碍单",
                           "hand over the complaint or fault ticket this task belongs to")
        current = entry.owner_staff_id
        if to.id == current:
            raise DayError("该事项已由此员工负责", "already owned by that staff")
        if current not in (None, actor.staff_id) and not supervisor:
            raise NotOwner(f"{subject}:{subject_id}", "handover", current)
        entry.owner_staff_id = to.id
        order_id = entry.order_id if subject in LINKED_TASKS else None
        if order_id is not None:
            for task in s.execute(select(FollowUpTask).where(
                    FollowUpTask.order_id == order_id, FollowUpTask.status == "open",
                    FollowUpTask.task.in_(LINKED_TASKS[subject]))).scalars():
                task.owner_staff_id = to.id
        h = Handover(uid=new_uid(), subject=subject, subject_id=subject_id, from_staff_id=current,
                     to_staff_id=to.id, by_staff_id=actor.staff_id, note=note, at=now)
        s.add(h)
        s.flush()
        audit.record(s, "handover", actor=actor.staff_no, actor_staff_id=actor.staff_id,
                     counter=actor.counter_code, target=f"{subject}:{subject_id}",
                     data={"to": to.staff_no, "from_staff_id": current})
        return h.id


def handovers_of(db: Database, subject: str, subject_id: int) -> list[tuple[datetime, str, str,
                                                                             str]]:
    """(when, from, to, note) for one item, oldest first."""
    src, dst = aliased(Staff), aliased(Staff)
    with db.read() as s:
        return [(at, a or "未指派", b, note) for at, a, b, note in s.execute(
            select(Handover.at, src.name, dst.name, Handover.note)
            .outerjoin(src, src.id == Handover.from_staff_id)
            .join(dst, dst.id == Handover.to_staff_id)
            .where(Handover.subject == subject, Handover.subject_id == subject_id)
            .order_by(Handover.at))]


def local_time_text(db: Database, when: datetime | None) -> str:
    """A UTC time as the hall's local "YYYY-MM-DD HH:MM" (for lists and papers)."""
    if when is None:
        return ""
    with db.read() as s:
        hall = get_hall(s)
        zone = hall_zone(s, hall.id) if hall else None
    return when.astimezone(zone).strftime("%Y-%m-%d %H:%M") if zone else when.isoformat()
