"""The supervisor's sign-off that locks a day (its figures hashed and anchored in the audit
trail), and the corrections linked to a signed-off day.

    sign_off_day(db, supervisor, day)                  # locks the day
    record_correction(db, supervisor, day, "money", "...", amount_fen=-500)
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import Database
from app.models import IntakeEntry, ServiceOrder
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
from app.services.day.hooks import is_locked, local_today
from app.services.day.review import SignoffInfo, shift_rows
from app.services.hall.registry import Actor
from app.services.staff.auth import require

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
    now = now or db.clock.now()
    with db.session() as s:
        hall_id = supervisor.hall_id
        if is_locked(s, hall_id, day):
            raise DayError(f"{day.isoformat()} 已日结签核", "the day is already signed off")
        if day > local_today(s, hall_id, now):
            raise DayError("不能签核未来的营业日", "cannot sign off a future day")
        open_rows = [r for r in shift_rows(s, hall_id, day) if r.status == "open"]
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
