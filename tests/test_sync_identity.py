"""Identity without coordination: two workstations taking batches (`counter process`) sync to one
real PostgreSQL server (tests/pg_server.py) and no order is lost.

With a batch id of its own each, both workstations' 20 orders reach the server (40). Two that
number under the same prefix (both left at the default B01): the second is refused in one line,
exits non-zero, pushes nothing, and keeps every order waiting on its own disk. An order the
server refuses for any other reason (its number taken on the server) also fails the run and
waits. A workstation's random id is made at its database's first start and never changes.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.clock import FixedClock
from app.db import Database, open_database
from app.models import ServiceOrder, SyncState, WorkstationClaim
from app.services.hall.registry import batch_actor
from app.services.sync.errors import SyncError
from app.services.sync.identity import (
    WORKSTATION_KEY,
    IdentityRefused,
    set_batch_id,
    workstation_id,
)
from app.services.sync.run import run_sync
from app.services.sync.state import read_status
from tests.builders import DAY, personal

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.postgres


def counter(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout)


def requests_file(folder: Path, name: str, first_number: int, n: int = 20) -> Path:
    """`n` batch requests on lines of their own: losses and bill payments."""
    reqs = []
    for i in range(n):
        number = str(first_number + i)
        if i % 2:
            reqs.append(personal("bill_payment", line={"number": number},
                                 details={"amount": 30}))
        else:
            reqs.append(personal("report_loss", line={"number": number}))
    path = folder / f"{name}.json"
    path.write_text(json.dumps(reqs, ensure_ascii=False), encoding="utf-8")
    return path


def process(ws_url: str, path: Path) -> list[str]:
    """`counter process` on a workstation; the order numbers it made."""
    proc = counter("process", str(path), "--db", ws_url)
    assert proc.returncode == 0, proc.stderr
    outcomes = json.loads(proc.stdout)
    numbers = [o["order_no"] for o in outcomes if o.get("order_no")]
    assert len(numbers) == len(outcomes) == 20, outcomes
    return numbers


def server_orders(pg_url: str) -> set[str]:
    db = open_database(pg_url, migrate=False)
    try:
        with db.read() as s:
            return set(s.execute(select(ServiceOrder.order_no)).scalars())
    finally:
        db.dispose()


def local_orders(ws_url: str) -> set[str]:
    db = open_database(ws_url)
    try:
        with db.read() as s:
            return set(s.execute(select(ServiceOrder.order_no)).scalars())
    finally:
        db.dispose()


@pytest.fixture
def opened(clock: FixedClock) -> Iterator[Callable[[str], Database]]:
    dbs: list[Database] = []

    def open_(url: str) -> Database:
        db = open_database(url, clock=clock)
        dbs.append(db)
        return db

    yield open_
    for db in dbs:
        db.dispose()


def test_two_batch_workstations_with_their_own_ids_sync_all_40_orders(
        tmp_path: Path, pg_url: str) -> None:
    a_url, b_url = (f"sqlite:///{tmp_path / n}.sqlite3" for n in ("a", "b"))
    for url, code in ((a_url, "B02"), (b_url, "b03")):
        given = counter("sync", "--db", url, "--batch-id", code)
        assert given.returncode == 0, given.stderr
        assert code.upper() in given.stdout
    made_a = process(a_url, requests_file(tmp_path, "a", 13012340000))
    made_b = process(b_url, requests_file(tmp_path, "b", 13112340000))
    assert all(n.startswith(f"DEMO01-B02-{DAY:%Y%m%d}-") for n in made_a)
    assert all(n.startswith(f"DEMO01-B03-{DAY:%Y%m%d}-") for n in made_b)
    for url in (a_url, b_url):
        synced = counter("sync", "--db", url, "--server", pg_url, "--retries", "0")
        assert synced.returncode == 0, synced.stderr
        assert "service_order 20" in synced.stdout
    assert server_orders(pg_url) == set(made_a) | set(made_b)
    assert len(server_orders(pg_url)) == 40
    db = open_database(pg_url, migrate=False)
    try:
        with db.read() as s:
            claims = {(c.kind, c.name): c.workstation
                      for c in s.execute(select(WorkstationClaim)).scalars()}
    finally:
        db.dispose()
    ids = {}
    for url in (a_url, b_url):
        ws = open_database(url)
        ids[url] = workstation_id(ws)
        ws.dispose()
    assert claims[("counter", "DEMO01-B02")] == ids[a_url]
    assert claims[("counter", "DEMO01-B03")] == ids[b_url]
    assert ids[a_url] != ids[b_url]


def test_second_workstation_on_the_same_prefix_is_refused_and_keeps_its_orders(
        tmp_path: Path, pg_url: str) -> None:
    a_url, b_url = (f"sqlite:///{tmp_path / n}.sqlite3" for n in ("a", "b"))
    made_a = process(a_url, requests_file(tmp_path, "a", 13012340000))
    made_b = process(b_url, requests_file(tmp_path, "b", 13112340000))
    # Both left at the default batch channel: the same numbers, as in the report of issue 13.
    assert set(made_a) == set(made_b)
    first = counter("sync", "--db", a_url, "--server", pg_url, "--retries", "0")
    assert first.returncode == 0, first.stderr
    second = counter("sync", "--db", b_url, "--server", pg_url, "--retries", "0")
    assert second.returncode != 0
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1, second.stderr  # one line, no traceback
    assert "DEMO01-B01" in lines[0] and "另一台工作站" in lines[0]
    assert "another workstation" in lines[0] and "--batch-id B02" in lines[0]
    assert "counter-sync-pw" not in second.stderr + second.stdout
    # Nothing of B went up, nothing of B was lost: every order is still there and waiting.
    assert server_orders(pg_url) == set(made_a)
    assert local_orders(b_url) == set(made_b)
    status = counter("sync", "--db", b_url, "--status")
    assert status.returncode == 0, status.stderr
    shown = dict(line.split(": ", 1) for line in status.stdout.strip().splitlines())
    assert int(shown["waiting"]) > 0 and shown["oldest unsynced order"] != "-"
    assert "DEMO01-B01" in shown["last error"]
    again = counter("sync", "--db", b_url, "--server", pg_url, "--retries", "0")
    assert again.returncode != 0 and "DEMO01-B01" in again.stderr  # refused every time
    assert server_orders(pg_url) == set(made_a)


def test_same_origin_name_is_refused(tmp_path: Path, pg_url: str,
                                     opened: Callable[[str], Database]) -> None:
    a = opened(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    b = opened(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    run_sync(a, pg_url, origin="WS1")
    with pytest.raises(IdentityRefused) as info:
        run_sync(b, pg_url, origin="WS1")
    assert "WS1" in str(info.value) and "--origin" in str(info.value)
    assert "\n" not in str(info.value)
    assert read_status(b).failures == 1
    run_sync(a, pg_url)  # the holder goes on


def test_an_order_the_server_refuses_fails_the_run_and_waits(
        tmp_path: Path, pg_url: str) -> None:
    """A counter working directly on the server took DEMO01-B01-...-00001 (no claim made):
    the workstation's order with that number cannot go up. The run says so and exits 1; the
    order waits in the outbox and is tried again; the rest went up."""
    on_server = tmp_path / "server.json"
    on_server.write_text(json.dumps(personal("report_loss", line={"number": "13212340000"}),
                                    ensure_ascii=False), encoding="utf-8")
    direct = counter("process", str(on_server), "--db", pg_url)
    assert direct.returncode == 0, direct.stderr
    taken = json.loads(direct.stdout)["order_no"]
    ws_url = f"sqlite:///{tmp_path / 'ws.sqlite3'}"
    made = process(ws_url, requests_file(tmp_path, "ws", 13012340000))
    assert taken in made
    synced = counter("sync", "--db", ws_url, "--server", pg_url, "--retries", "0")
    assert synced.returncode == 1, synced.stdout
    assert "1 张订单未能同步" in synced.stderr and taken in synced.stderr
    assert server_orders(pg_url) == {taken} | (set(made) - {taken})
    status = counter("sync", "--db", ws_url, "--status")
    shown = dict(line.split(": ", 1) for line in status.stdout.strip().splitlines())
    assert shown["refused orders (last sync)"] == "1"
    assert int(shown["waiting"]) >= 1 and shown["oldest unsynced order"] != "-"
    again = counter("sync", "--db", ws_url, "--server", pg_url, "--retries", "0")
    assert again.returncode == 1 and taken in again.stderr  # never a silent 0


def test_workstation_id_is_made_at_first_start_and_kept(tmp_path: Path,
                                                        clock: FixedClock) -> None:
    path = tmp_path / "ws.sqlite3"
    db = open_database(f"sqlite:///{path}", clock=clock)
    try:
        with db.read() as s:
            made = s.execute(select(SyncState.value)
                             .where(SyncState.key == WORKSTATION_KEY)).scalar_one()
        assert uuid.UUID(made).version == 4
        assert workstation_id(db) == made
    finally:
        db.dispose()
    db = open_database(f"sqlite:///{path}", clock=clock)
    other = open_database(f"sqlite:///{tmp_path / 'other.sqlite3'}", clock=clock)
    try:
        assert workstation_id(db) == made
        assert workstation_id(other) != made
    finally:
        db.dispose()
        other.dispose()


def test_batch_id_is_checked_and_used_by_the_batch_channel(
        tmp_path: Path, clock: FixedClock) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'ws.sqlite3'}", clock=clock)
    try:
        assert batch_actor(db).counter_code == "B01"
        from app.services.hall.demo import fill_demo

        fill_demo(db, customers=2, today=DAY)
        for bad in ("B-2", "", "TOOLONGID"):
            with pytest.raises(SyncError):
                set_batch_id(db, bad)
        with pytest.raises(SyncError, match="C01"):
            set_batch_id(db, "C01")  # a counter of the hall
        assert set_batch_id(db, " b07 ") == "B07"
        actor = batch_actor(db)
        assert actor.counter_code == "B07" and actor.channel == "batch"
        with db.read() as s:
            assert s.execute(select(func.count()).select_from(ServiceOrder)).scalar() == 0
    finally:
        db.dispose()
