"""Backups of the live database and restoring them: consistent copies while orders are being
written, the daily schedule and pruning, and a restore that checks the file first, refuses
while the database is in use and keeps the replaced file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.core.request import parse_request
from app.db import Database, open_database
from app.models import ServiceOrder
from app.services.exchange.backup import (
    BackupError,
    BackupPolicy,
    backups_in,
    make_backup,
    prune_backups,
    run_scheduled_backup,
)
from app.services.exchange.restore import restore_backup, verify_backup
from app.services.hall.demo import DEMO_PASSWORD
from app.services.hall.registry import Actor, batch_actor
from app.services.orders.service import OrderService, Submission
from tests.builders import personal
from tests.gui.ui_fixtures import op_runner

ROOT = Path(__file__).resolve().parents[1]
_ = op_runner  # a fixture (the backup timer's test)
pytestmark = pytest.mark.sqlite_only("a backup is a copy of the SQLite file")


def supervisor(_db: Database) -> Actor:
    """Stands for `gate.supervisor_login` (its checks are tested in test_side_doors.py)."""
    return Actor(None, "S001", "值班长", "supervisor", 1, 1, "C01")


def orders(db: Database) -> int:
    with db.read() as s:
        return int(s.execute(select(func.count()).select_from(ServiceOrder)).scalar() or 0)


def submit(db: Database, n: int) -> None:
    service, actor = OrderService(db), batch_actor(db)
    done = orders(db)  # the same request again is a new order only as the next occurrence
    for i in range(n):
        service.submit(Submission(parse_request(personal("report_loss")), occurrence=done + i),
                       actor)


def test_backup_is_consistent_while_orders_are_written(order_service: OrderService,
                                                       tmp_path: Path) -> None:
    db = order_service.db
    submit(db, 3)
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            while not stop.is_set():
                submit(db, 1)
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        # a second apart, as the copies' names are (the clock stands still)
        copies = [make_backup(db, tmp_path / "b", now=db.clock.now() + timedelta(seconds=i))
                  for i in range(3)]
    finally:
        stop.set()
        thread.join()
    assert not errors
    counts = []
    for result in copies:
        con = sqlite3.connect(result.path)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        n = con.execute("SELECT COUNT(*) FROM service_order").fetchone()[0]
        # every order in the copy is whole: its audit event and line history are there too
        assert con.execute("SELECT COUNT(*) FROM audit_event WHERE action='order.accept'"
                           ).fetchone()[0] == n
        con.close()
        counts.append(n)
    assert counts[0] >= 3 and counts == sorted(counts)
    assert not list((tmp_path / "b").glob(".*partial"))


def test_daily_schedule_and_pruning(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    policy = BackupPolicy(folder=folder, daily_at=clock(12, 30), keep_days=3,
                          timezone="Asia/Shanghai")
    day = datetime(2026, 11, 22, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai: not yet
    assert run_scheduled_backup(db, policy, now=day) is None
    first = run_scheduled_backup(db, policy, now=day + timedelta(hours=1))  # 13:00
    assert first is not None and first.path.exists()
    assert run_scheduled_backup(db, policy, now=day + timedelta(hours=5)) is None  # once a day
    made = [first.path]
    for d in range(1, 6):
        result = run_scheduled_backup(db, policy, now=day + timedelta(days=d, hours=1))
        assert result is not None
        made.append(result.path)
    left = [p for _, p in backups_in(folder)]
    assert left == made[-4:]  # kept for 3 days: older ones removed
    assert prune_backups(folder, 0, now=day + timedelta(days=30)) == made[-4:-1]
    assert [p for _, p in backups_in(folder)] == made[-1:]  # the newest always stays


def test_restore_refuses_while_in_use_and_keeps_the_old_file(order_service: OrderService,
                                                             tmp_path: Path) -> None:
    db = order_service.db
    submit(db, 2)
    backup = make_backup(db, tmp_path / "b").path
    submit(db, 3)
    path = db.sqlite_path
    assert path is not None
    with db.read() as s:  # a counter window still has the database open
        s.execute(select(1)).all()
        with pytest.raises(BackupError, match="in use"):
            restore_backup(backup, path, supervisor=supervisor)
    db.dispose()
    check = open_database(f"sqlite:///{path}", clock=db.clock)
    assert orders(check) == 5  # nothing was touched
    check.dispose()
    result = restore_backup(backup, path, supervisor=supervisor)
    assert result.previous is not None and result.previous.exists()
    assert result.previous.name.startswith(f"{path.name}.replaced-")
    restored = open_db(path, db)
    assert orders(restored) == 2
    assert restored.integrity_ok()
    kept = sqlite3.connect(result.previous)
    assert kept.execute("SELECT COUNT(*) FROM service_order").fetchone()[0] == 5
    kept.close()


def open_db(path: Path, before: Database) -> Database:
    """The restored file, opened as the program would (with the same clock as before)."""
    db = open_database(f"sqlite:///{path}", clock=before.clock)
    import atexit

    atexit.register(db.dispose)
    return db


def test_restore_gives_a_new_sync_name(db: Database, tmp_path: Path) -> None:
    from app.services.sync.state import get_origin, set_origin

    set_origin(db, "DEMO01-WS7")
    backup = make_backup(db, tmp_path / "b").path
    path = db.sqlite_path
    assert path is not None
    db.dispose()
    result = restore_backup(backup, path, supervisor=supervisor)
    assert result.origin and result.origin.startswith("DEMO01-WS7-R")
    again = open_db(path, db)
    assert get_origin(again) == result.origin


def test_restore_checks_the_file_first(db: Database, tmp_path: Path) -> None:
    path = db.sqlite_path
    assert path is not None
    good = make_backup(db, tmp_path / "b").path
    assert verify_backup(good)
    db.dispose()
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(BackupError, match="not a valid database"):
        restore_backup(junk, path, supervisor=supervisor)
    other = tmp_path / "other.sqlite3"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE notes (x)")
    con.close()
    with pytest.raises(BackupError, match="no version table"):
        restore_backup(other, path, supervisor=supervisor)
    newer = tmp_path / "newer.sqlite3"
    newer.write_bytes(good.read_bytes())
    con = sqlite3.connect(newer)
    con.execute("INSERT INTO alembic_version VALUES ('9999_future')")
    con.commit()
    con.close()
    with pytest.raises(BackupError, match="newer program"):
        restore_backup(newer, path, supervisor=supervisor)
    damaged = tmp_path / "damaged.sqlite3"
    data = bytearray(good.read_bytes())
    page = 4096
    for i in range(page * 2, min(len(data), page * 6)):  # scribble over b-tree pages
        data[i] = 0xA5
    damaged.write_bytes(bytes(data))
    with pytest.raises(BackupError):
        restore_backup(damaged, path, supervisor=supervisor)
    assert not list(path.parent.glob("*.replaced-*"))  # nothing was replaced


def test_cli_backup_and_restore(demo_db: Database, db_url: str, tmp_path: Path) -> None:
    demo_db.dispose()

    def counter(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True,
                              text=True, cwd=ROOT, timeout=300, env={
                                  **os.environ, "COUNTER_STAFF": "S001",
                                  "COUNTER_STAFF_PASSWORD": DEMO_PASSWORD})

    made = counter("backup", "--db", db_url, "--dir", str(tmp_path / "b"), "--keep-days", "7")
    assert made.returncode == 0, made.stderr
    files = list((tmp_path / "b").glob("*.sqlite3"))
    assert len(files) == 1 and "backup written" in made.stdout
    restored = counter("restore", str(files[0]), "--db", db_url)
    assert restored.returncode == 0, restored.stderr
    assert "replaced file is kept" in restored.stdout
    missing = counter("restore", str(tmp_path / "nope.sqlite3"), "--db", db_url)
    assert missing.returncode == 1 and "no backup file" in missing.stderr
    assert "Traceback" not in missing.stderr


@pytest.mark.gui
def test_backup_timer_makes_the_days_backup_in_the_background(db: Database, tmp_path: Path,
                                                              op_runner: object,
                                                              qtbot: object) -> None:
    from app.ui.data.sync_status import BackupTimer

    policy = BackupPolicy(folder=tmp_path / "b", daily_at=clock(0, 0), keep_days=7,
                          timezone="UTC")
    timer = BackupTimer(op_runner, db, policy, every_s=3600)  # type: ignore[arg-type]
    with qtbot.waitSignal(timer.backed_up, timeout=30000) as blocker:  # type: ignore[attr-defined]
        timer.check()
    assert blocker.args[0].path.exists()
    timer.check()  # done for today: nothing more
    op_runner.wait_idle()  # type: ignore[attr-defined]
    assert len(backups_in(tmp_path / "b")) == 1
    timer.timer.stop()
