"""The scanner's "test" button: one sentence of what works, in a few seconds at most."""

from __future__ import annotations

from app.devices.check import DeviceCheck, DeviceKind
from app.devices.config import DeviceConfig, DeviceConfigError
from app.devices.scanner.base import ScannerError
from app.devices.scanner.folder import FolderScanner
from app.devices.scanner.sane import SaneScanner
from app.devices.scanner.setup import open_scanner
from app.devices.scanner.wia import WiaScanner

__all__ = ["check"]

_DEVICE: DeviceKind = "scanner"


def _fault(zh: str, en: str) -> DeviceCheck:
    return DeviceCheck(_DEVICE, False, f"扫描仪不可用：{zh}", f"Scanner not usable: {en}")


def check(config: DeviceConfig) -> DeviceCheck:
    """Whether the configured scanner can scan now. Never raises for a fault."""
    try:
        scanner = open_scanner(config)
    except DeviceConfigError as exc:
        return DeviceCheck(_DEVICE, False, exc.zh, exc.en)
    if scanner is None:
        return DeviceCheck(_DEVICE, True, "未设置扫描仪：复印件从文件附上",
                           "No scanner set: copies are attached from files", configured=False)
    try:
        if isinstance(scanner, FolderScanner):
            scanner.check_folder()
            return DeviceCheck(
                _DEVICE, True,
                f"高拍仪文件夹 {scanner.folder} 可用：点“扫描”后保存到这里的新图像会被附上",
                f"Document camera folder {scanner.folder} is usable: a new picture saved there "
                "after pressing Scan is attached")
        if isinstance(scanner, SaneScanner) and scanner.device:
            scanner.ready()  # opens the device without scanning
            return DeviceCheck(
                _DEVICE, True, f"扫描仪 {scanner.device} 已连接，可以扫描（{scanner.resolution} dpi）",
                f"Scanner {scanner.device} is connected and ready ({scanner.resolution} dpi)")
        found = scanner.devices()
    except ScannerError as exc:
        return _fault(exc.zh, exc.en)
    kind = "WIA" if isinstance(scanner, WiaScanner) else "SANE"
    if not found:
        return _fault(f"{kind} 没有找到扫描仪（未连接或未开机）",
                      f"{kind} found no scanner (not connected or switched off)")
    device = getattr(scanner, "device", "")
    if device and device not in found:
        return _fault(f"没有找到设置的扫描仪 {device}；找到的是：{'、'.join(found)}",
                      f"the scanner {device} was not found; found: {', '.join(found)}")
    names = "、".join(found)
    return DeviceCheck(
        _DEVICE, True, f"找到 {len(found)} 台扫描仪（{names}），将使用{device or '第一台'}",
        f"Found {len(found)} scanner(s) ({', '.join(found)}); using "
        f"{device or 'the first one'}")
