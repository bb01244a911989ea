"""Create engines with the settings a counter needs and bring the schema up to date.

SQLite (the default, in the user's data folder) runs in WAL mode with foreign keys on and
`synchronous=FULL`, so an order that was reported written survives a crash or power cut.
`COUNTER_DB` (a URL) or `COUNTER_DATA_DIR` (a folder) override the default location.
Opening a file checks its header at once and reads the whole file only when there is a reason
to (`app.db.health`): an open stays fast however long the hall's history grows.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from app.clock import SYSTEM_CLOCK, Clock
from app.db.health import Watch, full_check, header_problem

APP_NAME = "hall-counter"
DB_FILE = "counter.sqlite3"


class DatabaseError(RuntimeError):
    """A database problem told in words a clerk or an administrator can act on."""


INSTALL_INI = "counter.ini"  # written next to the program by the installer


def data_dir() -> Path:
    """The folder of the hall's database: `COUNTER_DATA_DIR`, else the one the installer wrote
    into `counter.ini` next to the program (a per-machine or portable install), else the
    user's data folder."""
    override = os.environ.get("COUNTER_DATA_DIR")
    if override:
        return Path(override)
    installed = installed_data_dir()
    if installed is not None:
        return installed
    from platformdirs import user_data_dir  # only here: a command given --db never needs it

    return Path(user_data_dir(APP_NAME, appauthor=False))


def installed_data_dir(program_dir: Path | None = None) -> Path | None:
    """`[paths] data_dir` of `counter.ini` beside the frozen program; None without the file.

    A Windows shortcut cannot set an environment variable, so the installer writes this file
    (C:\\ProgramData\\hall-counter, shared by every user of the PC). A relative folder is
    taken from the program's folder (a portable copy). A file that is there but unreadable is
    an error, never a silent switch to an empty per-user database.
    """
    import configparser
    import sys

    if program_dir is None:
        if not getattr(sys, "frozen", False):
            return None
        program_dir = Path(sys.executable).resolve().parent
    ini = program_dir / INSTALL_INI
    if not ini.is_file():
        return None
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(_decode_ini(ini.read_bytes()), source=str(ini))
    except (OSError, configparser.Error) as exc:
        raise DatabaseError(f"无法读取安装配置 / cannot read {ini}: {exc}") from None
    value = parser.get("paths", "data_dir", fallback="").strip()
    if not value:
        raise DatabaseError(f"安装配置缺少数据文件夹 / {ini} has no [paths] data_dir")
    folder = Path(os.path.expandvars(value))
    return folder if folder.is_absolute() else program_dir / folder


def _decode_ini(raw: bytes) -> str:
    # Inno Setup writes INI files through the Windows API: UTF-16 with a BOM, or the ANSI
    # code page (GBK on a Chinese Windows); an administrator's editor writes UTF-8.
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        import locale

        return raw.decode(locale.getpreferredencoding(False), errors="replace")


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
    # Deleted rows (a discarded draft, an old key column) are overwritten, not left readable
    # in free pages of the file.
    cur.execute("PRAGMA secure_delete=ON")
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
    clock: Clock = SYSTEM_CLOCK  # the one source of "now" for everything written through it
    # The SQLite file's integrity watch (`app.db.health`): its `problem` is set, and its
    # `listeners` called, when a background check finds the file damaged.
    watch: Watch | None = None

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
            s.info["clock"] = self.clock
            s.connection(execution_options={"sqlite_immediate": True, "clock": self.clock})
            yield s

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only look; never takes the write lock. Loaded objects stay readable after."""
        with self.sessions() as s:
            s.info["clock"] = self.clock
            yield s

    def integrity_ok(self) -> bool:
        """SQLite's `quick_check` now (structure of every page and index; O(size), no locks
        held long). Other databases look after their own files. An open does not run it
        every time: see `app.db.health`."""
        if not self.is_sqlite:
            return True
        try:
            with self.engine.connect() as conn:
                rows = conn.execute(text("PRAGMA quick_check")).scalars().all()
        except DBAPIError as exc:
            if "malformed" in str(exc.orig).lower():
                return False
            raise
        return rows == ["ok"]

    def dispose(self) -> None:
        """Close every connection; the last program to close the file notes its size and
        time (`app.db.health`)."""
        self.engine.dispose()
        if self.watch is not None:
            self.watch.close()


def clock_of(session: Session) -> Clock:
    """The clock of the database a session belongs to (the machine's for a bare session)."""
    clock = session.info.get("clock")  # only a Database puts one there (no Protocol check:
    return clock if clock is not None else SYSTEM_CLOCK  # ~30 µs each)


def newest_backup(path: Path) -> Path | None:
    """The most recent copy of a database file: `<stem>.*<suffix>` beside it (e.g. the copy
    made before an upgrade) or any `*.sqlite3` in a `backups` folder beside it or in the data
    folder."""
    found: list[Path] = []
    with contextlib.suppress(OSError):
        found += [p for p in path.parent.glob(f"{path.stem}.*{path.suffix}") if p != path]
    for folder in {path.parent / "backups", data_dir() / "backups"}:
        with contextlib.suppress(OSError):
            found += list(folder.glob("*.sqlite3"))
    found = [p for p in found if p.is_file()]
    return max(found, key=lambda p: p.stat().st_mtime) if found else None


def _damaged(path: Path) -> DatabaseError:
    backup = newest_backup(path)
    hint = (f"最新备份 / newest backup: {backup}" if backup
            else "没有找到备份 / no backup was found")
    return DatabaseError(
        f"数据库文件已损坏，程序不会写入它 / the database file is damaged and will not be "
        f"written to: {path}. {hint}. 请联系管理员从备份恢复 / ask the administrator to "
        "restore it from the backup")


def _not_a_database(path: Path | None) -> DatabaseError:
    return DatabaseError(f"数据库文件损坏或不是数据库 / the file is not a database: {path}")


def _check_integrity(db: Database) -> str | None:
    """The checks of an open (`app.db.health`): the header always, the whole file now when
    it changed behind the program's back. Returns why a background check is due, if it is."""
    path = db.sqlite_path
    if path is None or not path.exists():
        return None
    problem = header_problem(path)
    if problem == "not a database":
        raise _not_a_database(path)
    if problem is not None:
        raise _damaged(path)
    watch = Watch(path, db.clock)
    db.watch = watch
    verdict = watch.decide(created=path.stat().st_size == 0)
    if verdict.full_now:
        try:
            problem = full_check(path)
        except sqlite3.OperationalError as exc:  # the disk, a lock: said as for any statement
            raise DatabaseError(describe_operational_error(exc)) from None
        watch.checked(problem)
        if problem is not None:
            raise _damaged(path)
    return verdict.due


def _close(engine: Engine, watch: Watch | None) -> None:
    engine.dispose()
    if watch is not None:
        watch.close()


def open_database(url: str | None = None, *, migrate: bool = True,
                  must_exist: bool = False, check_integrity: bool = True,
                  clock: Clock | None = None) -> Database:
    """Open (creating if needed) and migrate the database; `DatabaseError` when it can't.

    An existing SQLite file is checked first (`app.db.health`: its header always, the whole
    file when it changed while no program had it open; after an unclean shutdown and on a
    schedule in the background): a damaged file is refused with the path of the newest backup
    rather than written to. `must_exist` refuses to create a new file (for commands that only
    read, e.g. `counter audit verify`).
    """
    from app.db.migrate import upgrade

    url = url or default_db_url()
    engine = make_engine(url)
    db = Database(url, engine, sessionmaker(engine, expire_on_commit=False),
                  clock or SYSTEM_CLOCK)
    path = db.sqlite_path
    if must_exist and path is not None and not path.is_file():
        engine.dispose()
        raise DatabaseError(f"数据库文件不存在 / no database file at {path}")
    created = path is not None and not path.exists()
    due = None
    try:
        if check_integrity:
            due = _check_integrity(db)
        if migrate:
            upgrade(db)
        if check_integrity and created and path is not None and path.exists():
            db.watch = Watch(path, db.clock)  # a new file: whole, and marked open by us
            db.watch.decide(created=True)
            db.watch.created()
    except DatabaseError:
        _close(engine, db.watch)
        raise
    except DBAPIError as exc:
        _close(engine, db.watch)
        if isinstance(exc.orig, sqlite3.DatabaseError) and "not a database" in str(exc.orig):
            raise _not_a_database(db.sqlite_path) from None
        raise DatabaseError(describe_operational_error(exc)) from None
    except BaseException:
        _close(engine, db.watch)
        raise
    if db.watch is not None:
        # Closed at exit or when forgotten, as by `dispose`: the next open then knows the file
        # was left whole.
        weakref.finalize(db, _close, engine, db.watch)
        if due is not None:
            db.watch.start_background(due)
    return db


def describe_operational_error(exc: Exception, *, partial: bool = False) -> str:
    """One line for a database failure. `partial`: the command committed earlier transactions
    (and names them itself), so the line must not say that nothing was written."""
    msg = str(getattr(exc, "orig", exc))
    low = msg.lower()
    if "readonly" in low or "read-only" in low:
        return "数据库为只读，无法写入 / the database is read-only"
    nothing_zh, nothing_en = ("", "") if partial else ("，未写入任何数据", "; nothing was written")
    if "disk" in low and "full" in low:
        return f"磁盘已满{nothing_zh} / the disk is full{nothing_en}"
    if "disk i/o error" in low:  # also a write refused for size (EFBIG): a full volume or quota
        return (f"磁盘写入失败（磁盘已满、超出配额或磁盘故障）{nothing_zh} / disk I/O error (disk "
                f"full, over quota or failing){nothing_en}")
    if "malformed" in low:
        return "数据库文件已损坏，请联系管理员从备份恢复 / the database file is damaged; restore it "\
               "from a backup"
    if "locked" in low:
        return "数据库正忙，请稍后重试 / the database is busy; try again"
    if "unable to open" in low:
        return "无法打开数据库文件 / the database file cannot be opened"
    if "connection" in low or "could not connect" in low:
        return "无法连接数据库服务器 / cannot reach the database server"
    return f"数据库错误 / database error: {msg.splitlines()[0] if msg else type(exc).__name__}"
