"""Dialogs of the first start: the personal-data key, and an empty database.

Layout and input checks only; the session controller runs the work (creating the key file,
filling the demo hall, the first-run set-up) on a worker.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.security import WeakPassphrase, check_passphrase
from app.ui.kit import labels
from app.ui.kit.theme import set_role
from app.ui.shell.errors import pick


def _passphrase_problem(passphrase: str) -> str | None:
    """Why a new key file's passphrase is refused (the rule `create_key_file` applies), in the
    language shown; None if it is accepted."""
    try:
        check_passphrase(passphrase)
    except WeakPassphrase as weak:
        return pick(weak.message_zh, weak.message_en)
    return None


def _leaving(button: QPushButton) -> None:
    """Quit or Cancel: never what Enter presses, even when it has the focus."""
    button.setAutoDefault(False)
    button.setDefault(False)


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("dialogError")
    label.setWordWrap(True)
    label.setStyleSheet("color: #c62828; font-weight: bold;")
    return label


class KeySetupDialog(QDialog):
    """No secure keyring: open the saved key file, or create a passphrase-protected one.

    `mode` is ``create`` or ``open``. The dialog never offers to go on without a key.
    """

    def __init__(self, mode: str, key_path: str, reason: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keySetupDialog")
        self.mode = mode
        self.setWindowTitle(self.tr("Personal data key"))
        intro = QLabel()
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        if mode == "create":
            intro.setText(self.tr(
                "This computer has no secure keyring to keep the key that protects customers' "
                "personal data (ID numbers, addresses). The program never stores personal data "
                "unprotected.\n\nYou can create a key file protected by a passphrase. Keep the "
                "passphrase safe: without it the data cannot be read.\n\nFor unattended runs, "
                "set the environment variables COUNTER_KEY_FILE (the file's path) and "
                "COUNTER_KEY_PASSPHRASE."))
        else:
            intro.setText(self.tr(
                "The personal data key is kept in a key file protected by a passphrase. "
                "Enter the passphrase to open it.\n\nFor unattended runs, set the environment "
                "variables COUNTER_KEY_FILE and COUNTER_KEY_PASSPHRASE."))
        detail = QLabel(reason)
        detail.setWordWrap(True)
        detail.setProperty("hint", True)
        self.path = QLineEdit(key_path)
        self.path.setObjectName("keyPath")
        browse = QPushButton(self.tr("Browse..."))
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setObjectName("passphraseRepeat")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("Key file"), path_row)
        form.addRow(self.tr("Passphrase"), self.passphrase)
        if mode == "create":
            form.addRow(self.tr("Passphrase again"), self.repeat)
        else:
            self.repeat.hide()
        self.error = _error_label()
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(
            self.tr("Create key file") if mode == "create" else self.tr("Open"),
            QDialogButtonBox.ButtonRole.AcceptRole)
        set_role(self.ok, "primary")
        self.ok.setDefault(True)
        _leaving(self.buttons.addButton(self.tr("Quit"), QDialogButtonBox.ButtonRole.RejectRole))
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(detail)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self.passphrase.setFocus()

    def _browse(self) -> None:
        if self.mode == "create":
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Key file"), self.path.text(),
                                                  "JSON (*.json)")
        else:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Key file"), self.path.text(),
                                                  "JSON (*.json)")
        if path:
            self.path.setText(path)

    def _check(self) -> None:
        path = self.path.text().strip()
        if not path:
            self.error.setText(self.tr("Choose where the key file is kept."))
            return
        if self.mode == "create":
            if Path(path).exists():
                self.error.setText(self.tr(
                    "A file already exists there; it is never overwritten. Choose another path "
                    "or open that key file instead."))
                return
            weak = _passphrase_problem(self.passphrase.text())
            if weak:
                self.error.setText(weak)
                return
            if self.passphrase.text() != self.repeat.text():
                self.error.setText(self.tr("The two passphrases differ."))
                return
        elif not self.passphrase.text():
            self.error.setText(self.tr("Enter the passphrase."))
            return
        self.accept()

    def show_error(self, message: str) -> None:
        self.error.setText(message)


class EmptyDatabaseDialog(QDialog):
    """The database has nobody who could log in: load a demo hall or set this one up."""

    DEMO, SETUP = 1, 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyDatabaseDialog")
        self.setWindowTitle(self.tr("New database"))
        text = QLabel(self.tr(
            "This database has no staff accounts yet.\n\nLoad a demo hall to try the program "
            "(staff S001, C001, C002, M001, A001; password demo1234), or set up this hall for "
            "real use."))
        text.setWordWrap(True)
        demo = QPushButton(self.tr("Load demo hall"))
        demo.setObjectName("demoButton")
        setup = QPushButton(self.tr("Set up this hall"))
        setup.setObjectName("setupButton")
        set_role(setup, "primary")
        quit_button = QPushButton(self.tr("Quit"))
        quit_button.setObjectName("quitButton")
        # Enter is the way forward, never 退出: quitting takes a click (or Esc).
        _leaving(quit_button)
        demo.setAutoDefault(False)
        setup.setDefault(True)
        demo.clicked.connect(lambda: self.done(self.DEMO))
        setup.clicked.connect(lambda: self.done(self.SETUP))
        quit_button.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(quit_button)
        row.addStretch(1)
        row.addWidget(demo)
        row.addWidget(setup)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(row)
        self.setMinimumWidth(480)
        setup.setFocus()


class FirstRunDialog(QDialog):
    """Hall name and code, carrier, this counter, and the first (administrator) account."""

    def __init__(self, counter_code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunDialog")
        self.setWindowTitle(self.tr("Set up this hall"))
        self.hall_name = QLineEdit()
        self.hall_code = QLineEdit()
        self.hall_code.setMaxLength(16)
        self.carrier = QComboBox()
        for code in ("unicom", "mobile", "telecom"):
            self.carrier.addItem(labels.carrier_name(code), code)
        self.counter_code = QLineEdit(counter_code)
        self.counter_code.setMaxLength(8)
        self.staff_no = QLineEdit()
        self.staff_no.setMaxLength(20)
        self.staff_name = QLineEdit()
        self.role = QComboBox()
        self.role.addItem(self.tr("Hall manager (serves customers and administers)"), "manager")
        self.role.addItem(self.tr("Administrator (administers only)"), "admin")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        hint = QLabel(self.tr("At least 8 characters with letters and digits; not the staff "
                              "number."))
        hint.setProperty("hint", True)
        hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Hall name"), self.hall_name)
        form.addRow(self.tr("Hall code"), self.hall_code)
        form.addRow(self.tr("Carrier"), self.carrier)
        form.addRow(self.tr("This counter's code"), self.counter_code)
        form.addRow(self.tr("Administrator's staff number"), self.staff_no)
        form.addRow(self.tr("Administrator's name"), self.staff_name)
        form.addRow(self.tr("Role"), self.role)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Password again"), self.repeat)
        form.addRow("", hint)
        self.error = _error_label()
        buttons = QDialogButtonBox()
        ok = buttons.addButton(self.tr("Set up"), QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setObjectName("setupOk")
        set_role(ok, "primary")
        ok.setDefault(True)
        _leaving(buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole))
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def values(self) -> Any:  # a FirstRun (imported lazily: the core loads SQLAlchemy)
        from app.services.hall.first_run import FirstRun

        return FirstRun(self.hall_name.text(), self.hall_code.text(),
                        str(self.carrier.currentData()), self.counter_code.text(),
                        self.staff_no.text(), self.staff_name.text(), self.password.text(),
                        str(self.role.currentData()))

    def restore(self, values: Any) -> None:
        """Fill the form again after a failed attempt (passwords are typed again)."""
        self.hall_name.setText(values.hall_name)
        self.hall_code.setText(values.hall_code)
        self.carrier.setCurrentIndex(max(0, self.carrier.findData(values.carrier)))
        self.counter_code.setText(values.counter_code)
        self.staff_no.setText(values.staff_no)
        self.staff_name.setText(values.staff_name)
        self.role.setCurrentIndex(max(0, self.role.findData(values.role)))

    def _check(self) -> None:
        from app.services.hall.first_run import check_first_run

        if self.password.text() != self.repeat.text():
            self.error.setText(self.tr("The two passwords differ."))
            return
        problem = check_first_run(self.values())
        if problem:
            self.error.setText(problem)
            return
        self.accept()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
