"""One request, one order: a retried request finds the order it made (a replay) instead of
recording a second one -- through the service, through `counter process` run twice, and with
two submissions racing. Runs on SQLite and on PostgreSQL (`db`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.core.request import parse_request
from app.db import Database
from app.models import AuditEvent, ServiceOrder
from app.services.hall.demo import fill_demo
from app.services.hall.registry import batch_actor
from app.services.orders.idempotency import canonical_request, occurrences
from app.services.orders.service import OrderService, Submission, SubmitResult
from tests.builders import examples, personal
from tests.security_fixtures import actor, open_shift

ROOT = Path(__file__).resolve().parents[1]
PAYMENT = examples()[1]["request"]  # 100 yuan paid on a line: a fee and a payment


def orders(db: Database) -> int:
    with db.read() as s:
        return int(s.execute(select(func.count()).select_from(ServiceOrder)).scalar() or 0)


def accepted_events(db: Database) -> int:
    with db.read() as s:
        return int(s.execute(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "order.accept")).scalar() or 0)


@pytest.fixture
def service(db: Database) -> OrderService:
    fill_demo(db, customers=5)
    return OrderService(db)


def batch(service: OrderService, raw: dict[str, Any], occurrence: int = 0) -> SubmitResult:
    return service.submit(Submission(parse_request(raw), occurrence=occurrence),
                          batch_actor(service.db))


def test_a_retried_batch_request_returns_the_recorded_order(service: OrderService) -> None:
    db = service.db
    first = batch(service, PAYMENT)
    again = batch(service, PAYMENT)
    assert first.order_no and not first.replay
    assert again.replay and (again.order_no, again.order_id) == (first.order_no, first.order_id)
    assert again.outcome() == first.outcome()
    assert orders(db) == 1 and accepted_events(db) == 1
    with db.read() as s:
        key = s.execute(select(ServiceOrder.idempotency_key)).scalar_one()
    assert key is not None and len(key) == 64
    # Keyed: not a plain hash of the request, which would let a guessed ID number be checked.
    import hashlib

    assert key != hashlib.sha256(canonical_request(parse_request(PAYMENT))).hexdigest()


def test_identical_requests_in_one_batch_are_each_an_order(service: OrderService) -> None:
    db = service.db
    requests = [parse_request(r) for r in (PAYMENT, PAYMENT, personal("report_loss"), PAYMENT)]
    assert occurrences(requests) == [0, 1, 0, 2]
    made = [service.submit(Submission(r, occurrence=n), batch_actor(db))
            for r, n in zip(requests, occurrences(requests), strict=True)]
    assert len({m.order_no for m in made}) == 4 and orders(db) == 4
    rerun = [service.submit(Submission(r, occurrence=n), batch_actor(db))
             for r, n in zip(requests, occurrences(requests), strict=True)]
    assert all(r.replay for r in rerun)
    assert [r.order_no for r in rerun] == [m.order_no for m in made] and orders(db) == 4


def test_the_business_date_and_the_request_tell_requests_apart(service: OrderService,
                                                               clock: Any) -> None:
    db = service.db
    first = batch(service, PAYMENT)
    other = batch(service, {**PAYMENT, "details": {**PAYMENT["details"], "amount": 50}})
    assert other.order_no != first.order_no and not other.replay
    clock.advance(days=1)  # the same request the next day (no date in it) is a new order
    undated = {**PAYMENT, "business_date": None}
    today = batch(service, undated)
    clock.advance(days=1)
    tomorrow = batch(service, undated)
    assert not tomorrow.replay and tomorrow.order_no != today.order_no
    assert orders(db) == 4


def test_at_a_counter_the_moment_the_request_started_is_its_key(service: OrderService,
                                                                clock: Any) -> None:
    db = service.db
    clerk = actor(db, "C001")
    open_shift(db, clerk)
    req = parse_request(PAYMENT)
    started = clock.now() - timedelta(minutes=3)
    first = service.submit(Submission(req, started_at=started), clerk)
    twice = service.submit(Submission(req, started_at=started), clerk)  # a double click
    assert twice.replay and twice.order_no == first.order_no
    later = service.submit(Submission(req, started_at=clock.now()), clerk)  # served again
    assert not later.replay and later.order_no != first.order_no
    unkeyed = [service.submit(Submission(req), clerk) for _ in range(2)]
    assert not any(r.replay for r in unkeyed) and orders(db) == 4


def test_a_clients_request_id_is_the_key(service: OrderService) -> None:
    db = service.db
    req = parse_request(PAYMENT)
    one = service.submit(Submission(req, request_id="client-42"), batch_actor(db))
    same = service.submit(Submission(req, request_id="client-42"), batch_actor(db))
    other = service.submit(Submission(req, request_id="client-43"), batch_actor(db))
    assert same.replay and same.order_no == one.order_no
    assert not other.replay and other.order_no != one.order_no and orders(db) == 2


def test_two_submissions_racing_record_one_order(service: OrderService) -> None:
    db = service.db
    service.hall_config()  # loaded once, before the race
    start = threading.Barrier(4)
    results: list[SubmitResult] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            start.wait()
            results.append(batch(OrderService(db), PAYMENT))
        except BaseException as exc:  # reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert len({r.order_no for r in results}) == 1 and orders(db) == 1
    assert sum(not r.replay for r in results) == 1


def test_counter_process_run_twice_records_nothing_twice(service: OrderService, db_url: str,
                                                        tmp_path: Path) -> None:
    db = service.db
    cases = [e["request"] for e in examples()]
    requests = tmp_path / "requests.json"
    requests.write_text(json.dumps([*cases, PAYMENT], ensure_ascii=False), encoding="utf-8")
    db.dispose()
    runs = []
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-m", "app", "process", str(requests), "--db",
                               db_url], capture_output=True, text=True, cwd=ROOT, timeout=300,
                              env=os.environ.copy(), stdin=subprocess.DEVNULL)
        assert proc.returncode == 0, proc.stderr
        runs.append(json.loads(proc.stdout))
    first, second = runs
    numbers = [o["order_no"] for o in first if o["order_no"]]
    assert len(numbers) == len(set(numbers)) >= 5  # PAYMENT twice: two orders
    assert [o["order_no"] for o in second] == [o["order_no"] for o in first]
    assert all(o.get("replay") for o in second if o["order_no"])
    assert orders(db) == len(numbers)
