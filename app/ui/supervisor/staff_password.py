"""Change my password: for everyone, from the Work menu, and forced right after a log-in with a
password an administrator set (a new account, a reset, a reactivation).

The change runs on a worker (`accounts.change_own_password`: the current password proves it is
the staff, the policy is the core's); a refusal is shown in the dialog, which stays open. When
forced, the only ways out are a new password or logging out (Cancel, Esc or closing the
dialog): the core refuses every other service to the account meanwhile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.ui.kit.op_failures import OpFailure
from app.ui.kit.operations import CollectionOp
from app.ui.kit.theme import set_role

if TYPE_CHECKING:
    from app.db import Database
    from app.services.hall.registry import Actor
    from app.ui.kit.op_runner import OpRunner

ERROR_STYLE = "color: #c62828; font-weight: bold;"


def password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(128)
    return field


class ChangePasswordDialog(QDialog):
    """The staff's current password, the new one twice."""

    def __init__(self, db: Database, runner: OpRunner, actor: Actor, *, forced: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changePasswordDialog")
        self.setModal(True)
        self.db, self.runner, self.actor, self.forced = db, runner, actor, forced
        self._busy = False
        self.setWindowTitle(self.tr("Change my password"))
        heading = QLabel(self.tr("Choose a new password to continue") if forced
                         else self.tr("Change the password of {staff_no} {name}").format(
                             staff_no=actor.staff_no, name=actor.name))
        heading.setObjectName("changePasswordHeading")
        heading.setProperty("heading", True)
        heading.setWordWrap(True)
        explain = QLabel(
            (self.tr("{name}, your password was set by an administrator. Before anything else, "
                     "replace it with one only you know.").format(name=actor.name) + "\n"
             if forced else "")
            + self.tr("At least 8 characters with letters and digits, not containing your "
                      "staff number."))
        explain.setProperty("hint", True)
        explain.setWordWrap(True)
        self.current = password_field("currentPassword")
        self.new = password_field("newPassword")
        self.again = password_field("newPasswordAgain")
        form = QFormLayout()
        form.addRow(self.tr("&Current password"), self.current)
        form.addRow(self.tr("&New password"), self.new)
        form.addRow(self.tr("New password &again"), self.again)
        self.error = QLabel()
        self.error.setObjectName("changePasswordError")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton(self.tr("Change password"),
                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("changePasswordOk")
        set_role(self.ok, "primary")
        self.cancel = buttons.addButton(self.tr("Log out") if forced else self.tr("Cancel"),
                                        QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel.setObjectName("changePasswordCancel")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        for field in (self.current, self.new, self.again):
            field.textEdited.connect(lambda _t: self.show_error(""))
        self.setMinimumWidth(460)
        self.current.setFocus()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def submit(self) -> None:
        if self._busy:
            return
        current, new, again = self.current.text(), self.new.text(), self.again.text()
        for field, value in ((self.current, current), (self.new, new), (self.again, again)):
            if not value:
                self.show_error(self.tr("Fill in all three fields."))
                field.setFocus()
                return
        if new != again:
            self.show_error(self.tr("The two new passwords differ. Type them again."))
            self.new.clear()
            self.again.clear()
            self.new.setFocus()
            return
        self._set_busy(True)
        db, actor = self.db, self.actor

        def work(_c: object) -> None:
            from app.services.staff.accounts import change_own_password

            change_own_password(db, actor, current, new)

        (CollectionOp(self.runner, work, parent=self).success(lambda _r: self._changed())
         .failure(self._failed).run_in_background())

    def _changed(self) -> None:
        self._set_busy(False)
        self._clear()
        self.accept()

    def _failed(self, failure: OpFailure) -> None:
        self._set_busy(False)
        self.show_error(failure.message)
        from app.services.staff.auth import AuthError

        if isinstance(failure.exception, AuthError):  # the current password was wrong
            self.current.clear()
            self.current.setFocus()
        else:  # the new one was refused (policy, same as the old)
            self.new.clear()
            self.again.clear()
            self.new.setFocus()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.current, self.new, self.again, self.ok, self.cancel):
            widget.setEnabled(not busy)
        self.ok.setText(self.tr("Changing...") if busy else self.tr("Change password"))

    def _clear(self) -> None:
        for field in (self.current, self.new, self.again):
            field.clear()

    def reject(self) -> None:
        if self._busy:  # the change is running: its answer decides
            return
        self._clear()
        super().reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focused = self.focusWidget()
            if focused is self.current or focused is self.new:
                self.focusNextChild()  # Enter moves on, as in the login window
            else:
                self.submit()
            event.accept()
            return
        super().keyPressEvent(event)
