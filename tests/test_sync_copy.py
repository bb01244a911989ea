"""Pushing new rows with COPY straight into their tables (app/services/sync/copy_writer.py),
against a real PostgreSQL started by the test session.

* the COPY path and the staging path (``INSERT ... SELECT ... ON CONFLICT``) leave the very
  same rows on the server;
* a batch repeated after the server committed it (the mark was not saved: a crash in between)
  falls back to the staging path and changes nothing, ids included;
* a batch rolled back in the middle (after its orders were COPYed) leaves nothing behind,
  no staging table either, and the next sync stores every row once;
* a `counter sync` process killed with SIGKILL while it pushes, then run again: every order
  once, the same rows as a sync that was never interrupted.
"""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Table, select, text

from app.clock import FixedClock
from app.db import Database, open_database
from app.models import Base
from app.services.sync import copy_writer, push, server
from app.services.sync.run import run_sync
from app.services.sync.state import pending_changes
from bench.generate import generate
from tests.builders import DAY
from tests.pg_server import PgServer
from tests.sync_progress import orders_on, wait_for_orders

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.postgres

SNAPSHOT_TABLES = ("customer", "line", "key_person", "service_order", "order_fee",
                   "order_payment", "synced_audit_event", "audit_anchor")
NATURAL = {"hall": ("code",), "counter": ("hall_id", "code"), "staff": ("staff_no",)}


# -- helpers -------------------------------------------------------------------------------------

@pytest.fixture
def generated(tmp_path: Path) -> Path:
    """A workstation with 300 orders (fees, payments, audit events) on DAY, to be copied."""
    path = tmp_path / "generated.sqlite3"
    generate(f"sqlite:///{path}", orders=300, customers=120, day=DAY)
    return path


def workstation(generated: Path, folder: Path, name: str, clock: FixedClock) -> Database:
    target = folder / f"{name}.sqlite3"
    shutil.copyfile(generated, target)
    return open_database(f"sqlite:///{target}", clock=clock)


@pytest.fixture
def server_urls(pg_server: PgServer) -> Iterator[list[str]]:
    """The empty server databases a test made (`new_server`), dropped after it."""
    pg_server.ensure_running()
    urls: list[str] = []
    yield urls
    for url in urls:
        pg_server.drop_database(url.rsplit("/", 1)[1])


def new_server(pg_server: PgServer, urls: list[str]) -> str:
    url = pg_server.url(pg_server.create_database("copy"))
    urls.append(url)
    return url


def snapshot(url: str, *, with_ids: bool = False,
             skip: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """Every row of the pushed tables, foreign keys as the referenced rows' natural keys (so
    two servers compare whatever ids they gave), each row as sorted JSON; `skip`: columns
    left out (times of the server's own clock)."""
    db = open_database(url, migrate=False)
    try:
        with db.engine.connect() as conn:
            keys: dict[str, dict[int, Any]] = {}
            for name, cols in NATURAL.items():
                rows = conn.execute(text(f"SELECT id, {', '.join(cols)} FROM {name}")).all()
                keys[name] = {r[0]: tuple(keys["hall"][v] if c == "hall_id" else v
                                          for c, v in zip(cols, r[1:], strict=True))
                              for r in rows}
            for name in ("customer", "line", "service_order"):
                keys[name] = dict(conn.execute(text(f"SELECT id, uid FROM {name}")).all())
            out: dict[str, list[str]] = {}
            for name in SNAPSHOT_TABLES:
                table: Table = Base.metadata.tables[name]
                fks = {c.name: next(iter(c.foreign_keys)).column.table.name
                       for c in table.columns if c.foreign_keys}
                rows = []
                for r in conn.execute(select(table)).mappings():
                    row = {k: v for k, v in r.items()
                           if (with_ids or k != "id") and f"{name}.{k}" not in skip}
                    for col, ref in fks.items():
                        if row.get(col) is not None and ref in keys:
                            row[col] = keys[ref].get(row[col], f"?{row[col]}")
                    rows.append(json.dumps(row, sort_keys=True, default=str,
                                           ensure_ascii=False))
                out[name] = sorted(rows)
            return out
    finally:
        db.dispose()


def staging_tables(url: str) -> int:
    db = open_database(url, migrate=False)
    try:
        with db.engine.connect() as conn:
            return int(conn.execute(text(
                "SELECT count(*) FROM pg_class WHERE relname LIKE 'sync_in_%'")).scalar() or 0)
    finally:
        db.dispose()


class CopySpy:
    """Counts the direct COPYs that worked and those that fell back to staging."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *, refuse: bool = False) -> None:
        self.done = self.fell_back = 0
        real = copy_writer.copy_new

        def spy(raw: Any, table: str, cols: Any, params: Any) -> bool:
            if refuse:
                self.fell_back += 1
                return False
            ok = real(raw, table, cols, params)
            if ok:
                self.done += 1
            else:
                self.fell_back += 1
            return ok

        monkeypatch.setattr(server, "copy_new", spy)


# -- the tests -------------------------------------------------------------------------------------

def test_copy_and_staging_paths_leave_the_same_rows(
        generated: Path, tmp_path: Path, clock: FixedClock, pg_server: PgServer,
        server_urls: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    a_url, b_url = new_server(pg_server, server_urls), new_server(pg_server, server_urls)
    a = workstation(generated, tmp_path, "a", clock)
    spy = CopySpy(monkeypatch)
    report = run_sync(a, a_url, origin="WSC")
    assert spy.done >= 4 and spy.fell_back == 0  # customers, lines, orders, fees, ... COPYed
    assert report.pushed["service_order"] == 300 and not report.issues
    a.dispose()

    monkeypatch.undo()
    b = workstation(generated, tmp_path, "b", clock)
    staged = CopySpy(monkeypatch, refuse=True)  # every batch through the staging table
    run_sync(b, b_url, origin="WSC")
    assert staged.fell_back >= 4
    b.dispose()

    on_a, on_b = snapshot(a_url), snapshot(b_url)
    assert len(on_a["service_order"]) == 300
    assert len(on_a["order_fee"]) > 0 and len(on_a["synced_audit_event"]) > 300
    for table in SNAPSHOT_TABLES:
        assert on_a[table] == on_b[table], table
    assert staging_tables(a_url) == staging_tables(b_url) == 0


def test_a_batch_repeated_after_its_commit_changes_nothing(
        generated: Path, tmp_path: Path, clock: FixedClock, pg_server: PgServer,
        server_urls: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    url = new_server(pg_server, server_urls)
    ws = workstation(generated, tmp_path, "ws", clock)
    run_sync(ws, url, origin="WSR")
    # Rows with a key keep their server id; children (fees, payments) have none and are
    # replaced with their parent, as before COPY (`PushBatch._replace_children`).
    keyed = ("customer", "line", "service_order", "synced_audit_event")
    before, ids_before = snapshot(url), snapshot(url, with_ids=True)
    # The server committed, the workstation did not save its mark (killed in between): the
    # same outbox rows go up again.
    with ws.session() as s:
        for table in ("customer", "line", "service_order", "audit_event"):
            s.execute(text(f"INSERT INTO sync_outbox (tbl, row_id) "
                           f"SELECT '{table}', id FROM {table} ORDER BY id"))
    assert pending_changes(ws) > 700  # 120 customers, 120 lines, 300 orders, their events
    spy = CopySpy(monkeypatch)
    report = run_sync(ws, url)
    assert spy.fell_back >= 1 and spy.done == 0  # every COPY met rows already there
    assert not report.issues and not report.refused
    assert snapshot(url) == before
    ids_after = snapshot(url, with_ids=True)
    assert all(ids_after[t] == ids_before[t] for t in keyed)
    assert staging_tables(url) == 0
    assert pending_changes(ws) == 0
    ws.dispose()


def test_a_batch_rolled_back_after_its_copy_leaves_nothing(
        generated: Path, tmp_path: Path, clock: FixedClock, pg_server: PgServer,
        server_urls: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    url, clean = new_server(pg_server, server_urls), new_server(pg_server, server_urls)
    ws = workstation(generated, tmp_path, "ws", clock)
    real = push.PushBatch._replace_children

    def fail_after_orders(self: push.PushBatch, *args: Any, **kwargs: Any) -> None:
        real(self, *args, **kwargs)  # the orders and their fees are COPYed by now
        raise RuntimeError("the connection broke")

    monkeypatch.setattr(push.PushBatch, "_replace_children", fail_after_orders)
    with pytest.raises(RuntimeError, match="connection broke"):
        run_sync(ws, url, origin="WSB")
    monkeypatch.undo()
    empty = snapshot(url)
    assert empty["service_order"] == [] and empty["order_fee"] == []
    assert empty["customer"] == []  # the same server transaction: rolled back as a whole
    assert staging_tables(url) == 0

    report = run_sync(ws, url)
    assert report.pushed["service_order"] == 300 and not report.issues
    ws.dispose()
    other = workstation(generated, tmp_path, "other", clock)
    run_sync(other, clean, origin="WSB")
    other.dispose()
    assert snapshot(url) == snapshot(clean)


@pytest.mark.slow
def test_sync_killed_while_copying_then_run_again(
        tmp_path: Path, clock: FixedClock, pg_server: PgServer, server_urls: list[str]) -> None:
    url, clean = new_server(pg_server, server_urls), new_server(pg_server, server_urls)
    source = tmp_path / "big.sqlite3"
    generate(f"sqlite:///{source}", orders=6000, customers=2000, day=DAY)
    ws_path = tmp_path / "ws.sqlite3"
    shutil.copyfile(source, ws_path)
    cmd = [sys.executable, "-m", "app", "sync", "--db", f"sqlite:///{ws_path}", "--server",
           url, "--origin", "WSK", "--retries", "0", "--batch", "2500"]
    # Killed once the server shows this run's progress, a random few milliseconds later:
    # mid-copy on any machine (a fixed timer let a fast one finish before the first kill).
    rng = random.Random(13)
    kills = 0
    watched = open_database(url, migrate=False)
    try:
        for _attempt in range(8):
            before = orders_on(watched)
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True, cwd=ROOT)
            wait_for_orders(proc, watched, more_than=before, poll=0.005)
            if proc.poll() is None:
                time.sleep(rng.uniform(0, 0.05))
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                kills += 1
                continue
            _out, err = proc.communicate()
            assert proc.returncode == 0, err
            break
        else:
            final = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=600)
            assert final.returncode == 0, final.stderr
    finally:
        watched.dispose()
    assert kills >= 1, "the sync finished before it could be killed: make it bigger"
    assert staging_tables(url) == 0
    other = tmp_path / "other.sqlite3"
    shutil.copyfile(source, other)
    db = open_database(f"sqlite:///{other}", clock=clock)
    run_sync(db, clean, origin="WSK")
    db.dispose()
    # The killed runs stamped the server's rows with the machine's clock, the clean one with
    # the test's.
    stamps = ("synced_audit_event.received_at", "audit_anchor.at")
    killed, uninterrupted = snapshot(url, skip=stamps), snapshot(clean, skip=stamps)
    assert len(killed["service_order"]) == 6000
    assert killed == uninterrupted
