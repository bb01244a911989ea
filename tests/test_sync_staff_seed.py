"""Staff made on the server before any workstation synced reach a new workstation (real
PostgreSQL server, tests/pg_server.py).

The demo hall is filled straight into an empty server database (schema by the app's
migrations), so its staff rows reach the feed only through the seeding when the feed's triggers
are installed, with the hall's code. A fresh workstation has no hall of its own yet: its first
pull takes its configured hall, so those staff rows are read and not passed over by the mark.
A clerk of the server then logs in at that counter, and `counter audit verify` holds there.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.clock import FixedClock
from app.db import Database, open_database
from app.models import Hall, Staff
from app.services.audit.verify import verify_audit
from app.services.hall.demo import DEMO_PASSWORD, fill_demo
from app.services.staff.auth import login
from app.services.sync.run import run_sync
from tests.builders import DAY

pytestmark = pytest.mark.postgres


@pytest.fixture
def server_with_demo(pg_url: str, clock: FixedClock) -> str:
    server = open_database(pg_url, clock=clock)
    try:
        fill_demo(server, customers=5, today=DAY)
        with server.read() as s:
            assert s.execute(select(func.count()).select_from(Staff)).scalar_one() > 0
    finally:
        server.dispose()
    return pg_url


@pytest.fixture
def fresh(tmp_path: Path, clock: FixedClock) -> Iterator[Database]:
    db = open_database(f"sqlite:///{tmp_path / 'new-counter'}.sqlite3", clock=clock)
    yield db
    db.dispose()


def staff_numbers(db: Database) -> set[str]:
    with db.read() as s:
        return set(s.execute(select(Staff.staff_no)).scalars())


def test_a_new_counter_takes_the_staff_the_server_had_before_any_sync(
        server_with_demo: str, fresh: Database) -> None:
    assert staff_numbers(fresh) == set()
    first = run_sync(fresh, server_with_demo, origin="T1")
    assert first.pulled["staff"] >= 5  # the demo hall's supervisor, clerks, manager, admin
    assert first.pulled["customer"] == 5
    second = run_sync(fresh, server_with_demo, origin="T1")
    assert not second.pulled["staff"]  # taken once; nothing more to take
    assert {"C001", "C002", "A001"} <= staff_numbers(fresh)
    with fresh.read() as s:
        assert s.execute(select(func.count()).select_from(Hall)).scalar_one() == 1

    clerk = login(fresh, "C001", DEMO_PASSWORD, "C01")
    assert clerk.staff_no == "C001"
    report = verify_audit(fresh)
    assert report.ok, report.describe()


def test_two_new_counters_both_take_the_staff(server_with_demo: str, tmp_path: Path,
                                              clock: FixedClock) -> None:
    """The second counter's first sync finds the feed already seeded by the first."""
    dbs = [open_database(f"sqlite:///{tmp_path / f't{n}'}.sqlite3", clock=clock)
           for n in (1, 2)]
    try:
        for n, db in enumerate(dbs, 1):
            for _ in range(2):
                run_sync(db, server_with_demo, origin=f"T{n}")
            assert "C002" in staff_numbers(db)
            login(db, "C002", DEMO_PASSWORD, f"C0{n}")
            assert verify_audit(db).ok
    finally:
        for db in dbs:
            db.dispose()
