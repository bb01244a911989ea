"""Create engines with the settings a counter needs and bring the schema up to date.

SQLite (the default, in the user's data folder) runs in WAL mode with foreign keys on and
`synchronous=FULL`, so an order that was reported written survives a crash or power cut.
`COUNTER_DB` (a URL) or `COUNTER_DATA_DIR` (a folder) override the default location.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

APP_NAME = "hall-counter"
DB_FILE = "counter.sqlite3"


class DatabaseError(RuntimeError):
    """A database problem told in words a clerk or an administrator can act on."""


def data_dir() -> Path:
    override = os.environ.get("COUNTER_DATA_DIR")
    return Path(override) if override else Path(user_data_dir(APP_NAME, appauthor=False))


def default_db_url() -> str:
    url = os.environ.get("COUNTER_DB")
    if url:
        return url
    return f"sqlite:///{data_dir() / DB_FILE}"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Transactions are begun by us (see _sqlite_begin), not by the driver.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # a property of the file; cheap once set
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    # A write takes the lock up front (BEGIN IMMEDIATE), so it waits its turn instead of
    # failing half-way when another writer got there first; reads stay deferred.
    immediate = conn.get_execution_options().get("sqlite_immediate", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
        parsed.get_dialect()
    except (ArgumentError, NoSuchModuleError):
        raise DatabaseError(f"数据库地址无效 / invalid database URL: {url}") from None
    if parsed.get_backend_name() == "sqlite":
        db = parsed.database
        if db and db != ":memory:":
            Path(db).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(parsed, pool_pre_ping=True)


@dataclass
class Database:
    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        db = self.engine.url.database
        return Path(db) if self.is_sqlite and db and db != ":memory:" else None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back whole on any error."""
        with self.sessions() as s, s.begin():
            s.connection(execution_options={"sqlite_immediate": True})
            yield s

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only look; never takes the write lock. Loaded objects stay readable after."""
        with self.sessions() as s:
            yield s

    def integrity_ok(self) -> bool:
        if not self.is_sqlite:
            return True
        with self.engine.connect() as conn:
            return conn.execute(text("PRAGMA quick_check")).scalar() == "ok"

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str | None = None, *, migrate: bool = True) -> Database:
    """Open (creating if needed) and migrate the database; `DatabaseError` when it can't."""
    from app.db.migrate import upgrade

    url = url or default_db_url()
    engine = make_engine(url)
    db = Database(url, engine, sessionmaker(engine, expire_on_commit=False))
    try:
        if migrate:
            upgrade(db)
    except DBAPIError as exc:
        engine.dispose()
        if isinstance(exc.orig, sqlite3.DatabaseError) and "not a database" in str(exc.orig):
            raise DatabaseError("数据库文件损坏或不是数据库 / the file is not a database: "
                                f"{db.sqlite_path}") from None
        raise DatabaseError(describe_operational_error(exc)) from None
    return db


def describe_operational_error(exc: Exception) -> str:
    msg = str(getattr(exc, "orig", exc))
    low = msg.lower()
    if "readonly" in low or "read-only" in low:
        return "数据库为只读，无法写入 / the database is read-only"
    if "disk" in low and "full" in low:
        return "磁盘已满，未写入任何数据 / the disk is full; nothing was written"
    if "locked" in low:
        return "数据库正忙，请稍后重试 / the database is busy; try again"
    if "unable to open" in low:
        return "无法打开数据库文件 / the database file cannot be opened"
    if "connection" in low or "could not connect" in low:
        return "无法连接数据库服务器 / cannot reach the database server"
    return f"数据库错误 / database error: {msg.splitlines()[0] if msg else type(exc).__name__}"
