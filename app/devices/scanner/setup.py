"""The scanner this workstation has, from `devices.ini`:

    [scanner]  backend = none | sane | wia | folder
               device = test:0          (sane: a `scanimage -L` name; wia: DeviceID or name)
               folder = D:\\高拍仪       (folder: where the document camera saves its pictures)
               resolution = 200         (dpi)     mode = Color   (sane: the scan mode)
               timeout = 90             (seconds a scan may take, or the camera may wait)
               options = --source ADF   (sane: more scanimage options)
               remove = no              (folder: delete the picture once taken)
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from app.clock import Clock
from app.devices.config import DeviceConfig, DeviceConfigError
from app.devices.scanner.base import Scanner
from app.devices.scanner.folder import FolderScanner
from app.devices.scanner.sane import SaneScanner
from app.devices.scanner.wia import WiaScanner

__all__ = ["BACKENDS", "SECTION", "backend_of", "open_scanner"]

SECTION = "scanner"
BACKENDS = ("none", "sane", "wia", "folder")


def backend_of(config: DeviceConfig) -> str:
    backend = config.get(SECTION, "backend", "none").lower() or "none"
    if backend not in BACKENDS:
        raise DeviceConfigError(SECTION, "backend", f"应为 {' | '.join(BACKENDS)}，现为“{backend}”",
                                f"must be one of {', '.join(BACKENDS)}, not {backend!r}")
    return backend


def _positive(config: DeviceConfig, key: str, default: int, top: int) -> int:
    value = config.get_int(SECTION, key, default)
    if not 1 <= value <= top:
        raise DeviceConfigError(SECTION, key, f"应在 1 到 {top} 之间，现为 {value}",
                                f"must be between 1 and {top}, not {value}")
    return value


def open_scanner(config: DeviceConfig, *, clock: Clock | None = None,
                 zone: str | ZoneInfo | None = None) -> Scanner | None:
    """The configured scanner, or None for `backend = none`; `DeviceConfigError` if wrong."""
    backend = backend_of(config)
    if backend == "none":
        return None
    resolution = _positive(config, "resolution", 200, 1200)
    timeout = float(_positive(config, "timeout", 90, 600))
    device = config.get(SECTION, "device")
    if backend == "sane":
        return SaneScanner(device, resolution=resolution, timeout=timeout,
                           mode=config.get(SECTION, "mode", "Color") or "Color",
                           options=config.get(SECTION, "options"), clock=clock, zone=zone)
    if backend == "wia":
        return WiaScanner(device, resolution=resolution, timeout=timeout, clock=clock, zone=zone)
    remove = config.get(SECTION, "remove", "no").lower()
    if remove not in ("yes", "no", "true", "false", "1", "0"):
        raise DeviceConfigError(SECTION, "remove", f"应为 yes 或 no，现为“{remove}”",
                                f"must be yes or no, not {remove!r}")
    return FolderScanner(config.get(SECTION, "folder"), timeout=timeout,
                         remove=remove in ("yes", "true", "1"), clock=clock, zone=zone)
