"""The first start's dialogs from the keyboard (issue 12, defect 9): Enter is the way forward,
never 退出 or 取消, wherever the focus is; quitting takes a click or Esc."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QPushButton

from app.ui.shell.setup_dialogs import EmptyDatabaseDialog, FirstRunDialog, KeySetupDialog

from .ui_fixtures import translators

__all__ = ["translators"]


def shown(qtbot: Any, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    QApplication.processEvents()
    return dialog


def button(dialog: QDialog, text: str) -> QPushButton:
    return next(b for b in dialog.findChildren(QPushButton) if b.text() == text)


def test_enter_on_the_empty_database_screen_sets_the_hall_up(qtbot: Any) -> None:
    dialog = shown(qtbot, EmptyDatabaseDialog())
    with qtbot.waitSignal(dialog.finished, timeout=5000) as done:
        QTest.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)
    assert done.args == [EmptyDatabaseDialog.SETUP]


def test_enter_with_the_focus_on_quit_still_goes_forward(qtbot: Any) -> None:
    dialog = shown(qtbot, EmptyDatabaseDialog())
    quit_button = button(dialog, "Quit")
    quit_button.setFocus()  # Tab got there
    assert not quit_button.autoDefault() and not quit_button.isDefault()
    with qtbot.waitSignal(dialog.finished, timeout=5000) as done:
        QTest.keyClick(quit_button, Qt.Key.Key_Return)
    assert done.args == [EmptyDatabaseDialog.SETUP]
    # Esc (or a click) still quits.
    again = shown(qtbot, EmptyDatabaseDialog())
    with qtbot.waitSignal(again.finished, timeout=5000) as done:
        QTest.keyClick(again, Qt.Key.Key_Escape)
    assert done.args == [QDialog.DialogCode.Rejected.value]


def test_enter_in_the_set_up_form_checks_it_and_never_cancels(qtbot: Any) -> None:
    dialog = shown(qtbot, FirstRunDialog("C01"))
    rejected: list[bool] = []
    dialog.rejected.connect(lambda: rejected.append(True))
    QTest.keyClick(dialog.hall_name, Qt.Key.Key_Return)  # nothing filled in yet
    assert dialog.isVisible() and dialog.error.text() and not rejected
    cancel = button(dialog, "Cancel")
    cancel.setFocus()
    QTest.keyClick(cancel, Qt.Key.Key_Return)
    assert dialog.isVisible() and not rejected


def test_enter_on_the_key_dialogs_quit_does_not_quit(qtbot: Any, tmp_path: Any) -> None:
    dialog = shown(qtbot, KeySetupDialog("open", str(tmp_path / "key.json"), "no keyring"))
    rejected: list[bool] = []
    dialog.rejected.connect(lambda: rejected.append(True))
    quit_button = button(dialog, "Quit")
    quit_button.setFocus()
    QTest.keyClick(quit_button, Qt.Key.Key_Return)
    assert not rejected and dialog.error.text()  # "Enter the passphrase."
