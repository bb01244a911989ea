"""The server is the authority for a line under conflict (#13), against a real PostgreSQL
server and SQLite workstations.

A records 挂失 and B 停机保号 offline from the same version of a line; sync A, B, A, B. B's own
version has a version key not lower than the server's (same version number, same time, a later
origin), so the feed pull alone would leave it; after the sync B must hold the server's version
all the same, with its own in its line history, its order as recorded, its audit chain intact,
and nothing of that line pushed back.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import LineHistory, ServiceOrder
from app.services.audit.verify import verify_audit
from app.services.sync.conflicts import open_conflicts
from app.services.sync.rows import as_utc
from app.services.sync.run import run_sync
from app.services.sync.state import pending_changes, read_status
from tests.test_sync_conflicts import Hall, a_line, audit_intact, hall, line_of, take

__all__ = ["hall"]  # the fixture, shared with tests/test_sync_conflicts.py


def _version(line: object) -> tuple[object, ...]:
    return tuple(getattr(line, k) for k in ("status", "version", "origin"))


@pytest.mark.postgres
def test_every_workstation_holds_the_servers_version_of_a_contested_line(hall: Hall) -> None:
    h = hall
    line = a_line(h.a)
    loss = take(h.a, h.batch_a, "report_loss", line["number"])
    keep = take(h.b, h.clerk_b, "suspend_keep_number", line["number"])
    mine = line_of(h.b, line["uid"])
    assert (mine.status, mine.version, mine.origin) == ("suspended_keep_number", 2, "C01")
    h.sync(h.a, h.b, h.a)
    last = run_sync(h.b, h.url)
    assert last.pushed.get("line", 0) == 0  # B's line went up once, in its first sync

    srv = line_of(h.server, line["uid"])
    assert (srv.status, srv.version, srv.origin) == ("loss_reported", 2, "B01")
    with h.server.read() as s:
        [conflict] = open_conflicts(s)
    assert {conflict.server.order_no, conflict.other.order_no} == {loss, keep}
    for ws in (h.a, h.b):
        held = line_of(ws, line["uid"])
        assert (held.status, held.version, held.origin, as_utc(held.updated_at)) == \
            (srv.status, srv.version, srv.origin, as_utc(srv.updated_at)), ws
        assert held.sim_serial == srv.sim_serial and held.balance_fen == srv.balance_fen
        with ws.read() as s:
            assert [c.uid for c in open_conflicts(s)] == [conflict.uid]
        assert read_status(ws).conflicts == 1
    with h.b.read() as s:  # B's own change is kept: its version in the history, its order
        history = {(r.version, r.origin): r.state for r in s.execute(select(LineHistory).where(
            LineHistory.line_uid == line["uid"])).scalars()}
        assert s.execute(select(ServiceOrder.status).where(
            ServiceOrder.order_no == keep)).scalar_one() is not None
    assert history[(2, "C01")]["status"] == "suspended_keep_number"
    report = verify_audit(h.b)
    assert report.ok, report.describe()

    # Nothing of that line is pushed back: B's next sync leaves the server's line as it was.
    again = run_sync(h.b, h.url)
    assert again.pushed.get("line", 0) == 0 and again.pulled.get("line", 0) == 0
    assert pending_changes(h.b) == 0
    after = line_of(h.server, line["uid"])
    assert (after.status, after.version, after.origin, after.updated_at) == \
        (srv.status, srv.version, srv.origin, srv.updated_at)
    assert (line_of(h.b, line["uid"]).status, line_of(h.b, line["uid"]).version) == \
        ("loss_reported", 2)

    # The line still refuses changes until the supervisor decides; once decided, both
    # workstations hold the decided version (the ordinary feed pull).
    from app.services.sync.conflicts.resolve import resolve_conflict

    resolve_conflict(h.b, h.server, conflict.short_id, "other", h.supervisor_b)
    h.sync(h.b, h.a)
    decided = line_of(h.server, line["uid"])
    assert decided.status == "suspended_keep_number"
    for ws in (h.a, h.b):
        assert _version(line_of(ws, line["uid"])) == _version(decided)
    audit_intact(h)
