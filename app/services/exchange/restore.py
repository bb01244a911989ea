"""Restoring a backup over the workstation's SQLite database (`counter restore`).

**Checks first**: the backup file (`PRAGMA integrity_check`, our Alembic version table present,
no schema revision this program does not know), then the supervisor (`supervisor`, e.g.
`gate.supervisor_login`): on the database about to be replaced when it opens (its supervisor
decides to discard its data, and a failed log-in is recorded there and counts towards the
lockout), else, when there is no such file or it is damaged, on the copy of the backup that is
about to take its place (a refused copy is deleted with its log-in attempt).

**The swap**: the database is taken over exclusively: switching it out of WAL mode only
succeeds when no other connection has it open, so a restore is **refused while any counter
window, sync or command has the file open**. The current file is kept beside it as
``<name>.replaced-<UTC time>`` and the copy of the backup moved into place.

**Afterwards**: the restored database gets a new sync name (origin): its audit chain continues
from the backup's last event, and the server keeps chains per origin, so the events made after
the backup and lost with the replaced file never collide with new ones. Order numbers made
after the backup may be made again: sync reports them as conflicts. The restored chain then
records the `restore` event: who, from which backup, and the orders of the replaced database
that the backup does not hold ("N orders discarded", their numbers up to `LISTED`).
"""

from __future__ import annotations

import heapq
import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from app.clock import SYSTEM_CLOCK, Clock
from app.db import Database, DatabaseError, open_database
from app.db.migrate import online_copy
from app.services.exchange.backup import STAMP, BackupError
from app.services.hall.registry import Actor

LISTED: Final = 100  # discarded order numbers named in the restore event

Supervisor = Callable[[Database], Actor]


@dataclass
class RestoreResult:
    restored: Path
    previous: Path | None
    revisions: set[str]
    origin: str | None
    by: str = ""
    discarded: int | None = 0  # orders of the replaced database not in the backup (None: unreadable)
    discarded_orders: list[str] = field(default_factory=list)  # the first `LISTED`, sorted


def verify_backup(path: Path) -> set[str]:
    """Check a backup file; returns its schema revisions or raises `BackupError`."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from app.db.migrate import MIGRATIONS

    path = Path(path)
    if not path.is_file():
        raise BackupError(f"备份文件不存在：{path}", f"no backup file at {path}")
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            check = [r[0] for r in con.execute("PRAGMA integrity_check")]
            tables = {r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            revisions = ({r[0] for r in con.execute("SELECT version_num FROM alembic_version")}
                         if "alembic_version" in tables else set())
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"不是有效的数据库文件：{path}（{exc}）",
                          f"not a valid database file: {path} ({exc})") from None
    if check != ["ok"]:
        raise BackupError(f"备份文件已损坏（integrity_check：{check[0]}）",
                          f"the backup file is damaged (integrity_check: {check[0]})")
    if not revisions or "service_order" not in tables:
        raise BackupError("这不是本程序的数据库备份（没有版本表）",
                          "not a backup of this program's database (no version table)")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    known = {rev.revision for rev in ScriptDirectory.from_config(cfg).walk_revisions()}
    unknown = revisions - known
    if unknown:
        raise BackupError("备份来自更新版本的程序，请先升级程序",
                          f"the backup was written by a newer program (schema "
                          f"{', '.join(sorted(unknown))}): upgrade the program first")
    return revisions


def _take_exclusively(path: Path) -> sqlite3.Connection | None:
    """An exclusive hold on the database, or `BackupError` when something has it open; None
    for a file SQLite cannot read as a database (nothing can be using it as one: it is
    moved aside as it is).

    Leaving WAL mode needs every other connection closed (SQLite refuses with "locked"
    otherwise); it also folds the WAL into the main file, so the file kept aside is whole."""
    con = sqlite3.connect(path, timeout=0.5, isolation_level=None)
    try:
        mode = con.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        if str(mode).lower() != "delete":
            raise sqlite3.OperationalError("database is locked")
        con.execute("BEGIN EXCLUSIVE")
    except sqlite3.DatabaseError as exc:
        con.close()
        if "locked" in str(exc) or "busy" in str(exc):
            raise BackupError(
                "数据库正在使用中（柜台程序、同步或其他命令打开着它），请先全部关闭再恢复",
                "the database is in use (a counter window, sync or another command has it "
                "open): close them all, then restore") from None
        if isinstance(exc, sqlite3.OperationalError):
            raise BackupError(f"无法打开数据库：{exc}",
                              f"cannot open the database: {exc}") from None
        return None  # "file is not a database", "malformed": damaged beyond opening
    return con


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


def _log_in(path: Path, supervisor: Supervisor, clock: Clock) -> Actor:
    db = open_database(_url(path), clock=clock)
    try:
        return supervisor(db)
    finally:
        db.dispose()


def _log_in_on_live(target: Path, supervisor: Supervisor, clock: Clock) -> Actor | None:
    """The supervisor, checked on the database to be replaced; None when there is no such
    database to ask (no file, or one that does not open: damaged, or of a newer program)."""
    if not target.is_file():
        return None
    try:
        db = open_database(_url(target), clock=clock)
    except DatabaseError:
        return None
    try:
        return supervisor(db)
    finally:
        db.dispose()


def _settle(path: Path) -> None:
    """Fold a copy's WAL into its file (it was opened as a database) before it is moved."""
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _discarded(live: sqlite3.Connection, restored: Path) -> tuple[int, list[str]] | None:
    """The orders of the replaced database that the backup does not hold: how many, and the
    first `LISTED` order numbers. Both are walked in uid order, so memory stays flat."""
    try:
        kept_con = sqlite3.connect(f"file:{restored}?mode=ro", uri=True)
        try:
            kept = (r[0] for r in kept_con.execute(
                "SELECT uid FROM service_order ORDER BY uid"))
            count = 0

            def lost() -> Iterator[str]:
                nonlocal count
                nxt = next(kept, None)
                for uid, order_no in live.execute(
                        "SELECT uid, order_no FROM service_order ORDER BY uid"):
                    while nxt is not None and nxt < uid:
                        nxt = next(kept, None)
                    if nxt != uid:
                        count += 1
                        yield str(order_no)

            listed = heapq.nsmallest(LISTED, lost())
        finally:
            kept_con.close()
    except sqlite3.DatabaseError:  # a damaged replaced file: the number is not known
        return None
    return count, listed


def restore_backup(backup: Path, target: Path | str, *, supervisor: Supervisor,
                   now: datetime | None = None, clock: Clock = SYSTEM_CLOCK) -> RestoreResult:
    """Replace the database file `target` with the verified `backup`, for the supervisor that
    `supervisor` returns (it logs them in on the database it is given, or raises); the
    current file is kept beside it, stamped `now` (default: now by `clock`; no database is
    open to carry one). Refused while the database is in use."""
    backup, target = Path(backup), Path(target)
    revisions = verify_backup(backup)
    at = now or clock.now()
    stamp = at.astimezone(UTC).strftime(STAMP)
    actor = _log_in_on_live(target, supervisor, clock)
    partial = target.with_name(f".{target.name}.restoring")
    previous: Path | None = None
    discarded: tuple[int, list[str]] | None = (0, [])
    try:
        online_copy(backup, partial, read_only=True)
        if actor is None:
            actor = _log_in(partial, supervisor, clock)
            _settle(partial)
        replacing = target.exists()
        hold = _take_exclusively(target) if replacing else None
        try:
            if replacing:
                discarded = _discarded(hold, partial) if hold is not None else None
                previous = target.with_name(f"{target.name}.replaced-{stamp}")
                os.replace(target, previous)
            os.replace(partial, target)
            for suffix in ("-wal", "-shm", "-journal"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
        finally:
            if hold is not None:
                hold.close()
    finally:
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm"),
                         Path(f"{partial}.health")):  # the copy's integrity note (app.db.health)
            leftover.unlink(missing_ok=True)
    origin = _new_origin(target, stamp)
    result = RestoreResult(target, previous, revisions, origin, actor.staff_no,
                           discarded[0] if discarded else None,
                           discarded[1] if discarded else [])
    _record_restore(target, backup, actor, result, clock, now)
    return result


def _record_restore(target: Path, backup: Path, actor: Actor, result: RestoreResult,
                    clock: Clock, now: datetime | None) -> None:
    """The `restore` event, appended to the restored database's chain."""
    from app.services.audit import events as audit
    from app.services.staff.auth import staff_id_of

    n = result.discarded
    data: dict[str, Any] = {
        "summary": f"restored from backup, {'?' if n is None else n} orders discarded",
        "backup": backup.name[:200], "discarded": n, "orders": result.discarded_orders,
        "replaced_file": result.previous.name if result.previous else None,
        "origin": result.origin}
    if n is not None and n > len(result.discarded_orders):
        data["not_listed"] = n - len(result.discarded_orders)
    db = open_database(_url(target), clock=clock)
    try:
        with db.session() as s:
            audit.record(s, "restore", actor=actor.staff_no,
                         actor_staff_id=staff_id_of(s, actor.staff_no),
                         counter=actor.counter_code, target=backup.name[:60], at=now,
                         data=data)
    finally:
        db.dispose()


def _new_origin(path: Path, stamp: str) -> str | None:
    """Give the restored database a sync name of its own (see the module's note)."""
    con = sqlite3.connect(path)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "sync_state" not in tables:
            return None
        row = con.execute("SELECT value FROM sync_state WHERE key = 'origin'").fetchone()
        if row is None:
            return None
        base = re.sub(r"-R\d{8}T\d{6}Z$", "", row[0])
        origin = f"{base[:60 - 18]}-R{stamp}"
        with con:
            con.execute("UPDATE sync_state SET value = ? WHERE key = 'origin'", (origin,))
            con.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES "
                        "('origin.before_restore', ?)", (row[0],))
        return origin
    finally:
        con.close()
