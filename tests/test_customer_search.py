"""The counter's search finds a customer however the clerk types the ID or line number."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.db import Database
from app.models import Customer, Line
from app.services.customers.pii import default_personal_data
from app.services.customers.queries import classify, customer_detail, search_customers


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


@pytest.fixture
def person(demo_db: Database) -> tuple[int, str, str]:
    """A personal customer with a line: (id, ID number, line number)."""
    pd = default_personal_data()
    with demo_db.read() as s:
        row = s.execute(select(Customer.id, Line.number).join(Line, Line.customer_id == Customer.id)
                        .where(Customer.kind == "personal").order_by(Customer.id).limit(1)).one()
    detail = customer_detail(demo_db, row[0], pd)
    assert detail is not None and detail.id_number
    return row[0], detail.id_number, row[1]


@pytest.mark.parametrize("typed", [
    lambda n: n,
    lambda n: f"{n[:6]}-{n[6:14]}-{n[14:]}",
    lambda n: f" {n[:6]} {n[6:14]} {n[14:]} ",
    _full_width,
    lambda n: n.lower(),
])
def test_an_id_number_is_found_however_it_is_typed(demo_db: Database, person: tuple[int, str, str],
                                                   typed: object) -> None:
    customer_id, number, _ = person
    text = typed(number)  # type: ignore[operator]
    hits = search_customers(demo_db, text, default_personal_data())
    assert [h.customer_id for h in hits] == [customer_id]
    assert number not in (hits[0].id_masked or "")  # the hit shows the mask only


def test_a_line_number_with_spaces_or_full_width_digits_is_a_number(
        demo_db: Database, person: tuple[int, str, str]) -> None:
    customer_id, _, line = person
    for text in (f"{line[:3]} {line[3:7]} {line[7:]}", _full_width(line), f"{line[:3]}-{line[3:]}"):
        assert classify(text) == ("number", line)
        hits = search_customers(demo_db, text, default_personal_data())
        assert customer_id in [h.customer_id for h in hits]


def test_a_name_is_searched_as_typed() -> None:
    assert classify(" 张三 ") == ("name", "张三")
    assert classify("") == ("none", "")
