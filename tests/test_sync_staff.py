"""Staff usable at any counter of the hall (real PostgreSQL server, tests/pg_server.py).

A clerk the administrator adds at counter A logs in at counter B after B's sync (through
`app.services.staff.auth`, the forced change of a first password included); the password the
clerk then chooses at B is the one A accepts after both synced, and the old one no longer; a
deactivation at A locks the clerk out at B. Staff rows are matched by staff number (both
workstations made the demo hall with their own uids), placeholders the server made never win
over a real account, and no password appears in any log of the sync. `counter audit verify`
holds on both workstations.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from sqlalchemy import select

from app.clock import FixedClock
from app.db import Database, open_database
from app.models import Staff
from app.services.audit.verify import verify_audit
from app.services.hall.demo import DEMO_PASSWORD, fill_demo
from app.services.hall.registry import ensure_hall
from app.services.staff.accounts import change_own_password, create_staff, deactivate
from app.services.staff.auth import AuthError, login, password_change_pending
from app.services.sync.hall.staff import UNUSABLE_PASSWORD, staff_key
from app.services.sync.push import UNUSABLE_PASSWORD as PUSH_PLACEHOLDER
from app.services.sync.run import run_sync

pytestmark = pytest.mark.postgres
FIRST, CHOSEN = "Start-pass-99", "Own-choice-2026"


def both(a: Database, b: Database, pg_url: str) -> None:
    for ws in (a, b, a):
        run_sync(ws, pg_url)


def test_a_clerk_added_at_one_counter_works_at_another(
        opened: Callable[[str], Database], pg_url: str, clock: FixedClock,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    a = opened("a")
    fill_demo(a, customers=1)
    b = opened("b")
    fill_demo(b, customers=1)  # the same staff numbers, other uids and password hashes
    run_sync(a, pg_url, origin="WSA")
    run_sync(b, pg_url, origin="WSB")
    admin = login(a, "A001", DEMO_PASSWORD, "C03")
    create_staff(a, admin, "C009", "钱七", "clerk", FIRST)
    with pytest.raises(AuthError):
        login(b, "C009", FIRST, "C02")
    both(a, b, pg_url)

    clerk_b = login(b, "C009", FIRST, "C02")
    assert password_change_pending(b, clerk_b)  # the first password is the administrator's
    change_own_password(b, clerk_b, FIRST, CHOSEN)
    clock.advance(minutes=5)
    both(b, a, pg_url)
    with pytest.raises(AuthError):
        login(a, "C009", FIRST, "C01")
    clerk_a = login(a, "C009", CHOSEN, "C01")
    assert not password_change_pending(a, clerk_a)

    deactivate(a, login(a, "A001", DEMO_PASSWORD, "C03"), "C009", "调离")
    both(a, b, pg_url)
    with pytest.raises(AuthError):
        login(b, "C009", CHOSEN, "C02")

    rows = {}
    for name, db in (("a", a), ("b", b), ("server", open_database(pg_url, migrate=False))):
        with db.read() as s:
            rows[name] = {st.staff_no: (st.password_hash, st.active, st.role, st.version)
                          for st in s.execute(select(Staff)).scalars()}
        if name == "server":
            db.dispose()
    assert rows["a"] == rows["b"] == rows["server"]  # every account settled on one version
    assert rows["a"]["C009"][1] is False
    assert all(h != UNUSABLE_PASSWORD for h, *_ in rows["server"].values())
    for ws in (a, b):
        report = verify_audit(ws)
        assert report.ok, (report.reason, report.rows)
    assert FIRST not in caplog.text and CHOSEN not in caplog.text


def test_a_placeholder_never_wins_over_a_real_account() -> None:
    assert UNUSABLE_PASSWORD == PUSH_PLACEHOLDER
    real = {"password_hash": "$argon2id$...", "version": 0}
    placeholder = {"password_hash": UNUSABLE_PASSWORD, "version": 7}
    assert staff_key(real) > staff_key(placeholder)
    assert staff_key({**real, "version": 2}) > staff_key({**real, "version": 1})


def test_a_new_workstation_gets_the_hall_staff(
        opened: Callable[[str], Database], pg_url: str) -> None:
    a = opened("a")
    fill_demo(a, customers=1)
    run_sync(a, pg_url, origin="WSA")
    b = opened("b")
    with b.session() as s:
        ensure_hall(s)
    run_sync(b, pg_url, origin="WSB")
    assert login(b, "S001", DEMO_PASSWORD, "C03").role == "supervisor"
    assert verify_audit(b).ok
