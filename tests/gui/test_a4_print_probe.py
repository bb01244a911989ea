"""The A4 printer's device test: which printers Qt sees, whether the remembered ones exist.

The machine running the tests has no printer; Qt's printer list is stood in for (the probe
only reads it, and prints nothing).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.devices import config as device_config
from app.ui.devices import a4_probe


class _Printer:
    def __init__(self, name: str) -> None:
        self.name = name

    def isNull(self) -> bool:
        return not self.name

    def printerName(self) -> str:
        return self.name


def qt_sees(monkeypatch: pytest.MonkeyPatch, names: list[str], default: str = "") -> None:
    class Info:
        @staticmethod
        def availablePrinterNames() -> list[str]:
            return list(names)

        @staticmethod
        def defaultPrinter() -> _Printer:
            return _Printer(default)

    monkeypatch.setattr(a4_probe, "QPrinterInfo", Info)


def config_with(tmp_path: Path, **kinds: str) -> device_config.DeviceConfig:
    config = device_config.load(tmp_path / "devices.ini")
    for kind, name in kinds.items():
        config.set("a4_printer", kind.replace("_", "-"), name)
    return config


def test_no_printer_and_none_set_is_not_a_fault(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    qt_sees(monkeypatch, [])
    check = a4_probe.check(config_with(tmp_path))
    assert check.device == "a4_printer" and not check.ok and not check.configured
    assert "没有安装打印机" in check.zh and "PDF" in check.zh


def test_a_remembered_printer_that_is_gone_is_named(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    qt_sees(monkeypatch, ["HP LaserJet M1136", "Microsoft Print to PDF"], "HP LaserJet M1136")
    check = a4_probe.check(config_with(tmp_path, slip="Counter 3 HP"))
    assert not check.ok and check.configured
    assert "业务受理单“Counter 3 HP”" in check.zh and "HP LaserJet M1136" in check.zh
    assert "acceptance slip “Counter 3 HP”" in check.en
    qt_sees(monkeypatch, [])
    gone = a4_probe.check(config_with(tmp_path, report="Back office"))
    assert not gone.ok and "Back office" in gone.zh


def test_printers_found_and_remembered_ones_there(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    qt_sees(monkeypatch, ["HP LaserJet M1136", "XP-80C"], "HP LaserJet M1136")
    check = a4_probe.check(config_with(tmp_path, slip="HP LaserJet M1136", receipt="XP-80C"))
    assert check.ok
    assert check.zh == "打印机可用：HP LaserJet M1136、XP-80C（默认：HP LaserJet M1136）。"
    qt_sees(monkeypatch, ["A", "B"])
    undecided = a4_probe.check(config_with(tmp_path))
    assert not undecided.ok and "没有默认打印机" in undecided.zh  # several, none chosen


def test_the_real_qt_answers_without_hanging(qapp, tmp_path: Path) -> None:
    check = a4_probe.check(config_with(tmp_path))
    assert check.device == "a4_printer" and check.zh and check.en and "\n" not in check.zh
