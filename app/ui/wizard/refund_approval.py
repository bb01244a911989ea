"""值班长授权: a supervisor approves a refund at the clerk's counter.

Money paid back to a customer needs `refund.approve` (a supervisor's right). When the clerk's
role lacks it, the wizard opens this dialog before submitting: the supervisor types their own
staff number and password and a reason; `auth.authorize` checks them on the worker (through
the controller) and the order is then recorded with the returned actor, so the order and the
audit name both people. Wrong credentials are shown here and the dialog stays; cancelling
writes nothing.
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

from app.core.money import format_yuan
from app.ui.kit.theme import set_role

if TYPE_CHECKING:
    from app.services.hall.registry import Actor
    from app.ui.wizard.controller import VisitController

ERROR_STYLE = "color: #c62828; font-weight: bold;"


class RefundApprovalDialog(QDialog):
    """Asks for a supervisor's credentials; `actor` holds the authorized actor once accepted."""

    def __init__(self, controller: VisitController, amount_fen: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("refundApprovalDialog")
        self.setWindowTitle(self.tr("Supervisor authorization"))
        self.setModal(True)
        self.controller = controller
        self.actor: Actor | None = None
        self._busy = False
        amount = format_yuan(amount_fen)

        self.heading = QLabel(self.tr("A refund of {amount} yuan needs a supervisor's "
                                      "approval.").format(amount=amount))
        self.heading.setObjectName("refundApprovalHeading")
        self.heading.setProperty("heading", True)
        self.heading.setWordWrap(True)
        explain = QLabel(self.tr("The supervisor enters their own staff number and password "
                                 "at this counter. The order records both of you."))
        explain.setProperty("hint", True)
        explain.setWordWrap(True)
        self.staff_no = QLineEdit()
        self.staff_no.setObjectName("approvalStaffNo")
        self.staff_no.setMaxLength(20)
        self.password = QLineEdit()
        self.password.setObjectName("approvalPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.reason = QLineEdit(self.tr("Refund {amount} yuan").format(amount=amount))
        self.reason.setObjectName("approvalReason")
        self.reason.setMaxLength(200)
        form = QFormLayout()
        form.addRow(self.tr("Supervisor staff no."), self.staff_no)
        form.addRow(self.tr("Supervisor password"), self.password)
        form.addRow(self.tr("Reason"), self.reason)
        self.error = QLabel()
        self.error.setObjectName("approvalError")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(self.tr("Authorize"),
                                         QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("approvalOk")
        set_role(self.ok, "primary")
        self.cancel = self.buttons.addButton(self.tr("Cancel"),
                                             QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel.setObjectName("approvalCancel")
        self.buttons.accepted.connect(self.authorize)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        for field in (self.staff_no, self.password, self.reason):
            field.textEdited.connect(lambda _t: self.show_error(""))
        controller.refund_authorized.connect(self._authorized)
        controller.refund_authorization_failed.connect(self._failed)
        self._listening = True
        self.staff_no.setFocus()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def authorize(self) -> None:
        if self._busy:
            return
        staff_no, password, reason = (self.staff_no.text().strip(), self.password.text(),
                                      self.reason.text().strip())
        if not staff_no or not password:
            self.show_error(self.tr("Enter the supervisor's staff number and password."))
            (self.password if staff_no else self.staff_no).setFocus()
            return
        if not reason:
            self.show_error(self.tr("Enter the reason for the refund."))
            self.reason.setFocus()
            return
        self._set_busy(True)
        self.show_error("")
        self.controller.authorize_refund(staff_no, password, reason)

    def _authorized(self, actor: Actor) -> None:
        if not self._busy:
            return
        self._set_busy(False)
        self.actor = actor
        self.password.clear()
        self.accept()

    def _failed(self, message: str) -> None:
        if not self._busy:
            return
        self._set_busy(False)
        self.show_error(message)
        self.password.clear()
        self.password.setFocus()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.staff_no, self.password, self.reason, self.ok, self.cancel):
            widget.setEnabled(not busy)
        if busy:
            self.ok.setText(self.tr("Checking..."))
        else:
            self.ok.setText(self.tr("Authorize"))

    def reject(self) -> None:
        if self._busy:  # the check is running: its answer decides
            return
        self.password.clear()
        super().reject()

    def done(self, result: int) -> None:
        if self._listening:  # the controller outlives this dialog: stop listening to it
            self._listening = False
            self.controller.refund_authorized.disconnect(self._authorized)
            self.controller.refund_authorization_failed.disconnect(self._failed)
        super().done(result)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter in any field authorizes (the wizard's Enter must not reach the page below).
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.authorize()
            event.accept()
            return
        super().keyPressEvent(event)
