"""Voiding an accepted order: a supervisor's act, with a reason, on the record."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.db import Database
from app.models import FollowUpTask, Line, ServiceOrder
from app.security import Permission
from app.services.audit import events as audit
from app.services.hall.registry import Actor
from app.services.orders.line_state import LINE_FIELDS, line_state_json, line_state_of
from app.services.orders.service import OrderError
from app.services.staff.auth import require


def void_order(db: Database, actor: Actor, order_no: str, reason: str) -> ServiceOrder:
    """Void an accepted order: supervisor only (checked here), reason required, recorded.

    The line goes back to its state before the order when nothing changed it since.
    """
    reason = reason.strip()
    if not reason:
        raise OrderError("作废订单必须填写原因", "a reason is required to void an order")
    require(db, actor, Permission.ORDER_VOID)
    with db.session() as s:
        order = s.execute(select(ServiceOrder).where(ServiceOrder.order_no == order_no)
                          ).scalar_one_or_none()
        if order is None:
            raise OrderError(f"订单 {order_no} 不存在", f"no order {order_no}")
        if order.status == "voided":
            raise OrderError(f"订单 {order_no} 已作废", f"order {order_no} is already void")
        order.status = "voided"
        order.voided_at = db.clock.now()
        order.voided_by = actor.staff_id
        order.void_reason = reason[:500]
        restored = False
        if order.line_id and order.line_before:
            line = s.get(Line, order.line_id)
            if line is not None and order.line_after and line_state_json(line_state_of(line)) \
                    == order.line_after:
                for f in LINE_FIELDS:
                    value = order.line_before.get(f)
                    if f in ("contract_end", "nice_number_until", "subsidy_until",
                             "campaign_until") and value:
                        value = date.fromisoformat(value)
                    setattr(line, f, value)
                line.number = order.line_before.get("number", line.number)
                line.version += 1
                restored = True
        for task in s.execute(select(FollowUpTask).where(FollowUpTask.order_id == order.id,
                                                         FollowUpTask.status == "open")).scalars():
            task.status = "cancelled"
        from app.services.day.hooks import on_order_voided  # the void as its own entry
        on_order_voided(s, actor, order, reason)
        audit.record(s, "order.void", actor=actor.staff_no, actor_staff_id=actor.staff_id,
                     counter=actor.counter_code, target=order_no,
                     authorized_by=actor.authorized_by,
                     data={"reason": reason[:500], "line_restored": restored})
        return order
