"""The hot statements of recording run on the driver's cursor (`app.services.audit.driver_sql`,
#17): they must send exactly what SQLAlchemy's own execution sends (the same SQL, the same
parameters after the column types' bind processors and defaults, in the same order), so
what is stored, sealed and replayed by the bench's floor is the same either way; and a
driver error must still be SQLAlchemy's (the idempotency key's `IntegrityError`)."""

from __future__ import annotations

import itertools
import secrets
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from app.clock import FixedClock
from app.core.request import parse_request
from app.db import Database, open_database
from app.models import AuditEvent, OrderFee
from app.services.audit import driver_sql
from app.services.audit.verify import verify_audit
from app.services.hall.registry import batch_actor
from app.services.orders.service import OrderService, Submission
from bench.replay import capture
from tests.builders import NOW, examples, personal
from tests.security_fixtures import actor, open_shift


@pytest.fixture
def twins(sqlite_demo_template: Path, tmp_path: Path) -> Iterator[tuple[Database, Database]]:
    """Two copies of the demo hall: one records on the driver's cursor, one through Core."""
    dbs = []
    for name in ("fast", "core"):
        path = tmp_path / f"{name}.sqlite3"
        shutil.copyfile(sqlite_demo_template, path)
        dbs.append(open_database(f"sqlite:///{path}", clock=FixedClock(NOW)))
    yield dbs[0], dbs[1]
    for db in dbs:
        db.dispose()


def _comparable(value: Any) -> Any:
    """Parameters as compared: a blob as bytes (the driver gets a memoryview), containers
    element by element."""
    if isinstance(value, memoryview):
        return value.tobytes()
    if isinstance(value, list | tuple):
        return type(value)(_comparable(v) for v in value)
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items()}
    return value


class _Counted:
    """Uids and encryption nonces counted, one count per twin: the same values on both, and
    so the same seals and audit chain hashes."""

    def __init__(self) -> None:
        self.counts: dict[int, tuple[Iterator[int], Iterator[int]]] = {}

    def use(self, db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
        uids, nonces = self.counts.setdefault(id(db), (itertools.count(1), itertools.count(1)))
        monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=next(uids)))
        monkeypatch.setattr(secrets, "token_bytes", lambda n: next(nonces).to_bytes(n, "big"))


def _record(db: Database, service: OrderService, sub: Submission, who: Any, *, fast: bool,
            counted: _Counted, monkeypatch: pytest.MonkeyPatch
            ) -> tuple[list[Any], dict[str, Any]]:
    """The steps one submit sent, and its outcome."""
    counted.use(db, monkeypatch)
    monkeypatch.setattr(driver_sql, "ENABLED", fast)
    with capture(db.engine) as steps:
        result = service.submit(sub, who)
    return [_comparable(step) for step in steps], result.outcome()


def test_recording_sends_what_sqlalchemy_sends(twins: tuple[Database, Database],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Every example request (accepted, rejected, incomplete; new customers and lines, line
    changes, group customers), by the batch channel and by a clerk at a counter with an open
    shift: the statements and parameters of both ways are the same, step by step."""
    fast_db, core_db = twins
    services = OrderService(fast_db), OrderService(core_db)
    batch = batch_actor(fast_db), batch_actor(core_db)
    clerks = actor(fast_db, "C001"), actor(core_db, "C001")
    counted = _Counted()
    for db, clerk in zip(twins, clerks, strict=True):
        counted.use(db, monkeypatch)
        open_shift(db, clerk)
    compared = 0
    for i, example in enumerate(examples()):
        who = clerks if i % 2 else batch
        sub = Submission(parse_request(example["request"]), occurrence=i)
        fast, fast_out = _record(fast_db, services[0], sub, who[0], fast=True,
                                 counted=counted, monkeypatch=monkeypatch)
        core, core_out = _record(core_db, services[1], sub, who[1], fast=False,
                                 counted=counted, monkeypatch=monkeypatch)
        assert fast == core, example["title"]
        assert fast_out == core_out
        compared += len(fast)
    assert compared > 200
    # The driver's path was taken, not SQLAlchemy's under another name: a SQLAlchemy whose
    # internals it cannot read falls back to `conn.execute` silently, and would pass above.
    taken = [plan for plan in driver_sql._PLANS.values() if plan is not None]
    assert len(taken) >= 12, "the driver path compiled no plan: check the SQLAlchemy version"
    for db in twins:
        assert verify_audit(db).ok


def test_a_driver_error_is_sqlalchemys(twins: tuple[Database, Database]) -> None:
    """A fee for an order that does not exist breaks its foreign key: SQLAlchemy's
    `IntegrityError`, and the transaction rolls back."""
    db = twins[0]
    with pytest.raises(IntegrityError), db.session() as s:
        driver_sql.run(s.connection(), insert(OrderFee.__table__),
                       {"order_id": 10**9, "item": "x", "name": "x", "amount_fen": 1})
    with db.read() as s:
        assert s.execute(select(OrderFee.id).where(OrderFee.order_id == 10**9)).first() is None


def test_a_request_recorded_meanwhile_is_a_replay(twins: tuple[Database, Database],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The key's unique index broken by the order's INSERT on the driver's cursor (the look
    before the write made to miss, as in a race with another program): the transaction rolls
    back whole and the order recorded first is returned, as through Core."""
    db = twins[0]
    service = OrderService(db)
    sub = Submission(parse_request(personal("sim_replacement")), request_id="r-1")
    first = service.submit(sub, batch_actor(db))
    before = _accepts(db)
    real = OrderService._replay_in
    misses = iter([None])
    monkeypatch.setattr(OrderService, "_replay_in",
                        lambda self, *a: next(misses, "real") and real(self, *a))
    again = service.submit(sub, batch_actor(db))
    assert again.replay and again.order_id == first.order_id
    assert _accepts(db) == before  # nothing of the second attempt stayed


def _accepts(db: Database) -> int:
    with db.read() as s:
        return len(s.execute(select(AuditEvent.id).where(
            AuditEvent.action == "order.accept")).all())


def test_listeners_see_every_statement(twins: tuple[Database, Database]) -> None:
    """`before_cursor_execute` and `after_cursor_execute` listeners are called for the
    statements run on the driver's cursor too (the bench's capture, a test's interference)."""
    from sqlalchemy import event

    db = twins[0]
    before: list[str] = []
    after: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *a: before.append(a[2]))
    event.listen(db.engine, "after_cursor_execute", lambda *a: after.append(a[2]))
    OrderService(db).submit(Submission(parse_request(personal("sim_replacement"))),
                            batch_actor(db))
    assert len(before) > 10 and before == after
    assert any(sql.startswith("INSERT INTO service_order") for sql in after)
