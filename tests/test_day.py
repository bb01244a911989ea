"""The hall's day, walked through in the core (no Qt): two clerks open their shifts, serve a
mix of services through `OrderService.submit`, a refund and a void, close with one difference
inside the tolerance and one beyond it, the supervisor signs the day off, and the locked day
refuses edits but takes a linked correction."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from app.clock import FixedClock
from app.core.request import parse_request
from app.models import AuditEvent, FollowUpTask, Hall, ServiceOrder
from app.models.day import (
    CashEntry,
    Complaint,
    Correction,
    DaySignoff,
    FaultTicket,
    Handover,
    OrderVoid,
    Shift,
    ShiftClose,
    StockMovement,
)
from app.security import PermissionDenied
from app.services.audit.verify import verify_audit
from app.services.day import registers
from app.services.day import shifts as day_service
from app.services.day.counts import Counts, hall_tolerance, tolerances
from app.services.day.errors import DayError
from app.services.day.hooks import DayLocked, local_today
from app.services.day.items import CHECKLIST_CODES, INVOICE, SIM_CARD, gift_item, money_item
from app.services.day.reports import build_daily_report, day_figures
from app.services.day.review import close_day
from app.services.day.shifts import (
    Approval,
    ApprovalRequired,
    close_shift,
    open_shift,
    preview_close,
)
from app.services.day.signoff import approve_difference, record_correction, sign_off_day
from app.services.hall.demo import DEMO_PASSWORD
from app.services.hall.registry import batch_actor
from app.services.orders.service import OrderError, OrderService, PaymentIn, Submission
from app.services.orders.void import void_order
from app.services.staff.auth import AuthError, authorize, login
from tests.builders import DAY, OWNER, PERSON
from tests.builders import counter_line as line

OIL = gift_item("cooking_oil_5l")


def request(service: str, details: dict[str, Any], documents: tuple[str, ...] = (),
            with_line: dict[str, Any] | None = None, day: date | None = None) -> Any:
    raw: dict[str, Any] = {"service": service, "customer": PERSON, "presenter": OWNER,
                           "documents": list(documents), "details": details, "signature": True}
    if with_line is not None:
        raw["line"] = with_line
    if day is not None:
        raw["business_date"] = day.isoformat()
    return parse_request(raw)


def checklist(**failed: bool) -> dict[str, bool]:
    return {code: failed.get(code, True) for code in CHECKLIST_CODES}


OPENING = Counts(stock={SIM_CARD: 50, INVOICE: 100, OIL: 10},
                 cash={10000: 5, 1000: 10, 100: 20}, invoice_first="00010001",
                 invoice_last="00010100")
OPENING_CASH = 50000 + 10000 + 2000


@pytest.fixture
def hall(demo_db: Any, clock: FixedClock) -> dict[str, Any]:
    db = demo_db
    return {
        "db": db,
        "clock": clock,
        "svc": OrderService(db),
        "clerk1": login(db, "C001", DEMO_PASSWORD, "C01"),
        "clerk2": login(db, "C002", DEMO_PASSWORD, "C02"),
        "supervisor": login(db, "S001", DEMO_PASSWORD, "C03"),
    }


def submit(h: dict[str, Any], actor: Any, req: Any, payments: list[PaymentIn] | None = None,
           started: datetime | None = None) -> Any:
    """Serve one request; the next comes two minutes later (the day's lists are in time order)."""
    try:
        return h["svc"].submit(Submission(req, payments=payments or [], started_at=started),
                               actor)
    finally:
        h["clock"].advance(minutes=2)


def count(db: Any, model: Any, *where: Any) -> int:
    with db.read() as s:
        return s.execute(select(func.count()).select_from(model).where(*where)).scalar() or 0


# --- the whole day ---------------------------------------------------------------------------

def test_a_whole_day(hall: dict[str, Any], tmp_path: Path, clock: FixedClock) -> None:
    db, clerk1, clerk2, sup = hall["db"], hall["clerk1"], hall["clerk2"], hall["supervisor"]
    with db.read() as s:
        today = local_today(s, clerk1.hall_id)
    assert today == DAY  # the frozen clock's date in the hall

    # No business before the shift opens (the batch channel needs none).
    with pytest.raises(OrderError, match="本柜台尚未开班"):
        submit(hall, clerk1, request("bill_payment", {"amount": 10}, with_line=line()))

    open_shift(db, clerk1, checklist(), OPENING)
    open_shift(db, clerk2, checklist(check_demo_area=False), OPENING, note="演示区电视故障，已报修")
    with pytest.raises(DayError, match="已开班"):
        open_shift(db, clerk2.__class__(**{**clerk2.__dict__, "counter_id": clerk1.counter_id,
                                           "counter_code": "C01"}), checklist(), OPENING)

    # Clerk 1: a campaign with a gift, a SIM replacement paid by card, a payment, a refund,
    # a complaint, and a request refused for arrears.
    started = clock.now() - timedelta(minutes=4)  # the customer sat down 4 minutes ago
    campaign = submit(hall, clerk1, request(
        "product_reservation",
        {"action": "subscribe", "product": "网龄回馈", "campaign": "group_tenure_reward",
         "tier": "tier1_new", "group_member": True, "joined_on": "2015-03-01"},
        ("bank_debit_card",), line()), started=started)
    assert campaign.order_no, campaign.outcome()
    sim = submit(hall, clerk1, request("sim_replacement", {"new_sim_serial": "89860112345678901234"},
                                       with_line=line()), [PaymentIn("card", 1000)])
    assert sim.order_no
    pay = submit(hall, clerk1, request("bill_payment", {"amount": 100}, with_line=line()))
    # Money back to the customer: the supervisor authorizes the refund at clerk 1's counter.
    with pytest.raises(PermissionDenied):
        submit(hall, clerk1, request("prepayment_refund", {"amount": 20, "paid_by": "cash"},
                                     ("payment_invoice",), line()))
    approved = authorize(db, clerk1, "S001", DEMO_PASSWORD,
                         day_service.Permission.REFUND_APPROVE, "退款 20.00 元")
    refund = submit(hall, approved, request("prepayment_refund", {"amount": 20, "paid_by": "cash"},
                                            ("payment_invoice",), line()))
    assert pay.order_no and refund.order_no
    complaint = submit(hall, clerk1, request(
        "complaint", {"subject": "网速慢", "description": "晚上八点后网速很慢",
                      "contact_phone": "13912345678"}))
    assert complaint.order_no
    refused = submit(hall, clerk1, request("number_change", {"new_number": "18612340000"},
                                           with_line=line(arrears=58)))
    assert refused.evaluation.decision == "rejected" and refused.intake_id

    # Clerk 2: a payment, a new mobile line, a fault report, and a payment to be voided.
    submit(hall, clerk2, request("bill_payment", {"amount": 50}, with_line=line("18612345679")))
    activation = submit(hall, clerk2, request("new_activation", {"package": "畅爽套餐59元"}))
    assert activation.order_no
    fault = submit(hall, clerk2, request("fault_report", {"fault_type": "cable_cut",
                                                          "description": "光缆中断"},
                                         with_line=line("18612345679")))
    assert fault.order_no
    wrong = submit(hall, clerk2, request("bill_payment", {"amount": 30}, with_line=line("18612345680")))

    # What the orders used, as their own rows.
    with db.read() as s:
        uses = s.execute(select(StockMovement.item, StockMovement.serial).where(
            StockMovement.kind == "use")).all()
    assert (SIM_CARD, "89860112345678901234") in uses
    assert sorted(i for i, _ in uses).count(SIM_CARD) == 2
    assert [i for i, _ in uses].count(OIL) == 1
    assert [i for i, _ in uses].count(INVOICE) == 5  # campaign, SIM, 3 payments; not the refund
    assert count(db, CashEntry, CashEntry.kind == "refund", CashEntry.amount_fen == -2000) == 1
    assert count(db, Complaint, Complaint.status == "open") == 1
    with db.read() as s:
        ticket = s.execute(select(FaultTicket)).scalar_one()
        assert ticket.deadline_at - ticket.reported_at == timedelta(hours=24)

    # A void: a clerk may not; the supervisor authorizes it at the clerk's counter.
    with pytest.raises(PermissionDenied):
        void_order(db, clerk2, wrong.order_no, "金额输错")
    authorized = authorize(db, clerk2, "S001", DEMO_PASSWORD, day_service.Permission.ORDER_VOID,
                           "金额输错")
    void_order(db, authorized, wrong.order_no, "金额输错，客户应缴 3 元")
    with db.read() as s:
        void = s.execute(select(OrderVoid)).scalar_one()
        assert (void.order_no, void.returned_fen, void.authorized_by) == (wrong.order_no, 3000,
                                                                          "S001")
        back = s.execute(select(CashEntry).where(CashEntry.kind == "void_return")).scalar_one()
        assert back.amount_fen == -3000 and back.shift_id is not None
        order = s.execute(select(ServiceOrder).where(ServiceOrder.order_no == wrong.order_no)
                          ).scalar_one()
        assert order.status == "voided" and order.total_fen == 3000  # the order is not edited

    # Clerk 1 closes: cash short by 5 yuan (within 10 yuan tolerance), explained.
    preview = preview_close(db, clerk1)
    expected = {ln.item: ln.expected for ln in preview.lines}
    assert expected[SIM_CARD] == 49 and expected[INVOICE] == 97 and expected[OIL] == 9
    assert expected[money_item("cash")] == OPENING_CASH + 13900 + 10000 - 2000
    assert expected[money_item("card")] == 1000
    assert preview.invoice_first_expected == "00010004"
    cash1 = {10000: 7, 5000: 1, 1000: 5, 100: 34}  # 839 expected, 834 counted
    counts1 = Counts(stock={SIM_CARD: 49, INVOICE: 97, OIL: 9}, cash=cash1,
                     invoice_first="00010004", invoice_last="00010100", money={"card": 1000})
    assert sum(d * n for d, n in cash1.items()) == expected[money_item("cash")] - 500
    with pytest.raises(DayError, match="请填写说明"):
        close_shift(db, clerk1, counts1, {})
    with pytest.raises(DayError, match="请清点"):
        close_shift(db, clerk1, Counts(stock={SIM_CARD: 49}, cash=cash1), {})
    with pytest.raises(DayError, match="尚未交班"):
        sign_off_day(db, sup, today)
    result1 = close_shift(db, clerk1, counts1, {money_item("cash"): "找零错误，少收 5 元"})
    assert result1.shift.status == "closed" and result1.approved_by is None
    assert [(ln.item, ln.difference) for ln in result1.lines if ln.difference] == [
        (money_item("cash"), -500)]

    # Clerk 2 closes one SIM card short: beyond the tolerance (0), a supervisor must approve.
    expected2 = {ln.item: ln.expected for ln in preview_close(db, clerk2).lines}
    assert expected2[money_item("cash")] == OPENING_CASH + 5000 + 3000 - 3000
    counts2 = Counts(stock={SIM_CARD: 48, INVOICE: 98, OIL: 10},
                     cash={10000: 6, 1000: 7}, invoice_first="00010003",
                     invoice_last="00010100")
    why = {SIM_CARD: "一张空白卡写卡失败损坏，已封存"}
    with pytest.raises(ApprovalRequired) as refused_close:
        close_shift(db, clerk2, counts2, why)
    assert [ln.item for ln in refused_close.value.lines] == [SIM_CARD]
    with pytest.raises(DayError, match="本人以外"):
        close_shift(db, clerk2, counts2, why, approval=Approval("C002", DEMO_PASSWORD))
    with pytest.raises(AuthError):
        close_shift(db, clerk2, counts2, why, approval=Approval("S001", "wrong-password"))
    with pytest.raises(PermissionDenied):
        close_shift(db, clerk2, counts2, why, approval=Approval("C001", DEMO_PASSWORD))
    with db.read() as s:
        assert s.execute(select(Shift.status).where(Shift.staff_id == clerk2.staff_id)
                         ).scalar() == "open"
    result2 = close_shift(db, clerk2, counts2, why,
                          approval=Approval("S001", DEMO_PASSWORD, "已核实"))
    assert result2.shift.status == "approved" and result2.approved_by == "S001"
    with db.read() as s:
        close = s.execute(select(ShiftClose).where(ShiftClose.shift_id == result2.shift.id)
                          ).scalar_one()
        assert close.needs_approval and close.approved_by is not None

    # The supervisor's day: clerks may not look at it or sign it off.
    with pytest.raises(PermissionDenied):
        close_day(db, clerk1, today)
    with pytest.raises(PermissionDenied):
        sign_off_day(db, clerk1, today)
    view = close_day(db, sup, today)
    # Clerk 1's difference (within the tolerance) still needs a supervisor's approval.
    assert view.open_shifts == [] and len(view.blockers) == 1 and "差异未审批" in view.blockers[0]
    assert {(r.staff_no, r.status, r.differences, r.beyond_tolerance) for r in view.shifts} == {
        ("C001", "closed", 1, 0), ("C002", "approved", 1, 1)}
    assert [(v.kind, v.order_no) for v in view.voids] == [("refund", refund.order_no),
                                                          ("void", wrong.order_no)]
    assert len(view.intakes) == 1 and "欠费" in view.intakes[0].reasons

    with pytest.raises(DayError, match="差异未审批"):
        sign_off_day(db, sup, today)
    approve_difference(db, sup, result1.shift.id, Approval("S001", DEMO_PASSWORD, "已核实"))
    signed = sign_off_day(db, sup, today, notes="正常")
    with db.read() as s:
        last = s.execute(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).scalar_one()
        assert (signed.audit_seq, signed.audit_hash) == (last.seq, last.hash)
        assert last.action == "day.signoff" and last.data["summary_hash"] == signed.summary_hash
    checked = verify_audit(db)
    assert checked.ok and (checked.last_seq, checked.head_hash) == (signed.audit_seq,
                                                                   signed.audit_hash)
    with pytest.raises(DayError, match="已日结签核"):
        sign_off_day(db, sup, today)

    # The locked day refuses every write dated it ...
    with pytest.raises(DayLocked):
        open_shift(db, clerk1, checklist(), OPENING)
    with pytest.raises(DayLocked):
        hall["svc"].submit(Submission(request("bill_payment", {"amount": 10}, with_line=line(),
                                              day=today)), batch_actor(db))
    with pytest.raises(DayLocked):
        void_order(db, sup, pay.order_no, "补录作废")
    with db.read() as s:
        assert s.execute(select(ServiceOrder.status).where(
            ServiceOrder.order_no == pay.order_no)).scalar() == "accepted"
    # ... but takes a correction linked to its sign-off (a supervisor's right).
    with pytest.raises(PermissionDenied):
        record_correction(db, clerk1, today, "money", "补记")
    with pytest.raises(DayError, match="说明"):
        record_correction(db, sup, today, "money", " ")
    corr_id = record_correction(db, sup, today, "order", "缴费应为 3 元，次日退还差额",
                                order_no=pay.order_no, amount_fen=-9700)
    with db.read() as s:
        corr = s.get(Correction, corr_id)
        signoff = s.execute(select(DaySignoff)).scalar_one()
        assert corr is not None and corr.signoff_id == signoff.id
        assert corr.business_date == today
    with pytest.raises(DayError, match="尚未日结签核"):
        record_correction(db, sup, today - timedelta(days=1), "note", "无")

    # The daily report, from aggregate queries.
    report = build_daily_report(db, today)
    clerks = {c.clerk_no: c for c in report.clerks}
    assert (clerks["C001"].orders, clerks["C001"].rejected, clerks["C001"].amount_fen) == (
        5, 1, 13900 + 1000 + 10000 - 2000)
    assert (clerks["C002"].orders, clerks["C002"].voided, clerks["C002"].amount_fen) == (
        3, 1, 5000)
    payments = {p.method: (p.count, p.amount_fen) for p in report.payments}
    assert payments == {"现金": (4, 13900 + 10000 - 2000 + 5000), "银行卡": (1, 1000)}
    stock = {s.item: (s.opening, s.used, s.closing) for s in report.stock}
    assert stock["空白SIM/USIM卡"] == (100, 2, 97)
    assert stock["5L食用油一桶"] == (20, 1, 19)
    assert stock["空白发票"] == (200, 5, 195)
    assert sorted((d.item.split()[0], d.counted - d.expected) for d in report.differences) == [
        ("C01", -500), ("C02", -1)]
    assert [r.service_name for r in report.rejections] == ["改号/换号"]
    assert any(n.startswith("作废：" + wrong.order_no) for n in report.notes)
    assert any(n.startswith("退款：" + refund.order_no) for n in report.notes)
    assert any(n.startswith("更正（订单）") for n in report.notes)
    assert report.prepared_by.startswith("值班长 王丽")
    assert {f.name for f in report.follow_ups} >= {"答复客户（承诺时限内）", "光缆中断修复（24小时内）"}
    figures = day_figures(db, today)
    assert sum(figures.per_hour.values()) == 9  # every counter order, the voided one included
    assert figures.handling and figures.handling[0].service_code == "product_reservation"
    assert 200 < figures.handling[0].avg_seconds < 300

    # ... and printed by `counter report daily`.
    from app.cli import main

    out = tmp_path / "daily.pdf"
    assert main(["report", "daily", "--date", today.isoformat(), "--db", db.url,
                 "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert main(["report", "daily", "--date", "22/11/2026", "--db", db.url,
                 "--out", str(out)]) == 2


# --- smaller cases ---------------------------------------------------------------------------

def test_opening_checks(hall: dict[str, Any]) -> None:
    db, clerk = hall["db"], hall["clerk1"]
    partial = {k: True for k in CHECKLIST_CODES[:-1]}
    with pytest.raises(DayError, match="开班检查未完成"):
        open_shift(db, clerk, partial, OPENING)
    with pytest.raises(DayError, match="请填写说明"):
        open_shift(db, clerk, checklist(check_counterfeit_detector=False), OPENING)
    with pytest.raises(DayError, match="起止号码"):
        open_shift(db, clerk, checklist(), Counts(stock={INVOICE: 5}))
    with pytest.raises(DayError, match="不符"):
        open_shift(db, clerk, checklist(), Counts(stock={INVOICE: 5}, invoice_first="001",
                                                  invoice_last="009"))
    with pytest.raises(DayError, match="面额"):
        open_shift(db, clerk, checklist(), Counts(cash={300: 1}))
    with pytest.raises(DayError, match="不小于0"):
        open_shift(db, clerk, checklist(), Counts(stock={SIM_CARD: -1}))
    info = open_shift(db, clerk, checklist(check_counterfeit_detector=False), OPENING,
                      note="验钞机故障，人工验钞")
    assert info.status == "open" and info.counter_code == "C01"
    with db.read() as s:
        shift = s.get(Shift, info.id)
        assert shift is not None and shift.checklist["check_counterfeit_detector"] is False
    # The same clerk cannot hold a second counter, and the batch channel has no shifts.
    elsewhere = clerk.__class__(**{**clerk.__dict__, "counter_id": hall["clerk2"].counter_id,
                                   "counter_code": "C02"})
    with pytest.raises(DayError, match="C01"):
        open_shift(db, elsewhere, checklist(), OPENING)
    with pytest.raises(DayError, match="批量"):
        open_shift(db, batch_actor(db), checklist(), OPENING)


def test_only_the_shift_holder_serves_at_the_counter(hall: dict[str, Any]) -> None:
    db, clerk1 = hall["db"], hall["clerk1"]
    open_shift(db, clerk1, checklist(), OPENING)
    other = login(db, "C002", DEMO_PASSWORD, "C01")
    with pytest.raises(OrderError, match="李明"):
        submit(hall, other, request("bill_payment", {"amount": 10}, with_line=line()))
    # The batch channel records without a shift; its money and stock are apart.
    result = hall["svc"].submit(Submission(request("bill_payment", {"amount": 10},
                                                   with_line=line())), batch_actor(db))
    assert result.order_no
    with db.read() as s:
        entry = s.execute(select(CashEntry)).scalar_one()
        assert (entry.channel, entry.shift_id) == ("batch", None)
    # An order dated another business date than the shift's is refused.
    with pytest.raises(OrderError, match="营业日期"):
        submit(hall, clerk1, request("bill_payment", {"amount": 10}, with_line=line(),
                                     day=date(2027, 1, 5)))


def test_tolerance_setting() -> None:
    tol = tolerances(None)
    assert (tol.of(money_item("cash")), tol.of(SIM_CARD), tol.of(money_item("card"))) == (
        1000, 0, 0)
    tol = tolerances({"cash": 200, "stock": 1, OIL: 0})
    assert (tol.of(money_item("cash")), tol.of(SIM_CARD), tol.of(OIL)) == (200, 1, 0)
    assert tolerances(500).cash_fen == 500
    with pytest.raises(DayError, match=r"difference_tolerance_fen\.cash"):
        tolerances({"cash": -1})
    with pytest.raises(DayError):
        tolerances("1000")


def test_hall_tolerance_from_the_hall_config(hall: dict[str, Any]) -> None:
    db = hall["db"]
    with db.session() as s:
        h = s.execute(select(Hall)).scalar_one()
        h.config = {**(h.config or {}), "difference_tolerance_fen": {"cash": 50, "stock": 2}}
    with db.read() as s:
        tol = hall_tolerance(s, h.id)
    assert (tol.cash_fen, tol.stock) == (50, 2)


def test_complaint_register_and_follow_up_visit(hall: dict[str, Any]) -> None:
    db, clerk1, clerk2, sup = hall["db"], hall["clerk1"], hall["clerk2"], hall["supervisor"]
    open_shift(db, clerk1, checklist(), OPENING)
    order = submit(hall, clerk1, request("complaint", {"subject": "乱扣费",
                                                       "description": "本月多扣 10 元"}))
    direct = registers.register_complaint(db, clerk2, customer_name="张三", subject="服务态度",
                                          description="排队时被插队", contact_phone="13912345678")
    rows = {r.subject: r for r in registers.list_complaints(db)}
    assert rows["乱扣费"].order_no == order.order_no and rows["乱扣费"].owner == "李明"
    assert rows["服务态度"].contact_phone != "13912345678"  # masked in lists
    assert rows["服务态度"].promised_at - rows["服务态度"].received_at == timedelta(hours=48)
    with pytest.raises(DayError, match="请填写"):
        registers.register_complaint(db, clerk2, customer_name="", subject="x", description="y")

    complaint_id = rows["乱扣费"].id
    with pytest.raises(DayError, match="答复后"):
        registers.record_callback(db, clerk1, complaint_id, "satisfied")
    # Hand-over: clerk 2 cannot take clerk 1's complaint; clerk 1 hands it over, recorded.
    with pytest.raises(DayError, match="本人负责"):
        registers.hand_over(db, clerk2, "complaint", complaint_id, "C002", "我来跟进")
    registers.hand_over(db, clerk1, "complaint", complaint_id, "C002", "本人明日休息")
    assert [(f, t) for _, f, t, _ in registers.handovers_of(db, "complaint", complaint_id)] == [
        ("李明", "赵敏")]
    registers.answer_complaint(db, clerk2, complaint_id, "已核实多扣费用，退回 10 元")
    registers.record_callback(db, clerk2, complaint_id, "unreachable", "电话未接")
    assert {r.id: r.status for r in registers.list_complaints(db)}[complaint_id] == "answered"
    registers.record_callback(db, clerk2, complaint_id, "satisfied", "客户满意")
    with db.read() as s:
        c = s.get(Complaint, complaint_id)
        assert c is not None and c.status == "closed" and c.callback_result == "satisfied"
        tasks = dict(s.execute(select(FollowUpTask.task, FollowUpTask.status).where(
            FollowUpTask.order_id == c.order_id)).all())
        assert tasks == {"answer_complaint": "done", "complaint_callback": "done"}
        assert s.execute(select(func.count(Handover.id))).scalar() == 1
    # A supervisor may hand over anyone's item.
    registers.hand_over(db, sup, "complaint", direct, "C001", "调整负责人")


def test_fault_ticket_clock(hall: dict[str, Any]) -> None:
    db, clerk1 = hall["db"], hall["clerk1"]
    open_shift(db, clerk1, checklist(), OPENING)
    submit(hall, clerk1, request("fault_report", {"fault_type": "ordinary", "description": "无信号"},
                                 with_line=line()))
    (row,) = registers.list_faults(db, open_only=True)
    assert row.deadline_at - row.reported_at == timedelta(hours=12) and not row.overdue
    late = row.deadline_at + timedelta(minutes=5)
    assert registers.list_faults(db, now=late)[0].overdue
    assert registers.restore_fault(db, clerk1, row.id, "更换基站板卡", now=late) is False
    with pytest.raises(DayError, match="已修复"):
        registers.restore_fault(db, clerk1, row.id)
    assert registers.list_faults(db, open_only=True) == []


def test_voiding_a_campaign_order_returns_the_gift(hall: dict[str, Any]) -> None:
    db, clerk1, sup = hall["db"], hall["clerk1"], hall["supervisor"]
    open_shift(db, clerk1, checklist(), OPENING)
    res = submit(hall, clerk1, request(
        "product_reservation",
        {"action": "subscribe", "product": "网龄回馈", "campaign": "group_tenure_reward",
         "tier": "tier1_new", "group_member": True, "joined_on": "2015-03-01"},
        ("bank_debit_card",), line()))
    assert res.order_no
    void_order(db, authorize(db, clerk1, "S001", DEMO_PASSWORD,
                             day_service.Permission.ORDER_VOID, "客户反悔"), res.order_no, "客户反悔")
    expected = {ln.item: ln.expected for ln in preview_close(db, clerk1).lines}
    assert expected[OIL] == 10  # the gift came back
    assert expected[INVOICE] == 99  # the issued invoice stays used (kept, voided)
    assert expected[money_item("cash")] == OPENING_CASH
    assert sup.role == "supervisor"


@pytest.mark.sqlite_only("EXPLAIN QUERY PLAN is SQLite's; PostgreSQL's planner scans a "
                          "table this small whatever its indexes")
def test_report_queries_use_the_day_indexes(hall: dict[str, Any]) -> None:
    db = hall["db"]
    with db.read() as s:
        plan = " ".join(str(r[-1]) for r in s.execute(text(
            "EXPLAIN QUERY PLAN SELECT service, count(*) FROM service_order "
            "WHERE hall_id = 1 AND business_date = :day GROUP BY service"),
            {"day": DAY.isoformat()}))
        assert "ix_service_order_day" in plan
        plan = " ".join(str(r[-1]) for r in s.execute(text(
            "EXPLAIN QUERY PLAN SELECT item, sum(quantity) FROM stock_movement "
            "WHERE business_date = :day AND channel = 'counter' GROUP BY item"),
            {"day": DAY.isoformat()}))
        assert "ix_stock_movement_day" in plan


def test_orders_still_work_with_a_tolerance_in_the_hall_config(hall: dict[str, Any]) -> None:
    db = hall["db"]
    with db.session() as s:
        h = s.execute(select(Hall)).scalar_one()
        h.config = {**(h.config or {}), "difference_tolerance_fen": {"cash": 50}}
    open_shift(db, hall["clerk1"], checklist(), OPENING)
    result = OrderService(db).submit(Submission(request("bill_payment", {"amount": 10},
                                                        with_line=line())), hall["clerk1"])
    assert result.order_no
