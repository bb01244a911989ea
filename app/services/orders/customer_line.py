"""The customer and the line an order is for: the customer found or added, the line opened or
changed, its state before and after kept for the order and for the line's history.

Called by `OrderService` inside its write transaction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from app.core.engine import Evaluation
from app.core.request import IdDocument, LineState, Request
from app.db import clock_of
from app.models import Customer, Line, LineHistory
from app.models.base import new_uid
from app.services.audit.driver_sql import connection_of, run
from app.services.audit.seals import Form
from app.services.audit.written_forms import written_form
from app.services.customers.pii import PersonalData
from app.services.customers.unit_contacts import register_unit_contact
from app.services.hall.registry import Actor
from app.services.orders.line_state import LINE_FIELDS, line_state_json, line_state_of

# The customer's id and uid by a keyed lookup: plain reads (no ORM object).
_BY_REG = select(Customer.id, Customer.uid).where(
    Customer.reg_lookup == bindparam("lookup")).limit(1)
_BY_ID = select(Customer.id, Customer.uid).where(
    Customer.id_lookup == bindparam("lookup")).limit(1)


def customer_of(s: Session, pd: PersonalData, req: Request, actor: Actor) -> tuple[int, str]:
    """The id and uid of the request's customer: found by ID or unit registration, else
    added."""
    c = req.customer
    found: Any = None
    if c.kind == "group" and c.unit and c.unit.registration:
        lookup = pd.lookup_unit(c.unit.registration.number)
        found = run(s, _BY_REG, {"lookup": lookup}).first()
    elif c.id_document is not None:
        lookup = pd.lookup_id(c.id_document.number)
        found = run(s, _BY_ID, {"lookup": lookup}).first()
    if found is not None:
        return found[0], found[1]
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
    return cust.id, cust.uid

def _new_owner(s: Session, pd: PersonalData, ev: Evaluation, actor: Actor) -> int:
    doc: IdDocument = ev.details["new_owner_id"]
    lookup = pd.lookup_id(doc.number)
    found: int | None = run(s, _BY_ID, {"lookup": lookup}).scalar()  # the id
    if found is not None:
        return found
    prot = pd.protect_id(doc.number)
    cust = Customer(uid=new_uid(), kind="personal", name=ev.details["new_owner_name"],
                    id_type=doc.type, id_enc=prot.enc, id_lookup=prot.lookup,
                    id_masked=prot.masked, origin=actor.counter_code)
    s.add(cust)
    s.flush()
    return cust.id

@dataclass(frozen=True)
class ChangedLine:
    """The order's line as written: what the order, its history row and its seal name."""

    id: int
    uid: str
    number: str
    version: int
    # Its sealed form as written (`app.services.audit.written_forms`), or None: read it back.
    form: Form | None = None


_LINES = cast(Table, Line.__table__)
_CUSTOMERS = cast(Table, Customer.__table__)
# The line with its customer's uid (the natural key its seal names it by); built once.
_LINE_BY_NUMBER = (select(_LINES, _CUSTOMERS.c.uid.label("customer_uid"))
                   .select_from(_LINES.outerjoin(_CUSTOMERS,
                                                 _CUSTOMERS.c.id == _LINES.c.customer_id))
                   .where(_LINES.c.number == bindparam("number")))
# The change names only the columns that moved (as the ORM's UPDATE did); `line_id` and
# `old_version` are the row read in this transaction: a change made meanwhile matches nothing.
_UPDATE_LINE = update(_LINES).where(_LINES.c.id == bindparam("line_id"),
                                    _LINES.c.version == bindparam("old_version"))


def change_line(s: Session, pd: PersonalData, req: Request, ev: Evaluation, customer_id: int,
                actor: Actor, order_no: str) -> tuple[ChangedLine | None, dict | None,
                                                      dict | None]:
    """Open, or change, the order's line; returns it with its state before and after (JSON).

    The line is written with plain SQL: the caller seals it by name (`ChangedLine.id`).
    `OrderError` when a new line needs a number and the pool has none free, or when the line
    changed between its read and its write (another program's transaction)."""
    if req.service == "new_activation":
        number = ev.details.get("number") or free_number(s, order_no)
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
        opened = ChangedLine(line.id, line.uid, line.number, line.version)
        _history(s, opened, after, order_no, actor)
        return opened, None, after
    if req.line is None:
        return None, None, None
    conn = connection_of(s)
    found = run(conn, _LINE_BY_NUMBER, {"number": req.line.number}).mapping()
    stored: dict[str, Any] = dict(found) if found is not None else _new_line_row(
        s, req.line.number, customer_id, actor)
    owner_uid = stored.pop("customer_uid", None)  # None for the row just added: read back
    before_state = req.line
    before = line_state_json(before_state)
    row = dict(stored)
    for f in LINE_FIELDS:
        row[f] = getattr(before_state, f)
    changes = dict(ev.line_changes)
    if changes.get("status") == "loss_reported":
        row["status_before_loss"] = before_state.status
    if req.service == "cancel_loss" and row["status_before_loss"]:
        changes["status"] = row["status_before_loss"]
        row["status_before_loss"] = None
    row.update(changes)
    if req.service == "ownership_transfer":
        row["customer_id"] = _new_owner(s, pd, ev, actor)
    if req.service == "sim_replacement" and ev.details.get("new_sim_serial"):
        row["sim_serial"] = ev.details["new_sim_serial"]
    row["version"] = (stored["version"] or 0) + 1
    row["updated_at"] = now = clock_of(s).now()
    row["origin"] = actor.counter_code
    moved = {k: v for k, v in row.items() if k != "id" and v != stored[k]}
    done = run(conn, _UPDATE_LINE, {**moved, "line_id": stored["id"],
                                    "old_version": stored["version"]})
    if done.rowcount != 1:
        from app.services.orders.service import OrderError  # it imports this module

        raise OrderError(f"线路 {req.line.number} 刚被其他操作修改，请重新办理",
                         f"line {req.line.number} was changed meanwhile: submit again")
    after = line_state_json(LineState(number=row["number"], **{f: row[f] for f in LINE_FIELDS}))
    # As stored: what moved as written, the rest as read (a value equal but of another type,
    # 0 for False, was not written).
    form = written_form("line", {**stored, **moved}, {"customer_id": owner_uid}) if (
        owner_uid is not None and "customer_id" not in moved) else None
    line_ref = ChangedLine(stored["id"], row["uid"], row["number"], row["version"], form)
    _history(s, line_ref, after, order_no, actor, now)
    return line_ref, before, after


def _new_line_row(s: Session, number: str, customer_id: int, actor: Actor) -> dict[str, Any]:
    """A line the database did not know yet (taken over from the request), stored with
    version 0 as read: the change below makes it version 1."""
    line = Line(uid=new_uid(), number=number, customer_id=customer_id,
                origin=actor.counter_code, version=0)
    s.add(line)
    s.flush()
    return {c.key: getattr(line, c.key) for c in _LINES.columns}

_INSERT_HISTORY = insert(cast(Table, LineHistory.__table__))


def _history(s: Session, line: ChangedLine, state: dict, order_no: str, actor: Actor,
             at: datetime | None = None) -> None:
    # Past the unit of work (`driver_sql`): written now, with the line written before it.
    run(s, _INSERT_HISTORY, {
        "line_uid": line.uid, "version": line.version,
        "state": state, "order_no": order_no,
        "origin": actor.counter_code, "recorded_at": at or clock_of(s).now()})

def free_number(s: Session, order_no: str) -> str:
    """A number from the hall's pool when the clerk did not pick one (demo pool: 186…)."""
    digest = int(hashlib.sha256(order_no.encode()).hexdigest(), 16)
    for i in range(100):
        number = f"186{(digest + i) % 10**8:08d}"
        if not s.execute(select(Line.id).where(Line.number == number)).first():
            return number
    from app.services.orders.service import OrderError  # it imports this module

    raise OrderError("号码池中没有可用号码", "no free number in the pool")
