"""Opening a shift: the "three cleans, three checks" (三清三检) and the opening counts."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.services.day.items import CHECKLIST
from app.services.day.shifts import ShiftInfo, open_shift
from app.services.hall.registry import Actor
from app.ui.day.common import (
    CountsForm,
    ensure_error_messages,
    error_label,
    failure_text,
    show_error,
)
from app.ui.kit import i18n
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.op_runner import OpRunner
from app.ui.kit.operations import CollectionOp
from app.ui.kit.theme import set_role


class ShiftOpenDialog(QDialog):
    """Tick each check that passed; a check not passed needs a note. Then count the stock and
    the float. The shift opens in the core (`app.services.day.shifts.open_shift`)."""

    def __init__(self, runner: OpRunner, db: Database, actor: Actor,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        ensure_error_messages()
        self.runner, self.db, self.actor = runner, db, actor
        self.result_shift: ShiftInfo | None = None
        self.setObjectName("shiftOpenDialog")
        self.setWindowTitle(self.tr("Open shift"))
        layout = QVBoxLayout(self)
        heading = QLabel(self.tr("Counter %1 · %2 (%3)").replace("%1", actor.counter_code)
                         .replace("%2", actor.name).replace("%3", actor.staff_no), self)
        heading.setProperty("heading", True)
        layout.addWidget(heading)

        self.error = error_label(self)
        self.checks: dict[str, QCheckBox] = {}
        box = QGroupBox(self.tr("Three cleans, three checks"), self)
        grid = QGridLayout(box)
        groups = {"clean": self.tr("Clean"), "count": self.tr("Count"),
                  "check": self.tr("Check"), "staff": self.tr("Staff")}
        columns = {"clean": 0, "count": 0, "check": 1, "staff": 2}
        rows = {"clean": 0, "count": 3, "check": 0, "staff": 0}
        for group, title in groups.items():
            label = QLabel(title, box)
            label.setProperty("heading", True)
            grid.addWidget(label, rows[group], columns[group])
            rows[group] += 1
        english = i18n.installed_language() == "en"
        for item in CHECKLIST:
            check = QCheckBox(item.en if english else item.zh, box)
            check.setObjectName(f"check_{item.code}")
            check.toggled.connect(lambda _on: show_error(self.error, ""))
            self.checks[item.code] = check
            grid.addWidget(check, rows[item.group], columns[item.group])
            rows[item.group] += 1
        layout.addWidget(box)
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("checkNote")
        self.note.setPlaceholderText(self.tr("Checks not passed: what is wrong and what was done"))
        self.note.setFixedHeight(self.fontMetrics().lineSpacing() * 2 + 24)
        self.note.textChanged.connect(lambda: show_error(self.error, ""))
        layout.addWidget(self.note)

        self.form = CountsForm(self)
        layout.addWidget(self.form)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(self.tr("Open shift"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("openShiftButton")
        set_role(self.ok_button, "primary")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def checklist(self) -> dict[str, bool]:
        return {code: check.isChecked() for code, check in self.checks.items()}

    def submit(self) -> None:
        show_error(self.error, "")
        failed = [c for c, ok in self.checklist().items() if not ok]
        if failed and not self.note.toPlainText().strip():
            show_error(self.error, self.tr("Some checks are not ticked: say what is wrong in the "
                                           "note, or tick them."))
            self.note.setFocus()
            return
        checklist, counts, note = self.checklist(), self.form.counts(), self.note.toPlainText()
        db, actor = self.db, self.actor
        self.ok_button.setEnabled(False)
        (CollectionOp(self.runner, lambda ctx: open_shift(db, actor, checklist, counts, note=note),
                      changes={"shift"}, parent=self)
         .success(self._opened).failure(self._failed).run_in_background())

    def _opened(self, info: ShiftInfo) -> None:
        self.result_shift = info
        self.accept()

    def _failed(self, failure: OpFailure) -> None:
        self.ok_button.setEnabled(True)
        show_error(self.error, failure_text(failure))


def open_shift_dialog(parent: QWidget | None, runner: OpRunner, db: Database,
                      actor: Actor) -> ShiftOpenDialog:
    """Show the opening dialog (window-modal); `finished` tells when it is done, and
    `result_shift` holds the opened shift after `accepted`."""
    dialog = ShiftOpenDialog(runner, db, actor, parent)
    dialog.open()
    return dialog
