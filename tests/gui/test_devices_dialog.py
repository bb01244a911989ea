"""Settings → Devices: values saved to devices.ini, refused when wrong, tested on a thread."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton

from app.devices import config as device_config
from app.devices.check import DeviceCheck
from app.ui.settings.devices_dialog import DevicesDialog

from .ui_fixtures import no_thread_leak  # noqa: F401


@pytest.fixture
def dialog(qtbot, tmp_path: Path) -> DevicesDialog:
    d = DevicesDialog(device_config.load(tmp_path / "devices.ini"))
    qtbot.addWidget(d)
    return d


def _set(d: DevicesDialog, name: str, value: str) -> None:
    editor = d.findChild(QLineEdit, name) or d.findChild(QComboBox, name)
    assert editor is not None, name
    if isinstance(editor, QComboBox):
        editor.setCurrentText(value)
    else:
        editor.setText(value)


def test_saved_values_reach_devices_ini(dialog: DevicesDialog, tmp_path: Path) -> None:
    _set(dialog, "receipt_printer.url", "escpos+tcp://127.0.0.1:9100")
    _set(dialog, "receipt_printer.width_mm", "58")
    _set(dialog, "queue.kind", "http")
    _set(dialog, "queue.url", "http://127.0.0.1:8080/api")
    _set(dialog, "queue.window", "3")
    dialog.findChild(QPushButton, "saveDevices").click()
    assert dialog.result() == dialog.DialogCode.Accepted
    saved = device_config.load(tmp_path / "devices.ini")
    assert saved.get("receipt_printer", "url") == "escpos+tcp://127.0.0.1:9100"
    assert saved.get("receipt_printer", "width_mm") == "58"
    assert saved.get_int("queue", "window", 0) == 3


def test_wrong_values_are_named_and_nothing_is_written(dialog: DevicesDialog,
                                                       tmp_path: Path) -> None:
    _set(dialog, "receipt_printer.url", "tcp://printer")
    _set(dialog, "scanner.resolution", "abc")
    dialog.findChild(QPushButton, "saveDevices").click()
    error = dialog.findChild(QLabel, "devicesError")
    assert not error.isHidden()
    assert "url" in error.text() and "resolution" in error.text()
    assert "tcp://printer" in error.text()
    assert not (tmp_path / "devices.ini").exists()
    assert dialog.result() != dialog.DialogCode.Accepted


def test_enter_never_starts_a_device_test(dialog: DevicesDialog) -> None:
    for kind in ("idcard", "receipt_printer", "a4_printer", "scanner", "queue"):
        button = dialog.findChild(QPushButton, f"test_{kind}")
        assert not button.autoDefault() and not button.isDefault()


def test_a_test_answers_on_the_gui_thread_with_the_edited_values(
        qtbot, dialog: DevicesDialog, monkeypatch: pytest.MonkeyPatch,
        no_thread_leak: None) -> None:  # noqa: F811
    seen: list[str] = []

    def fake_check(kind: str, config: device_config.DeviceConfig) -> DeviceCheck:
        seen.append(config.get("queue", "url"))
        return DeviceCheck("queue", False, "叫号服务器未响应。", "The queue server did not answer.")

    monkeypatch.setattr("app.ui.devices.probes.check_device", fake_check)
    _set(dialog, "queue.url", "http://127.0.0.1:9/api")
    qtbot.mouseClick(dialog.findChild(QPushButton, "test_queue"), Qt.MouseButton.LeftButton)
    label = dialog.findChild(QLabel, "result_queue")
    qtbot.waitUntil(lambda: "未响应" in label.text() or "answer" in label.text(), timeout=3000)
    assert seen == ["http://127.0.0.1:9/api"]
    assert "c62828" in label.styleSheet()  # a fault is shown in red


def test_a_new_reader_is_used_at_once_after_saving(qtbot, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from app.ui.devices.idcard_reader import IdCardReaderWatcher, SimulatedIdCardReader

    monkeypatch.setenv("COUNTER_CONFIG_DIR", str(tmp_path))
    first = SimulatedIdCardReader()
    watcher = IdCardReaderWatcher(first, interval_ms=20)
    watcher.start()
    try:
        d = DevicesDialog(device_config.load())
        qtbot.addWidget(d)
        _set(d, "idcard.kind", "simulated")
        d.findChild(QPushButton, "saveDevices").click()
        assert d.result() == d.DialogCode.Accepted
        assert watcher.reader is not first
        assert isinstance(watcher.reader, SimulatedIdCardReader)
        assert watcher.is_running()
    finally:
        assert watcher.stop()
