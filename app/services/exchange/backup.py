"""Backups of the workstation's SQLite database, and restoring one.

**Backup**: a consistent copy of the live database made with SQLite's online backup API
(`sqlite3.Connection.backup`) while the counter keeps working; the copy is written under a
temporary name, checked (`PRAGMA quick_check`) and only then given its final name
``<db stem>-<UTC time>.sqlite3`` in the backup folder (default: ``backups`` beside the
database, where `open_database` also looks for one when a file is damaged).

**Schedule**: `run_scheduled_backup` is what the GUI calls from a timer on its worker: it makes
one backup a day, at the first call after the configured time of day (the hall's local time),
and deletes backups older than the configured number of days. Settings (`BackupPolicy`):
``COUNTER_BACKUP_DIR``, ``COUNTER_BACKUP_TIME`` (HH:MM, default 12:30) and
``COUNTER_BACKUP_KEEP_DAYS`` (default 30) in the environment, or given by the caller.

**Restore**: the file is checked first (`PRAGMA integrity_check`, our Alembic version table
present, no schema revision this program does not know), then the database is taken over
exclusively: switching it out of WAL mode only succeeds when no other connection has it open,
so a restore is **refused while any counter window, sync or command has the file open**. The
current file is kept beside it as ``<name>.replaced-<UTC time>`` and the backup copied into
place with the backup API. The restored database gets a new sync name (origin): its audit
chain continues from the backup's last event, and the server keeps chains per origin, so the
events made after the backup and lost with the replaced file never collide with new ones.
Order numbers made after the backup may be made again: sync reports them as conflicts.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

from app.db import Database, DatabaseError

STAMP = "%Y%m%dT%H%M%SZ"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{6}Z)\.sqlite3$")


class BackupError(DatabaseError):
    """A backup or restore that cannot be done, in words an administrator can act on."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en
        self.user_message = str(self)


@dataclass(frozen=True)
class BackupPolicy:
    folder: Path | None = None  # None: "backups" beside the database
    daily_at: clock = clock(12, 30)  # local time after which the day's backup is due
    keep_days: int = 30
    timezone: str = "Asia/Shanghai"

    @classmethod
    def from_env(cls, timezone: str = "Asia/Shanghai") -> BackupPolicy:
        folder = os.environ.get("COUNTER_BACKUP_DIR")
        at = os.environ.get("COUNTER_BACKUP_TIME")
        keep = os.environ.get("COUNTER_BACKUP_KEEP_DAYS")
        try:
            return cls(Path(folder) if folder else None,
                       clock.fromisoformat(at) if at else cls.daily_at,
                       int(keep) if keep else cls.keep_days, timezone)
        except ValueError:
            raise BackupError("备份设置无效（COUNTER_BACKUP_TIME 应为 HH:MM，"
                              "COUNTER_BACKUP_KEEP_DAYS 应为整数）",
                              "invalid backup settings (COUNTER_BACKUP_TIME is HH:MM, "
                              "COUNTER_BACKUP_KEEP_DAYS a whole number)") from None


@dataclass
class BackupResult:
    path: Path
    bytes: int
    seconds: float
    pruned: list[Path] = field(default_factory=list)


@dataclass
class RestoreResult:
    restored: Path
    previous: Path | None
    revisions: set[str]
    origin: str | None


def _sqlite_file(db: Database | Path | str) -> Path:
    if isinstance(db, Database):
        path = db.sqlite_path
        if path is None:
            raise BackupError("只有 SQLite 数据库文件可以这样备份；PostgreSQL 服务器请用 pg_dump",
                              "only a SQLite database file is backed up this way; use pg_dump "
                              "for the PostgreSQL server")
        return path
    return Path(db)


def default_folder(db_path: Path) -> Path:
    return db_path.parent / "backups"


def backups_in(folder: Path, stem: str | None = None) -> list[tuple[datetime, Path]]:
    """Backups in `folder` (of the database `stem` if given), oldest first."""
    found = []
    with contextlib.suppress(OSError):
        for path in folder.iterdir():
            m = _NAME.match(path.name)
            if m and (stem is None or m["stem"] == stem):
                made = datetime.strptime(m["stamp"], STAMP).replace(tzinfo=UTC)
                found.append((made, path))
    return sorted(found)


def make_backup(db: Database | Path | str, folder: Path | None = None, *,
                now: datetime | None = None) -> BackupResult:
    """A consistent copy of the live database in `folder`; checked before it is kept."""
    started = time.monotonic()
    source = _sqlite_file(db)
    if not source.is_file():
        raise BackupError(f"数据库文件不存在：{source}", f"no database file at {source}")
    folder = Path(folder) if folder else default_folder(source)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime(STAMP)
    target = folder / f"{source.stem}-{stamp}.sqlite3"
    partial = folder / f".{target.name}.partial"
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    try:
        dst = sqlite3.connect(partial)
        try:
            # Page by page: writers are held up for a moment per step, not for the whole copy.
            src.backup(dst, pages=4096, sleep=0.005)
            ok = dst.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            dst.close()
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"备份失败：{exc}", f"backup failed: {exc}") from None
    finally:
        src.close()
    if not ok:
        partial.unlink(missing_ok=True)
        raise BackupError("备份副本校验失败，未保留", "the copy failed its check; not kept")
    os.replace(partial, target)
    return BackupResult(target, target.stat().st_size, time.monotonic() - started)


def prune_backups(folder: Path, keep_days: int, *, stem: str | None = None,
                  now: datetime | None = None) -> list[Path]:
    """Delete backups older than `keep_days`; the newest one always stays."""
    now = now or datetime.now(UTC)
    found = backups_in(folder, stem)
    removed = []
    for made, path in found[:-1]:
        if now - made > timedelta(days=keep_days):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


def backup_due(folder: Path, policy: BackupPolicy, *, stem: str | None = None,
               now: datetime | None = None) -> bool:
    """Due when the configured time has passed today (local) and no backup was made since."""
    zone = ZoneInfo(policy.timezone)
    local_now = (now or datetime.now(UTC)).astimezone(zone)
    if local_now.time() < policy.daily_at:
        return False
    due_since = datetime.combine(local_now.date(), policy.daily_at, zone)
    found = backups_in(folder, stem)
    return not found or found[-1][0] < due_since


def run_scheduled_backup(db: Database, policy: BackupPolicy | None = None, *,
                         now: datetime | None = None) -> BackupResult | None:
    """The day's backup if it is due (and pruning); None when there is nothing to do."""
    policy = policy or BackupPolicy.from_env()
    source = _sqlite_file(db)
    folder = policy.folder or default_folder(source)
    if not backup_due(folder, policy, stem=source.stem, now=now):
        return None
    result = make_backup(db, folder, now=now)
    result.pruned = prune_backups(folder, policy.keep_days, stem=source.stem, now=now)
    return result


# -- restore -------------------------------------------------------------------------------------

def verify_backup(path: Path) -> set[str]:
    """Check a backup file; returns its schema revisions or raises `BackupError`."""
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
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    known = {rev.revision for rev in ScriptDirectory.from_config(cfg).walk_revisions()}
    unknown = revisions - known
    if unknown:
        raise BackupError("备份来自更新版本的程序，请先升级程序",
                          f"the backup was written by a newer program (schema "
                          f"{', '.join(sorted(unknown))}): upgrade the program first")
    return revisions


def _take_exclusively(path: Path) -> sqlite3.Connection:
    """An exclusive hold on the database, or `BackupError` when something has it open.

    Leaving WAL mode needs every other connection closed (SQLite refuses with "locked"
    otherwise); it also folds the WAL into the main file, so the file kept aside is whole."""
    con = sqlite3.connect(path, timeout=0.5, isolation_level=None)
    try:
        mode = con.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        if str(mode).lower() != "delete":
            raise sqlite3.OperationalError("database is locked")
        con.execute("BEGIN EXCLUSIVE")
    except sqlite3.OperationalError as exc:
        con.close()
        if "locked" in str(exc) or "busy" in str(exc):
            raise BackupError(
                "数据库正在使用中（柜台程序、同步或其他命令打开着它），请先全部关闭再恢复",
                "the database is in use (a counter window, sync or another command has it "
                "open): close them all, then restore") from None
        raise BackupError(f"无法打开数据库：{exc}", f"cannot open the database: {exc}") from None
    return con


def restore_backup(backup: Path, target: Path | str, *,
                   now: datetime | None = None) -> RestoreResult:
    """Replace the database file `target` with the verified `backup`; the current file is
    kept beside it. Refused while the database is in use."""
    backup, target = Path(backup), Path(target)
    revisions = verify_backup(backup)
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime(STAMP)
    previous: Path | None = None
    partial = target.with_name(f".{target.name}.restoring")
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    hold = _take_exclusively(target) if target.exists() else None
    try:
        if hold is not None:
            previous = target.with_name(f"{target.name}.replaced-{stamp}")
            os.replace(target, previous)
        os.replace(partial, target)
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
    finally:
        if hold is not None:
            hold.close()
        partial.unlink(missing_ok=True)
    origin = _new_origin(target, stamp)
    return RestoreResult(target, previous, revisions, origin)


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

