"""Refund approval in the core: money paid back to a customer at a counter needs
`refund.approve` (a supervisor, or a clerk with a supervisor's authorization at the counter);
a refusal writes nothing but its audit event; on the batch channel a supervisor authorizes the
run (`batch_approval`)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from app.core.request import parse_request
from app.models import ServiceOrder
from app.models.day import CashEntry
from app.security import Permission, PermissionDenied
from app.services.hall.registry import Actor, batch_actor
from app.services.orders.service import OrderService, Submission
from app.services.staff import auth
from tests.builders import personal
from tests.security_fixtures import PASSWORD, actor, events, open_shift, row_counts, staff_row

REFUND = personal("prepayment_refund", details={"amount": 20, "paid_by": "cash"},
                  documents=["payment_invoice"])
CLOSE = personal("cancellation", details={"reason": "出国", "retention": "attempted_failed"},
                 line={"number": "13012340002"})  # balance 35.50 yuan, paid back


@pytest.fixture
def hall(demo_db: Any, order_service: OrderService) -> dict[str, Any]:
    clerk, supervisor = actor(demo_db, "C001", "C01"), actor(demo_db, "S001", "C03")
    for who in (clerk, supervisor):
        open_shift(demo_db, who)
    return {"db": demo_db, "svc": order_service, "clerk": clerk, "supervisor": supervisor}


def submit(h: dict[str, Any], who: Actor, raw: dict[str, Any]) -> Any:
    return h["svc"].submit(Submission(parse_request(raw)), who)


def order_row(db: Any, order_no: str) -> ServiceOrder:
    with db.read() as s:
        return s.execute(select(ServiceOrder).where(ServiceOrder.order_no == order_no)
                         ).scalar_one()


def cash(db: Any, order: ServiceOrder) -> list[tuple[str, int]]:
    with db.read() as s:
        return [(e.kind, e.amount_fen) for e in s.execute(
            select(CashEntry).where(CashEntry.order_id == order.id)).scalars()]


@pytest.mark.parametrize(("raw", "amount"), [(REFUND, -2000), (CLOSE, -3550)],
                         ids=["prepayment_refund", "cancellation_balance_refund"])
def test_a_clerks_refund_is_refused_and_writes_nothing(hall: dict[str, Any],
                                                       raw: dict[str, Any], amount: int) -> None:
    db, clerk = hall["db"], hall["clerk"]
    before = row_counts(db)
    with pytest.raises(PermissionDenied) as refused:
        submit(hall, clerk, raw)
    assert refused.value.permission == Permission.REFUND_APPROVE
    assert "审批退款需要值班长权限" in refused.value.message_zh
    after = row_counts(db)
    # Only the refusal's audit event: no order, no intake entry, no line, no cash entry.
    assert {t: n - before[t] for t, n in after.items() if n != before[t]} == {"audit_event": 1}
    [denied] = events(db, "permission.denied")
    assert (denied.actor, denied.target, denied.counter, denied.authorized_by) == (
        "C001", "refund.approve", "C01", None)


@pytest.mark.parametrize(("raw", "amount"), [(REFUND, -2000), (CLOSE, -3550)],
                         ids=["prepayment_refund", "cancellation_balance_refund"])
def test_a_supervisors_authorization_lets_the_clerk_refund(hall: dict[str, Any],
                                                           raw: dict[str, Any],
                                                           amount: int) -> None:
    db, clerk = hall["db"], hall["clerk"]
    authorized = auth.authorize(db, clerk, "S001", PASSWORD, Permission.REFUND_APPROVE,
                                f"退款 {-amount / 100:.2f} 元")
    result = submit(hall, authorized, raw)
    assert result.order_no, result.outcome()
    order = order_row(db, result.order_no)
    assert (order.staff_id, order.authorized_by, order.total_fen) == (
        clerk.staff_id, staff_row(db, "S001").id, amount)
    assert cash(db, order) == [("refund", amount)]
    # The audit names both people: the grant, and the order recorded under it.
    [grant] = events(db, "exception.authorize")
    assert (grant.actor, grant.authorized_by, grant.target, grant.counter) == (
        "C001", "S001", "refund.approve", "C01")
    assert grant.data["reason"] == f"退款 {-amount / 100:.2f} 元"
    [accept] = events(db, "order.accept", target=result.order_no)
    assert (accept.actor, accept.authorized_by) == ("C001", "S001")
    assert events(db, "permission.denied") == []


def test_another_permissions_authorization_does_not_cover_a_refund(hall: dict[str, Any]) -> None:
    db, clerk = hall["db"], hall["clerk"]
    for_void = auth.authorize(db, clerk, "S001", PASSWORD, Permission.ORDER_VOID, "作废")
    with pytest.raises(PermissionDenied):
        submit(hall, for_void, REFUND)
    [denied] = events(db, "permission.denied")
    assert (denied.target, denied.authorized_by) == ("refund.approve", "S001")


def test_a_supervisor_refunds_on_their_own_authority(hall: dict[str, Any]) -> None:
    db = hall["db"]
    result = submit(hall, hall["supervisor"], REFUND)
    assert result.order_no
    order = order_row(db, result.order_no)
    assert (order.staff_id, order.authorized_by) == (staff_row(db, "S001").id, None)
    assert cash(db, order) == [("refund", -2000)]
    assert events(db, "permission.denied") == []


def test_no_money_out_needs_no_approval(hall: dict[str, Any]) -> None:
    """A clerk records a retained cancellation (nothing refunded) and a refused refund (the
    intake log) without a supervisor."""
    db, clerk = hall["db"], hall["clerk"]
    retained = submit(hall, clerk, {**CLOSE, "details": {"reason": "出国",
                                                         "retention": "retained"}})
    assert retained.order_no and retained.evaluation.fees == []
    in_contract = personal("prepayment_refund", details={"amount": 20, "paid_by": "cash"},
                           documents=["payment_invoice"], line={"contract_end": "2027-12-31"})
    refused = submit(hall, clerk, in_contract)
    assert refused.evaluation.decision == "rejected" and refused.intake_id
    assert events(db, "permission.denied") == []


def test_the_batch_channel_needs_a_supervisor_for_the_run(demo_db: Any,
                                                           order_service: OrderService) -> None:
    from app.services.orders.batch_approval import batch_actor_with_supervisor

    with pytest.raises(PermissionDenied):
        order_service.submit(Submission(parse_request(REFUND)), batch_actor(demo_db))
    batch = batch_actor_with_supervisor(demo_db, "S001", PASSWORD)
    result = order_service.submit(Submission(parse_request(REFUND)), batch)
    assert result.order_no
    order = order_row(demo_db, result.order_no)
    assert (order.channel, order.total_fen, order.authorized_by) == (
        "batch", -2000, staff_row(demo_db, "S001").id)
    [denied] = events(demo_db, "permission.denied")
    assert (denied.actor, denied.counter) == ("batch", "B01")
