"""The customer's history at the counter, through the service, on SQLite and PostgreSQL:
past orders latest first (voided ones marked), open follow-ups, complaints (by order or by
line) and fault tickets, overdue first; a unit's registered contact (kept from its
registration) and key persons, masked; nothing for an administrator, and the refusal
audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.clock import FixedClock
from app.core.request import parse_request
from app.models import AuditEvent, Customer, KeyPerson
from app.security import PermissionDenied
from app.services.customers.history import customer_history, unit_people
from app.services.day import registers
from app.services.day.counts import Counts
from app.services.day.items import CHECKLIST_CODES
from app.services.day.shifts import open_shift
from app.services.hall.demo import DEMO_PASSWORD
from app.services.orders.service import OrderService, Submission
from app.services.staff.auth import login
from tests.builders import NOW, OWNER, PERSON, USCC, group
from tests.builders import counter_line as line


@pytest.fixture
def hall(demo_db: Any, clock: FixedClock) -> dict[str, Any]:
    db = demo_db
    h = {"db": db, "clock": clock, "svc": OrderService(db),
         "c1": login(db, "C001", DEMO_PASSWORD, "C01"),
         "sup": login(db, "S001", DEMO_PASSWORD, "C03"),
         "admin": login(db, "A001", DEMO_PASSWORD, "C02")}
    open_shift(db, h["c1"], dict.fromkeys(CHECKLIST_CODES, True),
               Counts(stock={"sim_card": 5}))  # blank SIMs: a new line takes one
    return h


def serve(h: dict[str, Any], raw: dict[str, Any]) -> str:
    result = h["svc"].submit(Submission(parse_request(raw)), h["c1"])
    assert result.order_no, result.evaluation
    h["clock"].advance(minutes=5)  # orders a few minutes apart: "latest first" is visible
    return str(result.order_no)


def personal(service: str, details: dict[str, Any], with_line: dict[str, Any] | None) -> dict:
    raw: dict[str, Any] = {"service": service, "customer": PERSON, "presenter": OWNER,
                           "documents": [], "details": details, "signature": True}
    if with_line is not None:
        raw["line"] = with_line
    return raw


def customer_id(db: Any, **where: Any) -> int:
    with db.read() as s:
        return int(s.execute(select(Customer.id).filter_by(**where)).scalar_one())


def test_orders_latest_first_and_open_items_overdue_first(hall: dict[str, Any]) -> None:
    db, c1 = hall["db"], hall["c1"]
    roaming = serve(hall, personal("intl_roaming_close", {},
                                   line("18612340001", intl_roaming={"open": True,
                                                                     "prepayment": 500})))
    complaint = serve(hall, personal("complaint", {"subject": "乱扣费",
                                                   "description": "本月多扣 10 元"}, None))
    fault = serve(hall, personal("fault_report", {"fault_type": "ordinary",
                                                  "description": "无信号"},
                                 line("18612340001")))
    cid = customer_id(db, name=PERSON["name"])
    # A complaint entered in the register directly, on one of her lines: hers too.
    direct = registers.register_complaint(db, c1, customer_name="陈*", subject="信号差",
                                          description="家中无信号",
                                          line_number="18612340001",
                                          promised_at=NOW + timedelta(hours=1))

    h = customer_history(db, c1, cid)
    assert h is not None and h.kind == "personal" and not h.more_orders
    assert [o.order_no for o in h.orders] == [fault, complaint, roaming]
    assert [o.service for o in h.orders] == ["fault_report", "complaint", "intl_roaming_close"]
    assert all(o.status == "accepted" and o.presenter_role == "owner" for o in h.orders)
    assert h.orders[0].presenter_masked == "陈*"  # never the full name of who presented it
    assert h.people == ()
    kinds = {(i.kind, i.stage, i.subject) for i in h.open_items}
    assert ("complaint", "answer", "乱扣费") in kinds and ("complaint", "answer", "信号差") in kinds
    assert ("fault", "restore", "无信号") in kinds
    assert any(i.kind == "follow_up" and "漫游预付款" in i.subject for i in h.open_items)
    # The complaint's and the fault's own tasks show through their entries, never twice.
    assert len(h.open_items) == 4
    assert all(i.owner_name for i in h.open_items if i.kind != "complaint" or i.id != direct)

    # 13 hours on, the fault (12 h) and the direct complaint (1 h) are overdue: they lead.
    later = customer_history(db, c1, cid, at=hall["clock"].now() + timedelta(hours=13))
    assert later is not None
    overdue = [(i.kind, i.id == direct) for i in later.open_items if i.overdue]
    assert sorted(overdue) == [("complaint", True), ("fault", False)]
    assert [i.overdue for i in later.open_items] == [True, True, False, False]

    # Answered complaints wait for their visit; closed ones leave the list.
    with db.session() as s:
        from app.models.day import Complaint

        s.get(Complaint, direct).status = "closed"  # type: ignore[union-attr]
    assert len(customer_history(db, c1, cid).open_items) == 3  # type: ignore[union-attr]


def test_only_the_latest_orders_with_a_flag_for_more(hall: dict[str, Any]) -> None:
    db = hall["db"]
    made = [serve(hall, personal("complaint", {"subject": f"第{i}次", "description": "-"}, None))
            for i in range(4)]
    cid = customer_id(db, name=PERSON["name"])
    h = customer_history(db, hall["c1"], cid, limit=3)
    assert h is not None and h.more_orders
    assert [o.order_no for o in h.orders] == made[::-1][:3]


def test_a_units_contact_from_its_registration_and_its_key_persons(hall: dict[str, Any]
                                                                    ) -> None:
    db, c1 = hall["db"], hall["c1"]
    raw = group("new_activation",
                documents=["introduction_letter", "business_license", "access_agreement",
                           "subuser_list"],
                details={"agent_phone": "13912345678", "package": "4G 59 元套餐"})
    raw["line"] = None
    result = hall["svc"].submit(Submission(parse_request(raw)), c1)
    assert result.order_no, result.evaluation
    cid = customer_id(db, kind="group", unit_name="上海示例物流有限公司")
    with db.read() as s:
        stored = s.execute(select(KeyPerson).where(KeyPerson.customer_id == cid)).scalars().all()
        assert [(k.role, k.name, k.phone) for k in stored] == [
            ("contact", "周强", "13912345678")]
        cust = s.get(Customer, cid)
        assert cust is not None and cust.contact_name == "周强"
    with db.session() as s:
        s.add(KeyPerson(customer_id=cid, role="key", name="欧阳娜娜", title="总经理"))

    h = customer_history(db, c1, cid)
    assert h is not None and h.kind == "group"
    assert [(p.role, p.name_masked, p.title, p.phone_masked) for p in h.people] == [
        ("contact", "周*", "经办人", "139****5678"), ("key", "欧阳**", "总经理", None)]
    assert [p.name for p in h.people] == ["周强", "欧阳娜娜"]  # to fill the presenter
    assert "周强" not in repr(h.people) and "13912345678" not in repr(h)
    assert [o.order_no for o in h.orders] == [result.order_no]
    assert unit_people(db, c1, cid) == list(h.people)
    # The same unit again (found by its registration): no second contact.
    hall["svc"].submit(Submission(parse_request(raw)), c1)
    assert len(unit_people(db, c1, cid)) == 2
    assert USCC not in repr(h)


def test_a_demo_units_contact_and_key_person(hall: dict[str, Any]) -> None:
    db = hall["db"]
    with db.read() as s:
        cid = s.execute(select(Customer.id).where(Customer.kind == "group")
                        .order_by(Customer.id)).scalars().first()
    people = unit_people(db, hall["c1"], int(cid))
    assert [p.role for p in people] == ["contact", "key"]
    assert all("*" in p.name_masked for p in people)


def test_an_administrator_sees_no_history_and_the_refusal_is_audited(hall: dict[str, Any]
                                                                     ) -> None:
    db = hall["db"]
    cid = customer_id(db, id=1)
    with pytest.raises(PermissionDenied):
        customer_history(db, hall["admin"], cid)
    with pytest.raises(PermissionDenied):
        unit_people(db, hall["admin"], cid)
    with db.read() as s:
        actions = s.execute(select(AuditEvent.action, AuditEvent.actor)
                            .order_by(AuditEvent.seq.desc()).limit(2)).all()
    assert [tuple(a) for a in actions] == [("permission.denied", "A001")] * 2
    assert customer_history(db, hall["sup"], cid) is not None
    assert customer_history(db, hall["c1"], 10**9) is None
