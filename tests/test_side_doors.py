"""No side doors (issue #15): `counter export`, `import` and `restore` need a supervisor's
credentials (COUNTER_STAFF / COUNTER_STAFF_PASSWORD, or asked on a terminal), are audited, and
write nothing — no file, no folder, no row — before the key and the credentials are checked.
A restore records "restored from backup, N orders discarded" in the restored chain.

The commands run as subprocesses, as an administrator would run them, on SQLite and on a
PostgreSQL server (`db_url`); a restore is of a SQLite file only."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.core.request import parse_request
from app.db import Database, open_database
from app.models import AuditEvent, ServiceOrder
from app.services.audit.verify import verify_audit
from app.services.exchange.backup import make_backup
from app.services.exchange.export import ExportRequest, export_data
from app.services.exchange.gate import supervisor_login
from app.services.exchange.restore import restore_backup
from app.services.hall.demo import DEMO_PASSWORD
from app.services.hall.first_run import FirstRun, run_first_setup
from app.services.hall.registry import batch_actor
from app.services.orders.service import OrderService, Submission
from app.services.staff.auth import AuthError
from tests.builders import DAY, personal
from tests.security_fixtures import events, row_counts

ROOT = Path(__file__).resolve().parents[1]
SUPERVISOR = {"COUNTER_STAFF": "S001", "COUNTER_STAFF_PASSWORD": DEMO_PASSWORD}
CLERK = {"COUNTER_STAFF": "C001", "COUNTER_STAFF_PASSWORD": DEMO_PASSWORD}
WRONG_PASSWORD = {"COUNTER_STAFF": "S001", "COUNTER_STAFF_PASSWORD": "not-the-password-1"}
WRONG_KEY = {**SUPERVISOR, "COUNTER_KEY_PASSPHRASE": "not-the-passphrase-at-all"}
MANAGER = {"COUNTER_STAFF": "M900", "COUNTER_STAFF_PASSWORD": "Import-Manager-2026"}
TO_THE_DAY = ("--from", DAY.isoformat(), "--to", DAY.isoformat())


def counter(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`counter ARGS` with no terminal and no credentials but those given."""
    base = {k: v for k, v in os.environ.items()
            if k not in ("COUNTER_STAFF", "COUNTER_STAFF_PASSWORD")}
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300, stdin=subprocess.DEVNULL,
                          env={**base, **(env or {})})


def refused(proc: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    """Refused with `code` and one line naming the problem (no traceback)."""
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    for word in words:
        assert word in proc.stderr, (word, proc.stderr)


def submit(db: Database, n: int) -> list[str]:
    service, actor = OrderService(db), batch_actor(db)
    numbers = []
    for _ in range(n):
        result = service.submit(Submission(parse_request(personal("report_loss")),
                                           request_id=uuid.uuid4().hex), actor)
        assert result.order_no
        numbers.append(result.order_no)
    return numbers


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def day_db(demo_db: Database) -> Database:
    submit(demo_db, 2)
    return demo_db


# -- export ----------------------------------------------------------------------------------------

def test_export_needs_a_supervisor_and_writes_nothing_before(day_db: Database, db_url: str,
                                                             tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    out = exports / "day"
    before = row_counts(day_db)

    def export(env: dict[str, str], *extra: str) -> subprocess.CompletedProcess[str]:
        return counter("export", "--db", db_url, *TO_THE_DAY, "--out", str(out), *extra,
                       env=env)

    refused(export({}), 2, "COUNTER_STAFF", "COUNTER_STAFF_PASSWORD")
    assert row_counts(day_db) == before
    # The case of the issue: a wrong passphrase used to print this, exit 1, and still write
    # all seven files and the manifest.
    refused(export(WRONG_KEY), 1, "密钥文件口令错误")
    refused(export(WRONG_KEY, "--format", "jsonl", "--unmasked", "--reason", "公安机关协查"), 1,
            "密钥文件口令错误")
    assert row_counts(day_db) == before
    assert list(exports.iterdir()) == []  # no folder, no file, no manifest, no temp folder

    refused(export(WRONG_PASSWORD), 1)
    assert [e.action for e in events(day_db)][-1] == "login.fail"
    assert row_counts(day_db) == {**before, "audit_event": before["audit_event"] + 1}
    refused(export(CLERK), 1, "权限不足")
    assert [e.action for e in events(day_db)][-2:] == ["login.ok", "permission.denied"]
    assert list(exports.iterdir()) == []

    done = export(SUPERVISOR, "--format", "jsonl")
    assert done.returncode == 0, done.stderr
    assert "orders.jsonl: 2 rows" in done.stdout
    [event] = events(day_db, "export")
    assert (event.actor, event.data["masked"]) == ("S001", True)  # a masked export too
    assert event.data["manifest_sha256"] == sha256(out / "manifest.json")
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []


def on_a_terminal(args: list[str], answers: list[tuple[str, str]],
                  env: dict[str, str]) -> tuple[int, str]:
    """Run `counter ARGS` on a pseudo-terminal, answering each prompt (a text it waits for)
    as a person would; returns the exit status and everything the terminal showed."""
    import pty
    import select

    pid, fd = pty.fork()
    if pid == 0:  # the child: the command, with the terminal as its controlling tty
        try:
            os.chdir(ROOT)
            os.execve(sys.executable, [sys.executable, "-m", "app", *args], env)
        finally:
            os._exit(127)  # never back into the test run
    shown, pending = b"", list(answers)
    try:
        while True:
            ready, _, _ = select.select([fd], [], [], 120)
            if not ready:
                raise AssertionError(f"no answer from the command: {shown!r}")
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the command ended (EIO on Linux)
                break
            if not chunk:
                break
            shown += chunk
            if pending and pending[0][0].encode() in shown.rsplit(b"\n", 1)[-1]:
                os.write(fd, pending.pop(0)[1].encode() + b"\n")
    finally:
        os.close(fd)
    status = os.waitpid(pid, 0)[1]
    return os.waitstatus_to_exitcode(status), shown.decode(errors="replace")


@pytest.mark.sqlite_only("one backend is enough to show the questions")
def test_on_a_terminal_the_credentials_are_asked(day_db: Database, db_url: str,
                                                 tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("COUNTER_STAFF", "COUNTER_STAFF_PASSWORD")}
    out = tmp_path / "asked"
    code, shown = on_a_terminal(
        ["export", "--db", db_url, *TO_THE_DAY, "--out", str(out)],
        [("staff number", "S001"), ("password", DEMO_PASSWORD)], env)
    assert code == 0, shown
    assert DEMO_PASSWORD not in shown  # not echoed
    assert (out / "manifest.json").exists()
    assert [e.actor for e in events(day_db, "export")] == ["S001"]


# -- import ----------------------------------------------------------------------------------------

def set_up(url: str, db: Database) -> Database:
    """A new database set up as the counter window's first start does it (no business data)."""
    target = open_database(url, clock=db.clock)
    run_first_setup(target, FirstRun("复制营业厅", "DEMO01", "unicom", "C01", MANAGER[
        "COUNTER_STAFF"], "王经理", MANAGER["COUNTER_STAFF_PASSWORD"]))
    return target


def test_import_needs_a_supervisor_of_the_target_and_is_audited(day_db: Database,
                                                                tmp_path: Path) -> None:
    export = tmp_path / "x"
    export_data(day_db, batch_actor(day_db), ExportRequest(DAY, DAY, "jsonl", export))
    missing = tmp_path / "missing.sqlite3"
    refused(counter("import", "--db", f"sqlite:///{missing}", str(export), env=MANAGER), 2,
            "set the hall")
    assert not missing.exists()  # no database made for it

    url = f"sqlite:///{tmp_path / 'target.sqlite3'}"
    target = set_up(url, day_db)
    try:
        before = row_counts(target)
        refused(counter("import", "--db", url, str(export)), 2, "COUNTER_STAFF")
        refused(counter("import", "--db", url, str(export),
                        env={**MANAGER, "COUNTER_KEY_PASSPHRASE": "not-the-passphrase-at-all"}),
                1, "密钥文件口令错误")
        assert row_counts(target) == before
        refused(counter("import", "--db", url, str(export), env=SUPERVISOR), 1)  # not here
        assert row_counts(target) == {**before, "audit_event": before["audit_event"] + 1}

        done = counter("import", "--db", url, str(export), env=MANAGER)
        assert done.returncode == 0 and "orders 2" in done.stdout, done.stderr
        [event] = events(target, "import")
        assert event.actor == MANAGER["COUNTER_STAFF"] and event.data["counts"]["orders"] == 2
        assert event.data["manifest_sha256"] == sha256(export / "manifest.json")
        assert verify_audit(target).ok
    finally:
        target.dispose()


# -- restore ---------------------------------------------------------------------------------------

def orders_in(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return sorted(r[0] for r in con.execute("SELECT order_no FROM service_order"))
    finally:
        con.close()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()
                  if ".replaced-" in p.name or ".restoring" in p.name)


@pytest.mark.sqlite_only("a restore replaces a SQLite file")
def test_restore_needs_a_supervisor_and_records_the_discarded_orders(day_db: Database,
                                                                    tmp_path: Path) -> None:
    path = day_db.sqlite_path
    assert path is not None
    backup = make_backup(day_db, tmp_path / "b").path
    lost = submit(day_db, 3)  # made after the backup: a restore discards them
    day_db.dispose()
    live = orders_in(path)
    assert len(live) == 5

    def restore(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        return counter("restore", str(backup), "--db", f"sqlite:///{path}", env=env)

    refused(restore({}), 2, "COUNTER_STAFF")
    refused(restore(WRONG_KEY), 1, "密钥文件口令错误")
    refused(restore(WRONG_PASSWORD), 1)
    refused(restore(CLERK), 1, "权限不足")
    assert orders_in(path) == live and leftovers(path.parent) == []
    check = open_database(f"sqlite:///{path}", clock=day_db.clock)
    try:  # the refusals are on record in the database that was not replaced
        actions = [e.action for e in events(check)]
        assert actions[-3:] == ["login.fail", "login.ok", "permission.denied"]
    finally:
        check.dispose()

    done = restore(SUPERVISOR)
    assert done.returncode == 0, done.stderr
    assert "3 orders made after the backup were discarded" in done.stdout
    [kept] = [p for p in path.parent.iterdir() if ".replaced-" in p.name]
    assert orders_in(kept) == live  # the discarded database is kept aside
    assert orders_in(path) == sorted(set(live) - set(lost))
    restored = open_database(f"sqlite:///{path}", clock=day_db.clock)
    try:
        last = events(restored)[-1]
        assert (last.action, last.actor) == ("restore", "S001")
        assert last.data["summary"] == "restored from backup, 3 orders discarded"
        assert last.data["discarded"] == 3 and last.data["orders"] == sorted(lost)
        assert last.data["replaced_file"] == kept.name and last.target == backup.name
        assert verify_audit(restored).ok  # the event continues the backup's chain
    finally:
        restored.dispose()


@pytest.mark.sqlite_only("a restore replaces a SQLite file")
def test_restore_without_a_database_asks_the_backups_supervisor(day_db: Database,
                                                               tmp_path: Path) -> None:
    backup = make_backup(day_db, tmp_path / "b").path
    folder = tmp_path / "new"
    folder.mkdir()
    target = folder / "counter.sqlite3"

    def wrong(db: Database) -> Any:
        return supervisor_login(db, "S001", "not-the-password-1")

    with pytest.raises(AuthError):
        restore_backup(backup, target, supervisor=wrong)
    assert list(folder.iterdir()) == []  # the copy it was checked on is gone

    def right(db: Database) -> Any:
        return supervisor_login(db, "S001", DEMO_PASSWORD)

    result = restore_backup(backup, target, supervisor=right)
    assert (result.previous, result.discarded, result.by) == (None, 0, "S001")
    restored = open_database(f"sqlite:///{target}", clock=day_db.clock)
    try:
        with restored.read() as s:
            assert s.execute(select(func.count()).select_from(ServiceOrder)).scalar() == 2
            tail = s.execute(select(AuditEvent.action).order_by(AuditEvent.seq.desc())
                             .limit(2)).scalars().all()
        assert tail == ["restore", "login.ok"]  # the log-in was on the restored copy
        assert verify_audit(restored).ok
    finally:
        restored.dispose()

    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / "counter.sqlite3").write_bytes(b"not a database any more" * 500)
    result = restore_backup(backup, damaged / "counter.sqlite3", supervisor=right)
    assert result.previous is not None and result.previous.exists()  # kept as it was
    assert result.discarded is None  # not known: the replaced file could not be read
    restored = open_database(f"sqlite:///{damaged / 'counter.sqlite3'}", clock=day_db.clock)
    try:
        last = events(restored)[-1]
        assert last.data["summary"] == "restored from backup, ? orders discarded"
    finally:
        restored.dispose()
