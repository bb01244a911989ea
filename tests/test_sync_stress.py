"""Issue 13, "Done means": one hall, 20 workstations x 300 requests, one PostgreSQL server.

Each workstation is its own SQLite file with its own counter (C01..C20) and batch id
(B02..B21). Half of its requests go through `python -m app process` batches (real processes,
two at a time), half through the order service as the wizard calls it, with the clerk logged in
and her shift open. Meanwhile `python -m app sync` runs in rounds across the workstations (real
processes): 30 of them are SIGKILLed at a random moment and run again later, and the server, a
cluster of this test's own (tests/pg_server.py), is restarted 10 times at random moments.
Before any of that, 50 lines are changed offline at two workstations each from the same pulled
version (挂失 at one, 停机保号 or 补卡 at the other).

Afterwards every workstation is synced until nothing waits and once more to pull; then
* the server holds every order exactly once: every number each workstation recorded, and
  nothing else;
* every workstation's hall totals of the day are those of the server
  (app/services/day/hall_totals.py);
* every conflicting pair is an open conflict with both orders, and the server's line shows
  exactly one of the two changes (app/services/sync/conflicts/), and every workstation holds
  the server's version of that line (the server is the authority for it);
* `counter audit verify` passes on workstations.

The run happens once (a module fixture) and the three checks read it. The seed is printed (and
`COUNTER_STRESS_SEED` repeats it); `COUNTER_STRESS_SCALE=small` is a short version to iterate.
"""

from __future__ import annotations

from collections import Counter as Multiset
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from app.clock import FixedClock
from app.db import open_database
from app.models import Line, ServiceOrder
from app.services.sync.conflicts import ConflictView, open_conflicts
from app.services.sync.rows import as_utc
from app.services.sync.state import pending_changes
from tests.builders import DAY, NOW
from tests.pg_server import start_server
from tests.sync_stress import HALL, Outcome, Plan, run_counter, run_stress

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.xdist_group("sync_stress")]


@pytest.fixture(scope="module")
def stress(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Outcome]:
    cluster = start_server()  # its own: restarting it disturbs no other test
    plan = Plan.from_env()
    print(f"\nsync stress seed {plan.seed} (COUNTER_STRESS_SEED={plan.seed} repeats it)")
    outcome = None
    try:
        outcome = run_stress(cluster, tmp_path_factory.mktemp("stress"), plan, FixedClock(NOW))
        print(outcome.summary())
        yield outcome
    finally:
        if outcome is not None:
            for st in outcome.stations:
                st.db.dispose()
        cluster.remove()


def server_order_numbers(outcome: Outcome) -> list[str]:
    server = open_database(outcome.server_url, migrate=False)
    try:
        with server.read() as s:
            return list(s.execute(select(ServiceOrder.order_no)).scalars())
    finally:
        server.dispose()


def test_the_server_holds_every_order_exactly_once(stress: Outcome) -> None:
    plan = stress.plan
    on_server = server_order_numbers(stress)
    twice = [n for n, k in Multiset(on_server).items() if k > 1]
    assert not twice, twice[:10]
    made = [n for st in stress.stations for n in st.made]
    assert len(made) == len(set(made)), "two workstations made the same order number"
    assert len(made) == plan.workstations * plan.requests + 2 * plan.conflicts
    assert set(on_server) == set(made)
    assert stress.tally.kills == plan.kills and stress.tally.restarts == plan.restarts
    for st in stress.stations:
        assert pending_changes(st.db) == 0, st.origin
        mine = set(st.made)
        with st.db.read() as s:
            local = set(s.execute(select(ServiceOrder.order_no)).scalars())
        assert mine <= local, st.origin  # nothing recorded here was lost here either
    for st in stress.stations[:: max(1, len(stress.stations) // 3)]:
        verified = run_counter("audit", "verify", "--db", st.url)
        assert verified.returncode == 0, (st.origin, verified.stdout, verified.stderr)


def test_every_workstation_shows_the_hall_totals_of_the_server(stress: Outcome) -> None:
    from app.services.day.hall_totals import hall_day_totals

    server = open_database(stress.server_url, migrate=False)
    try:
        truth = hall_day_totals(server, HALL, DAY)
        with server.read() as s:
            kept = s.execute(select(func.count()).select_from(ServiceOrder)
                             .where(ServiceOrder.business_date == DAY)).scalar()
    finally:
        server.dispose()
    assert truth["orders"] == kept == len(server_order_numbers(stress))
    differing = {st.origin: hall_day_totals(st.db, HALL, DAY) for st in stress.stations}
    differing = {k: v for k, v in differing.items() if v != truth}
    assert not differing, (truth, next(iter(differing.items())))


def test_every_conflicting_edit_is_an_open_conflict(stress: Outcome) -> None:
    server = open_database(stress.server_url, migrate=False)
    try:
        with server.read() as s:
            listed = open_conflicts(s)
            lines = {ln.uid: ln for ln in s.execute(select(Line).where(
                Line.uid.in_([p.line_uid for p in stress.pairs]))).scalars()}
            found = [conflict_orders(c) for c in listed]
    finally:
        server.dispose()
    for pair in stress.pairs:
        both = {pair.first[0], pair.second[0]}
        assert both in found, (pair, found[:3])
        line = lines[pair.line_uid]
        lost = line.status == "loss_reported"
        other = {"suspend_keep_number": line.status == "suspended_keep_number",
                 "sim_replacement": line.sim_serial == pair.new_sim}[pair.second[1]]
        assert lost != other, (pair, line.status, line.sim_serial)  # exactly one holds
    assert len(found) == len(stress.pairs)
    server_versions = {uid: held_version(ln) for uid, ln in lines.items()}
    for st in stress.stations:  # and every workstation lists them for its supervisor...
        with st.db.read() as s:
            assert sorted(map(conflict_orders, open_conflicts(s)), key=sorted) == sorted(
                found, key=sorted), st.origin
            # ...and holds the server's version of each contested line (the authority)
            held = {ln.uid: held_version(ln) for ln in s.execute(select(Line).where(
                Line.uid.in_(list(server_versions)))).scalars()}
        assert held == server_versions, st.origin


def held_version(line: Line) -> tuple[object, ...]:
    """A line's version as both databases tell it (SQLite's time is naive UTC)."""
    return (line.status, line.version, line.origin, line.sim_serial, as_utc(line.updated_at))


def conflict_orders(conflict: ConflictView) -> set[str | None]:
    return {conflict.server.order_no, conflict.other.order_no}
