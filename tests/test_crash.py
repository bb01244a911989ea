"""Crash safety: a killed `counter process`, a read-only database, a full disk, a damaged file.

The kill loop (marked slow) runs `counter process --jsonl` on 30 requests and kills it with
SIGKILL at random moments while it writes orders, at least 50 times. After every kill the
database must pass `PRAGMA integrity_check`, hold every order whose outcome line was printed,
and hold no partial order: each order has its audit event, its line history, its fees and
payments adding up to its total, and its signature record; every intake entry its event; and
the audit chain still verifies.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.clock import FixedClock
from tests.builders import personal

KILLS = 50
REQUESTS = 30
pytestmark = pytest.mark.sqlite_only("what a crash leaves in the SQLite file and its WAL")


def request_pool() -> list[dict]:
    """Accepted requests that write every part of an order, and one rejected (intake)."""
    return [
        personal("report_loss", line={"number": "13200000001"}),
        personal("sim_replacement", documents=["sim_card"], line={"number": "13200000002"}),
        personal("bill_payment", details={"amount": 50}, line={"number": "13200000003"}),
        personal("new_activation", line=None, details={"package": "畅爽套餐"}),
        personal("intl_roaming_open", details={"destination": "日本"},
                 line={"number": "13200000004"}),
        personal("number_change", details={"new_number": "13099998888"},
                 line={"number": "13200000005", "arrears": 58}),
        personal("complaint", line=None, details={"subject": "网速慢", "description": "晚上"}),
    ]


def requests_file(tmp_path: Path, count: int = REQUESTS) -> Path:
    pool = request_pool()
    path = tmp_path / "requests.json"
    path.write_text(json.dumps([pool[i % len(pool)] for i in range(count)], ensure_ascii=False),
                    encoding="utf-8")
    return path


def counter(*args: str, **kw: object) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "app", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kw)  # type: ignore[call-overload]


def run_counter(*args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          timeout=120, **kw)  # type: ignore[call-overload]


@pytest.fixture
def hall_db(tmp_path: Path, clock: FixedClock) -> tuple[str, Path]:
    """A demo hall (ten customers) in a file, with its engine closed."""
    from app.db import open_database
    from app.services.hall.demo import fill_demo

    path = tmp_path / "counter.sqlite3"
    db = open_database(f"sqlite:///{path}", clock=clock)
    fill_demo(db, customers=10)
    db.dispose()
    return f"sqlite:///{path}", path


def integrity(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return str(con.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        con.close()


def partial_orders(path: Path) -> list[str]:
    """Orders missing a part that the one transaction must have written with them."""
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    problems: list[str] = []
    try:
        for o in con.execute("SELECT * FROM service_order"):
            no, oid = o["order_no"], o["id"]
            if con.execute("SELECT count(*) FROM audit_event WHERE action = 'order.accept' "
                           "AND target = ?", (no,)).fetchone()[0] != 1:
                problems.append(f"{no}: no audit event")
            if o["line_id"] is not None and not con.execute(
                    "SELECT 1 FROM line_history WHERE order_no = ?", (no,)).fetchone():
                problems.append(f"{no}: no line history")
            outcome = json.loads(o["outcome"])
            fees = con.execute("SELECT count(*), coalesce(sum(amount_fen), 0) FROM order_fee "
                               "WHERE order_id = ?", (oid,)).fetchone()
            if fees[0] != len(outcome["fees"]) or fees[1] != o["total_fen"]:
                problems.append(f"{no}: fees {tuple(fees)} vs total {o['total_fen']}")
            paid = con.execute("SELECT coalesce(sum(amount_fen), 0) FROM order_payment "
                               "WHERE order_id = ?", (oid,)).fetchone()[0]
            if paid != o["total_fen"]:
                problems.append(f"{no}: paid {paid} of {o['total_fen']}")
            if not con.execute("SELECT 1 FROM signature_record WHERE order_id = ?",
                               (oid,)).fetchone():
                problems.append(f"{no}: no signature record")
        for uid, decision in con.execute("SELECT uid, decision FROM intake_entry"):
            if not con.execute("SELECT 1 FROM audit_event WHERE action = ? AND "
                               "json_extract(data, '$.intake') = ?",
                               (f"intake.{decision}", uid)).fetchone():
                problems.append(f"intake {uid}: no audit event")
        last = {(c, d): n for c, d, n in con.execute(
            "SELECT counter_id, business_date, last FROM order_sequence")}
        for c, d, n in con.execute("SELECT counter_id, business_date, count(*) FROM "
                                   "service_order GROUP BY counter_id, business_date"):
            if last.get((c, d), 0) < n:
                problems.append(f"order sequence behind its orders at counter {c} on {d}")
    finally:
        con.close()
    return problems


def order_numbers(path: Path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {r[0] for r in con.execute("SELECT order_no FROM service_order")}
    finally:
        con.close()


@pytest.mark.slow
def test_killed_while_writing_orders_leaves_a_sound_database(hall_db, tmp_path, clock):
    url, path = hall_db
    requests = requests_file(tmp_path)
    rng = random.Random(20261122)
    reported: set[str] = set()
    kills = finished = lines_seen = 0
    started = time.monotonic()
    while kills < KILLS:
        proc = counter("process", str(requests), "--db", url, "--jsonl")
        assert proc.stdout is not None
        # Usually wait for k outcome lines (k orders committed) and kill during the next
        # write; sometimes kill blind, during start-up or the first write.
        target = rng.randrange(REQUESTS) if rng.random() < 0.8 else 0
        got: list[dict] = []
        if target == 0:
            time.sleep(rng.uniform(0.3, 1.5))
        else:
            while len(got) < target:
                line = proc.stdout.readline()
                if not line:
                    break
                got.append(json.loads(line))
            time.sleep(rng.uniform(0, 0.02))
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate(timeout=30)
        got += [json.loads(line) for line in out.splitlines() if line.strip()]
        if proc.returncode == -signal.SIGKILL:
            kills += 1
        else:
            assert proc.returncode == 0, err
            finished += 1
        lines_seen += len(got)
        reported |= {o["order_no"] for o in got if o["order_no"]}

        assert integrity(path) == "ok", f"after kill {kills}"
        missing = reported - order_numbers(path)
        assert not missing, f"reported orders lost after kill {kills}: {sorted(missing)[:5]}"
        assert partial_orders(path) == [], f"after kill {kills}"

    from app.db import open_database
    from app.services.audit.verify import verify_audit

    db = open_database(url, clock=clock)
    try:
        report = verify_audit(db)
    finally:
        db.dispose()
    assert report.ok, report.describe()
    elapsed = time.monotonic() - started
    print(f"\n{kills} kills, {finished} runs finished, {lines_seen} outcome lines, "
          f"{len(reported)} reported orders, {report.checked} audit events, {elapsed:.0f} s")
    assert kills >= KILLS
    # Run once more to the end: every order is told (replays of the killed runs' orders),
    # and none was recorded twice: one order per accepted request of the batch.
    final = run_counter("process", str(requests), "--db", url, "--jsonl")
    assert final.returncode == 0, final.stderr
    told = [json.loads(line)["order_no"] for line in final.stdout.splitlines() if line.strip()]
    told_orders = [n for n in told if n]
    assert len(told) == REQUESTS and len(told_orders) == len(set(told_orders))
    assert set(told_orders) == order_numbers(path) and reported <= set(told_orders)


# --------------------------------------------------------------------------- broken ground


def test_a_read_only_database_is_refused_clearly_and_left_intact(hall_db, tmp_path):
    _url, path = hall_db
    copy = tmp_path / "readonly.sqlite3"
    shutil.copy(path, copy)
    before = order_numbers(copy)
    copy.chmod(0o444)
    # As root a file mode does not stop writes; SQLite's read-only mode is what any user gets.
    url = f"sqlite:///file:{copy}?mode=ro&uri=true"
    result = run_counter("process", str(requests_file(tmp_path, 3)), "--db", url)
    assert result.returncode == 1, result.stdout
    assert result.stderr.strip() == "counter: 数据库为只读，无法写入 / the database is read-only"
    assert "Traceback" not in result.stderr
    copy.chmod(0o644)
    assert integrity(copy) == "ok" and order_numbers(copy) == before


def test_a_full_disk_is_refused_clearly_and_leaves_no_damage(hall_db, tmp_path):
    _url, path = hall_db
    copy = tmp_path / "full.sqlite3"
    shutil.copy(path, copy)
    before = order_numbers(copy)
    limit = 16 * 1024  # bytes any file may grow to: the WAL cannot take a whole order

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = run_counter("process", str(requests_file(tmp_path, 5)), "--db",
                         f"sqlite:///{copy}", preexec_fn=small_disk)
    assert result.returncode == 1, (result.stdout, result.stderr)
    message = result.stderr.strip()
    assert message.startswith("counter: ") and "\n" not in message
    assert "磁盘" in message and "未写入任何数据" in message
    assert integrity(copy) == "ok" and order_numbers(copy) == before
    assert partial_orders(copy) == []
    # With room again, the same requests go through.
    again = run_counter("process", str(requests_file(tmp_path, 5)), "--db", f"sqlite:///{copy}")
    assert again.returncode == 0, again.stderr
    assert len(order_numbers(copy)) == len(before) + 5  # the first five of the pool: accepted


def test_a_damaged_file_is_refused_at_start_naming_the_newest_backup(hall_db, tmp_path, clock):
    from app.db import DatabaseError, open_database

    _url, path = hall_db
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    older = path.with_name("counter.pre-upgrade-20261101T000000Z.sqlite3")
    newer = path.with_name("counter.pre-upgrade-20261120T000000Z.sqlite3")
    for backup, age in ((older, 3600), (newer, 60)):
        shutil.copy(path, backup)
        os.utime(backup, (time.time() - age, time.time() - age))
    # Scribble over the middle of the file, where tables and indexes live.
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 3, min(len(data), page * 40), page):
        data[offset + 8:offset + 200] = os.urandom(192)
    path.write_bytes(bytes(data))

    with pytest.raises(DatabaseError) as err:
        open_database(f"sqlite:///{path}", clock=clock)
    message = str(err.value)
    assert "已损坏" in message and str(newer) in message
    result = run_counter("process", str(requests_file(tmp_path, 1)), "--db", f"sqlite:///{path}")
    assert result.returncode == 1 and "已损坏" in result.stderr and str(newer) in result.stderr


def test_a_file_that_is_no_database_is_refused(tmp_path):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database at all " * 200)
    result = run_counter("process", str(requests_file(tmp_path, 1)), "--db", f"sqlite:///{junk}")
    assert result.returncode == 1
    assert "不是数据库" in result.stderr and "Traceback" not in result.stderr
    assert junk.read_bytes() == b"this is not a database at all " * 200
