"""The log-in window: staff number, password and this workstation's counter code.

Layout only: `LoginWindow.login_requested(staff_no, password, counter_code)` is handled by the
session controller, which calls `auth.login` on a worker and answers with `show_error` or by
closing the window. The counter code is remembered in the settings. The form can be used as
soon as it is shown (`set_opening`): the database opens on a worker meanwhile.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.kit.theme import set_role
from app.ui.settings.counter import COUNTER_CODE
from app.ui.settings.store import UiSettings


class LoginWindow(QWidget):
    login_requested = Signal(str, str, str)
    settings_requested = Signal()
    first_shown = Signal()
    closed = Signal()

    def __init__(self, settings: UiSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loginWindow")
        self._settings = settings
        self._ready = False
        self._busy = False
        self._opening = True  # the status says that the database is opening
        self._shown_once = False
        self.hall_label = QLabel()
        self.hall_label.setProperty("heading", True)
        self.hall_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setProperty("hint", True)
        self.staff_no = QLineEdit()
        self.staff_no.setObjectName("staffNo")
        self.staff_no.setMaxLength(20)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaxLength(128)
        self.counter_code = QLineEdit(settings.get(COUNTER_CODE))
        self.counter_code.setObjectName("counterCode")
        self.counter_code.setMaxLength(8)
        self.error = QLabel()
        self.error.setObjectName("loginError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828; font-weight: bold;")
        self.status = QLabel()
        self.status.setProperty("hint", True)
        self.status.setWordWrap(True)
        self.login_button = QPushButton()
        self.login_button.setObjectName("loginButton")
        self.login_button.setDefault(True)
        set_role(self.login_button, "primary")
        self.settings_button = QPushButton()
        self.settings_button.setObjectName("settingsButton")

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self._labels = [QLabel(), QLabel(), QLabel()]
        form.addRow(self._labels[0], self.staff_no)
        form.addRow(self._labels[1], self.password)
        form.addRow(self._labels[2], self.counter_code)
        buttons = QHBoxLayout()
        buttons.addWidget(self.settings_button)
        buttons.addStretch(1)
        buttons.addWidget(self.login_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(36, 28, 36, 24)
        layout.setSpacing(12)
        layout.addWidget(self.hall_label)
        layout.addWidget(self.title)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.setMinimumWidth(440)

        self.login_button.clicked.connect(self._submit)
        self.settings_button.clicked.connect(self.settings_requested)
        for field in (self.staff_no, self.password, self.counter_code):
            field.returnPressed.connect(self._enter)
            field.textEdited.connect(lambda _t: self.error.clear())
        self.setTabOrder(self.staff_no, self.password)
        self.setTabOrder(self.password, self.counter_code)
        self.setTabOrder(self.counter_code, self.login_button)
        self.retranslate_ui()
        self._update_enabled()

    # -- view state ----------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Counter service - log in"))
        self.title.setText(self.tr("Counter service system: please log in"))
        self._labels[0].setText(self.tr("Staff number"))
        self._labels[1].setText(self.tr("Password"))
        self._labels[2].setText(self.tr("Counter code"))
        self.login_button.setText(self.tr("Log in"))
        self.settings_button.setText(self.tr("Settings"))
        if not self.hall_label.text():
            self.hall_label.setText(self.tr("Business hall counter"))
        if self._opening:
            self.status.setText(self.tr("Opening the database..."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def set_hall_name(self, name: str) -> None:
        self.hall_label.setText(name)

    def set_ready(self, ready: bool, status: str = "") -> None:
        # The focus moves only when the form becomes usable: a clerk already typing while the
        # database finished opening keeps typing in the same field.
        becomes_usable = ready and not self._ready
        self._ready = ready
        self._opening = False
        self.status.setText(status)
        self._update_enabled()
        if becomes_usable and not self._busy:
            (self.password if self.staff_no.text() else self.staff_no).setFocus()

    def set_opening(self) -> None:
        """Usable while the database is still opening: a log-in asked for now is held by the
        session controller and goes on by itself once the database, key and catalog are
        loaded (the clerk does not press Enter twice)."""
        self.set_ready(True, self.tr("Opening the database..."))
        self._opening = True  # said again in the language chosen meanwhile, if any

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_enabled()

    def show_error(self, message: str) -> None:
        self.set_busy(False)
        self.error.setText(message)
        self.password.selectAll()
        self.password.setFocus()

    def reset(self) -> None:
        """Back to an empty form for the next log-in (the counter code stays)."""
        self.password.clear()
        self.error.clear()
        self.set_busy(False)
        self.staff_no.setFocus()

    def _update_enabled(self) -> None:
        self.login_button.setEnabled(self._ready and not self._busy)

    # -- actions -------------------------------------------------------------------------------

    def _enter(self) -> None:
        if not self.staff_no.text().strip():
            self.staff_no.setFocus()
        elif not self.password.text():
            self.password.setFocus()
        else:
            self._submit()

    def _submit(self) -> None:
        if not self._ready or self._busy:
            return
        staff_no = self.staff_no.text().strip()
        code = self.counter_code.text().strip().upper()
        if not staff_no or not self.password.text():
            self.error.setText(self.tr("Enter your staff number and password."))
            return
        if not code.isalnum() or len(code) > 8:
            self.error.setText(self.tr("The counter code is 1 to 8 letters or digits."))
            self.counter_code.setFocus()
            return
        self.set_busy(True)
        self.error.clear()
        self.login_requested.emit(staff_no, self.password.text(), code)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            self.first_shown.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit()
        super().closeEvent(event)
