"""Retiring a workstation (`counter sync --release`, #13), against a real PostgreSQL server.

Workstation B (counter C02) took orders, synced once, then told the server at its last sync
that it still held two more (its PC then died). Releasing it is refused, naming the orders and
the day, until forced with a reason; then its order-number prefix is free (a new PC takes it;
B's name stays taken: the server keeps B's audit chain under it), its day rows are marked retired with who and why, the sign-off at A no longer
waits for it but warns about the two orders given up, and A's audit chain holds the release.
Only a manager or administrator may release (checked in the core); a workstation of another
hall cannot be released from this one; the command line does it and lists the hall's claims.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.clock import FixedClock
from app.db import Database, open_database
from app.models import AuditEvent, Hall, WorkstationClaim, WorkstationDay
from app.security import PermissionDenied
from app.services.audit.verify import verify_audit
from app.services.day.counts import Counts
from app.services.day.items import CHECKLIST_CODES, INVOICE, SIM_CARD
from app.services.day.shifts import open_shift
from app.services.day.signoff import checklist
from app.services.hall.demo import DEMO_PASSWORD, fill_demo
from app.services.hall.registry import Actor, ensure_counter, ensure_hall
from app.services.orders.service import OrderService, Submission
from app.services.staff.auth import login
from app.services.sync.hall import day_report
from app.services.sync.hall.retire import ReleaseError, release_workstation
from app.services.sync.identity import IdentityRefused, claim, workstation_id
from app.services.sync.run import run_sync
from tests.builders import DAY
from tests.builders import bill_payment as payment

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[1]




def new_pc(opened: Callable[[str], Database], name: str) -> Database:
    db = opened(name)
    with db.session() as s:
        ensure_hall(s)
    return db


def b_serving_at_c02(opened: Callable[[str], Database],
                     pg_url: str) -> tuple[Database, Database, Actor]:
    """A (the demo hall, WSA) and B (WSB) synced; clerk C002 has opened her shift at C02 on B."""
    a = opened("a")
    fill_demo(a, customers=3)
    run_sync(a, pg_url, origin="WSA")
    b = new_pc(opened, "b")
    run_sync(b, pg_url, origin="WSB")
    clerk = login(b, "C002", DEMO_PASSWORD, "C02")
    open_shift(b, clerk, dict.fromkeys(CHECKLIST_CODES, True),
               Counts(stock={SIM_CARD: 5, INVOICE: 10}, cash={10000: 1},
                      invoice_first="00000001", invoice_last="00000010"))
    return a, b, clerk


def hall_with_b_holding_two(opened: Callable[[str], Database], pg_url: str,
                            clock: FixedClock) -> tuple[Database, Database]:
    """A and B synced; B (C02) pushed one order, then reported two more still waiting."""
    a, b, clerk = b_serving_at_c02(opened, pg_url)
    assert OrderService(b).submit(Submission(payment("18612345680")), clerk).order_no
    run_sync(b, pg_url)
    for number in ("18612345681", "18612345682"):
        assert OrderService(b).submit(Submission(payment(number)), clerk).order_no
    # B's last sync: what it still holds told to the server (its push then cut short).
    server = open_database(pg_url, clock=clock, migrate=False)
    try:
        with server.engine.begin() as conn:
            assert day_report.exchange(conn, b, workstation_id(b), "WSB", clock.now()) == 0
    finally:
        server.dispose()
    run_sync(a, pg_url)  # A now knows B holds two orders of the day
    return a, b


def day_items(db: Database) -> list[tuple[str, str, bool]]:
    sup = login(db, "S001", DEMO_PASSWORD, "C03")
    return [(i.kind, i.ref, i.blocking) for i in checklist(db, sup, DAY).items
            if i.kind in ("unsynced", "retired_unsynced")]


def server_rows(pg_url: str, ws: str) -> tuple[list[Any], list[Any]]:
    server = open_database(pg_url, migrate=False)
    try:
        with server.read() as s:
            claims = list(s.execute(select(WorkstationClaim.kind, WorkstationClaim.name)
                                    .where(WorkstationClaim.workstation == ws)).all())
            days = list(s.execute(select(WorkstationDay.waiting, WorkstationDay.retired_by,
                                         WorkstationDay.retired_note,
                                         WorkstationDay.retired_at)
                                  .where(WorkstationDay.workstation == ws)).all())
        return claims, days
    finally:
        server.dispose()


def test_release_refused_while_orders_wait_then_forced(
        opened: Callable[[str], Database], pg_url: str, clock: FixedClock) -> None:
    a, b = hall_with_b_holding_two(opened, pg_url, clock)
    ws_b = workstation_id(b)
    assert day_items(a) == [("unsynced", "C02", True)]
    server = open_database(pg_url, clock=clock, migrate=False)
    try:
        for who in ("C001", "S001"):  # a clerk, a supervisor: not theirs to do
            with pytest.raises(PermissionDenied):
                release_workstation(a, server, "DEMO01-C02", login(a, who, DEMO_PASSWORD,
                                                                   "C01"), "换机")
        admin = login(a, "A001", DEMO_PASSWORD, "C01")
        with pytest.raises(ReleaseError) as refused:
            release_workstation(a, server, "DEMO01-C02", admin, "换机")
        assert "2 笔订单" in str(refused.value) and f"{DAY:%Y-%m-%d}" in str(refused.value)
        assert "--force" in str(refused.value) and "2 orders" in refused.value.en
        with pytest.raises(ReleaseError):  # this workstation itself
            release_workstation(a, server, "WSA", admin, "换机", force=True)
        with pytest.raises(ReleaseError):  # a reason is wanted
            release_workstation(a, server, "WSB", admin, "  ", force=True)
        assert sorted(server_rows(pg_url, ws_b)[0]) == [("counter", "DEMO01-C02"),
                                                       ("origin", "WSB")]  # nothing changed
        with pytest.raises(IdentityRefused):
            take_prefix(pg_url, "another-pc", clock)
        clock.advance(minutes=5)
        done = release_workstation(a, server, ws_b[:8], admin, "硬盘损坏，已换新机", force=True)
    finally:
        server.dispose()
    assert done.workstation == ws_b and done.origin == "WSB" and done.lost == 2
    assert done.claims == [("counter", "DEMO01-C02")]
    claims, days = server_rows(pg_url, ws_b)
    assert claims == [("origin", "WSB")]  # its name stays: the server holds its audit chain
    assert days and all(d.retired_by == "A001" and d.retired_note == "硬盘损坏，已换新机"
                        and d.retired_at == clock.now() for d in days)
    # The sign-off no longer waits for B; the two orders given up are a warning to own.
    for _ in range(2):  # at once (A's own copy), and as pulled again from the server
        items = day_items(a)
        assert items == [("retired_unsynced", "C02", False)]
        run_sync(a, pg_url)
    sup = login(a, "S001", DEMO_PASSWORD, "C03")
    warning = next(i for i in checklist(a, sup, DAY).items if i.kind == "retired_unsynced")
    assert "2 笔订单" in warning.zh and "A001" in warning.zh and "WSB" in warning.en
    with a.read() as s:
        event = s.execute(select(AuditEvent).where(
            AuditEvent.action == "sync.workstation_release")).scalar_one()
    assert event.actor == "A001" and event.target == ws_b
    assert event.data["forced"] is True and event.data["reason"] == "硬盘损坏，已换新机"
    assert event.data["left_behind"] == [[f"{DAY:%Y-%m-%d}", "C02", 2]]
    report = verify_audit(a)
    assert report.ok, report.describe()

    # A new PC takes the released prefix, under a name of its own (B's stays taken).
    c = new_pc(opened, "c")
    with pytest.raises(IdentityRefused):
        run_sync(c, pg_url, origin="WSB")
    run_sync(c, pg_url, origin="WSC")
    assert take_prefix(pg_url, workstation_id(c), clock) == "DEMO01-C02"


def take_prefix(pg_url: str, ws: str, clock: FixedClock) -> str:
    """Claim DEMO01-C02 for `ws` as its sync would before pushing orders numbered under it."""
    server = open_database(pg_url, clock=clock, migrate=False)
    try:
        with server.engine.begin() as conn:
            claim(conn, ws, "WSC", [("counter", "DEMO01-C02"), ("origin", "WSC")],
                  clock.now())
        with server.read() as s:
            return s.execute(select(WorkstationClaim.name).where(
                WorkstationClaim.workstation == ws,
                WorkstationClaim.kind == "counter")).scalar_one()
    finally:
        server.dispose()


def test_a_workstation_of_another_hall_cannot_be_released(
        opened: Callable[[str], Database], pg_url: str, clock: FixedClock) -> None:
    a = opened("a")
    fill_demo(a, customers=1)
    run_sync(a, pg_url, origin="WSA")
    west = opened("west")
    with west.session() as s:
        hall = Hall(code="WEST02", name="城西营业厅", carrier="unicom", config={})
        s.add(hall)
        s.flush()
        counter = ensure_counter(s, hall, "B01", batch=True)
        actor = Actor(None, "batch", "批量受理", "clerk", hall.id, counter.id, "B01",
                      channel="batch")
    assert OrderService(west).submit(Submission(payment("18612345699")), actor).order_no
    run_sync(west, pg_url, origin="WEST")
    server = open_database(pg_url, clock=clock, migrate=False)
    try:
        admin = login(a, "A001", DEMO_PASSWORD, "C01")
        with pytest.raises(ReleaseError) as other:
            release_workstation(a, server, "WEST02-B01", admin, "test", force=True)
        assert "WEST02" in str(other.value)
        with pytest.raises(ReleaseError):
            release_workstation(a, server, "nosuch", admin, "test")
    finally:
        server.dispose()
    assert len(server_rows(pg_url, workstation_id(west))[0]) == 2  # still held


def test_command_line_lists_claims_and_releases(
        opened: Callable[[str], Database], pg_url: str, clock: FixedClock) -> None:
    a, b = hall_with_b_holding_two(opened, pg_url, clock)
    a_url = str(a.engine.url)
    env = {**os.environ, "COUNTER_STAFF": "M001", "COUNTER_STAFF_PASSWORD": DEMO_PASSWORD}

    def counter(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "app", "sync", "--db", a_url, *args],
                              capture_output=True, text=True, cwd=ROOT, timeout=300,
                              env={**env, **extra})

    status = counter("--status", "--server", pg_url)
    assert status.returncode == 0, status.stderr
    assert "DEMO01-C02" in status.stdout and "WSB" in status.stdout
    assert workstation_id(b)[:8] in status.stdout
    assert counter("--release", "WSB", "--server", pg_url).returncode == 2  # no reason
    clerk = counter("--release", "WSB", "--server", pg_url, "--reason", "换机",
                    COUNTER_STAFF="C001")
    assert clerk.returncode == 1 and "Traceback" not in clerk.stderr
    waiting = counter("--release", "WSB", "--server", pg_url, "--reason", "换机")
    assert waiting.returncode == 1 and "Traceback" not in waiting.stderr
    assert "2 笔订单" in waiting.stderr and "--force" in waiting.stderr
    done = counter("--release", "WSB", "--server", pg_url, "--reason", "换机", "--force")
    assert done.returncode == 0, done.stderr
    assert "DEMO01-C02" in done.stdout and "2" in done.stdout
    after = counter("--status", "--server", pg_url)
    assert after.returncode == 0 and "DEMO01-C02" not in after.stdout
    assert "WSA" in after.stdout or "claims of hall DEMO01" in after.stdout
