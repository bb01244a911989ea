"""The small forms of the staff screen: a new account, a new password, a reason, a role, and the
second supervisor's confirmation (two-person rule).

Forms only: each checks what it can see (empty fields, two passwords that differ) and hands
its values to the staff screen, which runs the change on a worker; the core checks the rest
and its refusals come back to `show_error`. The second supervisor's dialog stays open until
the change is done, so a wrong password can be typed again.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.ui.kit import labels
from app.ui.kit.theme import set_role
from app.ui.supervisor.staff_password import ERROR_STYLE, password_field

ROLES = ("clerk", "supervisor", "manager", "admin")


class StaffForm(QDialog):
    """A heading, a form, an error line and OK / Cancel; Enter submits from the last field."""

    submitted = Signal()

    def __init__(self, parent: QWidget | None = None, *, danger: bool = False) -> None:
        super().__init__(parent)
        self.setModal(True)
        self.heading = QLabel()
        self.heading.setProperty("heading", True)
        self.heading.setWordWrap(True)
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setObjectName("staffFormError")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("staffFormOk")
        set_role(self.ok, "danger" if danger else "primary")
        self.cancel = buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel.setObjectName("staffFormCancel")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(self.heading)
        self.layout_.addLayout(self.form)
        self.layout_.addWidget(self.error)
        self.layout_.addWidget(buttons)
        self.setMinimumWidth(440)
        self._busy = False

    def texts(self, title: str, heading: str, ok_text: str) -> None:
        self.setWindowTitle(title)
        self.heading.setText(heading)
        self.ok.setText(ok_text)

    def hint(self, text: str) -> None:
        label = QLabel(text)
        label.setProperty("hint", True)
        label.setWordWrap(True)
        self.layout_.insertWidget(1, label)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def clears_error(self, *fields: QLineEdit) -> None:
        """Typing again in these fields takes the last refusal away."""
        for field in fields:
            field.textEdited.connect(lambda _t: StaffForm.show_error(self, ""))

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        for i in range(self.form.rowCount()):
            item = self.form.itemAt(i, QFormLayout.ItemRole.FieldRole)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setEnabled(not busy)
        self.ok.setEnabled(not busy)
        self.cancel.setEnabled(not busy)

    def check(self) -> str:
        """The first problem the form can see, or ''."""
        return ""

    def submit(self) -> None:
        if self._busy:
            return
        problem = self.check()
        self.show_error(problem)
        if not problem:
            self.submitted.emit()

    def reject(self) -> None:
        if not self._busy:
            super().reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
            event.accept()
            return
        super().keyPressEvent(event)


def _role_box(current: str | None = None) -> QComboBox:
    box = QComboBox()
    box.setObjectName("roleBox")
    for role in ROLES:
        box.addItem(labels.role_name(role), role)
    if current in ROLES:
        box.setCurrentIndex(ROLES.index(current))
    return box


class NewPasswordForm(StaffForm):
    """A password the staff must change at the next log-in (reset, reactivation)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hint(self.tr("Give the password to the staff member in person: they must change "
                          "it when they next log in."))
        self.password = password_field("newStaffPassword")
        self.again = password_field("newStaffPasswordAgain")
        self.form.addRow(self.tr("&New password"), self.password)
        self.form.addRow(self.tr("New password &again"), self.again)
        self.clears_error(self.password, self.again)

    def check(self) -> str:
        if not self.password.text():
            self.password.setFocus()
            return self.tr("Enter the new password.")
        if self.password.text() != self.again.text():
            self.again.clear()
            self.again.setFocus()
            return self.tr("The two passwords differ.")
        return ""


class AddStaffForm(NewPasswordForm):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.texts(self.tr("Add a staff account"), self.tr("New staff account"), self.tr("Add"))
        self.setObjectName("addStaffDialog")
        self.staff_no = QLineEdit()
        self.staff_no.setObjectName("newStaffNo")
        self.staff_no.setMaxLength(20)
        self.name = QLineEdit()
        self.name.setObjectName("newStaffName")
        self.name.setMaxLength(50)
        self.role = _role_box("clerk")
        self.form.insertRow(0, self.tr("&Staff number"), self.staff_no)
        self.form.insertRow(1, self.tr("Na&me"), self.name)
        self.form.insertRow(2, self.tr("&Role"), self.role)
        self.clears_error(self.staff_no, self.name)
        self.staff_no.setFocus()

    def check(self) -> str:
        if not self.staff_no.text().strip():
            self.staff_no.setFocus()
            return self.tr("Enter the staff number.")
        if not self.name.text().strip():
            self.name.setFocus()
            return self.tr("Enter the name.")
        return super().check()


class ReasonForm(StaffForm):
    def __init__(self, staff_no: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, danger=True)
        self.texts(self.tr("Deactivate an account"),
                   self.tr("Deactivate {staff_no} {name}?").format(staff_no=staff_no, name=name),
                   self.tr("Deactivate"))
        self.setObjectName("deactivateDialog")
        self.hint(self.tr("The account can no longer log in; its orders keep its name."))
        self.reason = QLineEdit()
        self.reason.setObjectName("deactivateReason")
        self.reason.setMaxLength(200)
        self.form.addRow(self.tr("&Reason"), self.reason)
        self.clears_error(self.reason)
        self.reason.setFocus()

    def check(self) -> str:
        if not self.reason.text().strip():
            self.reason.setFocus()
            return self.tr("Enter the reason.")
        return ""


class RoleForm(StaffForm):
    def __init__(self, staff_no: str, name: str, role: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.texts(self.tr("Set the role"),
                   self.tr("Role of {staff_no} {name}").format(staff_no=staff_no, name=name),
                   self.tr("Set role"))
        self.setObjectName("roleDialog")
        self.hint(self.tr("Giving rights beyond a clerk's needs a second supervisor's "
                          "confirmation."))
        self.current = role
        self.role = _role_box(role)
        self.form.addRow(self.tr("&Role"), self.role)
        self.role.setFocus()

    def check(self) -> str:
        if self.role.currentData() == self.current:
            return self.tr("Choose a different role.")
        return ""


class SecondPersonForm(StaffForm):
    """Another supervisor confirms at this screen with their own staff number and password."""

    confirmed = Signal(str, str)

    def __init__(self, message: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.texts(self.tr("Second supervisor"), message, self.tr("Confirm"))
        self.setObjectName("secondPersonDialog")
        self.hint(self.tr("Two-person rule: another supervisor types their own staff number "
                          "and password here. The record names both of you."))
        self.staff_no = QLineEdit()
        self.staff_no.setObjectName("secondStaffNo")
        self.staff_no.setMaxLength(20)
        self.password = password_field("secondPassword")
        self.form.addRow(self.tr("Supervisor's &staff number"), self.staff_no)
        self.form.addRow(self.tr("Supervisor's &password"), self.password)
        self.clears_error(self.staff_no, self.password)
        self.submitted.connect(lambda: self.confirmed.emit(self.staff_no.text().strip(),
                                                           self.password.text()))
        self.staff_no.setFocus()

    def check(self) -> str:
        if not self.staff_no.text().strip() or not self.password.text():
            (self.password if self.staff_no.text().strip() else self.staff_no).setFocus()
            return self.tr("Enter the supervisor's staff number and password.")
        return ""

    def show_error(self, text: str) -> None:
        super().show_error(text)
        if text:
            self.password.clear()
            self.password.setFocus()

    def done(self, result: int) -> None:
        self.password.clear()
        super().done(result)
