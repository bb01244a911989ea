"""The scanner's "test" sentence for each setting, from a real devices.ini, within seconds."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from app.devices import config as devices
from app.devices.scanner import FolderScanner, SaneScanner, WiaScanner, open_scanner
from app.devices.scanner.probe import check
from app.devices.scanner.wia import wia_script

from .sane_fixtures import needs_scanimage, sane_env

__all__ = ["sane_env"]


def ini(tmp_path: Path, body: str) -> devices.DeviceConfig:
    path = tmp_path / "devices.ini"
    path.write_text(body, encoding="utf-8")
    return devices.load(path)


def test_no_scanner_is_not_a_fault(tmp_path: Path) -> None:
    result = check(devices.load(tmp_path / "missing.ini"))
    assert (result.device, result.ok, result.configured) == ("scanner", True, False)
    assert result.zh == "未设置扫描仪：复印件从文件附上"


def test_a_wrong_backend_or_resolution_names_the_key(tmp_path: Path) -> None:
    result = check(ini(tmp_path, "[scanner]\nbackend = twain\n"))
    assert not result.ok and "[scanner] backend" in result.zh and "twain" in result.en
    result = check(ini(tmp_path, "[scanner]\nbackend = sane\nresolution = lots\n"))
    assert not result.ok and "[scanner] resolution" in result.zh
    result = check(ini(tmp_path, "[scanner]\nbackend = sane\nresolution = 0\n"))
    assert not result.ok and "1 到 1200" in result.zh


def test_settings_choose_the_backend(tmp_path: Path) -> None:
    sane = open_scanner(ini(tmp_path, "[scanner]\nbackend = sane\ndevice = test:1\n"
                                      "resolution = 300\noptions = --source ADF\n"))
    assert isinstance(sane, SaneScanner)
    assert (sane.device, sane.resolution, sane.options) == ("test:1", 300, ["--source", "ADF"])
    folder = open_scanner(ini(tmp_path, "[scanner]\nbackend = folder\nfolder = /x\n"
                                        "timeout = 30\nremove = yes\n"))
    assert isinstance(folder, FolderScanner)
    assert (folder.folder, folder.timeout, folder.remove) == (Path("/x"), 30.0, True)
    assert isinstance(open_scanner(ini(tmp_path, "[scanner]\nbackend = wia\n")), WiaScanner)
    assert open_scanner(ini(tmp_path, "[scanner]\nbackend = none\n")) is None


@needs_scanimage
def test_sane_device_ready(tmp_path: Path, sane_env: dict[str, str]) -> None:
    started = time.monotonic()
    result = check(ini(tmp_path, "[scanner]\nbackend = sane\ndevice = test:0\n"))
    assert time.monotonic() - started < 5
    assert result.ok and result.zh == "扫描仪 test:0 已连接，可以扫描（200 dpi）"
    assert result.en == "Scanner test:0 is connected and ready (200 dpi)"


@needs_scanimage
def test_sane_without_a_device_lists_what_it_finds(tmp_path: Path,
                                                   sane_env: dict[str, str]) -> None:
    result = check(ini(tmp_path, "[scanner]\nbackend = sane\n"))
    assert result.ok and result.zh == "找到 2 台扫描仪（test:0、test:1），将使用第一台"


@needs_scanimage
def test_sane_wrong_device(tmp_path: Path, sane_env: dict[str, str]) -> None:
    result = check(ini(tmp_path, "[scanner]\nbackend = sane\ndevice = bogus:9\n"))
    assert not result.ok
    assert result.zh == "扫描仪不可用：找不到扫描仪 bogus:9：未连接、未开机或设备名不对"


@needs_scanimage
def test_sane_finds_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "none.d"
    empty.mkdir()
    (empty / "dll.conf").write_text("", encoding="ascii")
    monkeypatch.setenv("SANE_CONFIG_DIR", str(empty))
    result = check(ini(tmp_path, "[scanner]\nbackend = sane\n"))
    assert not result.ok and result.zh == "扫描仪不可用：SANE 没有找到扫描仪（未连接或未开机）"


def test_folder_sentences(tmp_path: Path) -> None:
    (tmp_path / "cam").mkdir()
    good = check(ini(tmp_path, f"[scanner]\nbackend = folder\nfolder = {tmp_path / 'cam'}\n"))
    assert good.ok and good.zh.startswith(f"高拍仪文件夹 {tmp_path / 'cam'} 可用")
    missing = check(ini(tmp_path, f"[scanner]\nbackend = folder\nfolder = {tmp_path / 'no'}\n"))
    assert not missing.ok and "不存在" in missing.zh
    unset = check(ini(tmp_path, "[scanner]\nbackend = folder\n"))
    assert not unset.ok and "[scanner] folder" in unset.zh


@pytest.mark.skipif(sys.platform == "win32", reason="on Windows WIA would really run")
def test_wia_elsewhere_says_windows_only(tmp_path: Path) -> None:
    result = check(ini(tmp_path, "[scanner]\nbackend = wia\n"))
    assert not result.ok and "只能在 Windows 上使用" in result.zh


def test_wia_script_quotes_its_values() -> None:
    text = wia_script("Canon's LiDE", 300, r"C:\Temp\page.png")
    assert "$want = 'Canon''s LiDE'" in text and "$dpi = 300" in text
    assert "{B96B3CAF-0728-11D3-9D7B-0000F81EF32E}" in text  # wiaFormatPNG
