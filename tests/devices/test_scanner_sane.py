"""The SANE backend against SANE's own `test` backend, through the real `scanimage`: a real
PNG of the page's size at the asked resolution, and each fault the backend can play
(`--read-return-value`), a wrong device name, a scan slower than its timeout, a cancel."""

from __future__ import annotations

import io
import threading
import time

import pytest
from PIL import Image

from app.clock import FixedClock
from app.devices.scanner import SaneScanner, ScanCancelled, ScannerError
from tests.builders import NOW

from .sane_fixtures import PAGE_MM, needs_scanimage, sane_env

__all__ = ["sane_env"]

pytestmark = needs_scanimage


def _px(mm: float, dpi: int) -> int:
    return round(mm / 25.4 * dpi)


@pytest.mark.parametrize("dpi", [100, 200])
def test_a_scan_is_a_real_png_of_the_page(sane_env: dict[str, str], dpi: int) -> None:
    scanner = SaneScanner("test:0", resolution=dpi, options="--test-picture 'Color pattern'",
                          clock=FixedClock(NOW), zone="Asia/Shanghai")
    image = scanner.scan()
    assert image.mime == "image/png" and image.name == "scan-20261122-100000.png"
    with Image.open(io.BytesIO(image.data)) as png:
        png.load()
        assert png.format == "PNG" and png.mode == "RGB"
        width, height = png.size
        assert abs(width - _px(PAGE_MM[0], dpi)) <= 2 and abs(height - _px(PAGE_MM[1], dpi)) <= 2
        assert len(png.getcolors(maxcolors=1 << 16) or []) > 4  # a pattern, not a blank page


def test_devices_lists_the_test_backend(sane_env: dict[str, str]) -> None:
    assert SaneScanner().devices() == ["test:0", "test:1"]


def test_no_device_configured_scans_with_the_first(sane_env: dict[str, str]) -> None:
    image = SaneScanner(resolution=50).scan()
    assert image.data.startswith(b"\x89PNG") and image.name == "scan.png"


@pytest.mark.parametrize(("status", "zh", "en"), [
    ("SANE_STATUS_DEVICE_BUSY", "扫描仪正忙", "busy"),
    ("SANE_STATUS_COVER_OPEN", "盖板没有合上", "cover is open"),
    ("SANE_STATUS_JAMMED", "卡纸", "jammed"),
    ("SANE_STATUS_NO_DOCS", "进纸器里没有文件", "no document"),
    ("SANE_STATUS_IO_ERROR", "通讯出错", "Communication"),
    ("SANE_STATUS_ACCESS_DENIED", "没有权限", "denied"),
])
def test_each_fault_of_the_device_is_one_sentence(sane_env: dict[str, str], status: str,
                                                  zh: str, en: str) -> None:
    scanner = SaneScanner("test:0", resolution=50, options=["--read-return-value", status])
    with pytest.raises(ScannerError) as err:
        scanner.scan()
    assert zh in err.value.zh and en in err.value.en
    assert "\n" not in err.value.zh and "\n" not in err.value.en


def test_a_bogus_device_name_says_not_found(sane_env: dict[str, str]) -> None:
    with pytest.raises(ScannerError) as err:
        SaneScanner("bogus:9", resolution=50).scan()
    assert err.value.zh.startswith("找不到扫描仪 bogus:9")
    assert "not found" in err.value.en
    with pytest.raises(ScannerError):
        SaneScanner("bogus:9").ready()


def test_no_scanner_at_all(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    empty = tmp_path / "none.d"
    empty.mkdir()
    (empty / "dll.conf").write_text("", encoding="ascii")
    monkeypatch.setenv("SANE_CONFIG_DIR", str(empty))
    assert SaneScanner().devices() == []
    with pytest.raises(ScannerError) as err:
        SaneScanner(resolution=50).scan()
    assert "找不到扫描仪" in err.value.zh


def test_a_scan_slower_than_its_timeout_is_stopped(sane_env: dict[str, str]) -> None:
    # 200 ms after every 32 KiB buffer: about 3 s for this page; the timeout is 0.5 s.
    slow = SaneScanner("test:0", resolution=200, mode="Gray", timeout=0.5,
                       options="--read-delay=yes --read-delay-duration 200000")
    started = time.monotonic()
    with pytest.raises(ScannerError) as err:
        slow.scan()
    assert time.monotonic() - started < 3.0
    assert "0.5 秒内没有响应" in err.value.zh and "within 0.5 s" in err.value.en


def test_a_cancelled_scan_stops_at_once(sane_env: dict[str, str]) -> None:
    stop = threading.Event()
    slow = SaneScanner("test:0", resolution=200, mode="Gray", timeout=30,
                       options="--read-delay=yes --read-delay-duration 200000")
    threading.Timer(0.3, stop.set).start()
    started = time.monotonic()
    with pytest.raises(ScanCancelled):
        slow.scan(stop.is_set)
    assert time.monotonic() - started < 3.0


def test_a_missing_program_is_named(sane_env: dict[str, str]) -> None:
    with pytest.raises(ScannerError) as err:
        SaneScanner("test:0", program="/nonexistent/scanimage").scan()
    assert "sane-utils" in err.value.zh and "sane-utils" in err.value.en
