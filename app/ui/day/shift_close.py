"""Closing a shift: counts against what the orders say, differences highlighted and explained,
and a supervisor's approval typed in at the counter when a difference is beyond tolerance."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.services.day.counts import compare
from app.services.day.errors import DayError
from app.services.day.items import describe_quantity, money_item
from app.services.day.shifts import (
    Approval,
    ApprovalRequired,
    ClosePreview,
    CloseResult,
    close_shift,
    preview_close,
)
from app.services.hall.registry import Actor
from app.ui.day.common import (
    CountsForm,
    ensure_error_messages,
    error_label,
    failure_text,
    show_error,
)
from app.ui.day.shift_open import fit_to_screen, leaving_button
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.op_runner import OpRunner
from app.ui.kit.operations import CollectionOp, QueryOp
from app.ui.kit.theme import set_role

WITHIN = QColor("#fff4d6")  # a difference inside the tolerance: explain it
BEYOND = QColor("#fde0e0")  # beyond the tolerance: explain it and have it approved
COLUMNS = 5


class ShiftCloseDialog(QDialog):
    def __init__(self, runner: OpRunner, db: Database, actor: Actor,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        ensure_error_messages()
        self.runner, self.db, self.actor = runner, db, actor
        self.preview: ClosePreview | None = None
        self.result_close: CloseResult | None = None
        self.explanations: dict[str, QLineEdit] = {}
        self.needs_approval = False
        self.setObjectName("shiftCloseDialog")
        self.setWindowTitle(self.tr("Close shift"))
        layout = QVBoxLayout(self)
        self.heading = QLabel(self.tr("Loading the shift…"), self)
        self.heading.setProperty("heading", True)
        layout.addWidget(self.heading)
        self.hint = QLabel(self)
        self.hint.setProperty("hint", True)
        layout.addWidget(self.hint)

        # The comparison is what matters: it comes first; the counts are typed below it, and
        # the body scrolls on a small counter screen.
        self.body_scroll = scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(scroll)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, COLUMNS, body)
        self.table.setObjectName("closeTable")
        self.table.setHorizontalHeaderLabels([
            self.tr("Item"), self.tr("Expected"), self.tr("Counted"), self.tr("Difference"),
            self.tr("Explanation")])
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body_layout.addWidget(self.table)
        self.form = CountsForm(body)
        self.form.changed.connect(self.refresh_table)
        body_layout.addWidget(self.form)

        body_layout.addStretch(1)
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)

        # Outside the scrolling body: when it is needed, it is always in sight.
        self.approval_box = QGroupBox(self.tr("Supervisor approval (beyond tolerance)"), self)
        self.approval_box.setObjectName("approvalBox")
        approval = QFormLayout(self.approval_box)
        self.sup_no = QLineEdit(self.approval_box)
        self.sup_no.setObjectName("supervisorNo")
        self.sup_password = QLineEdit(self.approval_box)
        self.sup_password.setObjectName("supervisorPassword")
        self.sup_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.sup_note = QLineEdit(self.approval_box)
        self.sup_note.setObjectName("supervisorNote")
        approval.addRow(self.tr("Supervisor staff no."), self.sup_no)
        approval.addRow(self.tr("Supervisor password"), self.sup_password)
        approval.addRow(self.tr("Approval note"), self.sup_note)
        self.approval_box.hide()
        layout.addWidget(self.approval_box)

        self.error = error_label(self)
        layout.addWidget(self.error)
        self.sup_password.textEdited.connect(lambda _t: show_error(self.error, ""))
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(self.tr("Close shift"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("closeShiftButton")
        self.ok_button.setEnabled(False)
        set_role(self.ok_button, "primary")
        self.ok_button.setDefault(True)
        leaving_button(self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        # Big enough for the comparison and the counts, never bigger than the screen.
        fit_to_screen(self, scroll, prefer=QSize(1100, 860))
        self.load()

    # -- loading -------------------------------------------------------------------------------
    def load(self) -> None:
        db, actor = self.db, self.actor
        (QueryOp(self.runner, lambda ctx: preview_close(db, actor), parent=self)
         .success(self._loaded).failure(self._load_failed).run_in_background())

    def _loaded(self, preview: ClosePreview) -> None:
        self.preview = preview
        info = preview.shift
        self.heading.setText(self.tr("Counter %1 · %2 · business date %3").replace(
            "%1", info.counter_code).replace("%2", info.staff_name).replace(
            "%3", info.business_date.isoformat()))
        if preview.invoice_first_expected:
            self.hint.setText(self.tr("The next blank invoice should be no. %1").replace(
                "%1", preview.invoice_first_expected))
        for line in preview.lines:
            if line.money and line.item != money_item("cash"):
                self.form.add_money_method(line.item.split(":", 1)[1])
        self.table.setRowCount(len(preview.lines))
        for row, line in enumerate(preview.lines):
            self.table.setItem(row, 0, QTableWidgetItem(line.label))
            self.table.setItem(row, 1, self._number(describe_quantity(line.item, line.expected)))
            edit = QLineEdit(self.table)
            edit.setObjectName(f"explain_{line.item}")
            edit.setPlaceholderText(self.tr("Why is there a difference?"))
            edit.textChanged.connect(self.refresh_table)
            self.explanations[line.item] = edit
            self.table.setCellWidget(row, 4, edit)
        rows_height = sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height()
                                  + rows_height + 2 * self.table.frameWidth())
        self.ok_button.setEnabled(True)
        self.refresh_table()

    def _load_failed(self, failure: OpFailure) -> None:
        self.heading.setText(self.tr("The shift cannot be closed"))
        show_error(self.error, failure_text(failure))

    @staticmethod
    def _number(text: str) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return item

    # -- live comparison -------------------------------------------------------------------------
    def refresh_table(self) -> None:
        """Counted and difference per line as the clerk types; colours show what is needed."""
        if self.preview is None:
            return
        try:
            lines = compare(self.preview.lines, self.form.counts(), self._explanations())
        except DayError:  # an item the form cannot count (a gift no longer in the catalog)
            return
        beyond = False
        bold = QFont(self.table.font())
        bold.setBold(True)
        for row, line in enumerate(lines):
            self.table.setItem(row, 2, self._number(describe_quantity(line.item, line.counted)))
            diff = self._number("" if not line.difference else (
                ("+" if line.difference > 0 else "") + describe_quantity(line.item,
                                                                         line.difference)))
            color = BEYOND if line.beyond_tolerance else WITHIN if line.difference else None
            if line.beyond_tolerance:
                diff.setFont(bold)
                diff.setForeground(QBrush(QColor("#b71c1c")))
                beyond = True
            self.table.setItem(row, 3, diff)
            for col in range(4):
                cell = self.table.item(row, col)
                if cell is not None:
                    cell.setBackground(QBrush(color) if color else QBrush())
        self.needs_approval = beyond
        self.approval_box.setVisible(beyond)

    def _explanations(self) -> dict[str, str]:
        return {item: edit.text() for item, edit in self.explanations.items()}

    def differences(self) -> list[tuple[str, int, bool]]:
        """(item, difference, beyond tolerance) of the lines that differ, for tests."""
        if self.preview is None:
            return []
        return [(ln.item, ln.difference, ln.beyond_tolerance) for ln in compare(
            self.preview.lines, self.form.counts(), self._explanations()) if ln.difference]

    # -- closing ---------------------------------------------------------------------------------
    def submit(self) -> None:
        show_error(self.error, "")
        if self.preview is None:
            return
        approval = None
        if self.needs_approval:
            if not self.sup_no.text().strip() or not self.sup_password.text():
                show_error(self.error, self.tr("A difference is beyond the tolerance: the "
                                               "supervisor enters their staff number and "
                                               "password."))
                self.sup_no.setFocus()
                return
            approval = Approval(self.sup_no.text().strip(), self.sup_password.text(),
                                self.sup_note.text())
        counts, explanations = self.form.counts(), self._explanations()
        db, actor = self.db, self.actor
        self.ok_button.setEnabled(False)
        (CollectionOp(self.runner,
                      lambda ctx: close_shift(db, actor, counts, explanations, approval=approval),
                      changes={"shift"}, parent=self)
         .success(self._closed).failure(self._failed).run_in_background())

    def _closed(self, result: CloseResult) -> None:
        self.result_close = result
        self.accept()

    def _failed(self, failure: OpFailure) -> None:
        self.ok_button.setEnabled(True)
        self.sup_password.clear()
        if isinstance(failure.exception, ApprovalRequired):
            self.needs_approval = True
            self.approval_box.show()
        show_error(self.error, failure_text(failure))


def close_shift_dialog(parent: QWidget | None, runner: OpRunner, db: Database,
                       actor: Actor) -> ShiftCloseDialog:
    """Show the closing dialog (window-modal); `result_close` holds the result after
    `accepted`."""
    dialog = ShiftCloseDialog(runner, db, actor, parent)
    dialog.open()
    return dialog
