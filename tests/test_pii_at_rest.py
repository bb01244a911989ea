"""No ID number or address of the demo hall lies in clear in the database file or its WAL.

The clear values are obtained the only way there is: decrypting with the key. Then the raw
bytes of `counter.sqlite3` and `counter.sqlite3-wal` are searched for each of them, after the
hall has also worked a little: orders that carry the demo customers' numbers (the owner's, an
agent's, a new owner's), a rejected request, a wizard draft, and a full-number viewing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.core.request import parse_request
from app.models import Customer
from app.services.customers.pii import default_personal_data
from app.services.customers.pii_access import reveal_customer_id
from app.services.hall.registry import batch_actor
from app.services.orders.service import Submission
from tests.builders import AGENT_ID, personal
from tests.security_fixtures import actor, open_shift

pytestmark = pytest.mark.sqlite_only("reads the bytes of the SQLite file and its WAL")


def clear_values(db) -> tuple[list[str], list[str]]:
    """Every ID / registration number and address in the database, decrypted."""
    pd = default_personal_data()
    numbers: list[str] = []
    addresses: list[str] = []
    with db.read() as s:
        for c in s.execute(select(Customer)).scalars():
            if c.id_enc is not None:
                numbers.append(pd.decrypt(c.id_enc, "customer.id"))
            if c.reg_enc is not None:
                numbers.append(pd.decrypt(c.reg_enc, "customer.reg"))
            if c.address_enc is not None:
                addresses.append(pd.decrypt(c.address_enc, "customer.address"))
    return numbers, addresses


def raw_bytes(db) -> bytes:
    path = Path(db.sqlite_path)
    data = path.read_bytes()
    wal = path.with_name(path.name + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def demo_people(db) -> list[tuple[str, str]]:
    """(name, resident ID) of adult demo customers, for requests a clerk would enter."""
    pd = default_personal_data()
    with db.read() as s:
        rows = s.execute(select(Customer).where(Customer.id_type == "resident_id")
                         .order_by(Customer.id)).scalars().all()
    return [(c.name, pd.decrypt(c.id_enc, "customer.id")) for c in rows]


@pytest.fixture
def worked_hall(demo_db, order_service):
    db = demo_db
    people = demo_people(db)
    assert len(people) >= 8
    clerk = actor(db, "C001")
    open_shift(db, clerk)
    batch = batch_actor(db)

    decisions: list[str] = []

    def submit(request: dict, who=batch) -> None:
        decisions.append(order_service.submit(Submission(parse_request(request)), who)
                         .evaluation.decision)

    (n0, id0), (n1, id1), (n2, id2), (n3, id3) = people[:4]
    owner = {"kind": "personal", "name": n0, "unit": None, "non_local_id": False,
             "id_document": {"type": "resident_id", "number": id0}}
    presenter = {"role": "owner", "name": n0,
                 "id_document": {"type": "resident_id", "number": id0}}
    submit(personal("report_loss", customer=owner, presenter=presenter,
                    line={"number": "13100000001"}), clerk)
    # The presenter's own number is an agent's: a demo customer acting for another.
    agent = {"role": "agent", "name": n1, "id_document": {"type": "resident_id", "number": id1}}
    submit(personal("report_loss", customer=owner, presenter=agent,
                    documents=["resident_id", "authorization_letter"],
                    line={"number": "13100000002"}))
    # A new owner's number lives in the order's details.
    submit(personal("ownership_transfer", customer=owner, presenter=presenter,
                    line={"number": "13100000003"}, documents=["new_owner_id"],
                    details={"new_owner_name": n2,
                             "new_owner_id": {"type": "resident_id", "number": id2}}))
    # A rejected request goes to the intake log, with the number masked.
    rejected = {"kind": "personal", "name": n3, "unit": None, "non_local_id": False,
                "id_document": {"type": "resident_id", "number": id3}}
    submit(personal("number_change", customer=rejected,
                    presenter={"role": "owner", "name": n3,
                               "id_document": {"type": "resident_id", "number": id3}},
                    line={"number": "13100000004", "arrears": 58},
                    details={"new_number": "13099998888"}))
    assert decisions == ["accepted", "accepted", "accepted", "rejected"]
    # The wizard's draft of a half-done request.
    from app.services.orders.drafts import save_draft

    save_draft(db, clerk, {"customer_id_number": people[4][1], "presenter_id_number": AGENT_ID,
                           "address": "广州市天河区体育西路103号", "page": "customer"},
               "customer", default_personal_data())
    # A supervisor looks at a full number: the viewing is recorded, not the number.
    with db.read() as s:
        first = s.execute(select(Customer.id).order_by(Customer.id)).scalar()
    reveal_customer_id(db, actor(db, "S001"), first, reason="核对")
    return db, people


def test_no_id_number_or_address_in_clear_in_the_file_or_the_wal(worked_hall):
    db, people = worked_hall
    numbers, addresses = clear_values(db)
    numbers += [number for _name, number in people[:5]] + [AGENT_ID]
    assert len(numbers) >= 60 and len(addresses) >= 40
    wal = Path(db.sqlite_path).with_name(Path(db.sqlite_path).name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0  # the recent writes are there to search
    data = raw_bytes(db)
    found = [n for n in set(numbers) if n.encode() in data or n.encode("utf-16-le") in data]
    assert found == []
    leaked = [a for a in {*addresses, "广州市天河区体育西路103号"} if a.encode() in data]
    assert leaked == []
    # The search would find them: the masked forms (region and last four) are there.
    masked = numbers[0][:6] + "*" * 8 + numbers[0][-4:]
    assert masked.encode() in data
    from app.models import ServiceOrder

    with db.read() as s:
        orders = s.execute(select(ServiceOrder).order_by(ServiceOrder.id)).scalars().all()
    assert all(o.presenter_id_enc for o in orders)
    assert orders[2].details["new_owner_id"]["number"] == people[2][1][:6] + "*" * 8 + \
        people[2][1][-4:]


def test_a_checkpointed_file_still_holds_none(worked_hall):
    """After the WAL is folded into the main file (and with secure_delete on)."""
    db, people = worked_hall
    from sqlalchemy import text

    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        assert conn.execute(text("PRAGMA secure_delete")).scalar() == 1
    numbers, addresses = clear_values(db)
    data = Path(db.sqlite_path).read_bytes()
    assert [n for n in numbers + [p[1] for p in people] if n.encode() in data] == []
    assert [a for a in addresses if a.encode() in data] == []
