"""A customer's history for the counter (Qt-free): their past orders (latest first), the
follow-ups, complaints and fault tickets still open for them, and for a unit its registered
contact and key persons (offered as the unit's 经办人).

    h = customer_history(db, actor, customer_id)
    h.orders[0].order_no, h.open_items, h.people

Personal data comes masked for the screen: the people who presented past orders by their
masked name, phones as `138****5678`. A unit person's full name is carried (never printed by
`repr`) only to fill the presenter when the clerk picks them as the 经办人.

Who may read it is checked here, in the core (`auth.require`, the right to serve customers):
an administrator who only sets the system up sees no customer's history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session, aliased

from app.db import Database
from app.models import Customer, FollowUpTask, KeyPerson, Line, ServiceOrder, Staff
from app.models.day import Complaint, FaultTicket
from app.security import Permission, mask_mobile, mask_name
from app.services.day.registers import LINKED_TASKS
from app.services.hall.registry import Actor
from app.services.staff.auth import require

ORDER_LIMIT = 50  # the counter shows the latest; the supervisor's record has the rest
ITEM_LIMIT = 200
# Who may see a customer's history: whoever may serve them at the counter.
HISTORY_VIEW = Permission.ORDER_CREATE


@dataclass(frozen=True)
class PastOrder:
    order_id: int
    order_no: str
    service: str  # the catalog's code
    business_date: date
    created_at: datetime
    status: str  # accepted | voided
    line_number: str | None
    total_fen: int
    presenter_role: str  # owner | agent
    presenter_masked: str  # who presented it, masked (张*)


@dataclass(frozen=True)
class OpenItem:
    """A follow-up, complaint or fault ticket still open for the customer."""

    kind: str  # follow_up | complaint | fault
    id: int
    stage: str  # follow_up | answer | callback | restore
    subject: str  # as recorded: the task's name, the complaint's subject, the fault's text
    order_no: str
    line_number: str
    due_at: datetime | None
    overdue: bool
    owner_name: str  # the clerk who owns it (首问负责), "" when nobody does yet


@dataclass(frozen=True)
class UnitPerson:
    """A unit's registered contact (联系人) or key person (关键人)."""

    role: str  # contact | key
    name: str = field(repr=False)  # in full, only to fill the presenter as the 经办人
    name_masked: str
    title: str | None
    phone_masked: str | None


@dataclass(frozen=True)
class CustomerHistory:
    customer_id: int
    kind: str  # personal | group
    orders: tuple[PastOrder, ...]
    more_orders: bool  # older orders exist beyond `ORDER_LIMIT`
    open_items: tuple[OpenItem, ...]
    people: tuple[UnitPerson, ...]


def customer_history(db: Database, actor: Actor, customer_id: int, *,
                     limit: int = ORDER_LIMIT, at: datetime | None = None) -> CustomerHistory | None:
    """The customer's history, or None if there is no such customer.

    `PermissionDenied` (audited) for an actor who may not serve customers."""
    require(db, actor, HISTORY_VIEW)
    at = at or db.clock.now()
    with db.read() as s:
        cust = s.get(Customer, customer_id)
        if cust is None:
            return None
        orders = _orders(s, customer_id, limit + 1)
        return CustomerHistory(
            customer_id=cust.id, kind=cust.kind, orders=tuple(orders[:limit]),
            more_orders=len(orders) > limit, open_items=tuple(_open_items(s, cust.id, at)),
            people=tuple(_people(s, cust)) if cust.kind == "group" else ())


def unit_people(db: Database, actor: Actor, customer_id: int) -> list[UnitPerson]:
    """A unit's contact and key persons (none for a personal customer): the 经办人 to offer."""
    require(db, actor, HISTORY_VIEW)
    with db.read() as s:
        cust = s.get(Customer, customer_id)
        return _people(s, cust) if cust is not None and cust.kind == "group" else []


def _orders(s: Session, customer_id: int, limit: int) -> list[PastOrder]:
    rows = s.execute(
        select(ServiceOrder.id, ServiceOrder.order_no, ServiceOrder.service,
               ServiceOrder.business_date, ServiceOrder.created_at, ServiceOrder.status,
               ServiceOrder.line_number, ServiceOrder.total_fen, ServiceOrder.presenter_role,
               ServiceOrder.presenter_name)
        .where(ServiceOrder.customer_id == customer_id)
        .order_by(ServiceOrder.created_at.desc(), ServiceOrder.id.desc()).limit(limit)).all()
    return [PastOrder(*r[:9], presenter_masked=mask_name(r[9] or "")) for r in rows]


def _linked_task() -> Any:
    """A follow-up its order's complaint or fault entry carries: shown through the entry."""
    comp = exists().where(and_(Complaint.order_id == FollowUpTask.order_id,
                               FollowUpTask.task.in_(LINKED_TASKS["complaint"])))
    fault = exists().where(and_(FaultTicket.order_id == FollowUpTask.order_id,
                                FollowUpTask.task.in_(LINKED_TASKS["fault"])))
    return comp | fault


def _open_items(s: Session, customer_id: int, at: datetime) -> list[OpenItem]:
    owner = aliased(Staff)
    numbers = list(s.execute(select(Line.number).where(Line.customer_id == customer_id))
                   .scalars())
    items: list[OpenItem] = []

    def add(kind: str, item_id: int, stage: str, subject: str, order_no: str | None,
            line: str | None, due: datetime | None, owner_name: str | None) -> None:
        items.append(OpenItem(kind, item_id, stage, subject, order_no or "", line or "", due,
                              due is not None and due < at, owner_name or ""))

    for t, order_no, line, name in s.execute(
            select(FollowUpTask, ServiceOrder.order_no, ServiceOrder.line_number, owner.name)
            .join(ServiceOrder, ServiceOrder.id == FollowUpTask.order_id)
            .outerjoin(owner, owner.id == FollowUpTask.owner_staff_id)
            .where(ServiceOrder.customer_id == customer_id, FollowUpTask.status == "open",
                   ~_linked_task()).limit(ITEM_LIMIT)):
        add("follow_up", t.id, "follow_up", t.name, order_no, line, t.due_at, name)
    # A complaint is the customer's through its order, or through one of their lines when
    # it was entered in the register directly.
    mine = ServiceOrder.customer_id == customer_id
    if numbers:
        mine = or_(mine, Complaint.line_number.in_(numbers))
    for c, order_no, name in s.execute(
            select(Complaint, ServiceOrder.order_no, owner.name)
            .outerjoin(ServiceOrder, ServiceOrder.id == Complaint.order_id)
            .outerjoin(owner, owner.id == Complaint.owner_staff_id)
            .where(mine, Complaint.status.in_(("open", "answered"))).limit(ITEM_LIMIT)):
        answering = c.status == "open"
        add("complaint", c.id, "answer" if answering else "callback", c.subject, order_no,
            c.line_number, c.promised_at if answering else c.callback_due_at, name)
    for f, order_no, name in s.execute(
            select(FaultTicket, ServiceOrder.order_no, owner.name)
            .join(ServiceOrder, ServiceOrder.id == FaultTicket.order_id)
            .outerjoin(owner, owner.id == FaultTicket.owner_staff_id)
            .where(ServiceOrder.customer_id == customer_id, FaultTicket.status == "open")
            .limit(ITEM_LIMIT)):
        add("fault", f.id, "restore", f.description or "", order_no, f.line_number,
            f.deadline_at, name)
    # Overdue first, then by deadline; none last.
    return sorted(items, key=lambda i: (not i.overdue, i.due_at is None,
                                        i.due_at or at, i.kind, i.id))


def _people(s: Session, cust: Customer) -> list[UnitPerson]:
    rows = s.execute(select(KeyPerson).where(KeyPerson.customer_id == cust.id)
                     .order_by(KeyPerson.role != "contact", KeyPerson.id)).scalars().all()
    people = [_person(kp.role, kp.name, kp.title, kp.phone) for kp in rows]
    if cust.contact_name and not any(p.role == "contact" and p.name == cust.contact_name
                                     for p in people):
        # Registered on the customer row only (older records): still the unit's contact.
        people.insert(0, _person("contact", cust.contact_name, None, cust.contact_phone))
    return people


def _person(role: str, name: str, title: str | None, phone: str | None) -> UnitPerson:
    return UnitPerson(role, name, mask_name(name), title or None,
                      mask_mobile(phone) if phone else None)


__all__ = [
    "HISTORY_VIEW",
    "ORDER_LIMIT",
    "CustomerHistory",
    "OpenItem",
    "PastOrder",
    "UnitPerson",
    "customer_history",
    "unit_people",
]
