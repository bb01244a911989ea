"""Settings a clerk or administrator may change: language, printers, idle lock minutes and the
hall's central sync server (empty: this counter does not sync)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.ui.kit import i18n
from app.ui.kit.theme import set_role
from app.ui.settings.counter import SYNC_SERVER_URL, sync_url_problem
from app.ui.settings.store import UiSettings


class SettingsDialog(QDialog):
    def __init__(self, settings: UiSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.settings = settings
        self.setWindowTitle(self.tr("Settings"))
        self.language = QComboBox()
        self.language.setObjectName("languageChoice")
        for code in i18n.SUPPORTED_LANGUAGES:
            self.language.addItem(i18n.LANGUAGE_NAMES.get(code, code), code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        from app.ui.devices.printer import printer_names

        names = printer_names()
        self.a4 = self._printer_box(names, settings.a4_printer)
        self.a4.setObjectName("a4Printer")
        self.thermal = self._printer_box(names, settings.thermal_printer)
        self.thermal.setObjectName("thermalPrinter")
        self.idle = QSpinBox()
        self.idle.setObjectName("idleMinutes")
        self.idle.setRange(1, 120)
        self.idle.setValue(settings.idle_lock_minutes)
        self.idle.setSuffix(self.tr(" min"))
        self.sync_url = QLineEdit(settings.get(SYNC_SERVER_URL))
        self.sync_url.setObjectName("syncServerUrl")
        self.sync_url.setPlaceholderText(self.tr("empty: no sync"))
        self.sync_url.setToolTip(self.tr(
            "The hall's PostgreSQL server, e.g. postgresql+psycopg://counter@hall-server/hall. "
            "The password is kept in the system keyring (counter sync --set-password), never "
            "here."))
        self.sync_error = QLabel()
        self.sync_error.setObjectName("syncUrlError")
        self.sync_error.setWordWrap(True)
        self.sync_error.setStyleSheet("color: #c62828;")
        self.sync_error.hide()
        note = QLabel(self.tr("Printers found on this computer: {names}").format(
            names=", ".join(names) if names else self.tr("none")))
        note.setProperty("hint", True)
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Language"), self.language)
        form.addRow(self.tr("A4 printer (slips)"), self.a4)
        form.addRow(self.tr("Receipt printer"), self.thermal)
        form.addRow(self.tr("Lock the screen after"), self.idle)
        form.addRow(self.tr("Sync server"), self.sync_url)
        form.addRow("", self.sync_error)
        buttons = QDialogButtonBox()
        devices = buttons.addButton(self.tr("Devices..."), QDialogButtonBox.ButtonRole.ActionRole)
        devices.setObjectName("openDevices")
        devices.setAutoDefault(False)
        devices.clicked.connect(self.open_devices)
        ok = buttons.addButton(self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        set_role(ok, "primary")
        buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def open_devices(self) -> None:
        """The workstation's devices (card reader, printers, scanner, queue caller)."""
        from app.ui.settings.devices_dialog import DevicesDialog

        DevicesDialog(parent=self).exec()

    @staticmethod
    def _printer_box(names: list[str], current: str) -> QComboBox:
        box = QComboBox()
        box.setEditable(True)  # a printer not connected now can still be named
        box.addItem("")
        box.addItems(names)
        box.setCurrentText(current)
        return box

    def save(self) -> None:
        s = self.settings
        url = self.sync_url.text().strip()
        if sync_url_problem(url) is not None:
            self.sync_error.setText(self.tr(
                "The sync server must be a PostgreSQL address without a password, such as "
                "postgresql+psycopg://counter@hall-server/hall; leave it empty for no sync."))
            self.sync_error.show()
            self.sync_url.setFocus()
            return
        s.set(SYNC_SERVER_URL, url)
        s.a4_printer = self.a4.currentText().strip()
        s.thermal_printer = self.thermal.currentText().strip()
        s.idle_lock_minutes = self.idle.value()
        lang = str(self.language.currentData())
        s.sync()
        if lang != s.language or lang != i18n.installed_language():
            i18n.set_language(lang, s)
        self.accept()
