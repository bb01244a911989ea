"""The customer and the line an order is for: the customer found or added, the line opened or
changed, its state before and after kept for the order and for the line's history.

Called by `OrderService` inside its write transaction.
"""

from __future__ import annotations

import hashlib
from typing import cast

from sqlalchemy import Table, bindparam, insert, select
from sqlalchemy.orm import Session

from app.core.engine import Evaluation
from app.core.request import IdDocument, Request
from app.db import clock_of
from app.models import Customer, Line, LineHistory
from app.models.base import new_uid
from app.services.customers.pii import PersonalData
from app.services.customers.unit_contacts import register_unit_contact
from app.services.hall.registry import Actor
from app.services.orders.line_state import LINE_FIELDS, line_state_json, line_state_of

# The customer's id by a keyed lookup: plain reads (only the id is needed, no ORM object).
_BY_REG = select(Customer.id).where(Customer.reg_lookup == bindparam("lookup")).limit(1)
_BY_ID = select(Customer.id).where(Customer.id_lookup == bindparam("lookup")).limit(1)


def customer_of(s: Session, pd: PersonalData, req: Request, actor: Actor) -> int:
    """The id of the request's customer: found by ID or unit registration, else added."""
    c = req.customer
    found: int | None = None
    if c.kind == "group" and c.unit and c.unit.registration:
        lookup = pd.lookup_unit(c.unit.registration.number)
        found = s.connection().execute(_BY_REG, {"lookup": lookup}).scalar()
    elif c.id_document is not None:
        lookup = pd.lookup_id(c.id_document.number)
        found = s.connection().execute(_BY_ID, {"lookup": lookup}).scalar()
    if found is not None:
        return found
    cust = Customer(uid=new_uid(), kind=c.kind, name=c.name, origin=actor.counter_code)
    if c.id_document is not None:
        prot = pd.protect_id(c.id_document.number)
        cust.id_type, cust.id_enc, cust.id_lookup, cust.id_masked = (
            c.id_document.type, prot.enc, prot.lookup, prot.masked)
    if c.unit is not None:
        cust.unit_name = c.unit.name
        if c.unit.registration is not None:
            prot = pd.protect_unit(c.unit.registration.number)
            cust.reg_type, cust.reg_enc, cust.reg_lookup, cust.reg_masked = (
                c.unit.registration.type, prot.enc, prot.lookup, prot.masked)
    address = req.details.get("address")
    if isinstance(address, str) and address:
        cust.address_enc = pd.encrypt(address, "customer.address")
    register_unit_contact(cust, req)  # a new unit's 经办人 becomes its registered contact
    s.add(cust)
    s.flush()
    return cust.id

def _new_owner(s: Session, pd: PersonalData, ev: Evaluation, actor: Actor) -> int:
    doc: IdDocument = ev.details["new_owner_id"]
    lookup = pd.lookup_id(doc.number)
    found: int | None = s.connection().execute(_BY_ID, {"lookup": lookup}).scalar()
    if found is not None:
        return found
    prot = pd.protect_id(doc.number)
    cust = Customer(uid=new_uid(), kind="personal", name=ev.details["new_owner_name"],
                    id_type=doc.type, id_enc=prot.enc, id_lookup=prot.lookup,
                    id_masked=prot.masked, origin=actor.counter_code)
    s.add(cust)
    s.flush()
    return cust.id

_LINE_BY_NUMBER = select(Line).where(Line.number == bindparam("number"))  # built once


def change_line(s: Session, pd: PersonalData, req: Request, ev: Evaluation, customer_id: int,
                actor: Actor, order_no: str) -> tuple[Line | None, dict | None, dict | None]:
    """Open, or change, the order's line; returns it with its state before and after (JSON).

    `OrderError` when a new line needs a number and the pool has none free."""
    if req.service == "new_activation":
        number = ev.details.get("number") or _free_number(s, order_no)
        line = Line(uid=new_uid(), number=number, customer_id=customer_id,
                    kind=ev.details.get("line_kind", "mobile"),
                    payment="prepaid" if ev.details.get("payment") == "prepaid" else "postpaid",
                    prepaid_phase="unactivated" if ev.details.get("payment") == "prepaid"
                    else None, package=ev.details.get("package"),
                    opened_on=ev.business_date, origin=actor.counter_code,
                    campaign_until=ev.line_changes.get("campaign_until"))  # a campaign's term
        s.add(line)
        s.flush()
        after = line_state_json(line_state_of(line))
        _history(s, line, after, order_no, actor)
        return line, None, after
    if req.line is None:
        return None, None, None
    stored = s.execute(_LINE_BY_NUMBER, {"number": req.line.number}).scalar_one_or_none()
    if stored is None:
        stored = Line(uid=new_uid(), number=req.line.number, customer_id=customer_id,
                      origin=actor.counter_code, version=0)
        s.add(stored)
    line = stored
    before_state = req.line
    before = line_state_json(before_state)
    for f in LINE_FIELDS:
        setattr(line, f, getattr(before_state, f))
    changes = dict(ev.line_changes)
    if changes.get("status") == "loss_reported":
        line.status_before_loss = before_state.status
    if req.service == "cancel_loss" and line.status_before_loss:
        changes["status"] = line.status_before_loss
        line.status_before_loss = None
    for key, value in changes.items():
        setattr(line, key, value)
    if req.service == "ownership_transfer":
        line.customer_id = _new_owner(s, pd, ev, actor)
    if req.service == "sim_replacement" and ev.details.get("new_sim_serial"):
        line.sim_serial = ev.details["new_sim_serial"]
    line.version = (line.version or 0) + 1
    line.updated_at = clock_of(s).now()
    line.origin = actor.counter_code
    s.flush()
    after = line_state_json(line_state_of(line))
    _history(s, line, after, order_no, actor)
    return line, before, after

_INSERT_HISTORY = insert(cast(Table, LineHistory.__table__))


def _history(s: Session, line: Line, state: dict, order_no: str, actor: Actor) -> None:
    # Core, past the unit of work: the row is written now, with the line flushed before it.
    s.connection().execute(_INSERT_HISTORY, {
        "line_uid": line.uid, "version": line.version,
        "state": state, "order_no": order_no,
        "origin": actor.counter_code})

def _free_number(s: Session, order_no: str) -> str:
    """A number from the hall's pool when the clerk did not pick one (demo pool: 186…)."""
    digest = int(hashlib.sha256(order_no.encode()).hexdigest(), 16)
    for i in range(100):
        number = f"186{(digest + i) % 10**8:08d}"
        if not s.execute(select(Line.id).where(Line.number == number)).first():
            return number
    from app.services.orders.service import OrderError  # it imports this module

    raise OrderError("号码池中没有可用号码", "no free number in the pool")
