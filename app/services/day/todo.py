"""我的待办 (the first-ask chain, 首问负责): every open item a clerk owns, with its deadline.

An item is a follow-up task an order left (refund the roaming prepayment within two months,
complete a unit's licence, a campaign's term end, ...), a complaint waiting for its answer or
its follow-up visit (回访), or a fault ticket waiting for service to be restored. A
complaint's or fault's own follow-up tasks are shown (and closed, and handed over) through
its register entry, never twice.

    items = my_items(db, clerk)                      # overdue first, then by deadline
    close_item(db, clerk, "follow_up", 7, "已退还预付款 200 元")
    hand_over_item(db, clerk, "complaint", 3, "C002", "本人明日休息")
    everyone = all_items(db, supervisor)             # the supervisor's view of the hall
    late = overdue_items(db, hall_id, at)            # for the sign-off checklist

The owner closes or hands over their own items, a supervisor anyone's; others are refused
in the core (`registers.NotOwner`, audited). Deadlines are instants; "due today" is the
hall's local date (its time zone), never the UTC one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session, aliased

from app.db import Database
from app.models import FollowUpTask, ServiceOrder, Staff
from app.models.day import Complaint, FaultTicket, Handover
from app.security import Permission
from app.services.audit import events as audit
from app.services.day import registers
from app.services.day.errors import DayError
from app.services.day.hooks import hall_zone
from app.services.hall.registry import Actor
from app.services.staff.auth import require

KINDS = ("follow_up", "complaint", "fault")
RESULT_LIMIT = 2000


@dataclass(frozen=True)
class TodoItem:
    kind: str  # follow_up | complaint | fault
    id: int
    stage: str  # follow_up | answer | callback | restore: what closing it does
    title: str  # in Chinese, as the task or register names it
    order_no: str
    line_number: str
    due_at: datetime | None  # None: a complaint answered with no visit date set
    owner_staff_id: int | None
    owner_no: str
    owner_name: str
    overdue: bool
    due_today: bool  # the deadline falls on today's date in the hall
    handovers: int

    @property
    def key(self) -> tuple[str, int]:
        return self.kind, self.id


@dataclass(frozen=True)
class TodoCounts:
    open: int
    overdue: int


@dataclass(frozen=True)
class HandoverEntry:
    at: datetime
    from_name: str
    to_name: str
    by_name: str
    reason: str


_FAR = datetime.max.replace(tzinfo=UTC)


def _order_key(item: TodoItem) -> tuple[bool, datetime, str, int]:
    """Overdue first, then by deadline (none last)."""
    return (not item.overdue, item.due_at or _FAR, item.kind, item.id)


def _collect(s: Session, hall_id: int, at: datetime, owner_id: int | None,
             kinds: Iterable[str] = KINDS) -> list[TodoItem]:
    """Every open item of the hall (of one owner when `owner_id` is given), unsorted."""
    zone = hall_zone(s, hall_id)
    today = at.astimezone(zone).date()
    owner = aliased(Staff)
    rows: list[tuple[Any, ...]] = []

    def add(*row: Any) -> None:
        rows.append(row)

    def mine(column: Any) -> list[Any]:
        return [column == owner_id] if owner_id is not None else []

    if "follow_up" in kinds:
        linked = _linked_task()
        for t, order_no, line, sid, sno, sname in s.execute(
                select(FollowUpTask, ServiceOrder.order_no, ServiceOrder.line_number,
                       owner.id, owner.staff_no, owner.name)
                .join(ServiceOrder, ServiceOrder.id == FollowUpTask.order_id)
                .outerjoin(owner, owner.id == FollowUpTask.owner_staff_id)
                .where(FollowUpTask.status == "open", ServiceOrder.hall_id == hall_id, ~linked,
                       *mine(FollowUpTask.owner_staff_id))):
            add("follow_up", t.id, "follow_up", t.name, order_no, line, t.due_at, sid, sno,
                sname)
    if "complaint" in kinds:
        for c, order_no, sid, sno, sname in s.execute(
                select(Complaint, ServiceOrder.order_no, owner.id, owner.staff_no, owner.name)
                .outerjoin(ServiceOrder, ServiceOrder.id == Complaint.order_id)
                .outerjoin(owner, owner.id == Complaint.owner_staff_id)
                .where(Complaint.hall_id == hall_id, Complaint.status.in_(("open", "answered")),
                       *mine(Complaint.owner_staff_id))):
            answering = c.status == "open"
            add("complaint", c.id, "answer" if answering else "callback",
                f"{'答复投诉' if answering else '投诉回访'}：{c.subject}", order_no,
                c.line_number, c.promised_at if answering else c.callback_due_at, sid, sno,
                sname)
    if "fault" in kinds:
        for f, order_no, sid, sno, sname in s.execute(
                select(FaultTicket, ServiceOrder.order_no, owner.id, owner.staff_no, owner.name)
                .join(ServiceOrder, ServiceOrder.id == FaultTicket.order_id)
                .outerjoin(owner, owner.id == FaultTicket.owner_staff_id)
                .where(FaultTicket.status == "open", ServiceOrder.hall_id == hall_id,
                       *mine(FaultTicket.owner_staff_id))):
            what = "光缆中断" if f.fault_type == "cable_cut" else "故障"
            add("fault", f.id, "restore", f"{what}修复：{f.description or f.line_number or ''}"
                .rstrip("："), order_no, f.line_number, f.deadline_at, sid, sno, sname)
    handovers = _handover_counts(s, {(r[0], r[1]) for r in rows})
    return [TodoItem(kind, item_id, stage, title, order_no or "", line or "", due, sid,
                     sno or "", sname or "未指派", due is not None and due < at,
                     due is not None and due.astimezone(zone).date() == today,
                     handovers.get((kind, item_id), 0))
            for kind, item_id, stage, title, order_no, line, due, sid, sno, sname in rows]


def _handover_counts(s: Session, keys: set[tuple[str, int]]) -> dict[tuple[str, int], int]:
    out: dict[tuple[str, int], int] = {}
    for kind in {k for k, _ in keys}:
        ids = sorted(i for k, i in keys if k == kind)
        for start in range(0, len(ids), 500):  # bounded IN lists
            out.update(((kind, sid), int(n)) for sid, n in s.execute(
                select(Handover.subject_id, func.count(Handover.id))
                .where(Handover.subject == kind, Handover.subject_id.in_(ids[start:start + 500]))
                .group_by(Handover.subject_id)))
    return out


def _linked_task() -> Any:
    """A follow-up task that its order's complaint or fault entry carries."""
    comp = exists().where(and_(Complaint.order_id == FollowUpTask.order_id,
                               FollowUpTask.task.in_(registers.LINKED_TASKS["complaint"])))
    fault = exists().where(and_(FaultTicket.order_id == FollowUpTask.order_id,
                                FollowUpTask.task.in_(registers.LINKED_TASKS["fault"])))
    return comp | fault


def _sorted(items: list[TodoItem]) -> list[TodoItem]:
    return sorted(items, key=_order_key)


# --- reading ---------------------------------------------------------------------------------

def my_items(db: Database, actor: Actor, *, at: datetime | None = None) -> list[TodoItem]:
    """The actor's own open items, overdue first, then by deadline."""
    at = at or db.clock.now()
    with db.read() as s:
        return _sorted(_collect(s, actor.hall_id, at, actor.staff_id or -1))


def my_counts(db: Database, actor: Actor, *, at: datetime | None = None) -> TodoCounts:
    """How many items the actor owns, and how many of them are overdue (the status bar)."""
    items = my_items(db, actor, at=at)
    return TodoCounts(len(items), sum(1 for i in items if i.overdue))


def all_items(db: Database, actor: Actor, *, at: datetime | None = None) -> list[TodoItem]:
    """Every open item of the hall, whoever owns it, overdue first (supervisors only)."""
    require(db, actor, Permission.EXCEPTION_AUTHORIZE)
    at = at or db.clock.now()
    with db.read() as s:
        return _sorted(_collect(s, actor.hall_id, at, None))


def overdue_items(db: Database, hall_id: int, at: datetime | None = None, *,
                  kinds: Iterable[str] = KINDS) -> list[TodoItem]:
    """The hall's open items past their deadline at `at`, longest overdue first.

    For the sign-off checklist: "open complaints past their promise" are the items with
    `kind == "complaint" and stage == "answer"` (a complaint past its follow-up visit date
    has `stage == "callback"`). The caller checks its own permission."""
    at = at or db.clock.now()
    with db.read() as s:
        late = [i for i in _collect(s, hall_id, at, None, tuple(kinds)) if i.overdue]
    return sorted(late, key=lambda i: (i.due_at or _FAR, i.kind, i.id))


def history(db: Database, kind: str, item_id: int) -> list[HandoverEntry]:
    """An item's hand-overs, oldest first: when, from whom, to whom, by whom, why."""
    src, dst, by = aliased(Staff), aliased(Staff), aliased(Staff)
    with db.read() as s:
        return [HandoverEntry(at, a or "未指派", b, c or "", note or "")
                for at, a, b, c, note in s.execute(
                    select(Handover.at, src.name, dst.name, by.name, Handover.note)
                    .outerjoin(src, src.id == Handover.from_staff_id)
                    .join(dst, dst.id == Handover.to_staff_id)
                    .outerjoin(by, by.id == Handover.by_staff_id)
                    .where(Handover.subject == kind, Handover.subject_id == item_id)
                    .order_by(Handover.at, Handover.id))]


def colleagues(db: Database, actor: Actor) -> list[tuple[str, str]]:
    """(staff number, name) of the hall's active staff who serve customers: whom an item can
    be handed to."""
    from app.security import has_permission

    with db.read() as s:
        rows = s.execute(select(Staff.staff_no, Staff.name, Staff.role).where(
            Staff.hall_id == actor.hall_id, Staff.active.is_(True)).order_by(Staff.staff_no))
        return [(no, name) for no, name, role in rows
                if has_permission(role, Permission.ORDER_CREATE)]


# --- closing and handing over ------------------------------------------------------------------

def close_item(db: Database, actor: Actor, kind: str, item_id: int, result: str, *,
               callback_result: str | None = None, now: datetime | None = None) -> None:
    """Close an item with its result (required): a follow-up is done; a complaint waiting for
    its answer is answered (its follow-up visit comes next); with `callback_result` (one of
    `registers.CALLBACK_RESULTS`) a complaint's visit is recorded; a fault is restored."""
    require(db, actor, Permission.ORDER_CREATE)
    text = (result or "").strip()
    if not text:
        raise DayError("请填写办理结果", "the result is required")
    text = text[:RESULT_LIMIT]
    if kind == "follow_up":
        _close_follow_up(db, actor, item_id, text, now or db.clock.now())
    elif kind == "complaint" and callback_result is not None:
        registers.record_callback(db, actor, item_id, callback_result, text, now=now)
    elif kind == "complaint":
        registers.answer_complaint(db, actor, item_id, text, now=now)
    elif kind == "fault":
        registers.restore_fault(db, actor, item_id, text, now=now)
    else:
        raise DayError("待办类型应为待办、投诉或障碍单", f"unknown item kind {kind!r}")


def _close_follow_up(db: Database, actor: Actor, task_id: int, result: str,
                     now: datetime) -> None:
    supervisor = registers.is_supervisor(db, actor)
    with registers.refusals_audited(db, actor), db.session() as s:
        task = s.get(FollowUpTask, task_id)
        if task is None:
            raise DayError("待办事项不存在", "no such follow-up")
        if task.status != "open":
            raise DayError("该待办已办结", "the follow-up is already closed")
        if registers.carried_by_entry(s, task):
            raise DayError("该待办随投诉或障碍单办理：请办理对应的投诉或障碍单",
                           "close the complaint or fault ticket this task belongs to")
        target = f"follow_up:{task.id}"
        registers.check_owner(task, actor, supervisor, target, "close")
        task.status, task.done_at, task.done_by, task.note = "done", now, actor.staff_id, result
        audit.record(s, "follow_up.close", actor=actor.staff_no, actor_staff_id=actor.staff_id,
                     counter=actor.counter_code, target=target,
                     data={"task": task.task, "late": now > task.due_at,
                           "owner_staff_id": task.owner_staff_id})


def hand_over_item(db: Database, actor: Actor, kind: str, item_id: int, to_staff_no: str,
                   reason: str, *, now: datetime | None = None) -> int:
    """Hand an item to another clerk with the reason (required); see `registers.hand_over`."""
    if kind not in KINDS:
        raise DayError("待办类型应为待办、投诉或障碍单", f"unknown item kind {kind!r}")
    return registers.hand_over(db, actor, kind, item_id, to_staff_no, reason, now=now)
