"""Scanning on Windows through WIA's scripting objects (`WIA.DeviceManager`), run by PowerShell.

UNTESTED ON THIS PROJECT'S MACHINE (Linux, no Windows, no WIA): the script follows Microsoft's
WIA Automation Layer (DeviceManager.DeviceInfos, DeviceInfo.Connect, Item.Transfer(FormatID),
ImageFile.SaveFile), and is selected only on Windows (`[scanner] backend = wia`). It saves the
page as PNG into a private temporary file that is read back and removed at once. WIA's error
HRESULTs (paper jam, busy, cover open, offline) are turned into the same one-line messages as
SANE's. No dialog is shown: the device named in `[scanner] device` (its WIA DeviceID or name),
or the first scanner, scans with the given resolution in colour.
"""

from __future__ import annotations

import base64
import os
import sys
import tempfile
from pathlib import Path
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

__all__ = ["WiaScanner", "wia_script"]

_PNG = "{B96B3CAF-0728-11D3-9D7B-0000F81EF32E}"  # wiaFormatPNG
_HRESULTS: dict[int, tuple[str, str]] = {
    0x80210002: ("扫描仪卡纸，请取出纸张后再扫描", "Paper is jammed in the scanner"),
    0x80210003: ("进纸器里没有文件，请放好证件或纸张", "There is no document in the feeder"),
    0x80210005: ("扫描仪离线，请检查连线和电源", "The scanner is offline; check cable and power"),
    0x80210006: ("扫描仪正忙（另一个程序在用它），请稍后再试", "The scanner is busy"),
    0x8021000A: ("与扫描仪通讯出错，请检查连线和电源", "Communication with the scanner failed"),
    0x80210015: ("没有连接扫描仪", "No scanner is connected"),
    0x80210016: ("扫描仪盖板没有合上，请合上后再扫描", "The scanner cover is open"),
}

_LIST = """
$ErrorActionPreference = 'Stop'
$dm = New-Object -ComObject WIA.DeviceManager
foreach ($i in $dm.DeviceInfos) {
  if ($i.Type -eq 1) { [Console]::Out.WriteLine($i.DeviceID + "`t" + $i.Properties.Item('Name').Value) }
}
"""

_SCAN = """
$ErrorActionPreference = 'Stop'
try {
  $dm = New-Object -ComObject WIA.DeviceManager
  $info = $null
  foreach ($i in $dm.DeviceInfos) {
    if ($i.Type -ne 1) { continue }
    if ($want -eq '' -or $i.DeviceID -eq $want -or $i.Properties.Item('Name').Value -eq $want) {
      $info = $i; break
    }
  }
  if ($info -eq $null) { [Console]::Error.WriteLine('WIA 0x80210015'); exit 2 }
  $item = $info.Connect().Items.Item(1)
  foreach ($p in $item.Properties) {
    if ($p.PropertyID -eq 6147 -or $p.PropertyID -eq 6148) { $p.Value = $dpi }  # X/Y resolution
    if ($p.PropertyID -eq 6146) { $p.Value = 1 }  # current intent: colour
  }
  $image = $item.Transfer('%s')
  $image.SaveFile($out)
} catch {
  [Console]::Error.WriteLine(('WIA 0x{0:X8} ' -f $_.Exception.HResult) + $_.Exception.Message)
  exit 3
}
"""


def _ps_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def wia_script(device: str, dpi: int, out: str) -> str:
    """The PowerShell text of one scan (public so that its shape can be checked anywhere)."""
    head = f"$want = {_ps_literal(device)}\n$dpi = {int(dpi)}\n$out = {_ps_literal(out)}\n"
    return head + _SCAN % _PNG


def _wia_error(result: Finished) -> ScannerError:
    line = result.last_error_line()
    if line.startswith("WIA 0x"):
        try:
            code = int(line[4:14], 16)
        except ValueError:
            code = 0
        if code in _HRESULTS:
            return ScannerError(*_HRESULTS[code])
    detail = line[:160] or f"exit status {result.returncode}"
    return ScannerError(f"扫描失败：{detail}", f"The scan failed: {detail}")


class WiaScanner(Scanner):
    backend = "wia"

    def __init__(self, device: str = "", *, resolution: int = 200, timeout: float = 90.0,
                 list_timeout: float = 8.0, clock: Clock | None = None,
                 zone: str | ZoneInfo | None = None) -> None:
        super().__init__(clock=clock, zone=zone)
        self.device, self.resolution = device, resolution
        self.timeout, self.list_timeout = timeout, list_timeout

    def describe(self) -> str:
        return f"WIA {self.device or '(first scanner)'}"

    def _powershell(self, script: str, timeout: float, cancelled: Cancelled) -> Finished:
        if sys.platform != "win32":
            raise ScannerError("WIA 扫描只能在 Windows 上使用", "WIA scanning works on Windows only")
        encoded = base64.b64encode(script.encode("utf-16-le")).decode("ascii")
        try:
            return run_program(["powershell.exe", "-NoProfile", "-NonInteractive",
                                "-ExecutionPolicy", "Bypass", "-EncodedCommand", encoded],
                               timeout=timeout, cancelled=cancelled)
        except ProgramMissing:
            raise ScannerError("找不到 PowerShell", "PowerShell was not found") from None
        except TimedOut:
            raise ScannerError(f"扫描仪在 {timeout:g} 秒内没有响应",
                               f"The scanner did not answer within {timeout:g} s") from None

    def devices(self) -> list[str]:
        result = self._powershell(_LIST, self.list_timeout, never_cancelled)
        if result.returncode != 0:
            raise _wia_error(result)
        text = result.stdout.decode("utf-8", "replace")
        return [line.split("\t", 1)[-1].strip() for line in text.splitlines() if line.strip()]

    def scan(self, cancelled: Cancelled = never_cancelled) -> ScannedImage:
        folder = tempfile.mkdtemp(prefix="counter-wia-")  # private (0700 on POSIX)
        out = Path(folder) / "page.png"
        try:
            result = self._powershell(wia_script(self.device, self.resolution, str(out)),
                                      self.timeout, cancelled)
            if result.returncode != 0:
                raise _wia_error(result)
            try:
                data = out.read_bytes()
            except OSError:
                raise ScannerError("扫描仪没有送回图像，请重试",
                                   "The scanner sent no image; try again") from None
        finally:
            out.unlink(missing_ok=True)
            os.rmdir(folder)
        if len(data) > MAX_SCAN_BYTES:
            raise ScannerError("扫描件超过 20 MB，请降低分辨率", "The scan is over 20 MB")
        return ScannedImage(data, "image/png", self.file_name("png"))
