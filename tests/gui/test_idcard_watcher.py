"""The window's reader watcher over the GA 467 serial driver and its pty simulator: cards
arrive on the GUI thread, a pulled cable is one line (not one per poll), the watcher recovers
when the cable is back, and nothing personal reaches the log. Plus the devices.ini wiring."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

from app.devices.idcard.ga467_serial import Ga467SerialReader
from app.ui.devices.idcard_reader import (
    IdCardData,
    IdCardReaderWatcher,
    SimulatedIdCardReader,
    reader_from_devices_ini,
)
from app.ui.kit import i18n
from app.ui.settings.store import CONFIG_DIR_ENV
from tests.devices.ga467_sim import Ga467Simulator, SimCard

from .ui_fixtures import no_thread_leak, translators

__all__ = ["no_thread_leak", "translators"]

WAIT_MS = 30_000


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_watcher_survives_a_pulled_cable(qtbot, tmp_path: Path, no_thread_leak: None,
                                         translators: None,
                                         caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    i18n.install_translators("zh_CN")
    sim = Ga467Simulator(tmp_path / "ttyIDCARD")
    watcher = IdCardReaderWatcher(Ga467SerialReader(sim.port, timeout=0.3), interval_ms=20)
    cards: list[IdCardData] = []
    failures: list[str] = []
    recovered: list[bool] = []
    watcher.card_read.connect(cards.append)
    watcher.read_failed.connect(failures.append)
    watcher.recovered.connect(lambda: recovered.append(True))
    first, second = SimCard(name="李四"), SimCard(name="王五", id_number="110101199001010011")
    watcher.start()
    try:
        sim.feed(first)
        qtbot.waitUntil(lambda: len(cards) == 1, timeout=WAIT_MS)
        sim.pull_cable()
        qtbot.waitUntil(lambda: bool(failures), timeout=WAIT_MS)
        qtbot.wait(400)  # several polls while unplugged
        sim.replug()
        sim.feed(second)
        qtbot.waitUntil(lambda: len(cards) == 2, timeout=WAIT_MS)
    finally:
        assert watcher.stop()
        sim.stop()
    assert [c.name for c in cards] == ["李四", "王五"]
    assert failures[0] == f"读卡器连接断开：请检查 {sim.port} 的连线。"
    # one line per kind of failure: "disconnected", then at most "cannot open", not per poll
    assert len(failures) <= 2 and all("\n" not in f for f in failures)
    assert recovered == [True] and watcher.last_error == ""
    for card in (first, second):
        for secret in (card.name, card.id_number, card.address, card.birth):
            assert secret not in caplog.text
    assert "ID card read" in caplog.text


def test_the_watcher_speaks_the_ui_language(qtbot, no_thread_leak: None,
                                            translators: None) -> None:
    from app.devices.idcard.card import IdCardReaderError

    i18n.install_translators("en")
    reader = SimulatedIdCardReader()
    reader.feed_error(IdCardReaderError("detail", "中文一句。", "One sentence."))
    watcher = IdCardReaderWatcher(reader, interval_ms=20)
    with qtbot.waitSignal(watcher.read_failed, timeout=WAIT_MS) as blocker:
        watcher.start()
    assert watcher.stop()
    assert blocker.args == ["One sentence."]


def test_reader_from_devices_ini(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 no_thread_leak: None, translators: None) -> None:
    monkeypatch.setenv(CONFIG_DIR_ENV, str(tmp_path))
    assert reader_from_devices_ini() is None  # no file: no reader
    (tmp_path / "devices.ini").write_text("[idcard]\nkind = simulated\n", encoding="utf-8")
    assert isinstance(reader_from_devices_ini(), SimulatedIdCardReader)
    # a wrong setting does not stop the program: the watcher tells the clerk, once
    i18n.install_translators("zh_CN")
    (tmp_path / "devices.ini").write_text("[idcard]\nkind = nosuch\n", encoding="utf-8")
    reader = reader_from_devices_ini()
    assert reader is not None
    watcher = IdCardReaderWatcher(reader, interval_ms=10)
    failures: list[str] = []
    watcher.read_failed.connect(failures.append)
    watcher.start()
    try:
        qtbot.waitUntil(lambda: bool(failures), timeout=WAIT_MS)
        qtbot.wait(200)
    finally:
        assert watcher.stop()
    assert len(failures) == 1 and failures[0].startswith("设备设置 [idcard] kind：")


def test_the_program_starts_the_reader_devices_ini_names(qtbot, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         no_thread_leak: None) -> None:
    from app.ui.shell import app as shell_app

    monkeypatch.setenv(CONFIG_DIR_ENV, str(tmp_path))
    monkeypatch.delenv(shell_app.IDCARD_SIM_ENV, raising=False)
    assert shell_app._id_card_reader() is None
    (tmp_path / "devices.ini").write_text("[idcard]\nkind = simulated\n", encoding="utf-8")
    watcher = shell_app._id_card_reader()
    assert watcher is not None and isinstance(watcher.reader, SimulatedIdCardReader)
    assert watcher.is_running() and watcher.stop()
