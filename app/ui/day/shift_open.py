"""Opening a shift: the "three cleans, three checks" (三清三检) and the opening counts.

The checks and counts scroll; the error and the buttons stay below them, always in sight,
and the dialog opens no bigger than the screen (`fit_to_screen`: a 1366x768 counter screen
with its task bar)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
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
from app.ui.kit.widgets import plain_scroll

# Room a window needs beyond its contents: frame and title bar.
WINDOW_FRAME = QSize(16, 40)


def fit_to_screen(dialog: QDialog, scroll: QScrollArea, room: QSize | None = None, *,
                  prefer: QSize | None = None) -> None:
    """Size `dialog` to show `scroll`'s contents whole (or `prefer`) when the screen has room,
    else as big as the screen's available area (`room`, default the dialog's screen's; minus
    the window frame) and let the body scroll. The parts outside `scroll` (error, buttons)
    stay whole."""
    if room is None:
        screen = dialog.screen() or QGuiApplication.primaryScreen()
        room = screen.availableGeometry().size()
    room = room - WINDOW_FRAME
    body = scroll.widget()
    assert body is not None, "the scroll area holds the dialog's body"
    outside = dialog.sizeHint() - scroll.sizeHint()  # heading, error, buttons, margins
    bar = scroll.verticalScrollBar().sizeHint().width()
    want = prefer or QSize(max(dialog.sizeHint().width(), body.sizeHint().width() + bar
                               + outside.width()), body.sizeHint().height() + outside.height())
    dialog.setMaximumSize(QSize(16777215, 16777215))
    dialog.resize(want.boundedTo(room).expandedTo(dialog.minimumSizeHint()))


def leaving_button(button: QPushButton | None) -> None:
    """Cancel and the like: never the button Enter presses, even when it has the focus."""
    if button is not None:
        button.setAutoDefault(False)
        button.setDefault(False)


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
        body = QWidget()
        body.setObjectName("shiftOpenBody")
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)

        self.error = error_label(self)
        self.checks: dict[str, QCheckBox] = {}
        box = QGroupBox(self.tr("Three cleans, three checks"), body)
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
        body_layout.addWidget(box)
        self.note = QPlainTextEdit(body)
        self.note.setObjectName("checkNote")
        self.note.setPlaceholderText(self.tr("Checks not passed: what is wrong and what was done"))
        self.note.setFixedHeight(self.fontMetrics().lineSpacing() * 2 + 24)
        self.note.textChanged.connect(lambda: show_error(self.error, ""))
        body_layout.addWidget(self.note)

        self.form = CountsForm(body)
        body_layout.addWidget(self.form)
        body_layout.addStretch(1)
        self.body_scroll = plain_scroll(body, horizontal=True)
        self.body_scroll.setMinimumHeight(120)
        layout.addWidget(self.body_scroll, 1)
        layout.addWidget(self.error)  # outside the scrolling body: always in sight
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(self.tr("Open shift"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("openShiftButton")
        set_role(self.ok_button, "primary")
        self.ok_button.setDefault(True)
        leaving_button(self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        fit_to_screen(self, self.body_scroll)

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
