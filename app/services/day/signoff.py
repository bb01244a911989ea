"""The supervisor's sign-off that locks a day (its figures hashed and anchored in the audit
trail), what must be settled before it, and the corrections linked to a signed-off day.

    items = checklist(db, supervisor, day)             # `signoff_checks`: blocking, warnings
    approve_difference(db, supervisor, shift_id, Approval("S001", "...", "已核实"))
    sign_off_day(db, supervisor, day, acknowledged=[w.key for w in items.warnings])
    record_correction(db, supervisor, day, "money", "...", item="money:cash", amount_fen=-500)
    corrections_of(db, supervisor, day)                # the day's correcting entries

A signed-off day is never edited: a correction is a new entry linked to the sign-off (and to
an order of the day if it concerns one), audited with the sign-off's hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core import domain
from app.db import Database
from app.models import IntakeEntry, ServiceOrder, Staff
from app.models.base import new_uid
from app.models.day import (
    CashEntry,
    Correction,
    DaySignoff,
    Shift,
    ShiftClose,
    ShiftCloseLine,
    StockMovement,
)
from app.security import Permission
from app.services.audit import events as audit
from app.services.day.errors import DayError
from app.services.day.hooks import ensure_day_open, is_locked, local_today
from app.services.day.items import item_label, money_item, stock_items
from app.services.day.review import SignoffInfo
from app.services.day.shifts import Approval, ShiftInfo
from app.services.day.shifts import _shift_info as shift_info  # one way to describe a shift
from app.services.day.signoff_checks import (
    CheckItem,
    Checklist,
    overdue_complaints,
    signoff_checklist,
)
from app.services.hall.registry import Actor
from app.services.staff.auth import (
    AuthError,
    _check_credentials,  # the one credential check (lockout, audit), as two_person uses it
    normalize_staff_no,
    require,
    security_policy,
)

CORRECTION_KINDS = ("order", "stock", "money", "note")


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
                      .where(StockMovement.business_date == day, StockMovement.channel == "counter",
                             StockMovement.kind.in_(("use", "void_return")))
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


class SignoffRefused(DayError):
    """The checklist is not settled: blocking items remain, or warnings not acknowledged."""

    def __init__(self, checklist: Checklist, unacknowledged: list[CheckItem]) -> None:
        blocking = checklist.blocking
        if blocking:
            zh = "以下事项未处理，不能签核：" + "；".join(i.zh for i in blocking)
            en = "the sign-off is refused: " + "; ".join(i.en for i in blocking)
        else:
            zh = "以下提示须由值班长确认后才能签核：" + "；".join(i.zh for i in unacknowledged)
            en = "acknowledge these first: " + "; ".join(i.en for i in unacknowledged)
        super().__init__(zh, en)
        self.checklist = checklist
        self.unacknowledged = unacknowledged


def checklist(db: Database, supervisor: Actor, day: date, *,
              now: datetime | None = None) -> Checklist:
    """What must be settled before `day` is signed off (`signoff_checks`)."""
    require(db, supervisor, Permission.DAY_SIGNOFF)
    now = now or db.clock.now()
    late = overdue_complaints(db, supervisor.hall_id, now)
    with db.read() as s:
        return signoff_checklist(s, supervisor.hall_id, day, now, late)


def sign_off_day(db: Database, supervisor: Actor, day: date, *, notes: str = "",
                 acknowledged: Iterable[str] = (), now: datetime | None = None) -> SignoffInfo:
    """Lock the day: refused while a blocking item of the checklist remains (an open shift,
    orders not synced, a difference not approved) or a warning (an overdue complaint, a void
    after a shift's close) is not in `acknowledged` (by key). The audit event anchors the
    summary and names the warnings acknowledged."""
    require(db, supervisor, Permission.DAY_SIGNOFF)
    now = now or db.clock.now()
    seen = set(acknowledged)
    late = overdue_complaints(db, supervisor.hall_id, now)
    with db.session() as s:
        hall_id = supervisor.hall_id
        if is_locked(s, hall_id, day):
            raise DayError(f"{day.isoformat()} 已日结签核", "the day is already signed off")
        if day > local_today(s, hall_id, now):
            raise DayError("不能签核未来的营业日", "cannot sign off a future day")
        found = signoff_checklist(s, hall_id, day, now, late)
        missing = [w for w in found.warnings if w.key not in seen]
        if found.blocking or missing:
            raise SignoffRefused(found, missing)
        summary = day_summary(s, hall_id, day)
        digest = summary_hash(summary)
        warned = [{"key": w.key, "zh": w.zh[:300]} for w in found.warnings]
        event = audit.record(s, "day.signoff", actor=supervisor.staff_no,
                             actor_staff_id=supervisor.staff_id, counter=supervisor.counter_code,
                             target=day.isoformat(), authorized_by=supervisor.authorized_by,
                             data={"summary_hash": digest, "acknowledged": warned}, at=now)
        text = "\n".join([notes.strip()] * bool(notes.strip())
                          + [f"签核时已确认：{w.zh}" for w in found.warnings])
        signoff = DaySignoff(uid=new_uid(), hall_id=hall_id, business_date=day,
                             supervisor_id=supervisor.staff_id, signed_at=now, summary=summary,
                             summary_hash=digest, audit_seq=event.seq, audit_hash=event.hash,
                             notes=text or None)
        s.add(signoff)
        s.flush()
        return SignoffInfo(supervisor.name, now, digest, event.seq, event.hash)


@dataclass(frozen=True)
class DifferenceRow:
    item: str
    label: str  # the item's name, e.g. 现金, 空白SIM/USIM卡
    money: bool  # amounts in fen
    expected: int
    counted: int
    difference: int
    tolerance: int
    explanation: str


@dataclass(frozen=True)
class ShiftDifferences:
    """A closed shift's differences, for the supervisor's approval screen."""

    shift_id: int
    counter_code: str
    staff_no: str
    staff_name: str
    status: str
    closed_at: datetime | None
    lines: list[DifferenceRow]


def shift_differences(db: Database, supervisor: Actor, shift_id: int) -> ShiftDifferences:
    """What the clerk counted against what was expected, with their explanations."""
    require(db, supervisor, Permission.DIFFERENCE_APPROVE)
    with db.read() as s:
        shift = s.get(Shift, shift_id)
        if shift is None or shift.hall_id != supervisor.hall_id:
            raise DayError("班次不存在", "no such shift")
        info = shift_info(s, shift)
        lines = s.execute(select(ShiftCloseLine).join(ShiftClose).where(
            ShiftClose.shift_id == shift_id, ShiftCloseLine.difference != 0)
            .order_by(ShiftCloseLine.id)).scalars().all()
        return ShiftDifferences(
            shift_id, info.counter_code, info.staff_no, info.staff_name, info.status,
            info.closed_at,
            [DifferenceRow(ln.item, item_label(ln.item), ln.money, int(ln.expected),
                           int(ln.counted), int(ln.difference), int(ln.tolerance or 0),
                           ln.explanation or "") for ln in lines])


def approve_difference(db: Database, supervisor: Actor, shift_id: int, approval: Approval, *,
                       now: datetime | None = None) -> ShiftInfo:
    """A supervisor approves the differences of a closed shift with their own staff number
    and password, typed again at this screen (as at the counter: `shifts.close_shift`), and a
    note of what was checked. A wrong password counts towards the account's lockout."""
    require(db, supervisor, Permission.DIFFERENCE_APPROVE)
    if normalize_staff_no(approval.staff_no) != normalize_staff_no(supervisor.staff_no):
        raise DayError("请输入您本人的工号和密码", "type your own staff number and password")
    note = " ".join(approval.note.split())
    if not note:
        raise DayError("审批差异须填写核实情况", "say what was checked")
    now = now or db.clock.now()
    refusal: AuthError | None = None
    with db.session() as s:
        result = _check_credentials(s, supervisor.staff_no, approval.password,
                                    supervisor.counter_code, now, "difference_approve",
                                    security_policy(s))
        if isinstance(result, AuthError):
            refusal = result  # raised after the commit: the failure stays counted
        else:
            shift = s.get(Shift, shift_id)
            if shift is None or shift.hall_id != supervisor.hall_id:
                raise DayError("班次不存在", "no such shift")
            ensure_day_open(s, shift.hall_id, shift.business_date)
            if shift.status != "closed":
                raise DayError("该班次尚未交班" if shift.status == "open" else "该班次已审批",
                               "only a closed shift not yet approved can be approved")
            if shift.staff_id == supervisor.staff_id:
                raise DayError("不能审批本人班次的差异，请由另一位值班长审批",
                               "another supervisor must approve your own shift")
            close = s.execute(select(ShiftClose).where(ShiftClose.shift_id == shift.id)
                              ).scalar_one()
            diffs = {ln.item: int(ln.difference) for ln in close.lines if ln.difference}
            close.approved_by = supervisor.staff_id
            close.approved_at = now
            close.approval_note = note[:500]
            shift.status = "approved"
            audit.record(s, "shift.approve", actor=supervisor.staff_no,
                         actor_staff_id=supervisor.staff_id, counter=supervisor.counter_code,
                         target=f"shift:{shift.id}", at=now,
                         data={"differences": diffs, "note": note[:200],
                               "credentials": "typed"})
            s.flush()
            return shift_info(s, shift)
    assert refusal is not None
    raise refusal


@dataclass(frozen=True)
class CorrectionRow:
    id: int
    kind: str  # order | stock | money | note
    order_no: str
    item: str
    quantity: int
    amount_fen: int
    explanation: str
    staff_name: str
    created_at: datetime


def _check_correction(kind: str, order_no: str | None, item: str | None, quantity: int,
                      amount_fen: int) -> None:
    if kind == "order" and not order_no:
        raise DayError("订单更正须填写订单号", "an order correction names the order")
    if kind == "stock" and (item not in stock_items() or not quantity):
        raise DayError("物品更正须选择物品并填写数量（多出为正，短少为负）",
                       "a stock correction names the item and a quantity")
    if kind == "money" and (not amount_fen or (
            item and item not in {money_item(m) for m in domain.PAYMENT_METHODS})):
        raise DayError("款项更正须填写金额（收入为正，支出为负）及收款方式",
                       "a money correction needs an amount and a payment method")


def record_correction(db: Database, actor: Actor, day: date, kind: str, explanation: str, *,
                      order_no: str | None = None, item: str | None = None, quantity: int = 0,
                      amount_fen: int = 0) -> int:
    """A correction to a signed-off day, linked to its sign-off (supervisor's right)."""
    require(db, actor, Permission.DAY_SIGNOFF)
    if kind not in CORRECTION_KINDS:
        raise DayError(f"更正类型应为 {'、'.join(CORRECTION_KINDS)} 之一", "unknown correction kind")
    if not explanation.strip():
        raise DayError("更正记录必须填写说明", "a correction needs an explanation")
    order_no = (order_no or "").strip() or None
    _check_correction(kind, order_no, item, quantity, amount_fen)
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


def corrections_of(db: Database, actor: Actor, day: date) -> list[CorrectionRow]:
    """The correcting entries of `day`, oldest first (a supervisor's right)."""
    require(db, actor, Permission.DAY_SIGNOFF)
    with db.read() as s:
        rows = s.execute(
            select(Correction.id, Correction.kind, Correction.order_no, Correction.item,
                   Correction.quantity, Correction.amount_fen, Correction.explanation,
                   Staff.name, Correction.created_at)
            .join(DaySignoff, DaySignoff.id == Correction.signoff_id)
            .outerjoin(Staff, Staff.id == Correction.staff_id)
            .where(DaySignoff.hall_id == actor.hall_id, Correction.business_date == day)
            .order_by(Correction.created_at, Correction.id)).all()
    return [CorrectionRow(cid, kind, order_no or "", item or "", int(qty or 0), int(amount or 0),
                          text, name or "", at)
            for cid, kind, order_no, item, qty, amount, text, name, at in rows]
