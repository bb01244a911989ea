"""Backups of the workstation's SQLite database (restoring one: `restore`).

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

**Restore**: `app.services.exchange.restore`.
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

from app.clock import SYSTEM_CLOCK, Clock, zone_of
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
                now: datetime | None = None, clock: Clock = SYSTEM_CLOCK) -> BackupResult:
    """A consistent copy of the live database in `folder`; checked before it is kept.

    Stamped `now`, by default the time by the database's clock (`clock` for a bare file)."""
    started = time.monotonic()
    source = _sqlite_file(db)
    if not source.is_file():
        raise BackupError(f"数据库文件不存在：{source}", f"no database file at {source}")
    folder = Path(folder) if folder else default_folder(source)
    folder.mkdir(parents=True, exist_ok=True)
    now = now or (db.clock if isinstance(db, Database) else clock).now()
    stamp = now.astimezone(UTC).strftime(STAMP)
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
                  now: datetime | None = None, clock: Clock = SYSTEM_CLOCK) -> list[Path]:
    """Delete backups older than `keep_days` at `now` (default: now by `clock`); the newest
    one always stays."""
    now = now or clock.now()
    found = backups_in(folder, stem)
    removed = []
    for made, path in found[:-1]:
        if now - made > timedelta(days=keep_days):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


def backup_due(folder: Path, policy: BackupPolicy, *, stem: str | None = None,
               now: datetime | None = None, clock: Clock = SYSTEM_CLOCK) -> bool:
    """Due when the configured time has passed today (local) and no backup was made since."""
    zone = zone_of(policy.timezone)
    local_now = (now or clock.now()).astimezone(zone)
    if local_now.time() < policy.daily_at:
        return False
    due_since = datetime.combine(local_now.date(), policy.daily_at, zone)
    found = backups_in(folder, stem)
    return not found or found[-1][0] < due_since


def run_scheduled_backup(db: Database, policy: BackupPolicy | None = None, *,
                         now: datetime | None = None) -> BackupResult | None:
    """The day's backup if it is due (and pruning); None when there is nothing to do."""
    policy = policy or BackupPolicy.from_env()
    now = now or db.clock.now()  # one instant for the check, the stamp and the pruning
    source = _sqlite_file(db)
    folder = policy.folder or default_folder(source)
    if not backup_due(folder, policy, stem=source.stem, now=now):
        return None
    result = make_backup(db, folder, now=now)
    result.pruned = prune_backups(folder, policy.keep_days, stem=source.stem, now=now)
    return result
