"""The hall's day (domain.md section 6): opening a shift, closing it against what the orders
used and took, the supervisor's review of the day, the sign-off that locks it, corrections.

    shift = open_shift(db, clerk, checklist, Counts(stock={...}, cash={10000: 5, ...}))
    preview = preview_close(db, clerk)                 # expected counts, for the close dialog
    close_shift(db, clerk, counts, explanations)       # ApprovalRequired beyond tolerance
    close_shift(db, clerk, counts, explanations, approval=Approval("S001", "..."))
    overview = close_day(db, supervisor, day)          # open shifts, follow-ups, voids, ...
    sign_off_day(db, supervisor, day)                  # locks the day
    record_correction(db, supervisor, day, "money", "...", amount_fen=-500)

Permissions are checked here, in the core (`auth.require`); refusals are audited.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from app.core import domain
from app.db import Database
from app.models import Counter, FollowUpTask, Hall, IntakeEntry, ServiceOrder, Staff
from app.models.base import new_uid
from app.models.day import (
    CashEntry,
    Complaint,
    Correction,
    DaySignoff,
    OrderVoid,
    Shift,
    ShiftClose,
    ShiftCloseLine,
    StockCount,
    StockMovement,
)
from app.security import Permission
from app.services.audit import events as audit
from app.services.day.hooks import (
    ensure_day_open,
    hall_zone,
    is_locked,
    local_today,
    open_shift_at,
)
from app.services.day.items import (
    CHECKLIST,
    CHECKLIST_CODES,
    DENOMINATIONS_FEN,
    INVOICE,
    cash_item,
    cash_total,
    denomination_of,
    is_cash,
    item_label,
    money_item,
    stock_items,
)
from app.services.hall.registry import Actor
from app.services.orders.service import OrderError
from app.services.staff.auth import authorize, require

DEFAULT_CASH_TOLERANCE_FEN = 1000
DEFAULT_STOCK_TOLERANCE = 0
DEFAULT_OTHER_MONEY_TOLERANCE_FEN = 0
CORRECTION_KINDS = ("order", "stock", "money", "note")


class DayError(OrderError):
    """A refusal of the day's services, told in the clerk's language (`.zh` / `.en`)."""


class ApprovalRequired(DayError):
    """Differences beyond the hall's tolerance: a supervisor must approve at the counter."""

    def __init__(self, lines: list[CloseLine]) -> None:
        names = "、".join(item_label(line.item) for line in lines)
        super().__init__(f"以下差异超出容差，须值班长输入工号和密码审批：{names}",
                         "differences beyond tolerance need a supervisor's approval")
        self.lines = lines


# --- inputs and results ---------------------------------------------------------------------

@dataclass(frozen=True)
class Counts:
    """What the clerk counted. Cash by denomination (fen -> pieces); stock items by code;
    at closing also the totals of the non-cash settlement slips (`money`: method -> fen)."""

    stock: dict[str, int] = field(default_factory=dict)
    cash: dict[int, int] = field(default_factory=dict)
    invoice_first: str | None = None
    invoice_last: str | None = None
    money: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Approval:
    """A supervisor's own credentials, typed at the clerk's counter."""

    staff_no: str
    password: str
    note: str = ""


@dataclass(frozen=True)
class Tolerance:
    cash_fen: int = DEFAULT_CASH_TOLERANCE_FEN
    stock: int = DEFAULT_STOCK_TOLERANCE
    other_money_fen: int = DEFAULT_OTHER_MONEY_TOLERANCE_FEN
    items: dict[str, int] = field(default_factory=dict)

    def of(self, item: str) -> int:
        if item in self.items:
            return self.items[item]
        if item == money_item("cash"):
            return self.cash_fen
        if item.startswith("money:"):
            return self.other_money_fen
        return self.stock


@dataclass(frozen=True)
class ExpectedLine:
    item: str
    money: bool
    opening: int
    used: int  # stock used, or money taken (net) for a money line
    expected: int
    tolerance: int

    @property
    def label(self) -> str:
        return item_label(self.item)


@dataclass(frozen=True)
class CloseLine:
    item: str
    money: bool
    expected: int
    counted: int
    tolerance: int
    explanation: str = ""

    @property
    def difference(self) -> int:
        return self.counted - self.expected

    @property
    def beyond_tolerance(self) -> bool:
        return abs(self.difference) > self.tolerance

    @property
    def label(self) -> str:
        return item_label(self.item)


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


# --- helpers -------------------------------------------------------------------------------

def tolerances(raw: Any) -> Tolerance:
    """The hall's `difference_tolerance_fen` setting: an int (the cash tolerance) or a table
    {"cash": 1000, "stock": 0, "money": 0, "<item code>": n}."""
    if raw is None:
        return Tolerance()
    if isinstance(raw, bool) or not isinstance(raw, int | dict):
        raise DayError("营业厅设置 difference_tolerance_fen 应为整数或表",
                       "difference_tolerance_fen must be an integer or a table")
    if isinstance(raw, int):
        return Tolerance(cash_fen=_non_negative(raw, "difference_tolerance_fen"))
    items = {k: _non_negative(v, f"difference_tolerance_fen.{k}") for k, v in raw.items()
             if k not in ("cash", "stock", "money")}
    return Tolerance(
        cash_fen=_non_negative(raw.get("cash", DEFAULT_CASH_TOLERANCE_FEN),
                               "difference_tolerance_fen.cash"),
        stock=_non_negative(raw.get("stock", DEFAULT_STOCK_TOLERANCE),
                            "difference_tolerance_fen.stock"),
        other_money_fen=_non_negative(raw.get("money", DEFAULT_OTHER_MONEY_TOLERANCE_FEN),
                                      "difference_tolerance_fen.money"),
        items=items)


def _non_negative(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DayError(f"营业厅设置 {name} 应为不小于0的整数", f"{name} must be an integer >= 0")
    return value


def hall_tolerance(session: Session, hall_id: int) -> Tolerance:
    hall = session.get(Hall, hall_id)
    return tolerances((hall.config or {}).get("difference_tolerance_fen") if hall else None)


def _shift_info(session: Session, shift: Shift) -> ShiftInfo:
    counter = session.get(Counter, shift.counter_id)
    staff = session.get(Staff, shift.staff_id)
    return ShiftInfo(shift.id, counter.code if counter else "?", staff.staff_no if staff else "?",
                     staff.name if staff else "?", shift.business_date, shift.status,
                     shift.opened_at, shift.closed_at)


def _check_counts(counts: Counts, known_items: set[str]) -> None:
    """Whole, non-negative numbers of known items; invoice numbers that agree with the count."""
    for item, quantity in counts.stock.items():
        if item not in known_items:
            raise DayError(f"未知的清点项目：{item}", f"unknown item {item}")
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
            raise DayError(f"{item_label(item)}的数量应为不小于0的整数",
                           f"{item}: a whole number >= 0")
    for denomination, pieces in counts.cash.items():
        if denomination not in DENOMINATIONS_FEN:
            raise DayError(f"不支持的面额：{denomination} 分", f"unknown denomination {denomination}")
        if isinstance(pieces, bool) or not isinstance(pieces, int) or pieces < 0:
            raise DayError(f"现金 {item_label(cash_item(denomination))} 的张数应为不小于0的整数",
                           "cash pieces: a whole number >= 0")
    for method, amount in counts.money.items():
        if method not in domain.PAYMENT_METHODS or method == "cash":
            raise DayError(f"未知的结算方式：{method}", f"unknown payment method {method}")
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise DayError(f"{item_label(money_item(method))}结算金额应为整数（分）",
                           "settlement totals are whole fen")
    invoices = counts.stock.get(INVOICE, 0)
    first, last = (counts.invoice_first or "").strip(), (counts.invoice_last or "").strip()
    if invoices and not (first and last):
        raise DayError("请填写空白发票的起止号码", "enter the first and last blank invoice numbers")
    if first and last and first.isdigit() and last.isdigit():
        span = int(last) - int(first) + 1
        if span != invoices:
            raise DayError(f"发票起止号码 {first}–{last} 共 {max(span, 0)} 份，与清点数量 "
                           f"{invoices} 份不符", "the invoice number range does not match the count")


def _known_items(session: Session) -> set[str]:
    return set(stock_items())  # the catalog's gifts may change; counts follow it


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
    now = now or datetime.now(UTC)
    with db.session() as s:
        _check_counts(counts, _known_items(s))
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

def _expected(s: Session, shift: Shift) -> tuple[list[ExpectedLine], str | None]:
    tol = hall_tolerance(s, shift.hall_id)
    opening: dict[str, int] = {}
    cash_open = 0
    invoice_first: str | None = None
    for row in s.execute(select(StockCount).where(StockCount.shift_id == shift.id,
                                                  StockCount.phase == "open")).scalars():
        if is_cash(row.item):
            cash_open += denomination_of(row.item) * row.quantity
        else:
            opening[row.item] = row.quantity
            if row.item == INVOICE:
                invoice_first = row.first_no
    used = dict(s.execute(select(StockMovement.item, func.sum(StockMovement.quantity)).where(
        StockMovement.shift_id == shift.id).group_by(StockMovement.item)).all())
    money = dict(s.execute(select(CashEntry.method, func.sum(CashEntry.amount_fen)).where(
        CashEntry.shift_id == shift.id).group_by(CashEntry.method)).all())
    order = {item: i for i, item in enumerate(stock_items())}
    items = sorted(set(opening) | set(used), key=lambda it: (order.get(it, len(order)), it))
    lines = [ExpectedLine(item, False, opening.get(item, 0), int(used.get(item) or 0),
                          opening.get(item, 0) - int(used.get(item) or 0), tol.of(item))
             for item in items]
    cash_in = int(money.pop("cash", 0) or 0)
    lines.append(ExpectedLine(money_item("cash"), True, cash_open, cash_in, cash_open + cash_in,
                              tol.of(money_item("cash"))))
    for method in sorted(money, key=lambda m: domain.PAYMENT_METHODS.index(m)
                         if m in domain.PAYMENT_METHODS else 99):
        net = int(money[method] or 0)
        lines.append(ExpectedLine(money_item(method), True, 0, net, net,
                                  tol.of(money_item(method))))
    next_invoice = None
    if invoice_first and invoice_first.isdigit():
        width = len(invoice_first)
        next_invoice = str(int(invoice_first) + int(used.get(INVOICE) or 0)).zfill(width)
    return lines, next_invoice


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
        lines, next_invoice = _expected(s, shift)
        return ClosePreview(_shift_info(s, shift), lines, next_invoice)


def compare(expected: list[ExpectedLine], counts: Counts,
            explanations: dict[str, str]) -> list[CloseLine]:
    """Counted against expected for every line; an item left out of `counts` is refused."""
    out: list[CloseLine] = []
    missing: list[str] = []
    for line in expected:
        if line.item == money_item("cash"):
            counted: int | None = cash_total(counts.cash)
        elif line.money:
            counted = counts.money.get(line.item.split(":", 1)[1])
        else:
            counted = counts.stock.get(line.item)
        if counted is None:
            missing.append(line.label)
            continue
        out.append(CloseLine(line.item, line.money, line.expected, counted, line.tolerance,
                             (explanations.get(line.item) or "").strip()))
    if missing:
        raise DayError(f"请清点并填写：{'、'.join(missing)}", "count every item")
    return out


def close_shift(db: Database, actor: Actor, counts: Counts, explanations: dict[str, str], *,
                approval: Approval | None = None, now: datetime | None = None) -> CloseResult:
    """Close the clerk's shift: every difference explained; beyond the hall's tolerance a
    supervisor approves with their own staff number and password (never the clerk's own)."""
    require(db, actor, Permission.SHIFT_CLOSE)
    with db.read() as s:
        shift = _own_open_shift(s, actor)
        _check_counts(counts, _known_items(s))
        expected, _ = _expected(s, shift)
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
    now = now or datetime.now(UTC)
    with db.session() as s:
        shift = _own_open_shift(s, actor)
        ensure_day_open(s, shift.hall_id, shift.business_date)
        fresh, _ = _expected(s, shift)
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
        close.approved_at = datetime.now(UTC)
        close.approval_note = note.strip() or close.approval_note
        shift.status = "approved"
        audit.record(s, "shift.approve", actor=supervisor.staff_no,
                     actor_staff_id=supervisor.staff_id, counter=supervisor.counter_code,
                     target=f"shift:{shift.id}")
        return _shift_info(s, shift)


# --- the supervisor's day ------------------------------------------------------------------

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

    @property
    def open_shifts(self) -> list[ShiftRow]:
        return [r for r in self.shifts if r.status == "open"]

    @property
    def blockers(self) -> list[str]:
        """What stops the sign-off, in the supervisor's words."""
        out = [f"{r.counter_code} 柜台 {r.staff_name} 尚未交班" for r in self.open_shifts]
        if self.signoff is not None:
            out.append("当日已签核")
        return out


def _day_end(s: Session, hall_id: int, day: date) -> datetime:
    zone = hall_zone(s, hall_id)
    return datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(UTC)


def overview(db: Database, actor: Actor, day: date, *,
             now: datetime | None = None) -> DayOverview:
    """Everything the supervisor reviews before signing off `day` (read-only)."""
    now = now or datetime.now(UTC)
    with db.read() as s:
        hall_id = actor.hall_id
        end = _day_end(s, hall_id, day)
        return DayOverview(day, _shift_rows(s, hall_id, day), _pending(s, hall_id, end, now),
                           _intakes(s, hall_id, day), _voids_and_refunds(s, day),
                           _signoff_info(s, hall_id, day),
                           s.execute(select(func.count(Correction.id)).where(
                               Correction.business_date == day)).scalar() or 0)


def close_day(db: Database, supervisor: Actor, day: date, *,
              now: datetime | None = None) -> DayOverview:
    """The supervisor's closing review: open shifts, pending and overdue follow-ups, rejected
    intakes, voids and refunds, and whether the day is already signed off."""
    require(db, supervisor, Permission.DAY_SIGNOFF)
    return overview(db, supervisor, day, now=now)


def _shift_rows(s: Session, hall_id: int, day: date) -> list[ShiftRow]:
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


def _voids_and_refunds(s: Session, day: date) -> list[VoidRow]:
    clerk = aliased(Staff)
    out = [VoidRow(at, order_no, "void", service_name(service), name or "", returned, "",
                   reason, authorized or "")
           for at, order_no, service, name, returned, reason, authorized in s.execute(
               select(OrderVoid.at, OrderVoid.order_no, ServiceOrder.service, clerk.name,
                      OrderVoid.returned_fen, OrderVoid.reason, OrderVoid.authorized_by)
               .join(ServiceOrder, ServiceOrder.id == OrderVoid.order_id)
               .outerjoin(clerk, clerk.id == OrderVoid.staff_id)
               .where((OrderVoid.business_date == day) | (OrderVoid.voided_on == day)))]
    out += [VoidRow(at, order_no, "refund", service_name(service), name or "", -amount,
                    method, "", "")
            for at, order_no, service, name, amount, method in s.execute(
                select(CashEntry.at, ServiceOrder.order_no, ServiceOrder.service, clerk.name,
                       CashEntry.amount_fen, CashEntry.method)
                .join(ServiceOrder, ServiceOrder.id == CashEntry.order_id)
                .outerjoin(clerk, clerk.id == CashEntry.staff_id)
                .where(CashEntry.business_date == day, CashEntry.kind == "refund"))]
    out.sort(key=lambda r: r.at)
    return out


def _signoff_info(s: Session, hall_id: int, day: date) -> SignoffInfo | None:
    row = s.execute(select(DaySignoff, Staff.name).join(Staff, Staff.id == DaySignoff.supervisor_id)
                    .where(DaySignoff.hall_id == hall_id, DaySignoff.business_date == day)).first()
    if row is None:
        return None
    so, name = row
    return SignoffInfo(name, so.signed_at, so.summary_hash, so.audit_seq, so.audit_hash)


# --- sign-off and corrections ----------------------------------------------------------------

def day_summary(s: Session, hall_id: int, day: date) -> dict[str, Any]:
    """The figures the sign-off fixes (and hashes): counts and money of the day."""
    orders = s.execute(select(ServiceOrder.channel, ServiceOrder.status, func.count(),
                              func.coalesce(func.sum(ServiceOrder.total_fen), 0))
                       .where(ServiceOrder.hall_id == hall_id, ServiceOrder.business_date == day)
                       .group_by(ServiceOrder.channel, ServiceOrder.status)
                       .order_by(ServiceOrder.channel, ServiceOrder.status)).all()
    money = s.execute(select(CashEntry.channel, CashEntry.kind, CashEntry.method,
                             func.sum(CashEntry.amount_fen))
                      .where(CashEntry.business_date == day)
                      .group_by(CashEntry.channel, CashEntry.kind, CashEntry.method)
                      .order_by(CashEntry.channel, CashEntry.kind, CashEntry.method)).all()
    stock = s.execute(select(StockMovement.item, func.sum(StockMovement.quantity))
                      .where(StockMovement.business_date == day, StockMovement.channel == "counter")
                      .group_by(StockMovement.item).order_by(StockMovement.item)).all()
    diffs = s.execute(select(Shift.id, ShiftCloseLine.item, ShiftCloseLine.difference)
                      .join(ShiftClose, ShiftClose.shift_id == Shift.id)
                      .join(ShiftCloseLine, ShiftCloseLine.close_id == ShiftClose.id)
                      .where(Shift.hall_id == hall_id, Shift.business_date == day,
                             ShiftCloseLine.difference != 0)
                      .order_by(Shift.id, ShiftCloseLine.item)).all()
    intakes = s.execute(select(func.count(IntakeEntry.id)).where(
        IntakeEntry.hall_id == hall_id, IntakeEntry.business_date == day)).scalar() or 0
    return {
        "business_date": day.isoformat(),
        "orders": [[c, st, int(n), int(t)] for c, st, n, t in orders],
        "money": [[c, k, m, int(a)] for c, k, m, a in money],
        "stock_used": [[i, int(q)] for i, q in stock],
        "differences": [[sid, i, int(d)] for sid, i, d in diffs],
        "intakes": int(intakes),
        "shifts": s.execute(select(func.count(Shift.id)).where(
            Shift.hall_id == hall_id, Shift.business_date == day)).scalar() or 0,
    }


def summary_hash(summary: dict[str, Any]) -> str:
    raw = json.dumps(summary, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()


def sign_off_day(db: Database, supervisor: Actor, day: date, *, notes: str = "",
                 now: datetime | None = None) -> SignoffInfo:
    """Lock the day: refused while a shift is open; the audit event anchors the summary."""
    require(db, supervisor, Permission.DAY_SIGNOFF)
    now = now or datetime.now(UTC)
    with db.session() as s:
        hall_id = supervisor.hall_id
        if is_locked(s, hall_id, day):
            raise DayError(f"{day.isoformat()} 已日结签核", "the day is already signed off")
        if day > local_today(s, hall_id, now):
            raise DayError("不能签核未来的营业日", "cannot sign off a future day")
        open_rows = [r for r in _shift_rows(s, hall_id, day) if r.status == "open"]
        if open_rows:
            names = "、".join(f"{r.counter_code} {r.staff_name}" for r in open_rows)
            raise DayError(f"以下班次尚未交班，不能签核：{names}", "shifts are still open")
        summary = day_summary(s, hall_id, day)
        digest = summary_hash(summary)
        event = audit.record(s, "day.signoff", actor=supervisor.staff_no,
                             actor_staff_id=supervisor.staff_id, counter=supervisor.counter_code,
                             target=day.isoformat(), authorized_by=supervisor.authorized_by,
                             data={"summary_hash": digest}, at=now)
        signoff = DaySignoff(uid=new_uid(), hall_id=hall_id, business_date=day,
                             supervisor_id=supervisor.staff_id, signed_at=now, summary=summary,
                             summary_hash=digest, audit_seq=event.seq, audit_hash=event.hash,
                             notes=notes.strip() or None)
        s.add(signoff)
        s.flush()
        return SignoffInfo(supervisor.name, now, digest, event.seq, event.hash)


def record_correction(db: Database, actor: Actor, day: date, kind: str, explanation: str, *,
                      order_no: str | None = None, item: str | None = None, quantity: int = 0,
                      amount_fen: int = 0) -> int:
    """A correction to a signed-off day, linked to its sign-off (supervisor's right)."""
    require(db, actor, Permission.DAY_SIGNOFF)
    if kind not in CORRECTION_KINDS:
        raise DayError(f"更正类型应为 {'、'.join(CORRECTION_KINDS)} 之一", "unknown correction kind")
    if not explanation.strip():
        raise DayError("更正记录必须填写说明", "a correction needs an explanation")
    with db.session() as s:
        signoff = s.execute(select(DaySignoff).where(
            DaySignoff.hall_id == actor.hall_id, DaySignoff.business_date == day)
        ).scalar_one_or_none()
        if signoff is None:
            raise DayError(f"{day.isoformat()} 尚未日结签核，无需更正，请直接办理",
                           "the day is not signed off: no correction needed")
        if order_no and not s.execute(select(ServiceOrder.id).where(
                ServiceOrder.order_no == order_no, ServiceOrder.business_date == day)).first():
            raise DayError(f"订单 {order_no} 不属于 {day.isoformat()}", "no such order that day")
        corr = Correction(uid=new_uid(), signoff_id=signoff.id, business_date=day, kind=kind,
                          order_no=order_no, item=item, quantity=quantity, amount_fen=amount_fen,
                          explanation=explanation.strip(), staff_id=actor.staff_id,
                          authorized_by=actor.authorized_by)
        s.add(corr)
        s.flush()
        audit.record(s, "day.correction", actor=actor.staff_no, actor_staff_id=actor.staff_id,
                     counter=actor.counter_code, target=day.isoformat(),
                     authorized_by=actor.authorized_by,
                     data={"correction": corr.uid, "kind": kind, "order_no": order_no,
                           "amount_fen": amount_fen, "quantity": quantity,
                           "signoff_hash": signoff.audit_hash})
        return corr.id
