"""Schema migrations with Alembic, run programmatically (no alembic.ini to ship).

Before upgrading an existing SQLite file it is copied beside itself; a database written by a
newer version of the program (a revision this program does not know) is refused.

An open of a database that is already up to date (every start of the program, every command)
does not import Alembic at all: the heads are read from the migration files' own
``revision`` / ``down_revision`` lines and compared with the database's version table.
"""

from __future__ import annotations

import ast
import re
import sqlite3
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

    from app.db.engine import Database

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
_ASSIGN = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.MULTILINE)


@lru_cache(maxsize=1)
def script_heads() -> frozenset[str] | None:
    """The heads of the migration scripts, from their text; None when a script cannot be
    read that way (then Alembic itself is asked)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    try:
        for path in (MIGRATIONS / "versions").glob("*.py"):
            found: dict[str, str] = {m.group(1): m.group(2) for m in
                                     _ASSIGN.finditer(path.read_text(encoding="utf-8"))}
            if "revision" not in found or "down_revision" not in found:
                return None
            revision = ast.literal_eval(found["revision"])
            down = ast.literal_eval(found["down_revision"])
            revisions.add(str(revision))
            parents.update([down] if isinstance(down, str) else list(down or ()))
    except (OSError, ValueError, SyntaxError, TypeError):
        return None
    return frozenset(revisions - parents) or None


def _stored_revisions(db: Database) -> set[str] | None:
    """The database's version table; None when there is none yet (a new file)."""
    try:
        with db.engine.connect() as conn:
            return {str(r) for r in conn.execute(text("SELECT version_num FROM alembic_version"))
                    .scalars()}
    except DBAPIError:
        return None


def alembic_config(db: Database) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    cfg.attributes["engine"] = db.engine
    return cfg


def current_revisions(db: Database) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


def upgrade(db: Database) -> None:
    known_heads = script_heads()
    if known_heads is not None and _stored_revisions(db) == set(known_heads):
        return  # up to date: the usual open, without Alembic
    from alembic import command
    from alembic.script import ScriptDirectory

    from app.db.engine import DatabaseError

    cfg = alembic_config(db)
    script = ScriptDirectory.from_config(cfg)
    known = {rev.revision for rev in script.walk_revisions()}
    heads = set(script.get_heads())
    current = current_revisions(db)
    unknown = current - known
    if unknown:
        raise DatabaseError(
            "数据库由更新版本的程序创建，请升级程序后再打开 / the database was written by a newer "
            f"version of this program (schema {', '.join(sorted(unknown))}); upgrade the program")
    if current == heads:
        return
    if current and db.sqlite_path and db.sqlite_path.exists():
        backup_before_upgrade(db.sqlite_path, db.clock.now())
    command.upgrade(cfg, "heads")


def backup_before_upgrade(path: Path, now: datetime) -> Path:
    """A consistent copy (SQLite online backup) next to the file, named with the time."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.stem}.pre-upgrade-{stamp}{path.suffix}")
    online_copy(path, target)
    return target


def online_copy(source: Path, target: Path, *, read_only: bool = False) -> None:
    """Copy a SQLite database with its online backup API: consistent even while another
    connection writes. `read_only` opens the source so that nothing can change it."""
    src = (sqlite3.connect(f"file:{source}?mode=ro", uri=True) if read_only
           else sqlite3.connect(source))
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


__all__ = ["alembic_config", "backup_before_upgrade", "current_revisions", "online_copy",
           "upgrade"]
