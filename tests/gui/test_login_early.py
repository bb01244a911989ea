"""The login form is usable before the database is open (#17, GUI start).

The program shows the login at once and opens the database, key and catalog on a worker
meanwhile. These tests hold that open on a gate (a database that opens slowly) and prove that a
log-in typed and sent with Enter at once is neither lost nor needs a second Enter: it goes on by
itself once the database is ready. The last test starts the real program in its own process and
checks that nothing of the database, the devices or the printing was imported by the time the
login could be used.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.services.hall.demo import DEMO_PASSWORD
from app.ui.kit import i18n
from app.ui.kit.op_runner import OpRunner
from app.ui.settings.store import UiSettings

from .counter_driver import WAIT_MS
from .ui_fixtures import no_thread_leak, op_runner, translators, ui_settings

__all__ = ["no_thread_leak", "op_runner", "translators", "ui_settings"]

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("no_thread_leak")]

ROOT = Path(__file__).resolve().parents[2]
OPENING = "正在打开数据库…"


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The session's database open waits until the test sets this event."""
    from app.ui.shell import session as session_module

    opened = threading.Event()
    real = session_module._open

    def slow_open(*args: Any) -> Any:
        assert opened.wait(WAIT_MS / 1000), "the test never let the database open"
        return real(*args)

    monkeypatch.setattr(session_module, "_open", slow_open)
    yield opened
    opened.set()  # never leave the worker waiting


@pytest.fixture
def login_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every call of the core's `auth.login` (the staff number), as the session makes them."""
    from app.services.staff import auth

    calls: list[str] = []
    real = auth.login

    def counted(db: Any, staff_no: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(staff_no)
        return real(db, staff_no, *args, **kwargs)

    monkeypatch.setattr(auth, "login", counted)
    return calls


@pytest.fixture
def start(op_runner: OpRunner, ui_settings: UiSettings, translators: None, qtbot: Any,
          gate: threading.Event) -> Iterator[Callable[[str], Any]]:
    """Show the login and start a session on `db_url`, as `app.ui.shell.app.run` does."""
    from app.ui.shell.login import LoginWindow
    from app.ui.shell.session import SessionController

    i18n.install_translators("zh_CN")
    made: list[SessionController] = []

    def make(db_url: str) -> SessionController:
        login = LoginWindow(ui_settings)
        qtbot.addWidget(login)
        login.show()
        session = SessionController(op_runner, ui_settings, db_url, login)
        made.append(session)
        with qtbot.waitSignal(session.usable, timeout=WAIT_MS):
            session.start()
        return session

    yield make
    gate.set()  # a failed test must not leave the worker waiting for it
    for session in made:
        if session.window is not None:
            session.window.close()
        op_runner.wait_idle(60)
        if session.ctx is not None:
            session.ctx.db.dispose()


def type_and_enter(login: Any, staff_no: str, password: str, counter: str) -> None:
    QTest.keyClicks(login.staff_no, staff_no)
    QTest.keyClicks(login.password, password)
    login.counter_code.clear()
    QTest.keyClicks(login.counter_code, counter)
    QTest.keyClick(login.password, Qt.Key.Key_Return)


def test_enter_at_once_logs_in_when_the_database_is_ready(
        qtbot: Any, demo_db: Any, db_url: str, gate: threading.Event, login_calls: list[str],
        start: Callable[[str], Any]) -> None:
    session = start(db_url)
    login = session.login
    assert login.login_button.isEnabled()  # usable: the database is still closed
    assert login.status.text() == OPENING and session.ctx is None
    type_and_enter(login, "C001", DEMO_PASSWORD, "C02")
    qtbot.wait(200)
    # held: the button is busy (no second log-in), nothing reached the database yet
    assert not login.login_button.isEnabled() and login.error.text() == ""
    assert session.window is None and login_calls == [] and session.ctx is None

    gate.set()  # the database opens; the clerk does nothing more
    qtbot.waitUntil(lambda: session.window is not None, timeout=WAIT_MS)
    assert login_calls == ["C001"]  # exactly one log-in, the one typed before
    assert session.ctx.actor.staff_no == "C001" and session.ctx.actor.counter_code == "C02"
    assert not login.isVisible() and session.window.isVisible()
    qtbot.waitUntil(lambda: session.window.shift_dialog is not None, timeout=WAIT_MS)
    session.window.shift_dialog.reject()


def test_a_wrong_password_sent_early_is_answered_once_ready(
        qtbot: Any, demo_db: Any, db_url: str, gate: threading.Event, login_calls: list[str],
        start: Callable[[str], Any]) -> None:
    session = start(db_url)
    login = session.login
    type_and_enter(login, "C001", "not-the-password", "C02")
    gate.set()
    qtbot.waitUntil(lambda: login.error.text() != "", timeout=WAIT_MS)
    assert login.error.text().startswith("工号或密码错误")
    assert login.login_button.isEnabled() and login.status.text() == ""
    assert login_calls == ["C001"] and session.window is None
    login.password.setText(DEMO_PASSWORD)
    QTest.keyClick(login.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: session.window is not None, timeout=WAIT_MS)
    assert login_calls == ["C001", "C001"]
    qtbot.waitUntil(lambda: session.window.shift_dialog is not None, timeout=WAIT_MS)
    session.window.shift_dialog.reject()


def test_typing_on_while_the_database_opens_keeps_the_field(
        qtbot: Any, demo_db: Any, db_url: str, gate: threading.Event,
        start: Callable[[str], Any]) -> None:
    session = start(db_url)
    login = session.login
    assert login.focusWidget() is login.staff_no
    QTest.keyClicks(login.staff_no, "C00")  # half typed when the database is ready
    with qtbot.waitSignal(session.ready, timeout=WAIT_MS):
        gate.set()
    assert login.status.text() == "" and login.login_button.isEnabled()
    assert login.focusWidget() is login.staff_no  # not moved to the password under the clerk


def test_the_opening_hint_follows_a_language_change(
        qtbot: Any, demo_db: Any, db_url: str, gate: threading.Event,
        start: Callable[[str], Any]) -> None:
    session = start(db_url)
    login = session.login
    i18n.install_translators("en")  # as the settings dialog does, before the database is open
    qtbot.waitUntil(lambda: login.status.text() == "Opening the database...", timeout=WAIT_MS)
    with qtbot.waitSignal(session.ready, timeout=WAIT_MS):
        gate.set()
    i18n.install_translators("zh_CN")
    qtbot.waitUntil(lambda: login.title.text() == "营业厅柜台受理系统，请登录", timeout=WAIT_MS)
    assert login.status.text() == ""  # ready: no hint comes back


def test_a_log_in_typed_before_an_empty_database_is_found_is_dropped(
        qtbot: Any, db_url: str, gate: threading.Event, login_calls: list[str],
        start: Callable[[str], Any]) -> None:
    from app.ui.shell.setup_dialogs import EmptyDatabaseDialog

    session = start(db_url)
    login = session.login
    type_and_enter(login, "M100", "whatever-1", "C01")
    gate.set()
    qtbot.waitUntil(lambda: isinstance(session.dialog, EmptyDatabaseDialog), timeout=WAIT_MS)
    # nobody can log in to it: the set-up is offered, the password typed is gone
    assert not login.login_button.isEnabled() and login.password.text() == ""
    assert login_calls == [] and session.window is None
    session.dialog.reject()


def test_the_login_is_usable_before_the_database_code_is_imported(tmp_path: Path) -> None:
    """A real `counter gui` start: at `usable` the login window is visible and enabled, and no
    module of the database, the services, the devices or the papers has been imported. The
    program quits there, before the window heard that the database was open: the database is
    closed all the same (`open_database`'s finalizer: no open-marker left, which the next
    start would take for a crash)."""
    script = textwrap.dedent("""
        import sys
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        from app.ui.shell import app as shell
        from app.ui.shell.session import SessionController

        original = SessionController.start

        def start(self):
            def usable():
                heavy = sorted(m for m in sys.modules if m.split(".")[0] in (
                    "sqlalchemy", "alembic", "reportlab", "psycopg", "argon2", "keyring",
                    "openpyxl", "escpos", "serial") or m.startswith(
                    ("app.db", "app.services", "app.devices", "app.printing", "app.core",
                     "app.models", "app.security")))
                visible = self.login.isVisible() and self.login.login_button.isEnabled()
                print("USABLE", visible, ",".join(heavy) or "-", flush=True)
                QTimer.singleShot(0, QApplication.quit)
            self.usable.connect(usable)
            original(self)

        SessionController.start = start
        raise SystemExit(shell.run(sys.argv[1]))
    """)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT),
               COUNTER_DATA_DIR=str(tmp_path / "data"),
               COUNTER_CONFIG_DIR=str(tmp_path / "config"),
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    env.pop("COUNTER_DB", None)
    proc = subprocess.run([sys.executable, "-c", script, f"sqlite:///{tmp_path / 'c.sqlite3'}"],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=180,
                          check=False)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("USABLE")]
    assert lines == ["USABLE True -"], (proc.stdout, proc.stderr[-2000:])
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (tmp_path / "c.sqlite3").exists()  # the worker did open (and create) it
    assert sorted(p.name for p in tmp_path.glob("c.sqlite3.open-*")) == []
