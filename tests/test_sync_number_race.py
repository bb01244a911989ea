"""Two workstations push a new line with the same number at the same moment (#13), against a
real PostgreSQL server.

Both activated 13300000001 offline. Both syncs run in threads and meet at a barrier right after
the check that the number is free on the server (both find it free), so both inserts race.
The insert itself is safe: the second waits for the first's transaction, stores nothing for
the number and reports `number_taken`; both runs end normally, the server holds one line with
that number, and the next sync neither fails nor repeats anything.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.clock import FixedClock
from app.core.request import parse_request
from app.db import Database, open_database
from app.models import Line, ServiceOrder
from app.services.hall.registry import Actor, ensure_counter, ensure_hall
from app.services.orders.service import OrderService, Submission
from app.services.sync import push
from app.services.sync.run import SyncReport, run_sync
from tests.builders import AGENT_ID, DAY, OWNER_ID, personal

pytestmark = pytest.mark.postgres
NUMBER = "13300000001"


@pytest.fixture
def server(pg_url: str, clock: FixedClock) -> Iterator[Database]:
    from app.services.hall.demo import fill_demo

    db = open_database(pg_url, clock=clock)
    fill_demo(db, customers=5, today=DAY)
    yield db
    db.dispose()


def batch_actor(db: Database, code: str) -> Actor:
    with db.session() as s:
        hall = ensure_hall(s)
        counter = ensure_counter(s, hall, code, batch=True)
        return Actor(None, "batch", "批量受理", "clerk", hall.id, counter.id, counter.code,
                     channel="batch")


def activate(db: Database, code: str, name: str, id_number: str) -> None:
    """A new line for a customer of its own (two pushes of one new customer would meet on
    the customer's key first, before the lines)."""
    person = {"type": "resident_id", "number": id_number}
    req = personal("new_activation", line=None,
                   details={"number": NUMBER, "package": "畅爽套餐59元"},
                   customer={"kind": "personal", "name": name, "id_document": person,
                             "unit": None, "non_local_id": False},
                   presenter={"role": "owner", "name": name, "id_document": person})
    req.pop("line")
    result = OrderService(db).submit(Submission(parse_request(req)), batch_actor(db, code))
    assert result.evaluation.decision == "accepted", result.outcome()


def test_two_first_pushes_of_one_number_at_once_end_normally(
        tmp_path: Path, clock: FixedClock, server: Database, pg_url: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = (open_database(f"sqlite:///{tmp_path / n}.sqlite3", clock=clock) for n in "ab")
    try:
        for db, code in ((a, "B01"), (b, "B02")):  # counters set up and synced beforehand:
            batch_actor(db, code)  # a push that carries the hall's rows waits on the hall
        run_sync(a, pg_url, origin="A")
        run_sync(b, pg_url, origin="B")
        activate(a, "B01", "张三", OWNER_ID)
        activate(b, "B02", "李四", AGENT_ID)

        barrier = threading.Barrier(2, timeout=60)
        checked = push.lines_with_free_numbers
        met: set[int] = set()

        def check_then_meet(w: Any, rows: list[dict[str, Any]], issue: Any) -> Any:
            kept = checked(w, rows, issue)
            if any(r["number"] == NUMBER for r in kept) and threading.get_ident() not in met:
                met.add(threading.get_ident())
                barrier.wait()  # both found the number free: now both insert
            return kept

        monkeypatch.setattr(push, "lines_with_free_numbers", check_then_meet)
        reports: dict[str, SyncReport] = {}
        errors: list[BaseException] = []

        def sync(name: str, db: Database) -> None:
            try:
                reports[name] = run_sync(db, pg_url)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=sync, args=(n, db)) for n, db in (("a", a), ("b", b))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert not errors, errors
        assert len(met) == 2  # both really passed the check before inserting
        kinds = {n: sorted(i.kind for i in r.issues) for n, r in reports.items()}
        assert sorted(kinds.values(), key=len)[0] == []  # the first one stored its line
        loser = next(n for n, k in kinds.items() if k)
        assert "number_taken" in kinds[loser], kinds
        assert not any(r.refused for r in reports.values())
        with server.read() as s:
            assert s.execute(select(func.count(Line.id)).where(Line.number == NUMBER)
                             ).scalar() == 1
            assert s.execute(select(func.count(ServiceOrder.id)).where(
                ServiceOrder.service == "new_activation")).scalar() == 2  # both orders kept

        monkeypatch.setattr(push, "lines_with_free_numbers", checked)
        again = run_sync(a if loser == "a" else b, pg_url)
        assert "number_taken" not in [i.kind for i in again.issues]  # nothing stuck
    finally:
        a.dispose()
        b.dispose()
