"""Shared test set-up: offscreen Qt, a throw-away key file, and no test ever touching the real
user's data folder, settings or keyring; one frozen clock; databases on SQLite and PostgreSQL.

Time: `clock` is an `app.clock.FixedClock` standing at `tests.builders.NOW` (10:00 in the hall,
the business date `DAY` the request builders use); every database a test opens carries it, so
no test depends on the day it runs. A test moves it with `clock.advance(...)`.

Databases: `db_url` (and so `db`, `demo_db`, `order_service`) is parametrized by backend,
chosen with `COUNTER_TEST_DB` = `sqlite`, `postgresql` or `both` (the default). Each backend
migrates ONE template per session (per xdist worker) and fills a second one with the demo
hall; every test gets a copy: a copied SQLite file, or `CREATE DATABASE ... TEMPLATE` on the
session's own PostgreSQL server (tests/pg_server.py). Tests about SQLite's file itself (its
WAL, damage, backups of the file, crash loops) are marked `sqlite_only`; the GUI tests run on
SQLite (the window reads through the services, which run on both). A test on PostgreSQL is
marked `postgres`, so `-m "not postgres"` leaves the server out.

Passwords are hashed at argon2's smallest cost (`_cheap_password_hashing`).
"""

from __future__ import annotations

import functools
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

# Set before anything imports Qt, keyring or the app.
_SANDBOX = Path(tempfile.mkdtemp(prefix="counter-tests-"))
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["COUNTER_DATA_DIR"] = str(_SANDBOX / "data")
os.environ["COUNTER_CONFIG_DIR"] = str(_SANDBOX / "config")
os.environ.pop("COUNTER_DB", None)
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
KEY_FILE = _SANDBOX / "test-key.json"
KEY_PASSPHRASE = "test-passphrase-not-secret"
os.environ["COUNTER_KEY_FILE"] = str(KEY_FILE)
os.environ["COUNTER_KEY_PASSPHRASE"] = KEY_PASSPHRASE

from app.clock import FixedClock  # noqa: E402
from app.security import create_key_file  # noqa: E402
from tests.builders import NOW  # noqa: E402
from tests.pg_server import PgServer, start_server  # noqa: E402

if TYPE_CHECKING:
    from app.db import Database
    from app.services.orders.service import OrderService

if not KEY_FILE.exists():
    # A cheap KDF would hide nothing here; the real cost is fine once per session.
    create_key_file(KEY_FILE, KEY_PASSPHRASE)

SQLITE, POSTGRESQL = "sqlite", "postgresql"
BACKENDS_ENV = "COUNTER_TEST_DB"
GUI_TESTS = Path(__file__).resolve().parent / "gui"


def selected_backends() -> list[str]:
    choice = os.environ.get(BACKENDS_ENV, "both").strip().lower()
    chosen = {"sqlite": [SQLITE], "postgresql": [POSTGRESQL], "both": [SQLITE, POSTGRESQL]}
    if choice not in chosen:
        raise pytest.UsageError(f"{BACKENDS_ENV}={choice!r}: say sqlite, postgresql or both")
    return chosen[choice]


def _is_gui(node: Any) -> bool:
    return GUI_TESTS in Path(node.path).parents or node.get_closest_marker("gui") is not None


def pytest_configure(config: pytest.Config) -> None:
    selected_backends()  # a misspelt choice stops the run at once


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db_backend" not in metafunc.fixturenames:
        return
    backends = selected_backends()
    if metafunc.definition.get_closest_marker("sqlite_only") or _is_gui(metafunc.definition):
        backends = [SQLITE]
    metafunc.parametrize("db_backend", backends, indirect=True)


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by these markers
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The long tests first, so that pytest-xdist's workers run out of work at about one time.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
    for item in items:
        if _is_gui(item):
            item.add_marker(pytest.mark.gui)
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("db_backend") == POSTGRESQL:
            item.add_marker(pytest.mark.postgres)


def pytest_xdist_node_collection_finished(node: Any, ids: list[str]) -> None:
    # With `--dist loadgroup` each worker suffixes a grouped test's id with "@group", and the
    # scheduler keeps a group on one worker by that suffix. If a pytest or pytest-xdist upgrade
    # loses it, groups are split silently: two workers would build the bundle into one folder
    # while the other runs it. Stop before anything runs.
    if node.config.getvalue("dist") != "loadgroup" or any("@" in i for i in ids):
        return
    root = Path(str(node.config.rootpath))
    grouped = sorted({i.split("::")[0] for i in ids
                      if "xdist_group(" in _source(root / i.split("::")[0])})
    if grouped:
        raise pytest.UsageError(
            f"pytest-xdist --dist loadgroup lost its groups under pytest {pytest.__version__}"
            f" (no test id ends in @group; {grouped[0]} is grouped): pin a pytest that"
            " pytest-xdist supports")


@functools.cache
def _source(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


@pytest.hookimpl(hookwrapper=True, trylast=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    yield
    if _is_gui(item):
        _close_windows_left_open(item)


def _close_windows_left_open(item: pytest.Item) -> None:
    """A window a GUI test left on screen (a modal wizard still busy, a dialog never closed)
    would take the keyboard from every later test on the same worker: close it here, after
    the test's own teardown, and name it in a warning so the test can be mended."""
    import sys

    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        return
    left = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    for widget in left:
        widget.hide()  # close() may be refused (a wizard busy submitting); hide() never is
        widget.deleteLater()
    if left:
        QApplication.processEvents()
        names = ", ".join(f"{type(w).__name__}({w.objectName()})" for w in left)
        item.warn(pytest.PytestWarning(f"closed windows the test left open: {names}"))


# -- keys and passwords -------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def _key_store_of_its_own(tmp_path_factory: pytest.TempPathFactory,
                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test reads the hall's key from a copy of the session's key file (the same key):
    the key store also keeps the head of every audit chain written with it
    (app.services.audit.anchors), and the tests' databases, copies of one template, start the
    same chain. The `counter` commands a test runs inherit the variable."""
    path = tmp_path_factory.mktemp("key-store") / "test-key.json"  # not in the test's tmp_path
    shutil.copyfile(KEY_FILE, path)
    path.chmod(0o600)  # as `counter key create` leaves it (the program warns otherwise)
    monkeypatch.setenv("COUNTER_KEY_FILE", str(path))


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    """argon2id at its smallest cost: the program's (64 MiB, 3 passes) takes a quarter of a
    second per log-in, and most tests log several people in. Hashes made here still verify
    anywhere (they carry their parameters); tests/test_security_primitives.py checks the
    program's own parameters with the real hasher."""
    from argon2 import PasswordHasher

    from app.security import passwords

    real = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    yield
    passwords._hasher = real


# -- time ---------------------------------------------------------------------------------------

@pytest.fixture
def clock() -> FixedClock:
    """The tests' clock, standing at `tests.builders.NOW` until a test moves it."""
    return FixedClock(NOW)


# -- templates: migrated (and filled with the demo hall) once per session ----------------------

DEMO_CUSTOMERS = 60


def _fill_demo(url: str) -> None:
    from app.db import open_database
    from app.services.hall.demo import fill_demo

    db = open_database(url, clock=FixedClock(NOW))  # the same instant as every test's clock
    try:
        fill_demo(db, customers=DEMO_CUSTOMERS)
    finally:
        db.dispose()  # no connection may stay on a template


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One throw-away server for the session (each xdist worker runs its own)."""
    server = start_server()
    try:
        yield server
    finally:
        server.remove()


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A fresh, empty database on the test server (URL with the password in it)."""
    pg_server.ensure_running()
    name = pg_server.create_database()
    yield pg_server.url(name)
    pg_server.drop_database(name)


@pytest.fixture(scope="session")
def postgresql_template(pg_server: PgServer) -> str:
    from app.db import open_database

    name = pg_server.create_database("template")
    open_database(pg_server.url(name)).dispose()
    return name


@pytest.fixture(scope="session")
def postgresql_demo_template(pg_server: PgServer, postgresql_template: str) -> str:
    name = pg_server.create_database("demo_template", template=postgresql_template)
    _fill_demo(pg_server.url(name))
    return name


def _sqlite_file(folder: Path, source: Path | None = None) -> Path:
    """`counter.sqlite3` in `folder`: migrated here, or a copy of `source`."""
    from app.db import open_database

    path = folder / "counter.sqlite3"
    if source is None:
        open_database(f"sqlite:///{path}").dispose()
    else:
        shutil.copyfile(source, path)
    return path


def _checkpoint(path: Path) -> Path:
    """The WAL folded into the file, so that a copy of the file alone is whole."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    return path


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _checkpoint(_sqlite_file(tmp_path_factory.mktemp("template")))


@pytest.fixture(scope="session")
def sqlite_demo_template(tmp_path_factory: pytest.TempPathFactory,
                         sqlite_template: Path) -> Path:
    path = _sqlite_file(tmp_path_factory.mktemp("demo-template"), sqlite_template)
    _fill_demo(f"sqlite:///{path}")
    return _checkpoint(path)


# -- the database of a test ----------------------------------------------------------------------

@pytest.fixture
def db_backend(request: pytest.FixtureRequest) -> str:
    """`sqlite` or `postgresql` (parametrized by `pytest_generate_tests`)."""
    return str(request.param)


@pytest.fixture
def db_url(db_backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A migrated database of its own for the test: empty, or holding the demo hall when the
    test also asks for `demo_db` (one database: `db`, `demo_db` and `order_service` are the
    same)."""
    template = f"{db_backend}_{'demo_' if 'demo_db' in request.fixturenames else ''}template"
    if db_backend == SQLITE:
        path = tmp_path / "counter.sqlite3"
        shutil.copyfile(request.getfixturevalue(template), path)
        yield f"sqlite:///{path}"
        return
    server: PgServer = request.getfixturevalue("pg_server")
    server.ensure_running()
    name = server.create_database(template=request.getfixturevalue(template))
    yield server.url(name)
    server.drop_database(name)


@pytest.fixture
def db(db_url: str, clock: FixedClock) -> Iterator[Database]:
    from app.db import open_database

    database = open_database(db_url, clock=clock)
    yield database
    database.dispose()


@pytest.fixture
def demo_db(db: Database) -> Database:
    """The demo hall (staff S001, C001, C002, ..., password `demo1234`; 60 customers), made
    at `NOW` like everything else in the test: copied from its template by `db_url`, or filled
    here when the test asked for it too late for that (`request.getfixturevalue`)."""
    from sqlalchemy import func, select

    from app.models import Customer
    from app.services.hall.demo import fill_demo

    with db.read() as s:
        if not s.execute(select(func.count()).select_from(Customer)).scalar():
            fill_demo(db, customers=DEMO_CUSTOMERS)
    return db


@pytest.fixture
def opened(tmp_path: Path, clock: FixedClock) -> Iterator[Callable[[str], Database]]:
    """SQLite workstations by name in the test's folder (closed at the end): the sync tests'
    counters beside one PostgreSQL server."""
    from app.db import open_database

    dbs: list[Database] = []

    def open_(name: str) -> Database:
        db = open_database(f"sqlite:///{tmp_path / name}.sqlite3", clock=clock)
        dbs.append(db)
        return db

    yield open_
    for db in dbs:
        db.dispose()


@pytest.fixture
def order_service(db: Database) -> OrderService:
    from app.services.hall.registry import ensure_hall
    from app.services.orders.service import OrderService

    with db.session() as s:
        ensure_hall(s)
    return OrderService(db)
