"""The checklist before the day's sign-off, on SQLite and PostgreSQL: each item appears, the
blocking ones refuse the sign-off until they are settled (the shift closed, the orders synced,
the difference approved with the supervisor's own credentials), the warnings until they are
acknowledged; then the day signs off, records what was acknowledged, and takes corrections
as linked entries."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from app.clock import FixedClock
from app.core.request import parse_request
from app.models import AuditEvent, ServiceOrder, Staff, SyncOutbox, SyncState
from app.models.day import Correction, DaySignoff, Shift, ShiftClose
from app.security import PermissionDenied
from app.services.day import registers
from app.services.day.counts import Counts
from app.services.day.errors import DayError
from app.services.day.hooks import DayLocked
from app.services.day.items import CHECKLIST_CODES, INVOICE, SIM_CARD, money_item
from app.services.day.reports import build_daily_report
from app.services.day.review import close_day
from app.services.day.shifts import Approval, close_shift, open_shift, preview_close
from app.services.day.signoff import (
    SignoffRefused,
    approve_difference,
    checklist,
    corrections_of,
    record_correction,
    sign_off_day,
)
from app.services.hall.demo import DEMO_PASSWORD
from app.services.orders.service import OrderService, PaymentIn, Submission
from app.services.orders.void import void_order
from app.services.staff.auth import AuthError, login
from tests.builders import DAY, OWNER, PERSON
from tests.builders import counter_line as line

OPENING = Counts(stock={SIM_CARD: 20, INVOICE: 50}, cash={10000: 5},
                 invoice_first="00020001", invoice_last="00020050")


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


def serve(h: dict[str, Any], actor: Any, req: Any, payments: list[PaymentIn] | None = None) -> Any:
    try:
        result = h["svc"].submit(Submission(req, payments=payments or []), actor)
        assert result.order_no, result.outcome()
        return result
    finally:
        h["clock"].advance(minutes=2)


def close_as_expected(db: Any, clerk: Any, cash_short_fen: int = 0) -> Any:
    """Close with the expected counts (cash `cash_short_fen` short, explained)."""
    p = preview_close(db, clerk)
    money = {ln.item.split(":")[1]: ln.expected for ln in p.lines if ln.money}
    cash = money.pop("cash") - cash_short_fen
    counts = Counts(stock={ln.item: ln.expected for ln in p.lines if not ln.money},
                    cash={100: cash // 100, 10: cash % 100 // 10},
                    invoice_first=p.invoice_first_expected,
                    invoice_last="00020050", money=money)
    why = {money_item("cash"): "找零少收"} if cash_short_fen else {}
    return close_shift(db, clerk, counts, why)


def kinds(items: Any) -> list[str]:
    return [i.kind for i in items]


def test_each_item_blocks_or_warns_until_settled(hall: dict[str, Any], clock: FixedClock) -> None:
    db, clerk1, clerk2, sup = hall["db"], hall["clerk1"], hall["clerk2"], hall["sup"]
    for clerk in (clerk1, clerk2):
        open_shift(db, clerk, dict.fromkeys(CHECKLIST_CODES, True), OPENING)
    paid = serve(hall, clerk1, request("bill_payment", {"amount": 100}, with_line=line()))
    serve(hall, clerk1, request("complaint", {"subject": "网速慢", "description": "晚上很慢",
                                              "contact_phone": "13912345678"}))
    wrong = serve(hall, clerk2, request("bill_payment", {"amount": 30},
                                        with_line=line("18612345679")))
    # What the sync capture writes for each order (this database has not pushed them yet).
    with db.session() as s:
        for order_id in s.execute(select(ServiceOrder.id).order_by(ServiceOrder.id)).scalars():
            s.add(SyncOutbox(tbl="service_order", row_id=order_id))
    close_as_expected(db, clerk2, cash_short_fen=100)  # 1 yuan short: inside the tolerance
    clock.advance(minutes=10)
    void_order(db, sup, wrong.order_no, "金额输错")  # after clerk 2's shift closed

    first = checklist(db, sup, DAY)
    assert kinds(first.items) == ["open_shift", "unsynced", "unsynced", "difference",
                                  "void_after_close"]
    assert [i.blocking for i in first.items] == [True, True, True, True, False]
    assert "C01" in first.items[0].zh and "交班" in first.items[0].zh
    assert "C01 柜台当日有 2 笔订单尚未同步" in first.items[1].zh
    assert "C02 柜台当日有 1 笔订单尚未同步" in first.items[2].zh
    diff = next(i for i in first.items if i.kind == "difference")
    assert "现金 -1.00 元" in diff.zh and "审批" in diff.zh
    void = next(i for i in first.items if i.kind == "void_after_close")
    assert wrong.order_no in void.zh and "30.00" in void.zh and "不在任何班次的钱箱内" in void.zh
    # The complaint is not overdue yet (its answer is promised in 48 hours).
    assert "complaint_overdue" not in kinds(first.items)
    with pytest.raises(SignoffRefused, match="不能签核") as refused:
        sign_off_day(db, sup, DAY, acknowledged=[void.key])
    assert kinds(refused.value.checklist.blocking) == ["open_shift", "unsynced", "unsynced",
                                                       "difference"]

    clock.advance(hours=49)  # two days later the complaint is past its promise
    later = checklist(db, sup, DAY)
    assert "complaint_overdue" in kinds(later.warnings)
    overdue = next(i for i in later.items if i.kind == "complaint_overdue")
    assert "网速慢" in overdue.zh and "李明" in overdue.zh and "13912345678" not in overdue.zh

    # Settle the blocking items one by one; each stays refused until the last one is done.
    close_as_expected(db, clerk1)
    with db.session() as s:  # the sync pushed everything (its mark past the last outbox row)
        top = s.execute(select(func.max(SyncOutbox.id))).scalar()
        s.merge(SyncState(key="push.mark", value=str(top)))
    assert kinds(checklist(db, sup, DAY).blocking) == ["difference"]
    with pytest.raises(SignoffRefused, match="差异未审批"):
        sign_off_day(db, sup, DAY)
    shift2 = diff.shift_id
    assert shift2 is not None
    with pytest.raises(AuthError):
        approve_difference(db, sup, shift2, Approval("S001", "wrong-password", "已核实"))
    with db.read() as s:  # the wrong password counts towards the lockout
        assert s.execute(select(Staff.failed_logins).where(Staff.staff_no == "S001")
                         ).scalar() == 1
    with pytest.raises(DayError, match="本人"):
        approve_difference(db, sup, shift2, Approval("M001", DEMO_PASSWORD, "已核实"))
    with pytest.raises(DayError, match="核实情况"):
        approve_difference(db, sup, shift2, Approval("S001", DEMO_PASSWORD, "  "))
    with pytest.raises(PermissionDenied):
        approve_difference(db, clerk1, shift2, Approval("C001", DEMO_PASSWORD, "已核实"))
    info = approve_difference(db, sup, shift2, Approval("s001", DEMO_PASSWORD, "短款已由营业员补齐"))
    assert info.status == "approved"
    with db.read() as s:
        close = s.execute(select(ShiftClose).where(ShiftClose.shift_id == shift2)).scalar_one()
        assert close.approval_note == "短款已由营业员补齐" and close.approved_by is not None
        event = s.execute(select(AuditEvent).where(AuditEvent.action == "shift.approve")
                          ).scalar_one()
        assert event.data["differences"] == {money_item("cash"): -100}
    with pytest.raises(DayError, match="已审批"):
        approve_difference(db, sup, shift2, Approval("S001", DEMO_PASSWORD, "再次"))

    # Only warnings remain: each must be acknowledged by its key.
    left = checklist(db, sup, DAY)
    assert not left.blocking and kinds(left.warnings) == ["complaint_overdue", "void_after_close"]
    assert close_day(db, sup, DAY).blockers == []
    with pytest.raises(SignoffRefused, match="确认") as unacknowledged:
        sign_off_day(db, sup, DAY, acknowledged=[left.warnings[0].key])
    assert [w.kind for w in unacknowledged.value.unacknowledged] == ["void_after_close"]
    # The complaint answered, its warning is gone; the void's stays until acknowledged.
    registers.answer_complaint(db, clerk1, int(left.warnings[0].ref), "已致电客户说明")
    left = checklist(db, sup, DAY)
    assert kinds(left.items) == ["void_after_close"]
    with pytest.raises(SignoffRefused, match="确认"):
        sign_off_day(db, sup, DAY)
    signed = sign_off_day(db, sup, DAY, notes="正常", acknowledged=[void.key])
    with db.read() as s:
        event = s.execute(select(AuditEvent).where(AuditEvent.seq == signed.audit_seq)
                          ).scalar_one()
        assert [a["key"] for a in event.data["acknowledged"]] == [void.key]
        notes = s.execute(select(DaySignoff.notes)).scalar_one()
    assert notes.startswith("正常\n签核时已确认：订单 " + wrong.order_no) and "投诉" not in notes
    assert close_day(db, sup, DAY).checklist.items == []
    report = build_daily_report(db, DAY)
    assert any(n.startswith("签核说明：签核时已确认：订单 " + wrong.order_no) for n in report.notes)

    # The locked day: no approval any more, a correction is a linked entry.
    with db.read() as s:
        shift1 = s.execute(select(Shift.id).where(Shift.staff_id == clerk1.staff_id)).scalar_one()
    with pytest.raises(DayLocked):
        approve_difference(db, sup, shift1, Approval("S001", DEMO_PASSWORD, "补审"))
    with pytest.raises(DayError, match="物品更正"):
        record_correction(db, sup, DAY, "stock", "补记", item="nonsense", quantity=1)
    with pytest.raises(DayError, match="款项更正"):
        record_correction(db, sup, DAY, "money", "补记", item="money:cash")
    with pytest.raises(DayError, match="订单号"):
        record_correction(db, sup, DAY, "order", "补记")
    record_correction(db, sup, DAY, "money", "作废退款已从备用金支付", item="money:cash",
                      amount_fen=-3000)
    record_correction(db, sup, DAY, "order", "缴费金额核实无误", order_no=paid.order_no)
    rows = corrections_of(db, sup, DAY)
    assert [(r.kind, r.item, r.amount_fen, r.order_no, r.staff_name) for r in rows] == [
        ("money", "money:cash", -3000, "", "王丽"), ("order", "", 0, paid.order_no, "王丽")]
    with pytest.raises(PermissionDenied):
        corrections_of(db, clerk1, DAY)
    with db.read() as s:
        signoff_id = s.execute(select(DaySignoff.id)).scalar_one()
        assert set(s.execute(select(Correction.signoff_id)).scalars()) == {signoff_id}
        assert s.execute(select(Shift.status).where(Shift.id == shift2)).scalar() == "approved"
