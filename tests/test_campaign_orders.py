"""Campaigns at the counter through the services (issue #14), on SQLite and PostgreSQL: the
order records the terms and locks the line for the term, a follow-up waits for the term's
last day, the gift is chosen among those this counter has and refused at 0, the slip prints
the campaign and tier by name with the terms in words, a void undoes it all."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.clock import FixedClock
from app.core.campaigns import TERM_END_TASK
from app.core.catalog import get_catalog
from app.core.request import parse_request
from app.models import FollowUpTask, IntakeEntry, Line, ServiceOrder
from app.models.day import StockMovement
from app.security import Permission
from app.services.audit.verify import verify_audit
from app.services.customers.queries import line_state
from app.services.day.counts import Counts
from app.services.day.items import CHECKLIST_CODES, INVOICE, gift_item
from app.services.day.shifts import open_shift
from app.services.hall.demo import DEMO_PASSWORD
from app.services.hall.registry import batch_actor
from app.services.orders.campaigns import gift_choices, took_first_tier
from app.services.orders.papers import prepare_order_papers
from app.services.orders.service import OrderService, Submission
from app.services.orders.void import void_order
from app.services.staff.auth import authorize, login
from app.services.stock.ledger import StockShortage, on_hand
from app.services.stock.vouchers import receive
from tests.builders import DAY, HALL_ZONE, OWNER, PERSON
from tests.builders import counter_line as line

OIL, RICE = gift_item("cooking_oil_5l"), gift_item("rice_5kg")
NUMBER = "18612345678"
TIER1 = {"action": "subscribe", "product": "网龄回馈", "campaign": "group_tenure_reward",
         "tier": "tier1_new", "group_member": True, "joined_on": "2015-03-01"}
TERMS_ZH = ("预存 139 元（其中 19 元可即时使用），最低消费每月 19 元，合约期 10 个月"
            "（2026-11-22 至 2027-09-21），每月返还 12 元，预存款可退")


def request(service: str, details: dict[str, Any], documents: tuple[str, ...] = (),
            with_line: dict[str, Any] | None = None) -> Any:
    raw: dict[str, Any] = {"service": service, "customer": PERSON, "presenter": OWNER,
                           "documents": list(documents), "details": details, "signature": True}
    if with_line is not None:
        raw["line"] = with_line
    return parse_request(raw)


def campaign(**details: Any) -> Any:
    return request("product_reservation", {**TIER1, **details}, ("bank_debit_card",),
                   line(NUMBER))


@pytest.fixture
def hall(demo_db: Any, clock: FixedClock) -> dict[str, Any]:
    db = demo_db
    clerk = login(db, "C001", DEMO_PASSWORD, "C01")
    open_shift(db, clerk, dict.fromkeys(CHECKLIST_CODES, True),
               Counts(stock={INVOICE: 20, OIL: 2}, cash={10000: 2},
                      invoice_first="00010001", invoice_last="00010020"))
    return {"db": db, "clock": clock, "svc": OrderService(db), "clerk": clerk,
            "sup": login(db, "S001", DEMO_PASSWORD, "C03")}


def submit(h: dict[str, Any], req: Any, actor: Any = None) -> Any:
    try:
        return h["svc"].submit(Submission(req, started_at=h["clock"].now()),
                               actor or h["clerk"])
    finally:
        h["clock"].advance(minutes=2)


def order_of(db: Any, order_no: str) -> dict[str, Any]:
    with db.read() as s:
        order = s.execute(select(ServiceOrder).where(ServiceOrder.order_no == order_no)
                          ).scalar_one()
        tasks = s.execute(select(FollowUpTask).where(FollowUpTask.order_id == order.id)
                          ).scalars().all()
        stored = s.execute(select(Line).where(Line.number == NUMBER)).scalar_one()
        return {"order": order, "tasks": list(tasks), "line_until": stored.campaign_until}


def test_the_order_records_the_terms_and_locks_the_line_for_the_term(
        hall: dict[str, Any]) -> None:
    db = hall["db"]
    result = submit(hall, campaign())
    assert result.order_no, result.outcome()
    assert "campaign" not in result.outcome()  # the batch outcome keeps its documented shape
    found = order_of(db, result.order_no)
    terms = found["order"].outcome["campaign"]
    assert (terms["campaign"], terms["tier"], terms["gift"]) == (
        "group_tenure_reward", "tier1_new", "cooking_oil_5l")
    assert (terms["monthly_minimum_fen"], terms["term_months"], terms["monthly_return_fen"],
            terms["refundable"]) == (1900, 10, 1200, True)
    assert (terms["starts_on"], terms["ends_on"]) == (DAY.isoformat(), "2027-09-21")
    assert terms["words"]["zh"] == TERMS_ZH
    assert terms["tier_name"]["zh"] == "一档（2011年1月1日及以后入网）"
    assert found["order"].details["gift"] == "cooking_oil_5l"
    assert found["line_until"].isoformat() == "2027-09-21"
    # The follow-up for the term's end, due on its last day in the hall.
    [task] = [t for t in found["tasks"] if t.task == TERM_END_TASK]
    assert task.status == "open" and task.owner_staff_id == hall["clerk"].staff_id
    assert task.due_at.astimezone(HALL_ZONE).date().isoformat() == "2027-09-21"
    assert task.name.startswith("营销活动合约期满：政企集团成员网龄回馈")
    # The line as stored now refuses a cancellation until the term's end.
    stored = line_state(db, NUMBER)
    assert stored is not None
    cancel = replace(request("cancellation", {}, with_line=line(NUMBER)), line=stored)
    ev = hall["svc"].evaluate(cancel)
    assert [v.rule for v in ev.violations] == ["in_contract"] and "2027-09-21" in \
        ev.violations[0].message
    checked = verify_audit(db)  # the terms are sealed with the order
    assert checked.ok, checked.describe()


def test_the_gift_is_chosen_among_those_on_hand_and_refused_at_zero(
        hall: dict[str, Any]) -> None:
    db, clerk, sup = hall["db"], hall["clerk"], hall["sup"]
    tier = get_catalog().campaigns["group_tenure_reward"].tier("tier1_new")
    assert tier is not None
    choices = gift_choices(db, clerk, tier)
    assert [(c.code, c.name.zh, c.on_hand) for c in choices] == [
        ("cooking_oil_5l", "5L食用油一桶", 2), ("rice_5kg", "5kg大米一袋", 0)]
    with pytest.raises(StockShortage, match="5kg大米一袋") as refused:
        submit(hall, campaign(gift="rice_5kg"))
    assert "请先入库或从其他柜台调拨" in refused.value.zh
    receive(db, sup, {RICE: 1}, counter="C01", supplier="粮油公司 出库单 77")
    assert [c.on_hand for c in gift_choices(db, clerk, tier)] == [2, 1]
    rice = submit(hall, campaign(gift="rice_5kg"))
    assert rice.order_no
    with db.read() as s:
        have = on_hand(s, clerk.counter_id)
        uses = s.execute(select(StockMovement.item).where(
            StockMovement.order_id == rice.order_id, StockMovement.kind == "use")).scalars()
        assert sorted(uses) == sorted([RICE, INVOICE])
    assert (have[RICE], have[OIL]) == (0, 2)  # the rice went, the oil stayed
    with pytest.raises(StockShortage, match="5kg大米一袋"):
        submit(hall, campaign(gift="rice_5kg"))
    assert submit(hall, campaign()).order_no  # the default gift, still on hand
    with db.read() as s:
        assert on_hand(s, clerk.counter_id)[OIL] == 1
    # The batch channel hands nothing over a counter: no counts to show.
    assert [c.on_hand for c in gift_choices(db, batch_actor(db), tier)] == [None, None]


def test_the_slip_names_the_campaign_and_prints_the_terms_in_words(
        hall: dict[str, Any], tmp_path: Path) -> None:
    db = hall["db"]
    result = submit(hall, campaign(bank_card_kind="debit"))
    papers = prepare_order_papers(db, result.order_id, tmp_path)
    slip = next(p for p in papers.paths if "slip" in p.name)
    text = "".join(page.extract_text() or "" for page in
                   PdfReader(io.BytesIO(slip.read_bytes())).pages)
    flat = "".join(text.split())
    for words in ("营销活动", "政企集团成员网龄回馈", "一档（2011年1月1日及以后入网）",
                  "5L食用油一桶", "".join(TERMS_ZH.split()), "入网日期", "2015-03-01",
                  "集团成员", "银行卡类型借记卡", "营销活动合约期满"):
        assert words in flat, words
    for raw in ("group_tenure_reward", "tier1_new", "cooking_oil", "campaign", "joined_on",
                "debit"):
        assert raw not in text, raw


def test_a_refused_tier_is_logged_with_the_reason_and_nothing_is_issued(
        hall: dict[str, Any]) -> None:
    db = hall["db"]
    result = submit(hall, campaign(joined_on="2009-05-01"))
    assert result.order_no is None and result.intake_id
    with db.read() as s:
        entry = s.get(IntakeEntry, result.intake_id)
        assert entry is not None and "入网日期为 2009-05-01，须不早于 2011-01-01" in \
            entry.violations[0]["message"]
        assert s.execute(select(StockMovement.id)).first() is None


def test_a_void_cancels_the_follow_up_and_frees_the_line(hall: dict[str, Any]) -> None:
    db = hall["db"]
    result = submit(hall, campaign())
    assert took_first_tier(db, NUMBER, "group_tenure_reward")
    assert not took_first_tier(db, NUMBER, "mobile_bus_card")
    assert not took_first_tier(db, "18612349999", "group_tenure_reward")
    supervisor = authorize(db, hall["clerk"], "S001", DEMO_PASSWORD, Permission.ORDER_VOID,
                           "客户反悔")
    void_order(db, supervisor, result.order_no, "客户反悔")
    found = order_of(db, result.order_no)
    assert found["line_until"] is None
    assert [t.status for t in found["tasks"] if t.task == TERM_END_TASK] == ["cancelled"]
    assert not took_first_tier(db, NUMBER, "group_tenure_reward")  # a void takes nothing


def test_a_new_line_taken_with_a_campaign_is_locked_for_the_term(
        hall: dict[str, Any]) -> None:
    db = hall["db"]
    req = request("new_activation", {"package": "畅爽套餐59元", "number": "18699990001",
                                     **{k: v for k, v in TIER1.items()
                                        if k not in ("action", "product")}},
                  ("bank_debit_card",))
    result = submit(hall, req, batch_actor(db))
    assert result.order_no, result.outcome()
    assert [f["task"] for f in result.outcome()["follow_ups"]].count(TERM_END_TASK) == 1
    with db.read() as s:
        new = s.execute(select(Line).where(Line.number == "18699990001")).scalar_one()
        assert new.campaign_until is not None and new.campaign_until.isoformat() == "2027-09-21"
