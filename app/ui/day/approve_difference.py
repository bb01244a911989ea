"""The supervisor approves a closed shift's difference: the lines that did not match, with the
clerk's explanations, then the supervisor's own staff number and password typed again and a
note of what was checked (`app.services.day.signoff.approve_difference`, which checks the
password like a log-in: a wrong one counts towards the lockout)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.services.day.items import describe_quantity
from app.services.day.shifts import Approval, ShiftInfo
from app.services.day.signoff import ShiftDifferences, approve_difference, shift_differences
from app.services.hall.registry import Actor
from app.ui.day.common import error_label, failure_text, local_text, show_error
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.op_runner import OpRunner
from app.ui.kit.operations import CollectionOp, QueryOp
from app.ui.kit.theme import set_role


class ApproveDifferenceDialog(QDialog):
    """Accepted once the core approved the shift; `approved` holds the shift then."""

    def __init__(self, runner: OpRunner, db: Database, actor: Actor, shift_id: int,
                 zone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.db, self.actor, self.shift_id, self.zone = (runner, db, actor,
                                                                     shift_id, zone)
        self.approved: ShiftInfo | None = None
        self.setObjectName("approveDifferenceDialog")
        self.setWindowTitle(self.tr("Approve a shift's difference"))
        self.resize(820, 520)
        layout = QVBoxLayout(self)
        self.heading = QLabel(self)
        self.heading.setObjectName("approveHeading")
        self.heading.setProperty("heading", True)
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        headers = [self.tr("Item"), self.tr("Expected"), self.tr("Counted"),
                   self.tr("Difference"), self.tr("Tolerance"), self.tr("Clerk's explanation")]
        self.lines = QTableWidget(0, len(headers), self)
        self.lines.setObjectName("differenceLines")
        self.lines.setHorizontalHeaderLabels(headers)
        self.lines.verticalHeader().hide()
        self.lines.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.lines.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.lines, 1)
        form = QFormLayout()
        self.staff_no = QLineEdit(actor.staff_no, self)
        self.staff_no.setObjectName("approverStaffNo")
        self.staff_no.setReadOnly(True)  # the supervisor's own account, nobody else's
        self.password = QLineEdit(self)
        self.password.setObjectName("approverPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.note = QLineEdit(self)
        self.note.setObjectName("approvalNote")
        self.note.setMaxLength(500)
        self.note.setPlaceholderText(self.tr("What was checked, e.g. the shortfall was paid in"))
        form.addRow(self.tr("Your staff no."), self.staff_no)
        form.addRow(self.tr("Your password"), self.password)
        form.addRow(self.tr("What was checked"), self.note)
        layout.addLayout(form)
        self.error = error_label(self)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.approve_button = self.buttons.addButton(self.tr("Approve"),
                                                     QDialogButtonBox.ButtonRole.AcceptRole)
        self.approve_button.setObjectName("approveButton")
        set_role(self.approve_button, "primary")
        self.approve_button.setEnabled(False)
        self.buttons.accepted.connect(self.approve)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for edit in (self.password, self.note):
            edit.textEdited.connect(lambda _t: show_error(self.error, ""))
        self.load()

    def load(self) -> None:
        db, actor, shift_id = self.db, self.actor, self.shift_id
        (QueryOp(self.runner, lambda _c: shift_differences(db, actor, shift_id), parent=self)
         .success(self._loaded).failure(self._failed).run_in_background())

    def _loaded(self, d: ShiftDifferences) -> None:
        closed = local_text(d.closed_at, self.zone, "%Y-%m-%d %H:%M")
        self.heading.setText(self.tr("Counter %1 · %2 (%3) · closed %4").replace(
            "%1", d.counter_code).replace("%2", d.staff_name).replace("%3", d.staff_no)
            .replace("%4", closed))
        self.lines.setRowCount(len(d.lines))
        for r, ln in enumerate(d.lines):
            sign = "+" if ln.difference > 0 else ""
            cells = [ln.label, describe_quantity(ln.item, ln.expected),
                     describe_quantity(ln.item, ln.counted),
                     sign + describe_quantity(ln.item, ln.difference),
                     describe_quantity(ln.item, ln.tolerance), ln.explanation]
            for c, text in enumerate(cells):
                self.lines.setItem(r, c, QTableWidgetItem(text))
        self.approve_button.setEnabled(d.status == "closed")
        if d.status != "closed":
            show_error(self.error, self.tr("This shift is not waiting for an approval."))

    def approve(self) -> None:
        if not self.password.text() or not self.note.text().strip():
            show_error(self.error, self.tr("Type your password and what was checked."))
            return
        approval = Approval(self.staff_no.text(), self.password.text(), self.note.text())
        db, actor, shift_id = self.db, self.actor, self.shift_id
        self.approve_button.setEnabled(False)
        (CollectionOp(self.runner, lambda _c: approve_difference(db, actor, shift_id, approval),
                      changes={"day"}, parent=self)
         .success(self._approved).failure(self._failed).run_in_background())

    def _approved(self, info: ShiftInfo) -> None:
        self.approved = info
        self.accept()

    def _failed(self, failure: OpFailure) -> None:
        self.password.clear()
        self.approve_button.setEnabled(True)
        show_error(self.error, failure_text(failure))
