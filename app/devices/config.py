"""Which devices this workstation has: ``devices.ini`` beside the UI settings.

Devices belong to the workstation, not to the hall (the hall's database is shared by every
counter), so they live in the user's configuration folder (``$COUNTER_CONFIG_DIR`` when set,
as for ``ui.ini``). The file is plain INI so that an installer or an administrator can write
it; unknown keys are kept, wrong values are reported by `load` naming the key.

    [idcard]          kind = none | simulated | ga467-serial | sdk | <entry point name>
                      port = /dev/ttyUSB0 | COM3 (serial) ; 1001 | USB1 | COM3 (sdk)
                      baudrate = 115200    timeout_ms = 1000
                      library = /opt/vendor/libsdtapi.so | termb.dll    api = sdtapi | termb
                      photo_decoder = the vendor's WLT decoder library (else no photo)
                      photo_decoder_symbol = its entry point    cards = cards.json (simulated)
    [receipt_printer] url = escpos+tcp://10.0.0.5:9100 | escpos+serial:///dev/ttyS0?baudrate=9600
                            | escpos+usb://04b8:0202 | (empty: receipts as PDF)
                      fallback_url = ...    width_mm = 80 | 58    barcode = code128 | qr
                      status = optional | required  (print when the printer does not answer
                               its status question, or refuse)
    [a4_printer]      slip = <Qt printer name>   report = ...   (per paper kind; empty: default)
    [scanner]         backend = none | sane | wia | folder    device = test:0    folder = ...
                      resolution = 200    timeout = seconds    mode = Color | Gray
                      options = more scanimage options    remove = no | yes (folder: delete
                      the file once taken)
    [queue]           kind = none | manual | http    url = http://127.0.0.1:8080/api
                      window = 3  (the hall's window number for this counter)
    [customer_screen] screen = auto | none | N  (the monitor the customer reads and signs on;
                      auto: a second monitor when there is one)
"""

from __future__ import annotations

import configparser
import os
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "CONFIG_DIR_ENV",
    "DeviceConfig",
    "DeviceConfigError",
    "default_devices_file",
    "load",
    "save",
]

CONFIG_DIR_ENV = "COUNTER_CONFIG_DIR"
FILE_NAME = "devices.ini"


class DeviceConfigError(ValueError):
    """A wrong value in devices.ini; `zh` / `en` name the section, key and what is wrong."""

    def __init__(self, section: str, key: str, zh: str, en: str) -> None:
        super().__init__(f"[{section}] {key}: {en}")
        self.section, self.key = section, key
        self.zh = f"设备设置 [{section}] {key}：{zh}"
        self.en = f"Device settings [{section}] {key}: {en}"


def default_devices_file() -> Path:
    override = os.environ.get(CONFIG_DIR_ENV)
    if override:
        return Path(override) / FILE_NAME
    import platformdirs

    return Path(platformdirs.user_config_dir("hall-counter", appauthor=False)) / FILE_NAME


@dataclass
class DeviceConfig:
    """The parsed file. Sections are plain mappings; each device package reads its own keys."""

    path: Path
    parser: configparser.ConfigParser

    def section(self, name: str) -> dict[str, str]:
        return dict(self.parser[name]) if self.parser.has_section(name) else {}

    def get(self, section: str, key: str, default: str = "") -> str:
        return self.parser.get(section, key, fallback=default).strip()

    def get_int(self, section: str, key: str, default: int) -> int:
        raw = self.get(section, key)
        if not raw:
            return default
        try:
            return int(raw)
        except ValueError:
            raise DeviceConfigError(section, key, f"应为整数，现为“{raw}”",
                                    f"must be a whole number, not {raw!r}") from None

    def set(self, section: str, key: str, value: str) -> None:
        if not self.parser.has_section(section):
            self.parser.add_section(section)
        self.parser.set(section, key, value)


def load(path: Path | None = None) -> DeviceConfig:
    """Read devices.ini (a missing file is an empty configuration: no devices)."""
    path = path or default_devices_file()
    parser = configparser.ConfigParser(interpolation=None)
    if path.exists():
        try:
            parser.read(path, encoding="utf-8")
        except configparser.Error as exc:
            raise DeviceConfigError("-", "-", f"文件无法解析：{exc}",
                                    f"the file cannot be parsed: {exc}") from exc
    return DeviceConfig(path, parser)


def save(config: DeviceConfig) -> None:
    """Write the file atomically (a crash leaves the old or the new file, never half)."""
    config.path.parent.mkdir(parents=True, exist_ok=True)
    tmp = config.path.with_name(config.path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        config.parser.write(f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, config.path)
