"""Typing the ticket from the customer's paper slip: when the counter has no queue system, or
it failed (its one-line fault is shown above the fields, and the clerk goes on)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.day.queue_visits import VisitInfo
from app.ui.day.common import error_label, failure_text, show_error
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.op_runner import OpRunner
from app.ui.kit.operations import CollectionOp

Record = Callable[[str, str], VisitInfo]


class QueueTicketDialog(QDialog):
    """Records the typed ticket through `record(number, issued)` on the write worker; a wrong
    number or time keeps the dialog open with the reason."""

    def __init__(self, runner: OpRunner, record: Record, fault: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queueTicketDialog")
        self.runner, self.record = runner, record
        self.visit: VisitInfo | None = None
        self.setWindowTitle(self.tr("Type the queue ticket"))
        self.fault = QLabel(fault, self)
        self.fault.setObjectName("queueFault")
        self.fault.setWordWrap(True)
        self.fault.setStyleSheet("color: #b71c1c;")
        self.fault.setVisible(bool(fault))
        self.number = QLineEdit(self)
        self.number.setObjectName("ticketNumber")
        self.number.setMaxLength(20)
        self.number.setPlaceholderText("A023")
        self.issued = QLineEdit(self)
        self.issued.setObjectName("ticketIssued")
        self.issued.setMaxLength(8)
        self.issued.setPlaceholderText(self.tr("e.g. 09:41 (optional)"))
        hint = QLabel(self.tr("The time printed on the ticket, if any: without it the "
                              "customer's waiting time is not counted."), self)
        hint.setWordWrap(True)
        hint.setProperty("muted", True)
        form = QFormLayout()
        form.addRow(self.tr("Ticket number"), self.number)
        form.addRow(self.tr("Time of issue"), self.issued)
        self.error = error_label(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("ticketOk")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.fault)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(420, 0)
        self.number.setFocus()

    def submit(self) -> None:
        number, issued = self.number.text(), self.issued.text()
        self.buttons.setEnabled(False)
        show_error(self.error, "")
        record = self.record
        (CollectionOp(self.runner, lambda _c: record(number, issued), changes={"queue"},
                      parent=self)
         .success(self._recorded).failure(self._failed).run_in_background())

    def _recorded(self, visit: VisitInfo) -> None:
        self.visit = visit
        self.buttons.setEnabled(True)
        self.accept()

    def _failed(self, failure: OpFailure) -> None:
        self.buttons.setEnabled(True)
        show_error(self.error, failure_text(failure))
        self.number.setFocus()
        self.number.selectAll()
