"""Recording seals the order and its line from the values it wrote (no read back), and those
seals are exactly the ones `counter audit verify` recomputes from the tables; a value whose
stored form is in doubt falls back to reading the row; the line is changed only at the
version it was read at."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import event, select

from app.core.request import parse_request
from app.db import Database
from app.models import AuditEvent, Line, ServiceOrder
from app.services.audit.events import chain_key
from app.services.audit.seals import SealedRows, seals_in
from app.services.audit.verify import verify_audit
from app.services.audit.written_forms import written_form
from app.services.hall.registry import batch_actor
from app.services.orders import service as service_module
from app.services.orders.service import (
    DocumentIn,
    OrderError,
    OrderService,
    PaymentIn,
    SignatureIn,
    Submission,
    content_hash,
)
from tests.builders import examples, personal


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, bool]]]:
    """(table, made from the written values) of every form recording asked for."""
    seen: list[tuple[str, bool]] = []
    real = service_module.written_form

    def spy(table: str, *args: Any, **kwargs: Any) -> Any:
        form = real(table, *args, **kwargs)
        seen.append((table, form is not None))
        return form

    monkeypatch.setattr(service_module, "written_form", spy)
    yield seen


def newest_seals(db: Database) -> dict[str, str | None]:
    """Each row's newest seal, as the audit events hold them."""
    out: dict[str, str | None] = {}
    with db.read() as s:
        for data in s.execute(select(AuditEvent.data).order_by(AuditEvent.seq)).scalars():
            out.update(seals_in(data))
    return out


def read_back(db: Database) -> dict[str, str]:
    """The seals of every order and line as read from the tables (what verify computes)."""
    out: dict[str, str] = {}
    with db.read() as s:
        for table, model in (("service_order", ServiceOrder), ("line", Line)):
            ids = list(s.execute(select(model.id)).scalars())
            out.update({row: seal for row, _label, seal
                        in SealedRows(s).seals(table, ids, chain_key())})
    return out


def assert_sealed_as_stored(db: Database) -> None:
    stored = read_back(db)
    sealed = newest_seals(db)
    assert stored, "nothing was recorded"
    assert {k: sealed.get(k) for k in stored} == stored
    result = verify_audit(db)
    assert result.ok and not result.rows, result


def test_every_example_order_is_sealed_from_what_it_wrote(order_service: OrderService,
                                                           made: list) -> None:
    actor = batch_actor(order_service.db)
    accepted = 0
    for example in examples():
        result = order_service.submit(Submission(parse_request(example["request"])), actor)
        accepted += result.order_id is not None
    assert accepted >= 6
    orders = [ok for table, ok in made if table == "service_order"]
    assert len(orders) == accepted and all(orders)  # no order was read back
    assert_sealed_as_stored(order_service.db)


def test_a_counter_order_with_scans_signature_and_change(demo_db: Database, clock: Any,
                                                         made: list) -> None:
    from app.services.day.counts import Counts
    from app.services.day.items import CHECKLIST_CODES, INVOICE
    from app.services.day.shifts import open_shift
    from app.services.hall.demo import DEMO_PASSWORD
    from app.services.staff.auth import login
    from app.services.stock.vouchers import receive

    clerk = login(demo_db, "C001", DEMO_PASSWORD, "C01")
    open_shift(demo_db, clerk, dict.fromkeys(CHECKLIST_CODES, True),
               Counts(stock={INVOICE: 20}, cash={10000: 2},
                      invoice_first="00010001", invoice_last="00010020"))
    receive(demo_db, login(demo_db, "S001", DEMO_PASSWORD, "C03"), {"sim_card": 2},
            counter="C01", supplier="出库单 1")
    service = OrderService(demo_db)
    req = parse_request(personal("sim_replacement", documents=["sim_card"]))
    ev = service.evaluate(req)
    assert ev.decision == "accepted" and ev.total_fen > 0 and req.documents, ev.violations
    sub = Submission(
        req, started_at=clock.now(),
        payments=[PaymentIn("cash", ev.total_fen, tendered_fen=ev.total_fen + 5000)],
        documents=[DocumentIn(code, scan=b"%PDF scan " + code.encode(), scan_name="a.pdf",
                              valid_until=date(2030, 1, 1)) for code in req.documents],
        signature=SignatureIn(content_hash(req, ev), png=b"\x89PNG signed", strokes_json="[]"))
    assert service.submit(sub, clerk).order_id is not None
    assert made == [("service_order", True)]
    assert_sealed_as_stored(demo_db)


def test_a_value_of_another_type_is_read_back(order_service: OrderService, made: list) -> None:
    req = parse_request(personal("sim_replacement", documents=["sim_card"]))
    odd = [DocumentIn(code, original_seen=1, copy_retained=True)  # type: ignore[arg-type]
           for code in req.documents]
    assert odd, "the request lists no papers"
    result = order_service.submit(Submission(req, documents=odd), batch_actor(order_service.db))
    assert result.order_id is not None
    assert made == [("service_order", False)]  # 1 reads back as True: sealed as read
    assert_sealed_as_stored(order_service.db)


def test_written_form_leaves_doubtful_values_to_a_read() -> None:
    base = {"uid": "u", "order_no": "N", "channel": "batch", "service": "s",
            "business_date": date(2026, 11, 22), "status": "accepted", "details": {},
            "outcome": {}, "total_fen": 0, "content_hash": "h",
            "created_at": datetime(2026, 11, 22, 2, tzinfo=UTC), "presenter_role": "owner",
            "presenter_name": ""}
    children = {"order_fee": [], "order_payment": [], "order_document": []}
    assert written_form("service_order", base, {}, children) is not None
    for doubtful in ({"created_at": datetime(2026, 11, 22, 2)},  # naive
                     {"total_fen": 1.0}, {"total_fen": True}, {"business_date": "2026-11-22"}):
        assert written_form("service_order", {**base, **doubtful}, {}, children) is None
    assert written_form("service_order", base, {}, None) is None  # children unknown
    assert written_form("service_order", {**base, "hall_id": 1}, {}, children) is None


def test_a_line_changed_meanwhile_is_refused_and_nothing_is_written(
        order_service: OrderService) -> None:
    db = order_service.db
    actor = batch_actor(db)
    order_service.submit(Submission(parse_request(personal("report_loss"))), actor)
    number = personal("cancel_loss")["line"]["number"]

    def meanwhile(_conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("UPDATE line SET"):  # another program's change, just before
            cursor.execute("UPDATE line SET version = version + 1 WHERE number = "
                           + ("%s" if db.engine.dialect.name == "postgresql" else "?"),
                           (number,))

    req = personal("cancel_loss")
    req["line"]["status"] = "loss_reported"
    event.listen(db.engine, "before_cursor_execute", meanwhile)
    try:
        with pytest.raises(OrderError, match="changed meanwhile"):
            order_service.submit(Submission(parse_request(req)), actor)
    finally:
        event.remove(db.engine, "before_cursor_execute", meanwhile)
    with db.read() as s:
        assert len(s.execute(select(ServiceOrder.id)).all()) == 1
        assert s.execute(select(Line.version)).scalar_one() == 1  # the bump rolled back too


def test_a_settings_change_after_the_evaluation_is_priced_in(demo_db: Database,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    """The service evaluates with the configuration it holds and checks the settings revision
    in the write transaction: a change made meanwhile (another program) is evaluated again."""
    from app.models import OrderFee
    from app.services.hall.settings import set_from_text
    from tests.builders import DAY
    from tests.security_fixtures import actor

    service = OrderService(demo_db)
    assert service.hall_config() is not None  # cached before the change
    set_from_text(demo_db, actor(demo_db, "M001"), "tariff.sim_card_fee", "12.00",
                  valid_from=DAY, reason="资费调整")
    evaluations: list[Any] = []
    real = service._evaluate
    monkeypatch.setattr(service, "_evaluate", lambda *a: evaluations.append(a) or real(*a))
    result = service.submit(Submission(parse_request(personal("sim_replacement"))),
                            batch_actor(demo_db))
    assert result.order_id is not None and len(evaluations) == 2  # evaluated again
    with demo_db.read() as s:
        fees = s.execute(select(OrderFee.amount_fen).where(
            OrderFee.order_id == result.order_id, OrderFee.item == "sim_card_fee")).all()
    assert [f for (f,) in fees] == [1200]
