"""Recording with Core INSERTs (#17): the order, its line's history, its cash and stock rows
and its audit event are written past the ORM's unit of work. They must read back exactly as
the ORM wrote them (defaults by the database's clock), the order must still be sealed by its
event, and the unit of work is never flushed for a known customer and line (the line's
change is a Core UPDATE too)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.clock import FixedClock
from app.core.request import parse_request
from app.models import AuditEvent, Line, LineHistory, ServiceOrder
from app.models.day import CashEntry, StockMovement
from app.services.audit.verify import verify_audit
from app.services.hall.registry import batch_actor
from app.services.orders.service import OrderService, Submission
from tests.builders import personal


def test_core_written_rows_read_back_whole_and_sealed(order_service: OrderService,
                                                      clock: FixedClock) -> None:
    db = order_service.db
    actor = batch_actor(db)
    flushes: list[Any] = []

    def flushed(session: Session, _ctx: Any) -> None:
        if session.info.get("clock") is clock:
            flushes.append(session)

    # The customer and the line known already (a new customer is one more flush).
    order_service.submit(Submission(parse_request(personal("report_loss"))), actor)
    event.listen(Session, "after_flush", flushed)
    try:
        result = order_service.submit(Submission(parse_request(
            personal("sim_replacement", documents=["sim_card"]))), actor)
    finally:
        event.remove(Session, "after_flush", flushed)
    assert result.order_id is not None and result.evaluation.decision == "accepted"
    assert not flushes  # everything is Core, the line's change included
    now = clock.now()
    with db.read() as s:
        order = s.get(ServiceOrder, result.order_id)
        assert order is not None
        assert (order.order_no, order.status, order.created_at) == (result.order_no,
                                                                    "accepted", now)
        assert order.outcome["order_no"] == result.order_no and order.details is not None
        line = s.execute(select(Line).where(Line.id == order.line_id)).scalar_one()
        history = s.execute(select(LineHistory).where(
            LineHistory.order_no == order.order_no)).scalar_one()
        assert (history.line_uid, history.version, history.recorded_at) == (
            line.uid, line.version, now)
        assert history.state == order.line_after
        cash = s.execute(select(CashEntry).where(CashEntry.order_id == order.id)).scalars().all()
        assert [(c.kind, c.amount_fen, c.at) for c in cash] == [("payment", order.total_fen, now)]
        assert all(c.uid for c in cash)
        stock = s.execute(select(StockMovement).where(
            StockMovement.order_id == order.id)).scalars().all()
        assert stock and all(m.uid and m.at == now and m.kind == "use" for m in stock)
        accepted = s.execute(select(AuditEvent).where(
            AuditEvent.target == order.order_no)).scalar_one()
        seals = accepted.data["rows"]
        assert {f"service_order:{order.uid}", f"line:{line.uid}"} <= set(seals)
    report = verify_audit(db)
    assert report.ok, report
    assert report.rows_checked >= 3  # the order, its line and its customer


def test_a_request_recorded_meanwhile_is_found_by_its_key(order_service: OrderService,
                                                         monkeypatch: Any) -> None:
    """No second look inside the write transaction: when another program recorded the same
    request between the first look and the write, the key's unique index refuses the second
    order, the whole transaction rolls back, and the order already made is returned."""
    import app.services.orders.service as service_module

    actor = batch_actor(order_service.db)
    req = parse_request(personal("report_loss"))
    first = order_service.submit(Submission(req), actor)
    with order_service.db.read() as s:
        history_before = len(s.execute(select(LineHistory.id)).all())
    # The first look misses, as it would have before the other program committed.
    looks: list[str] = []
    real = service_module.recorded_id

    def first_look_misses(s: Session, key: str) -> int | None:
        looks.append(key)
        return None if len(looks) == 1 else real(s, key)

    monkeypatch.setattr(service_module, "recorded_id", first_look_misses)
    again = OrderService(order_service.db).submit(Submission(req), actor)
    assert again.replay and again.order_id == first.order_id
    assert again.outcome()["order_no"] == first.order_no and len(looks) == 2
    with order_service.db.read() as s:
        assert len(s.execute(select(ServiceOrder.id)).all()) == 1
        assert len(s.execute(select(LineHistory.id)).all()) == history_before  # rolled back
