"""The staff screen, driven as an administrator drives it: the list, add (with the second
supervisor's dialog), reset a password, unlock, deactivate and reactivate, keyboard only where
it matters; and the counter window's menu entries. `STAFF_SCREENSHOTS=1` also writes
docs/screenshots/staff_*.png."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from app.services.hall.demo import DEMO_PASSWORD
from app.services.staff import accounts, auth
from app.services.staff.auth import AuthError
from app.ui.counter.window import CounterWindow
from app.ui.kit.labels import local_time, role_name
from app.ui.kit.op_runner import OpRunner
from app.ui.settings.store import UiSettings
from app.ui.shell.errors import install_error_messages
from app.ui.supervisor.staff_dialogs import (
    AddStaffForm,
    NewPasswordForm,
    ReasonForm,
    SecondPersonForm,
)
from app.ui.supervisor.staff_window import StaffWindow
from tests.security_fixtures import actor, events, staff_row

from .counter_driver import WAIT_MS, log_in, make_context, settle
from .ui_fixtures import no_thread_leak, op_runner, translators, ui_settings

__all__ = ["no_thread_leak", "op_runner", "translators", "ui_settings"]

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("no_thread_leak")]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = os.environ.get("STAFF_SCREENSHOTS") == "1"
NEW = "Start-pass-99"


def shot(widget: QWidget, name: str) -> None:
    if SHOTS:
        from app.ui.kit.screenshots import grab_to_png

        QApplication.processEvents()
        grab_to_png(widget, ROOT / "docs" / "screenshots" / f"staff_{name}.png")


@pytest.fixture
def ctx(demo_db: Any, op_runner: OpRunner, ui_settings: UiSettings, translators: None,
        qapp: QApplication) -> Iterator[Any]:
    from app.ui.kit import i18n

    if SHOTS:
        from app.ui.kit import fonts
        from app.ui.kit.theme import apply_theme

        fonts.install_cjk_font(qapp)
        apply_theme(qapp)
    i18n.install_translators("zh_CN")
    install_error_messages()  # the core's refusals in words (the session does it at start)
    context = make_context(demo_db, op_runner, ui_settings)
    yield context
    op_runner.wait_idle(60)


def screen(ctx: Any, qtbot: Any, staff_no: str = "A001") -> StaffWindow:
    log_in(ctx, staff_no, open_shift=False)
    window = StaffWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: len(window.rows) > 0, timeout=WAIT_MS)
    return window


def cells(window: StaffWindow, staff_no: str) -> list[str]:
    row = next(i for i, r in enumerate(window.rows) if r.staff_no == staff_no)
    return [window.table.item(row, c).text() for c in range(window.table.columnCount())]


def type_into(field: QLineEdit, text: str) -> None:
    field.setFocus()
    if text.isascii():
        QTest.keyClicks(field, text)
    else:  # what an input method commits (QTest types Latin keys only)
        field.insert(text)


def wait_done(ctx: Any, qtbot: Any, window: StaffWindow) -> None:
    settle(ctx)
    qtbot.waitUntil(lambda: not window._busy, timeout=WAIT_MS)
    settle(ctx)


def test_the_list_and_what_each_row_allows(ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):  # C002 locks their account
        with pytest.raises(AuthError):
            auth.login(ctx.db, "C002", "guessing-wrong-1", "C02")
    accounts.reset_password(ctx.db, actor(ctx.db, "M001"), "C001", NEW)
    window = screen(ctx, qtbot)
    assert [r.staff_no for r in window.rows] == ["A001", "C001", "C002", "M001", "S001"]
    assert cells(window, "S001") == ["S001", "王丽", role_name("supervisor"),
                                     window.tr("Active"), "", ""]
    assert cells(window, "C001")[5] == window.tr("Yes")
    assert cells(window, "C002")[4] == window.tr("Locked until {time}").format(
        time=local_time(staff_row(ctx.db, "C002").locked_until, ctx.timezone))
    assert window.table.hasFocus() or window.table.isAncestorOf(QApplication.focusWidget())
    window.select("A001")  # one's own account: only through "Change my password"
    assert not window.reset_button.isEnabled() and not window.deactivate_button.isEnabled()
    window.select("C002")
    assert window.unlock_button.isEnabled() and not window.reactivate_button.isEnabled()
    shot(window, "list")
    qtbot.mouseClick(window.unlock_button, Qt.MouseButton.LeftButton)
    wait_done(ctx, qtbot, window)
    assert cells(window, "C002")[4] == ""
    assert "C002" in window.status.text()
    assert auth.login(ctx.db, "C002", DEMO_PASSWORD, "C02")
    # The screen fits a 1366x768 counter screen, with room for the task bar.
    for size in (window.size(), window.minimumSizeHint()):
        assert size.width() <= 1366 and size.height() <= 700


def test_adding_a_supervisor_asks_for_the_second_supervisor(ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = screen(ctx, qtbot)
    QTest.keyClick(window, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # &Add...
    qtbot.waitUntil(lambda: isinstance(window.form, AddStaffForm), timeout=WAIT_MS)
    form = window.form
    assert isinstance(form, AddStaffForm)
    type_into(form.staff_no, "S009")
    type_into(form.name, "周九")
    form.role.setCurrentIndex(form.role.findData("supervisor"))
    type_into(form.password, NEW)
    type_into(form.again, NEW + "x")
    QTest.keyClick(form.again, Qt.Key.Key_Return)
    assert form.error.text() == form.tr("The two passwords differ.")
    assert form.again.text() == ""  # typed again, nothing sent
    type_into(form.again, NEW)
    shot(form, "add")
    QTest.keyClick(form.again, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(window.form, SecondPersonForm), timeout=WAIT_MS)
    confirm = window.form
    assert isinstance(confirm, SecondPersonForm)
    assert "两人规则" in confirm.heading.text()
    assert staff_row(ctx.db, "S001").failed_logins == 0
    type_into(confirm.staff_no, "S001")
    type_into(confirm.password, "not-the-password")
    QTest.keyClick(confirm.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: confirm.error.isVisible(), timeout=WAIT_MS)
    assert confirm.error.text().startswith("工号或密码错误") and confirm.isVisible()
    assert confirm.password.text() == ""
    type_into(confirm.password, DEMO_PASSWORD)
    shot(confirm, "second_supervisor")
    QTest.keyClick(confirm.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not confirm.isVisible(), timeout=WAIT_MS)
    wait_done(ctx, qtbot, window)
    assert cells(window, "S009") == ["S009", "周九", role_name("supervisor"),
                                     window.tr("Active"), "", window.tr("Yes")]
    [made] = events(ctx.db, "staff.create")
    assert (made.actor, made.target, made.authorized_by) == ("A001", "S009", "S001")


def test_reset_deactivate_and_reactivate(ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = screen(ctx, qtbot, "M001")
    window.select("C001")
    qtbot.mouseClick(window.reset_button, Qt.MouseButton.LeftButton)
    form = window.form
    assert isinstance(form, NewPasswordForm) and "C001" in form.heading.text()
    type_into(form.password, "short1")
    type_into(form.again, "short1")
    qtbot.mouseClick(form.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.error.isVisible(), timeout=WAIT_MS)
    assert "至少需要 8" in form.error.text()  # the core's policy, in the form
    form.password.clear()
    form.again.clear()
    type_into(form.password, NEW)
    type_into(form.again, NEW)
    qtbot.mouseClick(form.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=WAIT_MS)
    wait_done(ctx, qtbot, window)
    assert cells(window, "C001")[5] == window.tr("Yes")  # must change it at the next log-in

    window.select("C002")
    qtbot.mouseClick(window.deactivate_button, Qt.MouseButton.LeftButton)
    reason = window.form
    assert isinstance(reason, ReasonForm)
    QTest.keyClick(reason.reason, Qt.Key.Key_Return)
    assert reason.error.isVisible() and reason.isVisible()  # a reason is required
    type_into(reason.reason, "离职")
    QTest.keyClick(reason.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not reason.isVisible(), timeout=WAIT_MS)
    wait_done(ctx, qtbot, window)
    assert cells(window, "C002")[3] == window.tr("Inactive")
    window.select("C002")
    assert window.reactivate_button.isEnabled() and not window.reset_button.isEnabled()
    qtbot.mouseClick(window.reactivate_button, Qt.MouseButton.LeftButton)
    again = window.form
    assert isinstance(again, NewPasswordForm)
    type_into(again.password, NEW)
    type_into(again.again, NEW)
    QTest.keyClick(again.again, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not again.isVisible(), timeout=WAIT_MS)
    wait_done(ctx, qtbot, window)
    assert cells(window, "C002")[3] == window.tr("Active")
    assert [e.action for e in events(ctx.db) if e.action.startswith("staff.")] == [
        "staff.password_reset", "staff.deactivate", "staff.reactivate"]


def test_the_counter_window_menus(ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    log_in(ctx, "C001")
    clerk = CounterWindow(ctx)
    qtbot.addWidget(clerk)
    assert not clerk.staff.act_staff.isVisible()
    assert clerk.staff.act_password in clerk.menu_work.actions()
    assert clerk.staff.act_password.text() == clerk.staff.tr("Change my password...")
    dialog = clerk.staff.change_password()
    assert dialog.isVisible() and not dialog.forced
    dialog.reject()
    clerk.close()
    settle(ctx)

    log_in(ctx, "M001", counter="C02")
    manager = CounterWindow(ctx)
    qtbot.addWidget(manager)
    assert manager.staff.act_staff.isVisible()
    assert manager.staff.act_staff in manager.menu_settings.actions()
    window = manager.staff.open_staff()
    qtbot.waitUntil(lambda: len(window.rows) == 5, timeout=WAIT_MS)
    manager.close()  # closes the staff screen with it
    assert not window.isVisible()
    settle(ctx)
