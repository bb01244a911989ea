"""Scanning on Linux through SANE's own command-line front end, `scanimage` (sane-utils).

    scanimage -f '%d<TAB>%v %m%n'                                  the devices
    scanimage -d DEVICE --format=png --resolution R --mode Color   one page, PNG on stdout

`scanimage` exits with the SANE status of a failed read (3 busy, 6 jammed, 7 no documents,
8 cover open, 9 I/O error, 11 access denied) and says what happened on stderr; both are
turned into one sentence for the clerk. Listing devices can be slow when network backends
look around, so it has its own short timeout.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

from app.clock import Clock
from app.devices.scanner.base import (
    MAX_SCAN_BYTES,
    Cancelled,
    ScannedImage,
    Scanner,
    ScannerError,
    never_cancelled,
)
from app.devices.scanner.process import Finished, ProgramMissing, TimedOut, run_program

__all__ = ["SaneScanner", "sane_error"]

PROGRAM = "scanimage"
_LIST_FORMAT = "%d\t%v %m%n"

# (words in scanimage's stderr, SANE status exit code) -> (zh, en)
_FAULTS: list[tuple[str, int, str, str]] = [
    ("device busy", 3, "扫描仪正忙（另一个程序在用它），请稍后再试",
     "The scanner is busy (another program is using it); try again shortly"),
    ("cover is open", 8, "扫描仪盖板没有合上，请合上后再扫描",
     "The scanner cover is open; close it and scan again"),
    ("jammed", 6, "扫描仪卡纸，请取出纸张后再扫描",
     "Paper is jammed in the scanner; clear it and scan again"),
    ("out of documents", 7, "进纸器里没有文件，请放好证件或纸张",
     "There is no document in the feeder; put the paper in"),
    ("access to resource has been denied", 11, "没有权限使用扫描仪，请联系管理员",
     "Access to the scanner was denied; call the administrator"),
    ("error during device i/o", 9, "与扫描仪通讯出错，请检查连线和电源",
     "Communication with the scanner failed; check its cable and power"),
    ("operation was canceled", 2, "扫描在扫描仪上被取消", "The scan was cancelled at the scanner"),
]


def sane_error(result: Finished, device: str) -> ScannerError:
    """The one-line message for a failed `scanimage` run."""
    text = result.stderr.lower()
    for words, status, zh, en in _FAULTS:
        if words in text or (result.returncode == status and "sane_read" in text):
            return ScannerError(zh, en)
    if "open of device" in text or "no sane devices found" in text:
        name = device or "（默认）"
        return ScannerError(f"找不到扫描仪 {name}：未连接、未开机或设备名不对",
                            f"Scanner {device or '(default)'} not found: not connected, "
                            "switched off or wrongly named")
    detail = result.last_error_line().removeprefix("scanimage: ")[:160] or \
        f"exit status {result.returncode}"
    return ScannerError(f"扫描失败：{detail}", f"The scan failed: {detail}")


class SaneScanner(Scanner):
    backend = "sane"

    def __init__(self, device: str = "", *, resolution: int = 200, mode: str = "Color",
                 timeout: float = 90.0, list_timeout: float = 5.0,
                 options: str | Sequence[str] = (), program: str = PROGRAM,
                 env: Mapping[str, str] | None = None, clock: Clock | None = None,
                 zone: str | ZoneInfo | None = None) -> None:
        super().__init__(clock=clock, zone=zone)
        self.device, self.resolution, self.mode = device, resolution, mode
        self.timeout, self.list_timeout = timeout, list_timeout
        # Extra scanimage options from devices.ini, e.g. "--source ADF" or "-x 210 -y 297".
        self.options = shlex.split(options) if isinstance(options, str) else list(options)
        self.program = program
        self.env = env

    def describe(self) -> str:
        return f"SANE {self.device or '(default)'}"

    def _run(self, args: list[str], timeout: float, cancelled: Cancelled) -> Finished:
        try:
            return run_program([self.program, *args], timeout=timeout, cancelled=cancelled,
                               env=self.env if self.env is not None else os.environ)
        except ProgramMissing:
            raise ScannerError("未安装 scanimage（Debian/Ubuntu 软件包 sane-utils）",
                               "scanimage is not installed (package sane-utils)") from None
        except TimedOut:
            raise ScannerError(f"扫描仪在 {timeout:g} 秒内没有响应，请检查扫描仪后重试",
                               f"The scanner did not answer within {timeout:g} s; check it "
                               "and try again") from None

    def devices(self) -> list[str]:
        result = self._run(["-f", _LIST_FORMAT], self.list_timeout, never_cancelled)
        if result.returncode != 0:
            raise sane_error(result, "")
        text = result.stdout.decode("utf-8", "replace")
        return [line.split("\t", 1)[0] for line in text.splitlines() if "\t" in line]

    def ready(self) -> None:
        """Open the configured device without scanning (`--dont-scan`): is it there?"""
        result = self._run([*self._device_args(), "--dont-scan"], self.list_timeout,
                           never_cancelled)
        if result.returncode != 0:
            raise sane_error(result, self.device)

    def _device_args(self) -> list[str]:
        return ["-d", self.device] if self.device else []

    def scan(self, cancelled: Cancelled = never_cancelled) -> ScannedImage:
        args = [*self._device_args(), "--format=png", "--resolution", str(self.resolution),
                "--mode", self.mode, *self.options]
        result = self._run(args, self.timeout, cancelled)
        if result.returncode != 0:
            raise sane_error(result, self.device)
        data = result.stdout
        if not data.startswith(b"\x89PNG"):
            raise ScannerError("扫描仪没有送回图像，请重试", "The scanner sent no image; try again")
        if len(data) > MAX_SCAN_BYTES:
            raise ScannerError("扫描件超过 20 MB，请降低分辨率（[scanner] resolution）",
                               "The scan is over 20 MB; lower [scanner] resolution")
        return ScannedImage(data, "image/png", self.file_name("png"))
