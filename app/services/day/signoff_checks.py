"""The checklist before the day's sign-off (日结签核): what must be settled first, each item
named with what to do about it.

Blocking items (the sign-off is refused while one remains):

* ``open_shift``: a shift of the day is not closed: its counts are not in, so the day's cash
  and stock are not known. The clerk closes it.
* ``unsynced``: orders of the day recorded in this database have not reached the hall's
  server yet (the sync outbox above the pushed mark, as `app.services.sync.state` counts it),
  or another workstation of the hall told the server at its last sync that it still holds
  orders of the day (`workstation_day`, as this database last pulled it; one line per counter
  with the orders waiting and when it last synced). Signing off here would fix figures the
  server does not have. Run the sync first (there, then here). On the server itself the outbox
  is empty: a counter that has not pushed its shift's close shows as an open shift there (its
  orders are pushed before the close, in commit order). A hall without a server has no
  `workstation_day` rows: only the local check applies.
* ``difference``: a closed shift has a cash or stock difference nobody approved (within the
  tolerance a clerk closes alone; beyond it a supervisor approved at the counter already). A
  supervisor approves it with their own credentials (`signoff.approve_difference`).

Warnings (the sign-off goes ahead only when the supervisor has acknowledged each one, by its
key; the acknowledged warnings are written into the sign-off's audit event and notes):

* ``complaint_overdue``: a complaint is still unanswered past the answer promised to the
  customer, at the time of the check (the first-ask chain's `todo.overdue_items`, which the
  caller passes in). Answering may take days, so it cannot hold the hall's books open; the
  supervisor must see it and own it.
* ``void_after_close``: an order was voided after the shift that recorded it had closed: the
  money handed back was not in that shift's count (it went to the drawer open at the voiding
  counter, or to none). The supervisor checks where the money went and records a correction
  if the books are wrong.
* ``retired_unsynced``: a workstation released with `counter sync --release --force` still
  held orders of the day at its last sync: they will never reach the server (nothing waits for
  it any more). The supervisor checks those orders and owns the gap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.money import format_yuan
from app.db import Database
from app.models import Counter, Hall, ServiceOrder, Staff, SyncOutbox, SyncState, WorkstationDay
from app.models.day import (
    CashEntry,
    OrderVoid,
    Shift,
    ShiftClose,
    ShiftCloseLine,
)
from app.services.day.hooks import hall_zone
from app.services.day.items import describe_quantity, item_label
from app.services.day.todo import TodoItem, overdue_items

BLOCKING_KINDS = ("open_shift", "unsynced", "difference")
WARNING_KINDS = ("complaint_overdue", "void_after_close", "retired_unsynced")


@dataclass(frozen=True)
class CheckItem:
    """One thing to settle before the sign-off, in the supervisor's words (zh and en)."""

    key: str  # stable: "difference:12", "void_after_close:<order no>"
    kind: str  # one of BLOCKING_KINDS or WARNING_KINDS
    zh: str  # what is wrong, then what to do
    en: str
    shift_id: int | None = None  # the shift to close or approve
    ref: str = ""  # the counter, the complaint id or the order number

    @property
    def blocking(self) -> bool:
        return self.kind in BLOCKING_KINDS


@dataclass(frozen=True)
class Checklist:
    business_date: date
    items: list[CheckItem]

    @property
    def blocking(self) -> list[CheckItem]:
        return [i for i in self.items if i.blocking]

    @property
    def warnings(self) -> list[CheckItem]:
        return [i for i in self.items if not i.blocking]

    @property
    def clear(self) -> bool:
        return not self.items


def signoff_checklist(s: Session, hall_id: int, day: date, now: datetime,
                      overdue: Sequence[TodoItem] = ()) -> Checklist:
    """Everything to settle before `day` is signed off, blocking items first. `overdue`: the
    hall's overdue items at `now` (`overdue_complaints`), read before this session."""
    fmt = _LocalTime(s, hall_id)
    items = (_open_shifts(s, hall_id, day) + _unsynced(s, hall_id, day)
             + _unapproved_differences(s, hall_id, day) + _overdue_complaints(overdue, fmt)
             + _voids_after_close(s, hall_id, day, fmt))
    return Checklist(day, items)


def overdue_complaints(db: Database, hall_id: int, now: datetime) -> list[TodoItem]:
    """Complaints still unanswered past their promise at `now` (callers hold the right)."""
    return [i for i in overdue_items(db, hall_id, now, kinds=("complaint",))
            if i.stage == "answer"]


class _LocalTime:
    def __init__(self, s: Session, hall_id: int) -> None:
        self.zone = hall_zone(s, hall_id)

    def __call__(self, when: datetime | None, fmt: str = "%m-%d %H:%M") -> str:
        return when.astimezone(self.zone).strftime(fmt) if when else "?"


def _open_shifts(s: Session, hall_id: int, day: date) -> list[CheckItem]:
    rows = s.execute(select(Shift.id, Counter.code, Staff.name, Staff.staff_no)
                     .join(Counter, Counter.id == Shift.counter_id)
                     .join(Staff, Staff.id == Shift.staff_id)
                     .where(Shift.hall_id == hall_id, Shift.business_date == day,
                            Shift.status == "open")
                     .order_by(Counter.code, Shift.id)).all()
    return [CheckItem(f"open_shift:{sid}", "open_shift",
                      f"{code} 柜台 {name}（{no}）尚未交班：请营业员清点物品和现金后交班",
                      f"counter {code}: {no}'s shift is still open; the clerk must count and "
                      "close it", sid, code)
            for sid, code, name, no in rows]


def _unsynced(s: Session, hall_id: int, day: date) -> list[CheckItem]:
    mark = int(s.execute(select(SyncState.value).where(SyncState.key == "push.mark"))
               .scalar() or 0)
    rows = s.execute(select(Counter.code, func.count(func.distinct(ServiceOrder.id)))
                     .select_from(SyncOutbox)
                     .join(ServiceOrder, ServiceOrder.id == SyncOutbox.row_id)
                     .join(Counter, Counter.id == ServiceOrder.counter_id)
                     .where(SyncOutbox.id > mark, SyncOutbox.tbl == "service_order",
                            ServiceOrder.hall_id == hall_id, ServiceOrder.business_date == day)
                     .group_by(Counter.code).order_by(Counter.code)).all()
    return [CheckItem(f"unsynced:{code}", "unsynced",
                      f"{code} 柜台当日有 {n} 笔订单尚未同步到营业厅服务器：请先执行同步"
                      "（counter sync 或状态栏的“立即同步”）",
                      f"counter {code}: {n} orders of the day are not on the hall's server "
                      "yet; run the sync first", None, code)
            for code, n in rows] + _unsynced_elsewhere(s, hall_id, day, {c for c, _ in rows})


def _unsynced_elsewhere(s: Session, hall_id: int, day: date,
                        here: set[str]) -> list[CheckItem]:
    """Counters of other workstations that held orders of `day` at their last sync, or whose
    last order serial of the day is past the last of their orders pulled here."""
    me = s.execute(select(SyncState.value).where(SyncState.key == "workstation.id")).scalar()
    wd = WorkstationDay
    rows = s.execute(select(wd.counter_code, wd.waiting, wd.last_serial, wd.reported_at,
                            wd.origin, wd.workstation, wd.retired_at, wd.retired_by)
                     .join(Hall, Hall.code == wd.hall_code)
                     .where(Hall.id == hall_id, wd.business_date == day,
                            wd.workstation != (me or ""))
                     .order_by(wd.counter_code, wd.workstation)).all()
    if not rows:
        return []
    pulled = dict(s.execute(select(Counter.code, func.max(ServiceOrder.order_no))
                            .join(Counter, Counter.id == ServiceOrder.counter_id)
                            .where(ServiceOrder.hall_id == hall_id,
                                   ServiceOrder.business_date == day)
                            .group_by(Counter.code)).all())
    local = _LocalTime(s, hall_id)
    out: list[CheckItem] = []
    for code, n, serial, at, origin, ws, retired, by in rows:
        if retired is not None and n > 0:  # given up with it: acknowledged, not waited for
            out.append(_retired_unsynced(code, n, origin, ws, local(retired), by or "?"))
            continue
        if code in here:
            continue
        if n > 0:
            out.append(CheckItem(
                f"unsynced:{code}", "unsynced",
                f"{code} 柜台（工作站 {origin}）当日有 {n} 笔订单尚未同步到营业厅服务器"
                f"（该工作站上次同步 {local(at)}）：请先在该柜台执行同步，再在本机同步",
                f"counter {code} (workstation {origin}): {n} orders of the day are not on the "
                f"hall's server yet (last synced {local(at)}); sync there first, then here",
                None, code))
        elif serial > _serial(pulled.get(code)):
            out.append(CheckItem(
                f"unsynced:{code}", "unsynced",
                f"{code} 柜台（工作站 {origin}）当日已记录到第 {serial} 笔订单，本机只取回到第 "
                f"{_serial(pulled.get(code))} 笔（该工作站上次同步 {local(at)}）：请在本机执行同步",
                f"counter {code} (workstation {origin}) recorded orders up to serial {serial} "
                f"of the day, this workstation has them up to {_serial(pulled.get(code))} "
                f"(it last synced {local(at)}); sync here", None, code))
    return out


def _retired_unsynced(code: str, n: int, origin: str, ws: str, when: str,
                      by: str) -> CheckItem:
    return CheckItem(
        f"retired_unsynced:{code}:{ws[:8]}", "retired_unsynced",
        f"{code} 柜台的工作站 {origin} 已于 {when} 由 {by} 释放停用，其当日 {n} 笔订单未同步到"
        "服务器，不会计入本日数据：请核实这些业务（如需补录请登记），确认后方可签核",
        f"counter {code}: workstation {origin} was released by {by} at {when} with {n} orders "
        "of the day never synced; they are not in the day's figures: check them, then "
        "acknowledge", None, code)


def _serial(order_no: str | None) -> int:
    """The day's serial in an order number (`HALL-COUNTER-YYYYMMDD-00012-X`); 0 for none."""
    if not order_no:
        return 0
    parts = order_no.rsplit("-", 2)
    return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else 0


def _unapproved_differences(s: Session, hall_id: int, day: date) -> list[CheckItem]:
    rows = s.execute(select(Shift.id, Counter.code, Staff.name, Staff.staff_no,
                            ShiftCloseLine.item, ShiftCloseLine.difference)
                     .join(ShiftClose, ShiftClose.shift_id == Shift.id)
                     .join(ShiftCloseLine, ShiftCloseLine.close_id == ShiftClose.id)
                     .join(Counter, Counter.id == Shift.counter_id)
                     .join(Staff, Staff.id == Shift.staff_id)
                     .where(Shift.hall_id == hall_id, Shift.business_date == day,
                            Shift.status != "open", ShiftClose.approved_by.is_(None),
                            ShiftCloseLine.difference != 0)
                     .order_by(Counter.code, Shift.id, ShiftCloseLine.id)).all()
    by_shift: dict[int, tuple[str, str, str, list[str], list[str]]] = {}
    for sid, code, name, no, item, diff in rows:
        entry = by_shift.setdefault(sid, (code, name, no, [], []))
        sign = "+" if diff > 0 else ""
        entry[3].append(f"{item_label(item)} {sign}{describe_quantity(item, int(diff))}")
        entry[4].append(f"{item} {int(diff):+d}")
    return [CheckItem(f"difference:{sid}", "difference",
                      f"{code} 柜台 {name}（{no}）交班差异未审批：{'、'.join(zh)}；"
                      "请核对差异说明后由值班长审批",
                      f"counter {code}: the differences of {no}'s shift are not approved "
                      f"({', '.join(en)}); a supervisor must approve them", sid, code)
            for sid, (code, name, no, zh, en) in by_shift.items()]


def _overdue_complaints(overdue: Sequence[TodoItem], local: _LocalTime) -> list[CheckItem]:
    return [CheckItem(f"complaint_overdue:{c.id}", "complaint_overdue",
                      f"{c.title}{f'（{c.order_no}）' if c.order_no else ''}已超过承诺答复时限 "
                      f"{local(c.due_at)} 仍未答复，首问负责人 {c.owner_name}："
                      "请督促答复或转交，确认后方可签核",
                      f"complaint #{c.id} is unanswered past its promised answer "
                      f"({local(c.due_at)}); chase the owner or hand it over", None, str(c.id))
            for c in overdue if c.kind == "complaint" and c.stage == "answer"]


def _voids_after_close(s: Session, hall_id: int, day: date,
                       local: _LocalTime) -> list[CheckItem]:
    so = ServiceOrder
    # The shift in which the order was recorded: its counter's, open at the order's time.
    rows = s.execute(select(OrderVoid.order_no, OrderVoid.at, OrderVoid.returned_fen,
                            Counter.code, Shift.closed_at, so.id)
                     .join(so, so.id == OrderVoid.order_id)
                     .join(Shift, (Shift.counter_id == so.counter_id)
                           & (Shift.opened_at <= so.created_at)
                           & (Shift.closed_at >= so.created_at))
                     .join(Counter, Counter.id == so.counter_id)
                     .where(so.hall_id == hall_id, so.channel == "counter",
                            (OrderVoid.business_date == day) | (OrderVoid.voided_on == day),
                            Shift.closed_at < OrderVoid.at)
                     .order_by(OrderVoid.at)).all()
    out = []
    for order_no, at, returned, code, closed, order_id in rows:
        drawer = s.execute(select(func.count(CashEntry.id)).where(
            CashEntry.order_id == order_id, CashEntry.kind == "void_return",
            CashEntry.shift_id.is_(None))).scalar()
        where = "，且不在任何班次的钱箱内" if drawer else ""
        out.append(CheckItem(
            f"void_after_close:{order_no}", "void_after_close",
            f"订单 {order_no} 在 {code} 柜台班次交班（{local(closed)}）后于 {local(at)} 作废，"
            f"退还 {format_yuan(int(returned or 0))} 元未计入该班次清点{where}：请核实款项去向，"
            "如账实不符请登记更正，确认后方可签核",
            f"order {order_no} was voided at {local(at)}, after its shift at counter {code} "
            f"closed ({local(closed)}): {format_yuan(int(returned or 0))} yuan handed back "
            "outside that count; check where the money went", None, order_no))
    return out
