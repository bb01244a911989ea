"""Settings → Devices: what this workstation has plugged in, each with a "Test" button.

The values go to ``devices.ini`` (`app.devices.config`), not to the UI settings: devices
belong to the workstation and the command line reads them too (`counter devices test`).
A test runs on a thread of its own and answers in one sentence; the dialog stays usable, and
a test still running when the dialog closes finishes quietly.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
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
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.devices import config as device_config
from app.devices.check import DeviceCheck, DeviceKind
from app.devices.config import DeviceConfig
from app.ui.kit import i18n
from app.ui.kit.theme import set_role
from app.ui.settings.device_fields import FIELDS, Field, field_problem

__all__ = ["DevicesDialog"]

_running: set[_CheckRun] = set()  # keeps a test's messenger alive until it answers


def _tr(text: str) -> str:
    return QCoreApplication.translate("DeviceFields", text)


class _CheckRun(QObject):
    """Runs one device test on a thread; `done(DeviceCheck)` arrives on the GUI thread."""

    done = Signal(object)

    def start(self, kind: DeviceKind, config: DeviceConfig) -> None:
        from app.ui.devices.probes import check_device

        _running.add(self)

        def work() -> None:
            self.done.emit(check_device(kind, config))

        threading.Thread(target=work, name=f"device-test-{kind}", daemon=True).start()


class DevicesDialog(QDialog):
    """One tab per device kind; Save writes devices.ini atomically."""

    def __init__(self, config: DeviceConfig | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("devicesDialog")
        self.setWindowTitle(self.tr("Devices of this workstation"))
        self.config = config or device_config.load()
        self.editors: dict[tuple[str, str], QComboBox | QLineEdit] = {}
        self.results: dict[str, QLabel] = {}
        self.tabs = QTabWidget()
        for kind, title in self._titles().items():
            self.tabs.addTab(self._page(kind), title)
        self.error = QLabel()
        self.error.setObjectName("devicesError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()
        where = QLabel(self.tr("Saved in {path}").format(path=self.config.path))
        where.setProperty("hint", True)
        where.setWordWrap(True)
        buttons = QDialogButtonBox()
        test_all = buttons.addButton(self.tr("Test all"), QDialogButtonBox.ButtonRole.ActionRole)
        test_all.setObjectName("testAllDevices")
        test_all.setAutoDefault(False)
        test_all.clicked.connect(self.test_all)
        ok = buttons.addButton(self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setObjectName("saveDevices")
        set_role(ok, "primary")
        buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(where)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def _titles(self) -> dict[DeviceKind, str]:
        return {"idcard": self.tr("ID card reader"), "receipt_printer": self.tr("Receipt printer"),
                "a4_printer": self.tr("A4 printer"), "scanner": self.tr("Scanner"),
                "queue": self.tr("Queue caller")}

    # ------------------------------------------------------------------ pages

    def _page(self, kind: DeviceKind) -> QWidget:
        page = QWidget()
        form = QFormLayout()
        for f in FIELDS[kind]:
            form.addRow(_tr(f.label), self._editor(kind, f))
        test = QPushButton(self.tr("Test"))
        test.setObjectName(f"test_{kind}")
        test.setAutoDefault(False)  # Enter saves; it never starts a device
        result = QLabel(self.tr("Not tested yet."))
        result.setObjectName(f"result_{kind}")
        result.setWordWrap(True)
        result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.results[kind] = result
        test.clicked.connect(lambda: self.test(kind))
        row = QHBoxLayout()
        row.addWidget(test)
        row.addWidget(result, 1)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    def _editor(self, section: str, f: Field) -> QWidget:
        value = self.config.get(section, f.key, f.default)
        editor: QComboBox | QLineEdit
        if f.choices is not None:
            editor = QComboBox()
            editor.setEditable(f.editable)
            choices = f.choices()
            editor.addItems(choices)
            if value and value not in choices:
                editor.addItem(value)
            editor.setCurrentText(value)
        else:
            editor = QLineEdit(value)
            editor.setPlaceholderText(_tr(f.placeholder) if f.placeholder else "")
        editor.setObjectName(f"{section}.{f.key}")
        editor.setToolTip(_tr(f.tip) if f.tip else "")
        self.editors[(section, f.key)] = editor
        if f.browse and isinstance(editor, QLineEdit):
            return self._with_browse(editor)
        return editor

    def _with_browse(self, editor: QLineEdit) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        browse = QPushButton(self.tr("Browse..."))
        browse.setAutoDefault(False)
        row.addWidget(editor, 1)
        row.addWidget(browse)

        def pick() -> None:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose the file"))
            if path:
                editor.setText(path)

        browse.clicked.connect(pick)
        return box

    # ------------------------------------------------------------------ values

    def _value(self, section: str, key: str) -> str:
        editor = self.editors[(section, key)]
        text = editor.currentText() if isinstance(editor, QComboBox) else editor.text()
        return text.strip()

    def edited_config(self) -> DeviceConfig:
        """A copy of the configuration with what is on screen (nothing written)."""
        edited = DeviceConfig(self.config.path, copy.deepcopy(self.config.parser))
        for (section, key) in self.editors:
            edited.set(section, key, self._value(section, key))
        return edited

    def problems(self) -> list[str]:
        lang = i18n.current_language()
        out = []
        for kind, fields in FIELDS.items():
            for f in fields:
                problem = field_problem(kind, f, self._value(kind, f.key))
                if problem is not None:
                    out.append(problem[1] if lang.startswith("en") else problem[0])
        return out

    # ------------------------------------------------------------------ tests

    def test(self, kind: DeviceKind, then: Callable[[DeviceCheck], None] | None = None) -> None:
        label = self.results[kind]
        label.setText(self.tr("Testing..."))
        label.setStyleSheet("")
        run = _CheckRun()
        run.done.connect(self._shown(kind, run, then), Qt.ConnectionType.QueuedConnection)
        run.start(kind, self.edited_config())

    def _shown(self, kind: str, run: _CheckRun,
               then: Callable[[DeviceCheck], None] | None) -> Callable[[object], None]:
        @Slot(object)
        def show(result: object) -> None:
            _running.discard(run)
            assert isinstance(result, DeviceCheck)
            label = self.results.get(kind)
            if label is not None:
                label.setText(result.sentence(i18n.current_language()))
                color = "#2e7d32" if result.ok else ("#6b7280" if not result.configured
                                                     else "#c62828")
                label.setStyleSheet(f"color: {color};")
            if then is not None:
                then(result)

        return show

    def test_all(self) -> None:
        for kind in self.results:
            self.test(kind)  # type: ignore[arg-type]

    # ------------------------------------------------------------------ save

    def save(self) -> None:
        problems = self.problems()
        if problems:
            self.error.setText("\n".join(problems))
            self.error.show()
            return
        edited = self.edited_config()
        try:
            device_config.save(edited)
        except OSError as exc:
            self.error.setText(self.tr("The device settings could not be saved: {error}")
                               .format(error=exc.strerror or exc))
            self.error.show()
            return
        self.config = edited
        from app.ui.devices.idcard_reader import apply_devices_ini

        apply_devices_ini()  # the card reader follows at once; the others read the file per job
        self.accept()
