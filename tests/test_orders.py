"""Recording: an accepted order changes its line in the same transaction; rejected and
incomplete requests go to the intake log; numbers are unique; nothing is half-written."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from app.core.request import parse_request
from app.models import (
    AuditEvent,
    Customer,
    FollowUpTask,
    IntakeEntry,
    Line,
    LineHistory,
    OrderFee,
    OrderPayment,
    ServiceOrder,
)
from app.services.hall.registry import batch_actor
from app.services.orders.numbering import format_order_no, is_valid_order_no
from app.services.orders.service import OrderError, OrderService, Submission, content_hash
from tests.builders import DAY, OWNER_ID, personal


def submit(service: OrderService, req: dict[str, Any]):
    return service.submit(Submission(parse_request(req)), batch_actor(service.db))


def count(db: Any, model: Any) -> int:
    with db.read() as s:
        return int(s.execute(select(func.count()).select_from(model)).scalar() or 0)


def test_accepted_order_is_recorded_with_line_change(order_service: OrderService) -> None:
    result = submit(order_service, personal("report_loss"))
    assert result.evaluation.decision == "accepted"
    assert result.order_no and is_valid_order_no(result.order_no)
    db = order_service.db
    with db.read() as s:
        order = s.execute(select(ServiceOrder)).scalar_one()
        line = s.execute(select(Line)).scalar_one()
        assert order.order_no == result.order_no and order.channel == "batch"
        assert line.status == "loss_reported" and line.status_before_loss == "active"
        assert order.line_before["status"] == "active"
        assert order.line_after["status"] == "loss_reported"
        assert s.execute(select(LineHistory)).scalar_one().order_no == result.order_no
        cust = s.execute(select(Customer)).scalar_one()
        assert cust.id_masked == "110105********002X"
        assert OWNER_ID.encode() not in (cust.id_enc or b"")
        assert order.presenter_id_masked == "110105********002X"
        events = s.execute(select(AuditEvent.action)).scalars().all()
        assert events == ["order.accept"]
    out = result.outcome()
    assert out["decision"] == "accepted" and out["order_no"] == result.order_no
    assert out["effective"] == "immediate" and out["documents_printed"] == []


def test_cancel_loss_restores_previous_status(order_service: OrderService) -> None:
    submit(order_service, personal("report_loss", line={"status": "single_stop"}))
    with order_service.db.read() as s:
        ln = s.execute(select(Line)).scalar_one()
        assert ln.status_before_loss == "single_stop"
    submit(order_service, personal("cancel_loss", line={"status": "loss_reported"}))
    with order_service.db.read() as s:
        assert s.execute(select(Line.status)).scalar_one() == "single_stop"


def test_payment_clears_arrears_and_records_money(order_service: OrderService) -> None:
    res = submit(order_service, personal("bill_payment", line={"arrears": 58,
                                                               "status": "arrears_stop"},
                                         details={"amount": 100}))
    assert res.evaluation.decision == "accepted"
    with order_service.db.read() as s:
        ln = s.execute(select(Line)).scalar_one()
        assert (ln.arrears_fen, ln.balance_fen, ln.status) == (0, 3550 + 4200, "active")
        assert s.execute(select(OrderFee.amount_fen)).scalar_one() == 10000
        pay = s.execute(select(OrderPayment)).scalar_one()
        assert (pay.method, pay.amount_fen) == ("cash", 10000)


def test_number_change_moves_number_and_refuses_one_in_use(order_service: OrderService) -> None:
    submit(order_service, personal("report_loss", line={"number": "13099998888"},
                                   customer={"kind": "personal", "name": "李四", "id_document": {
                                       "type": "resident_id", "number": "310104199002154578"}},
                                   presenter={"role": "owner", "name": "李四", "id_document": {
                                       "type": "resident_id", "number": "310104199002154578"}}))
    taken = submit(order_service, personal("number_change",
                                           details={"new_number": "13099998888"}))
    assert taken.evaluation.decision == "rejected"
    assert "已被使用" in taken.evaluation.violations[0].message
    ok = submit(order_service, personal("number_change", details={"new_number": "13100001111"}))
    assert ok.evaluation.decision == "accepted"
    with order_service.db.read() as s:
        numbers = set(s.execute(select(Line.number)).scalars())
    assert "13100001111" in numbers and "13012345678" not in numbers


def test_rejected_and_incomplete_go_to_intake_log(order_service: OrderService) -> None:
    rej = submit(order_service, personal("sim_replacement", line={"arrears": 58}))
    inc = submit(order_service, personal("report_loss", signature=False))
    assert rej.order_no is None and inc.order_no is None
    with order_service.db.read() as s:
        entries = s.execute(select(IntakeEntry).order_by(IntakeEntry.id)).scalars().all()
        assert [e.decision for e in entries] == ["rejected", "incomplete"]
        assert entries[0].violations[0]["rule"] == "arrears_outstanding"
        assert "58.00" in entries[0].violations[0]["message"]
        assert entries[1].missing == ["signature"]
        assert entries[0].customer_id_masked == "110105********002X"
    assert count(order_service.db, ServiceOrder) == 0
    assert count(order_service.db, Line) == 0  # nothing changed for a refused request


def test_follow_ups_recorded(order_service: OrderService) -> None:
    res = submit(order_service, personal("intl_roaming_close", line={
        "intl_roaming": {"open": True, "prepayment": 500}}))
    with order_service.db.read() as s:
        task = s.execute(select(FollowUpTask)).scalar_one()
        assert task.task == "refund_roaming_prepayment" and task.status == "open"
        # two months from the business date (2026-11-22): the 21st or 22nd of January
        due = task.due_at.date()
        assert due in (DAY + timedelta(days=60), DAY + timedelta(days=61))
    assert res.outcome()["follow_ups"][0]["task"] == "refund_roaming_prepayment"


def test_order_numbers_unique_under_concurrency(order_service: OrderService) -> None:
    errors: list[BaseException] = []
    numbers: list[str] = []

    def work(i: int) -> None:
        try:
            req = personal("fault_report", details={"fault_type": "ordinary",
                                                    "description": f"故障{i}"})
            req["line"]["number"] = f"1300000{i:04d}"
            res = submit(order_service, req)
            numbers.append(res.order_no or "")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(set(numbers)) == 12 and all(is_valid_order_no(n) for n in numbers)


def test_order_number_format_and_check_char() -> None:
    no = format_order_no("GZ0101", "C03", DAY, 42)
    assert no.startswith("GZ0101-C03-20261122-00042-")
    assert is_valid_order_no(no)
    assert not is_valid_order_no(no.replace("00042", "00043"))
    assert not is_valid_order_no(no.replace("C03", "C30"))


def test_signature_bound_to_content(order_service: OrderService) -> None:
    from app.services.orders.service import SignatureIn

    req = parse_request(personal("report_loss"))
    ev = order_service.evaluate(req)
    good = content_hash(req, ev)
    other = parse_request(personal("report_loss", details={"note": "changed"}))
    with pytest.raises(OrderError, match="重新签字"):
        order_service.submit(Submission(other, signature=SignatureIn(good, png=b"x")),
                             batch_actor(order_service.db))
    assert count(order_service.db, ServiceOrder) == 0  # nothing half-written
    assert count(order_service.db, Line) == 0
    ok = order_service.submit(Submission(req, signature=SignatureIn(good, png=b"png")),
                              batch_actor(order_service.db))
    assert ok.order_no


def test_payments_must_add_up(order_service: OrderService) -> None:
    from app.services.orders.service import PaymentIn

    req = parse_request(personal("sim_replacement"))
    with pytest.raises(OrderError, match="不符"):
        order_service.submit(Submission(req, payments=[PaymentIn("cash", 500)]),
                             batch_actor(order_service.db))
    res = order_service.submit(Submission(req, payments=[PaymentIn("cash", 1000, 2000)]),
                               batch_actor(order_service.db))
    with order_service.db.read() as s:
        pay = s.execute(select(OrderPayment)).scalar_one()
    assert res.order_no and pay.change_fen == 1000


def test_void_needs_supervisor_and_restores_line(demo_db: Any) -> None:
    from app.security import PermissionDenied
    from app.services.orders.void import void_order
    from app.services.staff.auth import login

    service = OrderService(demo_db)
    res = submit(service, personal("report_loss", line={"number": "13900000001"}))
    clerk = login(demo_db, "C001", "demo1234", "C01")
    with pytest.raises(PermissionDenied):
        void_order(demo_db, clerk, res.order_no or "", "客户撤销")
    supervisor = login(demo_db, "S001", "demo1234", "C01")
    with pytest.raises(OrderError, match="原因"):
        void_order(demo_db, supervisor, res.order_no or "", "  ")
    void_order(demo_db, supervisor, res.order_no or "", "客户撤销")
    with demo_db.read() as s:
        order = s.execute(select(ServiceOrder).where(
            ServiceOrder.order_no == res.order_no)).scalar_one()
        line = s.execute(select(Line).where(Line.number == "13900000001")).scalar_one()
        actions = s.execute(select(AuditEvent.action)).scalars().all()
    assert order.status == "voided" and order.void_reason == "客户撤销"
    assert line.status == "active"
    assert "permission.denied" in actions and "order.void" in actions
