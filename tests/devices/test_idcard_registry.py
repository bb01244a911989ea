"""Finding reader drivers: built-ins, a vendor's entry point, none, wrong settings; the probe."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from types import ModuleType

import pytest

from app.devices.config import DeviceConfig, DeviceConfigError, load
from app.devices.idcard import registry
from app.devices.idcard.card import IdCardData, IdCardReader
from app.devices.idcard.ga467_serial import Ga467SerialReader
from app.devices.idcard.probe import check
from app.devices.idcard.simulated import SimulatedIdCardReader

from .ga467_sim import Ga467Simulator, SimCard


def _config(tmp_path: Path, text: str) -> DeviceConfig:
    path = tmp_path / "devices.ini"
    path.write_text(text, encoding="utf-8")
    return load(path)


class AcmeReader(IdCardReader):
    """A vendor's driver, as a separate package would ship it."""

    kind = "acme-usb"

    def __init__(self, serial_no: str) -> None:
        self.serial_no = self.where = serial_no

    @classmethod
    def from_config(cls, config: DeviceConfig) -> AcmeReader:
        return cls(config.get("idcard", "serial_no", "A-1"))

    def read(self) -> IdCardData | None:
        return None


@pytest.fixture
def acme_installed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A fake installed distribution declaring `acme-usb` in the readers' group."""
    module = ModuleType("acme_reader_driver")
    module.AcmeReader = AcmeReader  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "acme_reader_driver", module)
    eps = metadata.EntryPoints([
        metadata.EntryPoint("acme-usb", "acme_reader_driver:AcmeReader", registry.GROUP),
        metadata.EntryPoint("broken", "acme_reader_missing:Nothing", registry.GROUP),
    ])
    real = metadata.entry_points

    def entry_points(**params: str) -> metadata.EntryPoints:
        if params.get("group") == registry.GROUP:
            return eps
        return real(**params)

    monkeypatch.setattr(metadata, "entry_points", entry_points)
    yield


def test_the_installed_entry_points_name_the_builtins() -> None:
    installed = {ep.name: ep.value for ep in metadata.entry_points(group=registry.GROUP)}
    if not installed:
        pytest.skip("the package is not installed (pip install -e .): no entry points")
    assert installed == registry.BUILTIN  # pyproject.toml and the bundle's table agree


def test_builtins_work_without_entry_point_metadata(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(metadata, "entry_points", lambda **_: metadata.EntryPoints([]))
    assert registry.reader_kinds() == ["simulated", "ga467-serial", "sdk"]
    reader = registry.make_reader(_config(tmp_path, "[idcard]\nkind = ga467-serial\n"
                                                    "port = /dev/ttyUSB0\nbaudrate = 9600\n"))
    assert isinstance(reader, Ga467SerialReader)
    assert (reader.port, reader.baudrate) == ("/dev/ttyUSB0", 9600)


def test_a_vendor_driver_is_found(tmp_path: Path, acme_installed: None) -> None:
    assert "acme-usb" in registry.reader_kinds()
    reader = registry.make_reader(_config(tmp_path, "[idcard]\nkind = acme-usb\n"
                                                    "serial_no = X-9\n"))
    assert isinstance(reader, AcmeReader) and reader.serial_no == "X-9"
    with pytest.raises(DeviceConfigError) as err:
        registry.make_reader(_config(tmp_path, "[idcard]\nkind = broken\n"))
    assert "无法加载" in err.value.zh


def test_no_reader_and_unknown_reader(tmp_path: Path) -> None:
    assert registry.make_reader(_config(tmp_path, "")) is None
    assert registry.make_reader(_config(tmp_path, "[idcard]\nkind = none\n")) is None
    with pytest.raises(DeviceConfigError) as err:
        registry.make_reader(_config(tmp_path, "[idcard]\nkind = nosuch\n"))
    assert (err.value.section, err.value.key) == ("idcard", "kind")
    with pytest.raises(DeviceConfigError) as err:
        registry.make_reader(_config(tmp_path, "[idcard]\nkind = ga467-serial\n"))
    assert err.value.key == "port"


def test_simulated_from_config(tmp_path: Path) -> None:
    cards = tmp_path / "cards.json"
    cards.write_text('[{"name": "赵六", "id_number": "110101199001010011", '
                     '"birth_date": "19900101", "valid_until": "长期"}]', encoding="utf-8")
    reader = registry.make_reader(_config(tmp_path, f"[idcard]\nkind = simulated\n"
                                                    f"cards = {cards}\n"))
    assert isinstance(reader, SimulatedIdCardReader) and reader.pending() == 1


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_probe_sentences(tmp_path: Path) -> None:
    assert check(_config(tmp_path, "")).configured is False
    sim = Ga467Simulator(tmp_path / "ttyIDCARD")
    try:
        config = _config(tmp_path, f"[idcard]\nkind = ga467-serial\nport = {sim.port}\n")
        answer = check(config)
        assert answer.ok and answer.zh == f"读卡器已连接（{sim.port}），当前无卡。"
        sim.feed(SimCard())
        assert check(config).zh == f"读卡器已连接（{sim.port}），读卡区有证件。"
        sim.silent = True
        answer = check(config)
        assert not answer.ok and answer.zh.startswith("读卡器未响应：请检查")
    finally:
        sim.stop()
    answer = check(config)
    assert not answer.ok and answer.zh.startswith("读卡器未连接：无法打开")
    wrong = check(_config(tmp_path, "[idcard]\nkind = ga467-serial\nbaudrate = fast\n"))
    assert not wrong.ok and "[idcard]" in wrong.zh


def test_probe_returns_in_time_when_a_driver_hangs(tmp_path: Path,
                                                   acme_installed: None,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    import time

    release = threading.Event()
    monkeypatch.setattr(AcmeReader, "card_present", lambda self: release.wait(10) and False)
    started = time.monotonic()
    try:
        answer = check(_config(tmp_path, "[idcard]\nkind = acme-usb\n"), seconds=0.3)
    finally:
        release.set()
    assert time.monotonic() - started < 1.5
    assert not answer.ok and "无应答" in answer.zh
