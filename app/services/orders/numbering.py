"""Order numbers: unique across counters and halls with no coordination, fit for a barcode.

`GZ0101-C03-20261122-00042-7`: hall code, counter code, business date, the counter's serial
for that day, and a check character that catches a mistyped number. Hall codes are unique in
the company and counter codes in the hall, so no two workstations can make the same number.
Only capitals, digits and dashes: Code128 encodes them compactly.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.rows import insert_missing
from app.models import OrderSequence

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


def is_valid_order_no(text: str) -> bool:
    if not ORDER_NO.match(text):
        return False
    body, check = text.rsplit("-", 1)
    return check_char(body) == check


def next_order_no(session: Session, hall_code: str, counter_id: int, counter_code: str,
                  day: date) -> str:
    """Take the next serial inside the caller's write transaction.

    The day's row is made if it is missing, without failing when a parallel first order of
    the day makes it too (``ON CONFLICT DO NOTHING``), then locked while its serial is taken:
    no two orders share a number, on SQLite or on PostgreSQL.
    """
    insert_missing(session, OrderSequence, ["counter_id", "business_date"],
                   counter_id=counter_id, business_date=day, last=0)
    seq = session.execute(
        select(OrderSequence).where(OrderSequence.counter_id == counter_id,
                                    OrderSequence.business_date == day)
        .with_for_update().execution_options(populate_existing=True)
    ).scalar_one()
    seq.last += 1
    session.flush()
    return format_order_no(hall_code, counter_code, day, seq.last)
