"""Order numbers: unique across counters and halls with no coordination, fit for a barcode.

`GZ0101-C03-20261122-00042-7`: hall code, counter code, business date, the counter's serial
for that day, and a check character that catches a mistyped number. Hall codes are unique in
the company and counter codes in the hall, so no two workstations can make the same number.
Only capitals, digits and dashes: Code128 encodes them compactly.

`counter process` numbers under the workstation's batch channel (B01 unless the workstation
was given its own batch id: B02, B03 ...), so two workstations taking batches in one hall
need different batch ids; the sync server refuses a second workstation numbering under a
prefix another one already uses (`app.services.sync.identity`).
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, bindparam, case
from sqlalchemy.orm import Session

from app.models import OrderSequence
from app.services.audit.driver_sql import connection_of, run

_SEQ = cast(Table, OrderSequence.__table__)
_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ORDER_NO = re.compile(r"^[A-Z0-9]{2,16}-[A-Z0-9]{1,8}-\d{8}-\d{5}-[0-9A-Z]$")


def check_char(body: str) -> str:
    """Weighted sum mod 36 over the characters (dashes skipped): catches swaps and typos."""
    chars = [c for c in body if c != "-"]
    total = sum((i + 1) * _ALNUM.index(c) for i, c in enumerate(chars))
    return _ALNUM[total % 36]


def format_order_no(hall_code: str, counter_code: str, day: date, serial: int) -> str:
    body = f"{hall_code}-{counter_code}-{day:%Y%m%d}-{serial:05d}"
    return f"{body}-{check_char(body)}"


PREFIX_SUFFIX = 17  # "-YYYYMMDD-NNNNN-C" after the hall and counter codes


def order_prefix(order_no: str) -> str:
    """The hall and counter codes an order was numbered under ("DEMO01-B02")."""
    return order_no[:-PREFIX_SUFFIX]


def is_valid_order_no(text: str) -> bool:
    if not ORDER_NO.match(text):
        return False
    body, check = text.rsplit("-", 1)
    return check_char(body) == check


def next_order_no(session: Session, hall_code: str, counter_id: int, counter_code: str,
                  day: date) -> str:
    """Take the next serial inside the caller's write transaction.

    One statement: the day's row is made with serial 1, or (``ON CONFLICT DO UPDATE``) its
    serial moved on by one, and the serial read back (``RETURNING``). The update locks the
    row until the transaction ends, so no two orders share a number, on SQLite or on
    PostgreSQL, even when parallel first orders of the day make the row at the same moment.
    """
    conn = connection_of(session)
    stmt = _take_serial(conn.dialect.name == "postgresql")
    serial = int(run(conn, stmt, {"counter_id": counter_id, "day": day}).one()[0])
    return format_order_no(hall_code, counter_code, day, serial)


def _upsert(postgresql: bool) -> Any:
    """The dialect's INSERT (with ON CONFLICT), imported when first needed: a counter on
    SQLite never loads PostgreSQL's dialect (~30 ms at start)."""
    if postgresql:
        from sqlalchemy.dialects.postgresql import insert as pg_insert
        return pg_insert(_SEQ)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert
    return sqlite_insert(_SEQ)


@cache
def _take_serial(postgresql: bool) -> Any:
    """The upsert, built once per dialect (its SQL is then cached by SQLAlchemy)."""
    return (_upsert(postgresql)
            .values(counter_id=bindparam("counter_id"), business_date=bindparam("day"), last=1)
            .on_conflict_do_update(index_elements=["counter_id", "business_date"],
                                   set_={"last": _SEQ.c.last + 1})
            .returning(_SEQ.c.last))


def serial_of(order_no: str) -> int | None:
    """The counter's serial in a well-formed order number (None for anything else)."""
    return int(order_no[-7:-2]) if ORDER_NO.match(order_no) else None


def advance_numbering(session: Session, orders: list[tuple[int, date, str]]) -> None:
    """Numbering of each (counter, day) goes on after the highest serial among `orders`
    (counter id, business date, order number) — orders of this hall pulled from the server.
    A PC that replaces another at the same counter, the same day, so numbers after the old
    one's orders instead of from 00001 again (numbers the server already holds)."""
    highest: dict[tuple[int, date], int] = {}
    for counter_id, day, order_no in orders:
        serial = serial_of(order_no)
        if serial is not None and serial > highest.get((counter_id, day), 0):
            highest[(counter_id, day)] = serial
    if not highest:
        return
    stmt = _raise_serial(session.connection().dialect.name == "postgresql")
    session.execute(stmt, [{"counter_id": c, "day": d, "last": s}
                           for (c, d), s in highest.items()])


@cache
def _raise_serial(postgresql: bool) -> Any:
    new = _upsert(postgresql).values(counter_id=bindparam("counter_id"),
                                     business_date=bindparam("day"), last=bindparam("last"))
    return new.on_conflict_do_update(
        index_elements=["counter_id", "business_date"],
        set_={"last": case((new.excluded.last > _SEQ.c.last, new.excluded.last),
                           else_=_SEQ.c.last)})
