"""The forced password change at log-in (through the real session controller and login
window) and "Change my password" from the counter window. `STAFF_SCREENSHOTS=1` also writes
docs/screenshots/staff_password_forced.png."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.services.hall.demo import DEMO_PASSWORD
from app.services.staff import accounts, auth
from app.ui.kit import i18n
from app.ui.kit.op_runner import OpRunner
from app.ui.settings.store import UiSettings
from app.ui.supervisor.staff_password import ChangePasswordDialog
from tests.security_fixtures import actor, events, staff_row

from .counter_driver import WAIT_MS, log_in, make_context, settle
from .test_staff_screen import SHOTS, shot, type_into
from .ui_fixtures import no_thread_leak, op_runner, translators, ui_settings

__all__ = ["no_thread_leak", "op_runner", "translators", "ui_settings"]

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("no_thread_leak")]

NEW, OWN = "Start-pass-99", "Chosen-by-me-42"


@pytest.fixture
def session(demo_db: Any, db_url: str, op_runner: OpRunner, ui_settings: UiSettings,
            translators: None, qtbot: Any, qapp: Any) -> Iterator[Any]:
    from app.ui.shell.login import LoginWindow
    from app.ui.shell.session import SessionController

    i18n.install_translators("zh_CN")
    if SHOTS:
        from app.ui.kit import fonts
        from app.ui.kit.theme import apply_theme

        fonts.install_cjk_font(qapp)
        apply_theme(qapp)
    accounts.reset_password(demo_db, actor(demo_db, "A001"), "C001", NEW)
    login = LoginWindow(ui_settings)
    qtbot.addWidget(login)
    login.show()
    controller = SessionController(op_runner, ui_settings, db_url, login)
    controller.start()
    qtbot.waitUntil(login.login_button.isEnabled, timeout=WAIT_MS)
    yield controller
    if controller.window is not None:
        controller.window.close()
    op_runner.wait_idle(60)
    if controller.ctx is not None:
        controller.ctx.db.dispose()


def log_in_as(session: Any, qtbot: Any, staff_no: str, password: str) -> ChangePasswordDialog:
    login = session.login
    login.staff_no.setText(staff_no)
    login.password.setText(password)
    login.counter_code.setText("C01")
    QTest.keyClick(login.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(session.dialog, ChangePasswordDialog), timeout=WAIT_MS)
    return session.dialog


def test_a_reset_password_must_be_changed_before_the_counter_window(
        session, demo_db, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = log_in_as(session, qtbot, "C001", NEW)
    assert dialog.forced and dialog.isVisible() and dialog.isModal()
    assert session.window is None  # nothing else until the password is changed
    assert session.login.isVisible()
    shot(dialog, "password_forced")
    # The core refuses the session everything meanwhile, whatever a window might try.
    assert auth.password_change_pending(demo_db, session.ctx.actor)

    type_into(dialog.current, "not-my-password")
    type_into(dialog.new, OWN)
    type_into(dialog.again, OWN)
    QTest.keyClick(dialog.again, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=WAIT_MS)
    assert dialog.error.text() == "原密码错误" and dialog.current.text() == ""
    assert dialog.focusWidget() is dialog.current

    type_into(dialog.current, NEW)
    dialog.new.clear()
    dialog.again.clear()
    type_into(dialog.new, OWN)
    type_into(dialog.again, OWN + "!")
    QTest.keyClick(dialog.again, Qt.Key.Key_Return)
    assert dialog.error.text() == dialog.tr("The two new passwords differ. Type them again.")
    type_into(dialog.new, NEW)
    type_into(dialog.again, NEW)
    QTest.keyClick(dialog.again, Qt.Key.Key_Return)  # the same as the old: the core refuses
    qtbot.waitUntil(lambda: "不能与旧密码相同" in dialog.error.text(), timeout=WAIT_MS)

    type_into(dialog.new, OWN)
    type_into(dialog.again, OWN)
    QTest.keyClick(dialog.again, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: session.window is not None, timeout=WAIT_MS)
    assert not session.login.isVisible() and not dialog.isVisible()
    assert not staff_row(demo_db, "C001").must_change_password
    assert [e.data.get("forced") for e in events(demo_db, "staff.password_change")] == [True]
    qtbot.waitUntil(lambda: session.window.shift_dialog is not None, timeout=WAIT_MS)
    session.window.shift_dialog.reject()


def test_declining_the_change_logs_out(session, demo_db, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = log_in_as(session, qtbot, "C001", NEW)
    assert dialog.cancel.text() == dialog.tr("Log out")
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: session.ctx.actor is None, timeout=WAIT_MS)
    settle(session.ctx)
    assert session.window is None and session.login.isVisible()
    assert session.login.password.text() == "" and session.login.login_button.isEnabled()
    [out] = events(demo_db, "logout")
    assert (out.actor, out.data["reason"]) == ("C001", "password_not_changed")
    assert staff_row(demo_db, "C001").must_change_password  # still to be changed next time


def test_anyone_changes_their_password_from_the_counter_window(
        demo_db, op_runner, ui_settings, translators, qtbot) -> None:  # type: ignore[no-untyped-def]
    from app.ui.counter.window import CounterWindow
    from app.ui.shell.errors import install_error_messages

    i18n.install_translators("zh_CN")
    install_error_messages()
    ctx = make_context(demo_db, op_runner, ui_settings)
    log_in(ctx, "C002")
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    window.staff.act_password.trigger()
    dialog = window.staff.password_dialog
    assert dialog is not None and not dialog.forced
    assert dialog.cancel.text() == dialog.tr("Cancel")
    type_into(dialog.current, DEMO_PASSWORD)
    QTest.keyClick(dialog.current, Qt.Key.Key_Return)  # Enter moves to the next field
    assert dialog.focusWidget() is dialog.new
    type_into(dialog.new, OWN)
    type_into(dialog.again, OWN)
    QTest.keyClick(dialog.again, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    settle(ctx)
    assert auth.login(demo_db, "C002", OWN, "C02")
    [changed] = events(demo_db, "staff.password_change")
    assert (changed.actor, "forced" in changed.data) == ("C002", False)
    window.close()
    settle(ctx)
