"""Stock that cannot go negative (issue #14), through the services, on SQLite and PostgreSQL:
an issue (SIM card, campaign gift, value card) refused when none is counted at the counter,
with what to do; receipts (入库) with the supplier's note and transfers (调拨) between
counters, by a supervisor (or with one's authorization), audited; value cards sold as a
service, each serial once; the closing count reconciles receipts, issues and transfers."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from app.clock import FixedClock
from app.core.request import parse_request
from app.models import AuditEvent, ServiceOrder
from app.models.day import StockMovement
from app.models.stock import StockVoucher
from app.security import Permission, PermissionDenied
from app.services.audit.verify import verify_audit
from app.services.day.counts import Counts
from app.services.day.errors import DayError
from app.services.day.items import (
    CHECKLIST_CODES,
    INVOICE,
    SIM_CARD,
    gift_item,
    money_item,
    value_card_item,
)
from app.services.day.reports import build_daily_report
from app.services.day.shifts import close_shift, open_shift, preview_close
from app.services.hall.demo import DEMO_PASSWORD
from app.services.hall.registry import batch_actor
from app.services.orders.service import OrderService, PaymentIn, Submission
from app.services.orders.void import void_order
from app.services.staff.auth import authorize, login
from app.services.stock.issues import SerialSold, check_issue
from app.services.stock.ledger import StockShortage, on_hand
from app.services.stock.vouchers import receive, stock_view, transfer
from tests.builders import OWNER, PERSON
from tests.builders import counter_line as line

OIL = gift_item("cooking_oil_5l")
CARD50 = value_card_item(5000)
CAMPAIGN = {"action": "subscribe", "product": "网龄回馈", "campaign": "group_tenure_reward",
            "tier": "tier1_new", "group_member": True, "joined_on": "2015-03-01"}


def request(service: str, details: dict[str, Any], documents: tuple[str, ...] = (),
            with_line: dict[str, Any] | None = None) -> Any:
    raw: dict[str, Any] = {"service": service, "customer": PERSON, "presenter": OWNER,
                           "documents": list(documents), "details": details, "signature": True}
    if with_line is not None:
        raw["line"] = with_line
    return parse_request(raw)


@pytest.fixture
def hall(demo_db: Any, clock: FixedClock) -> dict[str, Any]:
    db = demo_db
    return {"db": db, "clock": clock, "svc": OrderService(db),
            "clerk1": login(db, "C001", DEMO_PASSWORD, "C01"),
            "clerk2": login(db, "C002", DEMO_PASSWORD, "C02"),
            "sup": login(db, "S001", DEMO_PASSWORD, "C03")}


def submit(h: dict[str, Any], actor: Any, req: Any, payments: list[PaymentIn] | None = None,
           started: datetime | None = None) -> Any:
    try:
        return h["svc"].submit(Submission(req, payments=payments or [],
                                          started_at=started or h["clock"].now()), actor)
    finally:
        h["clock"].advance(minutes=2)


def opened(h: dict[str, Any], actor: Any, stock: dict[str, int] | None = None) -> None:
    open_shift(h["db"], actor, dict.fromkeys(CHECKLIST_CODES, True),
               Counts(stock=stock or {}, cash={10000: 2}))


def here(h: dict[str, Any], actor: Any) -> dict[str, int]:
    with h["db"].read() as s:
        return on_hand(s, actor.counter_id)


def rows(db: Any, model: Any, *where: Any) -> int:
    with db.read() as s:
        return int(s.execute(select(func.count()).select_from(model).where(*where)).scalar() or 0)


def test_an_issue_with_nothing_counted_is_refused_until_stock_is_received(
        hall: dict[str, Any]) -> None:
    db, clerk, sup = hall["db"], hall["clerk1"], hall["sup"]
    opened(hall, clerk)  # nothing counted at C01
    sim = request("sim_replacement", {"new_sim_serial": "89860112345678901234"},
                  with_line=line())
    with pytest.raises(StockShortage) as refused:
        submit(hall, clerk, sim, [PaymentIn("cash", 1000)])
    assert "本柜台无库存" in refused.value.zh and "请先入库或从其他柜台调拨" in refused.value.zh
    assert "receive stock first" in refused.value.en
    assert rows(db, ServiceOrder) == 0 and rows(db, StockMovement) == 0  # nothing written
    with pytest.raises(StockShortage):  # the wizard can ask before the signature
        check_issue(db, clerk, "sim_replacement", {})

    voucher = receive(db, sup, {SIM_CARD: 2}, counter="C01",
                      supplier="  市公司物流中心   出库单 1122-07 ")
    assert voucher.supplier == "市公司物流中心 出库单 1122-07" and voucher.to_counter == "C01"
    assert here(hall, clerk)[SIM_CARD] == 2
    check_issue(db, clerk, "sim_replacement", {})
    assert submit(hall, clerk, sim, [PaymentIn("cash", 1000)]).order_no
    assert here(hall, clerk)[SIM_CARD] == 1
    with db.read() as s:
        event = s.execute(select(AuditEvent).where(AuditEvent.action == "stock.receive")
                          ).scalar_one()
        assert event.actor == "S001" and event.data["items"] == {SIM_CARD: 2}
        assert event.data["supplier"] == "市公司物流中心 出库单 1122-07"


def test_a_campaign_gift_needs_one_on_hand(hall: dict[str, Any]) -> None:
    db, clerk, sup = hall["db"], hall["clerk1"], hall["sup"]
    opened(hall, clerk, {INVOICE: 0})
    campaign = request("product_reservation", CAMPAIGN, ("bank_debit_card",), line())
    with pytest.raises(StockShortage, match="5L食用油一桶"):
        submit(hall, clerk, campaign)
    receive(db, sup, {OIL: 1}, counter="C01", supplier="供应商：粮油公司")
    assert submit(hall, clerk, campaign).order_no
    with pytest.raises(StockShortage):  # the one oil is gone
        submit(hall, clerk, campaign)


def test_receipts_and_transfers_need_the_stock_permission(hall: dict[str, Any]) -> None:
    db, clerk = hall["db"], hall["clerk1"]
    with pytest.raises(PermissionDenied):
        receive(db, clerk, {SIM_CARD: 5}, supplier="x")
    with pytest.raises(PermissionDenied):
        transfer(db, clerk, "C01", "C02", {SIM_CARD: 1})
    assert rows(db, AuditEvent, AuditEvent.action == "permission.denied",
                AuditEvent.target == "stock.receive") == 1
    # With the supervisor's authorization typed at the clerk's counter.
    allowed = authorize(db, clerk, "S001", DEMO_PASSWORD, Permission.STOCK_RECEIVE, "到货入库")
    voucher = receive(db, allowed, {SIM_CARD: 5}, supplier="物流中心")
    assert voucher.to_counter == "C01"
    with db.read() as s:
        v = s.execute(select(StockVoucher)).scalar_one()
        assert (v.authorized_by, v.kind) == ("S001", "receipt")


def test_bad_receipts_are_refused_before_anything_is_written(hall: dict[str, Any]) -> None:
    db, sup = hall["db"], hall["sup"]
    for items, supplier, match in (({"sim_card": 0}, "x", "数量应为"),
                                   ({"sim_card": True}, "x", "数量应为"),
                                   ({"rocket": 1}, "x", "未知的物品"),
                                   ({}, "x", "至少填写"),
                                   ({"sim_card": 1}, "   ", "供货方说明"),
                                   ({"sim_card": 1}, "x" * 201, "不能超过")):
        with pytest.raises(DayError, match=match):
            receive(db, sup, items, supplier=supplier)
    with pytest.raises(DayError, match="柜台 C99 不存在"):
        receive(db, sup, {SIM_CARD: 1}, supplier="x", counter="C99")
    with pytest.raises(DayError, match="柜台 B01 不存在"):  # the batch channel holds none
        receive(db, sup, {SIM_CARD: 1}, supplier="x", counter="B01")
    assert rows(db, StockVoucher) == 0 and rows(db, StockMovement) == 0


def test_a_transfer_takes_only_what_the_sender_has(hall: dict[str, Any]) -> None:
    db, clerk1, clerk2, sup = hall["db"], hall["clerk1"], hall["clerk2"], hall["sup"]
    opened(hall, clerk1, {SIM_CARD: 3, OIL: 2})
    opened(hall, clerk2)
    with pytest.raises(StockShortage) as short:
        transfer(db, sup, "C01", "C02", {SIM_CARD: 4})
    assert "调出柜台库存不足" in short.value.zh
    with pytest.raises(DayError, match="不能相同"):
        transfer(db, sup, "C01", "c01", {SIM_CARD: 1})
    voucher = transfer(db, sup, "C01", "C02", {SIM_CARD: 2, OIL: 1}, note="C02 缺卡")
    assert (voucher.from_counter, voucher.to_counter, voucher.items) == (
        "C01", "C02", {SIM_CARD: 2, OIL: 1})
    assert here(hall, clerk1) == {SIM_CARD: 1, OIL: 1}
    assert here(hall, clerk2) == {SIM_CARD: 2, OIL: 1}
    # The receiving clerk can now issue; the sender has one left.
    sim = request("sim_replacement", {}, with_line=line())
    assert submit(hall, clerk2, sim, [PaymentIn("cash", 1000)]).order_no
    view = stock_view(db, sup)
    by_code = {c.code: c for c in view.counters}
    assert by_code["C02"].on_hand[SIM_CARD] == 1 and by_code["C02"].shift_open
    assert [v.kind for v in view.vouchers] == ["transfer"]
    assert view.vouchers[0].items == {SIM_CARD: 2, OIL: 1}
    with db.read() as s:
        event = s.execute(select(AuditEvent).where(AuditEvent.action == "stock.transfer")
                          ).scalar_one()
        assert (event.data["from"], event.data["to"]) == ("C01", "C02")


def test_value_cards_are_sold_with_serials_each_once(hall: dict[str, Any]) -> None:
    db, clerk, sup = hall["db"], hall["clerk1"], hall["sup"]
    opened(hall, clerk, {CARD50: 1, INVOICE: 0})
    receive(db, sup, {CARD50: 2}, counter="C01", supplier="省公司有价卡中心")
    sale = request("value_card_sale", {"face": "50", "serials": "vc5000001，VC5000002"})
    result = submit(hall, clerk, sale, [PaymentIn("cash", 10000)])
    assert result.order_no and result.evaluation.total_fen == 10000
    with db.read() as s:
        sold = s.execute(select(StockMovement.item, StockMovement.serial).where(
            StockMovement.order_id == result.order_id, StockMovement.item == CARD50)
            .order_by(StockMovement.serial)).all()
    assert sold == [(CARD50, "VC5000001"), (CARD50, "VC5000002")]
    assert here(hall, clerk)[CARD50] == 1

    again = request("value_card_sale", {"face": "50", "serials": "VC5000002"})
    with pytest.raises(SerialSold, match=result.order_no):
        submit(hall, clerk, again, [PaymentIn("cash", 5000)])
    two = request("value_card_sale", {"face": "50", "serials": "VC5000003 VC5000004"})
    with pytest.raises(StockShortage, match="有价卡 50 元现有 1 张，需要 2 张"):
        submit(hall, clerk, two, [PaymentIn("cash", 10000)])
    # A serial typed twice, or not a serial, is refused by the engine itself.
    dup = request("value_card_sale", {"face": "50", "serials": "VC5000003,VC5000003"})
    assert submit(hall, clerk, dup).evaluation.violations[0].message.endswith(
        "卡号重复：VC5000003")

    # A voided sale pays the money back, but its cards stay sold: never sold again.
    void_order(db, authorize(db, clerk, "S001", DEMO_PASSWORD, Permission.ORDER_VOID, "错售"),
               result.order_no, "错售")
    assert here(hall, clerk)[CARD50] == 1
    with pytest.raises(SerialSold):
        submit(hall, clerk, again, [PaymentIn("cash", 5000)])


def test_the_batch_channel_checks_serials_not_counters(hall: dict[str, Any]) -> None:
    db, svc = hall["db"], hall["svc"]
    sale = request("value_card_sale", {"face": "100", "serials": "VCB0000001"})
    actor = batch_actor(db)
    assert svc.submit(Submission(sale), actor).order_no
    with pytest.raises(SerialSold):
        svc.submit(Submission(request("value_card_sale",
                                      {"face": "30", "serials": "VCB0000001"})), actor)


def test_the_closing_count_reconciles_receipts_issues_and_transfers(
        hall: dict[str, Any], clock: FixedClock) -> None:
    db, clerk1, clerk2, sup = hall["db"], hall["clerk1"], hall["clerk2"], hall["sup"]
    open_shift(db, clerk1, dict.fromkeys(CHECKLIST_CODES, True),
               Counts(stock={SIM_CARD: 5, OIL: 1, INVOICE: 10}, cash={10000: 2},
                      invoice_first="00000001", invoice_last="00000010"))
    opened(hall, clerk2)
    receive(db, sup, {SIM_CARD: 10}, counter="C01", supplier="物流中心")
    transfer(db, sup, "C01", "C02", {SIM_CARD: 4})
    for serial in ("89860100000000000001", "89860100000000000002"):
        submit(hall, clerk1, request("sim_replacement", {"new_sim_serial": serial},
                                     with_line=line()), [PaymentIn("cash", 1000)])
    preview = {ln.item: ln for ln in preview_close(db, clerk1).lines}
    sims = preview[SIM_CARD]
    assert (sims.opening, sims.received, sims.sent, sims.used, sims.expected) == (5, 10, 4, 2, 9)
    assert preview[OIL].expected == 1
    counts = Counts(stock={SIM_CARD: 9, OIL: 1, INVOICE: 8}, cash={10000: 2, 1000: 2},
                    invoice_first="00000003", invoice_last="00000010")
    closed = close_shift(db, clerk1, counts, {})
    assert {ln.item: ln.difference for ln in closed.lines} == {
        SIM_CARD: 0, INVOICE: 0, OIL: 0, money_item("cash"): 0}

    # After the close, a receipt is what the next opening should find.
    clock.advance(minutes=30)
    receive(db, sup, {SIM_CARD: 3}, counter="C01", supplier="补货")
    assert here(hall, clerk1)[SIM_CARD] == 12
    daily = build_daily_report(db, closed.shift.business_date)
    sim_line = next(s for s in daily.stock if "SIM" in s.item)
    assert (sim_line.received, sim_line.used) == (13, 2)  # receipts into the hall; uses
    checked = verify_audit(db)
    assert checked.ok, checked.describe()


def test_receipts_before_the_first_shift_wait_for_its_opening(hall: dict[str, Any]) -> None:
    db, clerk, sup = hall["db"], hall["clerk2"], hall["sup"]
    receive(db, sup, {SIM_CARD: 6}, counter="C02", supplier="物流中心")
    assert here(hall, clerk) == {SIM_CARD: 6}
    opened(hall, clerk, {SIM_CARD: 6})  # the clerk counts them at opening
    assert here(hall, clerk) == {SIM_CARD: 6}
    assert stock_view(db, clerk).vouchers[0].kind == "receipt"
    assert timedelta(0) <= hall["clock"].now() - stock_view(db, clerk).vouchers[0].at
