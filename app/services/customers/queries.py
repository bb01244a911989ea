"""Looking up customers and lines for the counter (Qt-free).

Every search is written so that SQLite can answer it from an index: an ID number is looked up
by its keyed hash (`id_lookup` / `reg_lookup`), a line number or a name prefix as a range
(`>= x AND < x + U+10FFFF`), never with `LIKE`, which SQLite does not serve from an index.
`tests/gui/test_counter_gui.py` checks the plans with `EXPLAIN QUERY PLAN`.

The day's listings are in `day_listings`, one order's full record in `order_record`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Dialect, Select, bindparam, func, null, or_, select

from app.core.request import LineState
from app.core.validators import normalize_id_number
from app.db import Database
from app.models import Customer, Line, Staff
from app.services.customers.pii import PersonalData
from app.services.orders.line_state import line_state_of
from app.services.sync.conflicts import open_conflict_lines

# Above every character: "x" <= s < "x" + TOP holds exactly for the strings that start with x.
TOP = chr(0x10FFFF)
SEARCH_LIMIT = 200
PAGE_SIZE = 200
_ID18 = re.compile(r"^(\d{17}[\dX]|[0-9A-HJ-NP-RTUWXY]{18})$")
_DIGITS = re.compile(r"^\d{3,20}$")


# --- customer search ----------------------------------------------------------------------

@dataclass(frozen=True)
class CustomerHit:
    customer_id: int
    kind: str
    name: str
    id_masked: str | None
    line_number: str | None  # the line that matched, when searched by number


def search_kind(text: str) -> str:
    """How `text` will be searched: ``id``, ``number``, ``name`` or ``none``."""
    kind, _ = classify(text)
    return kind


def classify(text: str) -> tuple[str, str]:
    """The kind of search and the text to search for.

    An ID or a line number is compared in its canonical form, so `310104-19900215-4578`, full-
    width digits from a Chinese IME or `130 1234 5678` find what the plain form finds; a name
    is searched as typed (only trimmed).
    """
    t = text.strip()
    compact = normalize_id_number("resident_id", t)
    if len(compact) == 18 and _ID18.match(compact):
        return "id", compact
    if _DIGITS.match(compact):
        return "number", compact
    if t and not t.isdigit():
        return "name", t
    return "none", t


def prefix_range(column: Any, prefix: str) -> Any:
    """`column` starts with `prefix`, as a range an index can serve."""
    return (column >= prefix) & (column < prefix + TOP)


def customer_search_stmt(text: str, pd: PersonalData | None,
                         limit: int = SEARCH_LIMIT) -> Select[*tuple[Any, ...]] | None:
    kind, t = classify(text)
    if kind == "id":
        if pd is None:
            return None
        number = t
        cond = or_(Customer.id_lookup == pd.lookup_id(number),
                   Customer.reg_lookup == pd.lookup_unit(number))
        return (select(Customer.id, Customer.kind, Customer.name,
                       func.coalesce(Customer.id_masked, Customer.reg_masked), null())
                .where(cond).limit(limit))
    if kind == "number":
        return (select(Customer.id, Customer.kind, Customer.name,
                       func.coalesce(Customer.id_masked, Customer.reg_masked), Line.number)
                .join(Line, Line.customer_id == Customer.id)
                .where(prefix_range(Line.number, t))
                .order_by(Line.number).limit(limit))
    if kind == "name":
        return (select(Customer.id, Customer.kind, Customer.name,
                       func.coalesce(Customer.id_masked, Customer.reg_masked), null())
                .where(prefix_range(Customer.name, t))
                .order_by(Customer.name, Customer.id).limit(limit))
    return None


def search_customers(db: Database, text: str, pd: PersonalData | None,
                     limit: int = SEARCH_LIMIT) -> list[CustomerHit]:
    """Customers by 18-character ID number (exact), line number prefix or name prefix."""
    kind, number = classify(text)
    if kind == "id":
        return _by_id(db, number, pd, limit) if pd is not None else []
    stmt = customer_search_stmt(text, pd, limit)
    if stmt is None:
        return []
    with db.read() as s:
        rows = s.execute(stmt).all()
    return [CustomerHit(r[0], r[1], r[2], r[3], r[4]) for r in rows]


@lru_cache(maxsize=16)
def _id_query(dialect: Dialect, limit: int) -> tuple[str, tuple[str, ...] | None, dict[str, Any]]:
    """The by-ID statement compiled once per dialect: its SQL, the order of its parameters
    (None for a driver taking them by name), and the fixed ones (the limit)."""
    stmt = (select(Customer.id, Customer.kind, Customer.name,
                   func.coalesce(Customer.id_masked, Customer.reg_masked), null())
            .where(or_(Customer.id_lookup == bindparam("id_lookup"),
                       Customer.reg_lookup == bindparam("reg_lookup")))
            .limit(limit))
    compiled = stmt.compile(dialect=dialect)
    order = tuple(compiled.positiontup) if compiled.positional and compiled.positiontup \
        else None
    return str(compiled), order, dict(compiled.params)


def _by_id(db: Database, number: str, pd: PersonalData, limit: int) -> list[CustomerHit]:
    """One indexed SELECT on a pooled driver connection: a counter searches as the clerk
    types, and the ORM session around one SELECT cost ten times the query (issue #17). On
    SQLite the driver is in autocommit, so the lone SELECT is its own consistent read."""
    sql, order, fixed = _id_query(db.engine.dialect, limit)
    params = dict(fixed, id_lookup=pd.lookup_id(number), reg_lookup=pd.lookup_unit(number))
    conn = db.engine.raw_connection()
    try:
        cur = conn.cursor()
        cur.execute(sql, [params[k] for k in order] if order is not None else params)
        rows = cur.fetchall()
        cur.close()
    finally:
        conn.close()  # back to the pool, which rolls back whatever the driver began
    return [CustomerHit(r[0], r[1], r[2], r[3], r[4]) for r in rows]


# --- one customer --------------------------------------------------------------------------

@dataclass(frozen=True)
class LineInfo:
    number: str
    kind: str
    package: str | None
    opened_on: date | None
    state: LineState
    conflict: str | None = None  # a sync conflict waiting for the supervisor (its short id)


@dataclass(frozen=True)
class CustomerDetail:
    """A customer with their lines. The ID numbers are decrypted for building requests only:
    screens show `id_masked` / `reg_masked`; `repr` never prints them."""

    customer_id: int
    kind: str
    name: str
    id_type: str | None
    id_number: str | None = field(repr=False)
    id_masked: str | None
    unit_name: str | None
    reg_type: str | None
    reg_number: str | None = field(repr=False)
    reg_masked: str | None
    phone: str | None
    contact_name: str | None
    lines: tuple[LineInfo, ...]

    def line(self, number: str) -> LineInfo | None:
        return next((ln for ln in self.lines if ln.number == number), None)


def customer_detail(db: Database, customer_id: int, pd: PersonalData) -> CustomerDetail | None:
    with db.read() as s:
        c = s.get(Customer, customer_id)
        if c is None:
            return None
        lines = s.execute(select(Line).where(Line.customer_id == customer_id)
                          .order_by(Line.number)).scalars().all()
        held = open_conflict_lines(s, [ln.uid for ln in lines])
        return CustomerDetail(
            customer_id=c.id, kind=c.kind, name=c.name, id_type=c.id_type,
            id_number=pd.decrypt(c.id_enc, "customer.id") if c.id_enc else None,
            id_masked=c.id_masked, unit_name=c.unit_name, reg_type=c.reg_type,
            reg_number=pd.decrypt(c.reg_enc, "customer.reg") if c.reg_enc else None,
            reg_masked=c.reg_masked, phone=c.phone, contact_name=c.contact_name,
            lines=tuple(LineInfo(ln.number, ln.kind, ln.package, ln.opened_on,
                                 line_state_of(ln), held.get(ln.uid)) for ln in lines))


def line_state(db: Database, number: str) -> LineState | None:
    """The line's state as stored now (e.g. after a payment in the same visit)."""
    with db.read() as s:
        ln = s.execute(select(Line).where(Line.number == number)).scalar_one_or_none()
        return line_state_of(ln) if ln is not None else None


def has_staff(db: Database) -> bool:
    """Whether anyone can log in yet (an empty database needs the first-run set-up)."""
    with db.read() as s:
        return s.execute(select(Staff.id).limit(1)).first() is not None


__all__ = [
    "CustomerDetail",
    "CustomerHit",
    "LineInfo",
    "customer_detail",
    "customer_search_stmt",
    "has_staff",
    "line_state",
    "prefix_range",
    "search_customers",
    "search_kind",
]
