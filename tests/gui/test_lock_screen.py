"""The lock screen over a counter window: covers it, opens only for the same clerk (or a
supervisor), and gives the window back exactly as it was."""

from __future__ import annotations

import os
import threading

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMainWindow, QVBoxLayout, QWidget

from app.services.staff.session_lock import IdleLockPolicy, SessionLock
from app.ui.shell.lock_screen import IdleLock, LockScreen
from tests.security_fixtures import PASSWORD, actor, events

from .ui_fixtures import no_thread_leak, op_runner  # noqa: F401  (fixtures)

pytestmark = pytest.mark.usefixtures("error_messages")


@pytest.fixture
def error_messages(qapp) -> None:
    """The core's errors told as the running program tells them."""
    from app.ui.shell.errors import install_error_messages

    install_error_messages()


@pytest.fixture
def window(qtbot) -> QMainWindow:
    """A stand-in counter window with a half-typed field that has the focus."""
    win = QMainWindow()
    body = QWidget()
    layout = QVBoxLayout(body)
    win.field = QLineEdit("张三 1101051949")  # type: ignore[attr-defined]
    win.other = QLineEdit()  # type: ignore[attr-defined]
    layout.addWidget(win.field)  # type: ignore[attr-defined]
    layout.addWidget(win.other)  # type: ignore[attr-defined]
    win.setCentralWidget(body)
    win.resize(900, 600)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    win.field.setFocus()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: win.field.hasFocus())  # type: ignore[attr-defined]
    return win


def type_and_enter(qtbot, field: QLineEdit, text: str) -> None:
    field.clear()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_locks_over_the_window_and_opens_only_for_the_same_clerk(qtbot, demo_db, window):
    lock = SessionLock(demo_db, actor(demo_db, "C001"))
    screen = LockScreen(lock, window)
    screen.lock_now("idle")
    assert screen.isVisible() and lock.locked
    assert screen.geometry() == window.geometry() or screen.size() == window.size()
    assert screen.isModal()

    type_and_enter(qtbot, screen.password, "not-my-password")
    assert screen.isVisible() and lock.locked
    assert screen.error.text()  # told why, in the clerk's language
    assert screen.password.text() == ""

    with qtbot.waitSignal(screen.unlocked, timeout=30_000) as opened:
        type_and_enter(qtbot, screen.password, PASSWORD)
    assert not screen.isVisible() and not lock.locked
    assert opened.args[0].staff_no == "C001" and not opened.args[0].by_supervisor
    # The screen comes back as it was: the typing is still there and has the focus again.
    assert window.field.text() == "张三 1101051949"
    qtbot.waitUntil(lambda: window.field.hasFocus(), timeout=30_000)
    assert [e.action for e in events(demo_db) if e.actor == "C001"] == [
        "session.lock", "login.fail", "session.unlock"]


def test_escape_and_close_do_not_open_it(qtbot, demo_db, window):
    lock = SessionLock(demo_db, actor(demo_db, "C001"))
    screen = LockScreen(lock, window)
    screen.lock_now()
    qtbot.keyClick(screen.password, Qt.Key.Key_Escape)
    screen.reject()
    screen.close()
    assert screen.isVisible() and lock.locked
    screen.hide()  # as a program quitting would: the next test's window needs the keyboard


def test_a_supervisor_unlocks_and_a_clerk_cannot(qtbot, demo_db, window):
    lock = SessionLock(demo_db, actor(demo_db, "C001"))
    screen = LockScreen(lock, window)
    screen.lock_now()
    qtbot.mouseClick(screen.supervisor_toggle, Qt.MouseButton.LeftButton)
    assert screen.supervisor_box.isVisible()

    screen.supervisor_no.setText("C002")  # another clerk: no right to unlock
    type_and_enter(qtbot, screen.supervisor_password, PASSWORD)
    assert screen.isVisible() and "权限不足" in screen.error.text()

    screen.supervisor_no.setText("S001")
    with qtbot.waitSignal(screen.unlocked, timeout=30_000) as opened:
        type_and_enter(qtbot, screen.supervisor_password, PASSWORD)
    assert opened.args[0].by_supervisor and opened.args[0].staff_no == "S001"
    assert not screen.isVisible()
    [unlocked] = events(demo_db, "session.unlock")
    assert (unlocked.actor, unlocked.authorized_by) == ("C001", "S001")


def test_the_check_runs_off_the_gui_thread_with_a_runner(no_thread_leak, qtbot, demo_db,  # noqa: F811
                                                         window, op_runner, monkeypatch):  # noqa: F811
    """The lock's record and both password checks run on the runner's worker, never on the
    GUI thread; each step waits for the operation's own completion (no race with a clock)."""
    lock = SessionLock(demo_db, actor(demo_db, "C001"))
    ran_on: list[threading.Thread] = []

    def noting_the_thread(call):
        def wrapper(*args, **kwargs):
            ran_on.append(threading.current_thread())
            return call(*args, **kwargs)
        return wrapper

    for name in ("lock", "unlock"):
        monkeypatch.setattr(lock, name, noting_the_thread(getattr(lock, name)))
    screen = LockScreen(lock, window, op_runner)
    screen.lock_now()
    assert op_runner.wait_idle(timeout=120)  # the lock recorded by the write worker
    assert lock.locked and screen.isVisible()
    type_and_enter(qtbot, screen.password, "wrong-password")
    assert not screen.password.isEnabled()  # busy while the worker checks
    assert op_runner.wait_idle(timeout=120)
    assert screen.error.text() and screen.isVisible() and screen.password.isEnabled()
    with qtbot.waitSignal(screen.unlocked, timeout=120_000):
        type_and_enter(qtbot, screen.password, PASSWORD)
    assert not screen.isVisible() and not lock.locked
    assert len(ran_on) == 3, ran_on  # lock, the wrong password, the right one
    assert all(t is not threading.main_thread() and t.name.startswith("counter-")
               for t in ran_on), [t.name for t in ran_on]


def test_idle_time_locks_the_window(qtbot, demo_db, window):
    lock = SessionLock(demo_db, actor(demo_db, "C001"), IdleLockPolicy(5))
    idle = IdleLock(lock, window, timeout_ms=150)
    assert IdleLock(lock, window).watcher.timeout_ms == 5 * 60_000  # the hall's minutes
    idle.start()
    qtbot.waitUntil(lambda: idle.screen.isVisible(), timeout=30_000)
    assert lock.locked
    [locked] = events(demo_db, "session.lock")
    assert locked.data["reason"] == "idle"
    type_and_enter(qtbot, idle.screen.password, PASSWORD)
    assert not idle.screen.isVisible()
    idle.stop()
