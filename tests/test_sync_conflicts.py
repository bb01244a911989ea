"""Line conflicts (#13): two changes of one line made offline at two counters from the same
version, against a real PostgreSQL server and SQLite workstations.

挂失 at A and 补卡 at B → one conflict with both orders, the server's line unchanged by B, B's
order on the server; the same change twice → nothing; disjoint changes (a payment and roaming,
two payments) → merged into a new version everyone pulls; a supervisor decides each way and
the line ends right on the server and on both workstations; a clerk cannot decide; the audit
chains verify afterwards; the command line lists and decides; a line waiting for a decision
refuses further changes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.clock import FixedClock
from app.core.request import parse_request
from app.db import Database, open_database
from app.models import FollowUpTask, Line, LineConflict, LineHistory, ServiceOrder
from app.security import PermissionDenied
from app.services.audit.verify import verify_audit
from app.services.day.counts import Counts
from app.services.day.items import CHECKLIST_CODES, INVOICE, SIM_CARD
from app.services.day.shifts import open_shift
from app.services.hall.demo import DEMO_PASSWORD, fill_demo
from app.services.hall.registry import Actor, ensure_counter, ensure_hall
from app.services.orders.service import OrderService, Submission
from app.services.staff.auth import login
from app.services.sync.conflicts import open_conflicts
from app.services.sync.conflicts.resolve import ConflictError, resolve_conflict
from app.services.sync.conflicts.rule import decide, kind_of
from app.services.sync.run import run_sync, verify_origin_chain
from app.services.sync.state import read_status
from tests.builders import personal

ROOT = Path(__file__).resolve().parents[1]


# -- the rule, on its own (no database) -----------------------------------------------------------

BASE = {"number": "18600000001", "status": "active", "balance_fen": 0, "arrears_fen": 0,
        "points": 0, "roaming_open": False, "roaming_prepayment_fen": 0}


def test_rule_per_kind_of_change() -> None:
    lost = {**BASE, "status": "loss_reported"}
    assert decide(BASE, lost, BASE, kind_of(["report_loss"]),
                  kind_of(["sim_replacement"])).outcome == "conflict"
    assert decide(BASE, lost, lost, "lifecycle", "lifecycle").outcome == "same"
    cancelled = {**BASE, "status": "cancelled"}
    assert decide(BASE, cancelled, {**BASE, "customer": "new-owner"}, kind_of(["cancellation"]),
                  kind_of(["ownership_transfer"])).outcome == "conflict"
    paid = {**BASE, "balance_fen": 3000}
    roaming = {**BASE, "roaming_open": True, "roaming_prepayment_fen": 50000}
    merged = decide(BASE, paid, roaming, kind_of(["bill_payment"]),
                    kind_of(["intl_roaming_open"]))
    assert merged.outcome == "merge"
    assert (merged.state["balance_fen"], merged.state["roaming_open"]) == (3000, True)
    two = decide(BASE, paid, {**BASE, "balance_fen": 2000}, "payment", "payment")
    assert (two.outcome, two.state["balance_fen"]) == ("merge", 5000)  # both payments count
    assert decide(BASE, lost, paid, "lifecycle", "payment").outcome == "merge"
    assert decide(BASE, lost, BASE, "lifecycle", "record").outcome == "merge"
    clash = decide(BASE, {**BASE, "roaming_open": True}, {**BASE, "roaming_open": False,
                   "roaming_prepayment_fen": 1}, "attribute", "attribute")
    assert clash.outcome == "merge"  # different fields
    clash = decide({**BASE, "roaming_open": True}, {**BASE, "roaming_open": False},
                   {**BASE, "roaming_open": True, "status": "x"}, "attribute", "lifecycle")
    assert clash.outcome == "merge"
    both = decide(BASE, {**BASE, "realname": "complete"}, {**BASE, "realname": "partial"},
                  "attribute", "attribute")
    assert both.outcome == "merge"  # `realname` not in this base: not compared
    assert decide({**BASE, "realname": "none"}, {**BASE, "realname": "complete"},
                  {**BASE, "realname": "partial"}, "attribute", "attribute").outcome == \
        "conflict"


# -- a hall: server, workstation B (with the demo staff) and workstation A ------------------------

class Hall:
    def __init__(self, a: Database, b: Database, server: Database, url: str) -> None:
        self.a, self.b, self.server, self.url = a, b, server, url
        self.batch_a = batch_actor(a, "B01")
        self.clerk_b = login(b, "C001", DEMO_PASSWORD, "C01")
        self.supervisor_b = login(b, "S001", DEMO_PASSWORD, "C03")
        open_shift(b, self.clerk_b, dict.fromkeys(CHECKLIST_CODES, True),
                   Counts(stock={SIM_CARD: 5, INVOICE: 10}, cash={10000: 1},
                          invoice_first="00000001", invoice_last="00000010"))

    def sync(self, *which: Database) -> list[Any]:
        return [run_sync(ws, self.url) for ws in which]


def batch_actor(db: Database, code: str) -> Actor:
    with db.session() as s:
        hall = ensure_hall(s)
        counter = ensure_counter(s, hall, code, batch=True)
        return Actor(None, "batch", "批量受理", "clerk", hall.id, counter.id, counter.code,
                     channel="batch")


@pytest.fixture
def hall(tmp_path: Path, clock: FixedClock, pg_url: str) -> Iterator[Hall]:
    b = open_database(f"sqlite:///{tmp_path / 'b.sqlite3'}", clock=clock)
    fill_demo(b, customers=8)
    run_sync(b, pg_url, origin="B")
    a = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}", clock=clock)
    run_sync(a, pg_url, origin="A")
    server = open_database(pg_url, clock=clock)
    try:
        yield Hall(a, b, server, pg_url)
    finally:
        for db in (a, b, server):
            db.dispose()


def a_line(db: Database) -> dict[str, Any]:
    with db.read() as s:
        row = s.execute(select(Line).where(
            Line.status == "active", Line.payment == "postpaid", Line.arrears_fen == 0,
            Line.blacklisted.is_(False), Line.contract_end.is_(None),
            Line.realname == "complete").order_by(Line.number).limit(1)).scalar_one()
        return {"number": row.number, "uid": row.uid}


def take(db: Database, actor: Actor, service: str, number: str, **over: Any) -> str:
    req = personal(service, line={"number": number, "status": "active", "arrears": 0}, **over)
    result = OrderService(db).submit(Submission(parse_request(req)), actor)
    assert result.evaluation.decision == "accepted", result.outcome()
    assert result.order_no
    return result.order_no


def line_of(db: Database, uid: str) -> Line:
    with db.read() as s:
        line = s.execute(select(Line).where(Line.uid == uid)).scalar_one()
        s.expunge(line)
        return line


def audit_intact(h: Hall) -> None:
    for ws in (h.a, h.b):
        report = verify_audit(ws)
        assert report.ok, report.describe()
    for origin in ("A", "B"):
        chain = verify_origin_chain(h.server, origin)
        assert chain.ok, chain.reason
    report = verify_audit(h.server)
    assert report.ok, report.describe()


# -- the tests --------------------------------------------------------------------------------------

@pytest.mark.postgres
def test_loss_and_sim_replacement_offline_are_one_conflict_kept_by_the_server(hall: Hall) -> None:
    h = hall
    line = a_line(h.a)
    loss = take(h.a, h.batch_a, "report_loss", line["number"])
    sim = take(h.b, h.clerk_b, "sim_replacement", line["number"], documents=["sim_card"])
    h.sync(h.a)
    report = run_sync(h.b, h.url)
    assert [i.kind for i in report.issues] == ["line_conflict"]
    with h.server.read() as s:
        conflicts = open_conflicts(s)
        srv = s.execute(select(Line).where(Line.uid == line["uid"])).scalar_one()
        on_server = set(s.execute(select(ServiceOrder.order_no)).scalars())
        history = set(s.execute(select(LineHistory.version, LineHistory.origin).where(
            LineHistory.line_uid == line["uid"])).all())
    assert len(conflicts) == 1
    c = conflicts[0]
    assert (c.server.order_no, c.server.service, c.server.counter) == (loss, "report_loss", "B01")
    assert (c.other.order_no, c.other.service, c.other.counter, c.other.clerk) == \
        (sim, "sim_replacement", "C01", "C001")
    assert c.line_number == line["number"] and c.base_version == 1
    assert (srv.status, srv.version, srv.origin) == ("loss_reported", 2, "B01")  # unchanged by B
    assert sim in on_server  # B's order is on the server all the same
    assert (2, "C01") in history  # and B's version in the line's history
    # A repeated push (e.g. after a crash) makes no second conflict; both see the conflict.
    h.sync(h.a, h.b)
    with h.server.read() as s:
        assert len(s.execute(select(LineConflict)).all()) == 1
    for ws in (h.a, h.b):
        with ws.read() as s:
            assert [x.uid for x in open_conflicts(s)] == [c.uid]
        assert read_status(ws).conflicts == 1

    # The line takes no further change while it waits (a query still goes through).
    held = OrderService(h.b).submit(Submission(parse_request(personal(
        "suspend_keep_number", line={"number": line["number"], "status": "active"}))),
        h.clerk_b)
    assert held.evaluation.decision == "rejected" and not held.order_no
    assert held.evaluation.violations[-1].rule == "line_conflict"
    assert c.short_id in held.evaluation.violations[-1].message
    take(h.b, h.clerk_b, "points_query", line["number"], documents=["service_password"])

    # A clerk cannot decide (the core refuses); the supervisor keeps the server's version.
    with pytest.raises(PermissionDenied):
        resolve_conflict(h.b, h.server, c.short_id, "server", h.clerk_b)
    decided = resolve_conflict(h.b, h.server, c.short_id, "server", h.supervisor_b,
                               note="客户已来电确认挂失")
    assert decided.view.status == "kept_server" and decided.follow_up_order_no == sim
    with pytest.raises(ConflictError):  # decided once only
        resolve_conflict(h.b, h.server, c.short_id, "other", h.supervisor_b)
    h.sync(h.b, h.a)
    with h.server.read() as s:
        srv = s.execute(select(Line).where(Line.uid == line["uid"])).scalar_one()
        follow = s.execute(select(FollowUpTask).join(
            ServiceOrder, ServiceOrder.id == FollowUpTask.order_id).where(
            ServiceOrder.order_no == sim)).scalar_one()
    # The decision made version 3; B's query (made meanwhile, a record-only order) merged on
    # top of it as version 4, with the server's state.
    assert (srv.status, srv.version, srv.origin) == ("loss_reported", 4, "server")
    assert follow.task == "sync_conflict" and follow.status == "open"
    for ws in (h.a, h.b):
        mine = line_of(ws, line["uid"])
        assert (mine.status, mine.version, mine.origin) == ("loss_reported", 4, "server")
        assert read_status(ws).conflicts == 0
    audit_intact(h)


@pytest.mark.postgres
def test_supervisor_applies_the_other_order(hall: Hall) -> None:
    h = hall
    line = a_line(h.a)
    take(h.a, h.batch_a, "report_loss", line["number"])
    take(h.b, h.clerk_b, "suspend_keep_number", line["number"])
    h.sync(h.a, h.b, h.a)
    with h.a.read() as s:
        (c,) = open_conflicts(s)
    assert (c.server.service, c.other.service) == ("report_loss", "suspend_keep_number")
    decided = resolve_conflict(h.b, h.server, c.uid, "other", h.supervisor_b)
    assert decided.view.status == "applied_other"
    assert decided.follow_up_order_no == c.server.order_no  # A's loss report set aside
    h.sync(h.a, h.b)
    with h.server.read() as s:
        srv = s.execute(select(Line).where(Line.uid == line["uid"])).scalar_one()
    assert srv.status == "suspended_keep_number" and srv.origin == "server"
    for ws in (h.a, h.b):
        mine = line_of(ws, line["uid"])
        assert (mine.status, mine.version) == ("suspended_keep_number", srv.version)
    audit_intact(h)


@pytest.mark.postgres
def test_the_same_change_twice_is_no_conflict(hall: Hall) -> None:
    h = hall
    line = a_line(h.a)
    take(h.a, h.batch_a, "report_loss", line["number"])
    take(h.b, h.clerk_b, "report_loss", line["number"])
    h.sync(h.a, h.b, h.a)
    with h.server.read() as s:
        assert not s.execute(select(LineConflict)).all()
        srv = s.execute(select(Line).where(Line.uid == line["uid"])).scalar_one()
    assert srv.status == "loss_reported"
    for ws in (h.a, h.b):
        assert line_of(ws, line["uid"]).status == "loss_reported"
        assert read_status(ws).conflicts == 0


def order_line(db: Database, order_no: str) -> tuple[dict[str, Any], dict[str, Any]]:
    with db.read() as s:
        o = s.execute(select(ServiceOrder).where(ServiceOrder.order_no == order_no)).scalar_one()
        return dict(o.line_before or {}), dict(o.line_after or {})


@pytest.mark.postgres
def test_disjoint_changes_are_merged_and_payments_add_up(hall: Hall) -> None:
    h = hall
    line = a_line(h.a)
    before = line_of(h.server, line["uid"])
    paid = take(h.a, h.batch_a, "bill_payment", line["number"], details={"amount": 30})
    take(h.b, h.clerk_b, "intl_roaming_open", line["number"], details={"destination": "日本"})
    h.sync(h.a)
    report = run_sync(h.b, h.url)
    assert not report.issues
    h.sync(h.a)
    srv = line_of(h.server, line["uid"])
    with h.server.read() as s:
        assert not s.execute(select(LineConflict)).all()
    assert (srv.origin, srv.version) == ("server", before.version + 2)
    assert srv.roaming_open is True  # B's roaming ...
    assert srv.balance_fen == order_line(h.a, paid)[1]["balance_fen"]  # ... and A's payment
    for ws in (h.a, h.b):
        mine = line_of(ws, line["uid"])
        assert (mine.version, mine.balance_fen, mine.roaming_open) == \
            (srv.version, srv.balance_fen, True)

    # Two payments from the same version at two counters: both count.
    first = take(h.a, h.batch_a, "bill_payment", line["number"], details={"amount": 40})
    second = take(h.b, h.clerk_b, "bill_payment", line["number"], details={"amount": 20})
    h.sync(h.a, h.b, h.a)
    srv = line_of(h.server, line["uid"])
    b_before, b_after = order_line(h.b, second)
    expected = order_line(h.a, first)[1]["balance_fen"] + b_after["balance_fen"] - \
        b_before["balance_fen"]
    assert b_after["balance_fen"] > b_before["balance_fen"]
    assert srv.balance_fen == expected and srv.origin == "server"
    with h.server.read() as s:
        assert not s.execute(select(LineConflict)).all()
    for ws in (h.a, h.b):
        assert line_of(ws, line["uid"]).balance_fen == expected
    audit_intact(h)


@pytest.mark.postgres
def test_command_line_lists_and_decides(hall: Hall, tmp_path: Path) -> None:
    h = hall
    line = a_line(h.a)
    take(h.a, h.batch_a, "report_loss", line["number"])
    take(h.b, h.clerk_b, "sim_replacement", line["number"], documents=["sim_card"])
    h.sync(h.a, h.b)
    b_url = str(h.b.engine.url)
    env = {**os.environ, "COUNTER_STAFF": "S001", "COUNTER_STAFF_PASSWORD": DEMO_PASSWORD}

    def counter(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "app", "sync", "--db", b_url, *args],
                              capture_output=True, text=True, cwd=ROOT, timeout=300,
                              env={**env, **extra})

    listed = counter("--conflicts")
    assert listed.returncode == 0, listed.stderr
    with h.b.read() as s:
        (c,) = open_conflicts(s)
    assert c.short_id in listed.stdout and "report_loss" in listed.stdout
    assert line["number"] not in listed.stdout  # the number masked
    assert f"{line['number'][:3]}****{line['number'][-4:]}" in listed.stdout
    refused = counter("--resolve", c.short_id, "--keep", "server", "--server", h.url,
                      COUNTER_STAFF="C001")
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    done = counter("--resolve", c.short_id, "--keep", "server", "--server", h.url)
    assert done.returncode == 0, done.stderr
    assert "kept_server" in done.stdout or "保留服务器" in done.stdout
    assert read_status(h.b).conflicts == 0
    h.sync(h.a)
    assert line_of(h.a, line["uid"]).origin == "server"


def decide_all(server: Database, keep: str = "server") -> int:
    """Every open conflict decided on the server (for tests that make many of them)."""
    from app.services.sync.conflicts.resolve import resolve_on_server

    with server.read() as s:
        uids = [c.uid for c in open_conflicts(s)]
    for uid in uids:
        with server.engine.begin() as conn:
            resolve_on_server(conn, uid, "server" if keep == "server" else "other", "S001",
                              "", server.clock.now())
    return len(uids)


@pytest.mark.postgres
def test_many_edits_every_conflict_listed_then_all_converge(hall: Hall) -> None:
    """Rounds of changes to three lines at both counters with syncs in between: whatever was
    not merged is a conflict (a line waiting refuses more changes); once decided, the server
    and both workstations hold the same lines, and the audit chains verify."""
    import random

    h = hall
    with h.a.read() as s:
        numbers = [r.number for r in s.execute(select(Line).where(
            Line.status == "active", Line.payment == "postpaid", Line.arrears_fen == 0,
            Line.blacklisted.is_(False), Line.contract_end.is_(None),
            Line.realname == "complete").order_by(Line.number).limit(3)).scalars()]
    rng = random.Random(13)
    kinds = [("report_loss", {}), ("suspend_keep_number", {}),
             ("bill_payment", {"details": {"amount": 10}}),
             ("intl_roaming_open", {"details": {"destination": "日本"}}),
             ("sim_replacement", {"documents": ["sim_card"]})]
    held = accepted = 0
    for r in range(6):
        number = rng.choice(numbers)  # both counters change it before either syncs
        for ws, actor in ((h.a, h.batch_a), (h.b, h.clerk_b)):
            service, over = rng.choice(kinds)
            req = personal(service, line={"number": number, "status": "active",
                                          "arrears": 0}, **over)
            result = OrderService(ws).submit(Submission(parse_request(req),
                                                        request_id=f"r{r}-{id(ws)}"), actor)
            if result.order_no:
                accepted += 1
            elif any(v.rule == "line_conflict" for v in result.evaluation.violations):
                held += 1
        for ws in rng.sample([h.a, h.b], 2):
            run_sync(ws, h.url)
    h.sync(h.a, h.b, h.a)
    with h.server.read() as s:
        listed = len(open_conflicts(s))
    assert accepted >= 6 and listed >= 1
    assert decide_all(h.server) == listed
    h.sync(h.a, h.b, h.a, h.b)
    truth = {n: _line_tuple(h.server, n) for n in numbers}
    for ws in (h.a, h.b):
        assert {n: _line_tuple(ws, n) for n in numbers} == truth
        assert read_status(ws).conflicts == 0
    audit_intact(h)


def _line_tuple(db: Database, number: str) -> tuple[Any, ...]:
    with db.read() as s:
        ln = s.execute(select(Line).where(Line.number == number)).scalar_one()
        return (ln.version, ln.origin, ln.status, ln.balance_fen, ln.roaming_open)
