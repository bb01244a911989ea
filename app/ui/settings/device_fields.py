"""The fields of Settings → Devices, per device kind, with their checks.

Labels are English source text marked for translation (context ``DeviceFields``); the checks
answer (zh, en) naming the field, so a wrong value is refused before it reaches devices.ini.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from PySide6.QtCore import QT_TRANSLATE_NOOP

from app.devices.check import DeviceKind

__all__ = ["FIELDS", "Field", "field_problem"]

Problem = tuple[str, str]


def _reader_kinds() -> list[str]:
    try:
        from app.devices.idcard.registry import reader_kinds
    except ImportError:  # pragma: no cover - the registry ships with the app
        return ["none", "simulated", "ga467-serial", "sdk"]
    return ["none", *[k for k in reader_kinds() if k != "none"]]


def _serial_ports() -> list[str]:
    try:
        from serial.tools import list_ports
    except ImportError:  # pragma: no cover
        return [""]
    return ["", *sorted(p.device for p in list_ports.comports())]


def _printers() -> list[str]:
    from app.ui.devices.printer import printer_names

    return ["", *printer_names()]


def _escpos_url(value: str) -> Problem | None:
    if not value:
        return None
    try:
        from app.devices.receipt_printer import is_escpos_url
    except ImportError:  # pragma: no cover
        ok = value.startswith(("escpos+tcp://", "escpos+serial://", "escpos+usb://"))
    else:
        ok = is_escpos_url(value)
    if ok:
        return None
    return ("应为 escpos+tcp://主机:9100、escpos+serial:///dev/ttyS0 或 escpos+usb://VID:PID",
            "must be escpos+tcp://host:9100, escpos+serial:///dev/ttyS0 or escpos+usb://VID:PID")


def _http_url(value: str) -> Problem | None:
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") and parts.netloc:
        return None
    return "应为 http:// 或 https:// 开头的地址", "must be an http:// or https:// address"


def _int_between(low: int, high: int) -> Callable[[str], Problem | None]:
    def check(value: str) -> Problem | None:
        if not value:
            return None
        if value.isdigit() and low <= int(value) <= high:
            return None
        return f"应为 {low}–{high} 的整数", f"must be a whole number from {low} to {high}"

    return check


def _one_of(*allowed: str) -> Callable[[str], Problem | None]:
    def check(value: str) -> Problem | None:
        if value in allowed or not value:
            return None
        return f"应为 {' / '.join(allowed)} 之一", f"must be one of {', '.join(allowed)}"

    return check


def _reader_kind(value: str) -> Problem | None:
    if not value or value in _reader_kinds():
        return None
    return "没有这种读卡器驱动（未安装？）", "no such reader driver (not installed?)"


def _port(value: str) -> Problem | None:
    # Serial ports (COM3, /dev/ttyUSB0) and the vendor libraries' numbers (1001, USB1).
    if not value or re.fullmatch(r"(COM\d{1,3}|USB\d{1,2}|\d{1,4}|/dev/[\w./-]+)", value,
                                 re.IGNORECASE):
        return None
    return ("应为 COM3、/dev/ttyUSB0 这样的串口，或厂家库的端口号（1001、USB1）",
            "must be a serial port such as COM3 or /dev/ttyUSB0, or a vendor port (1001, USB1)")


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    default: str = ""
    choices: Callable[[], list[str]] | None = None
    editable: bool = False
    placeholder: str = ""
    tip: str = ""
    browse: bool = False
    check: Callable[[str], Problem | None] | None = None


def _t(text: str) -> str:
    return str(QT_TRANSLATE_NOOP("DeviceFields", text))


_PAPER_KINDS = ("slip", "receipt", "fault-ticket", "complaint-ticket", "bill-cover", "report")
_PAPER_LABELS = {
    "slip": _t("Acceptance slip"), "receipt": _t("Receipt (no receipt printer)"),
    "fault-ticket": _t("Fault ticket"), "complaint-ticket": _t("Complaint ticket"),
    "bill-cover": _t("Itemized bill cover"), "report": _t("Reports"),
}

FIELDS: dict[DeviceKind, tuple[Field, ...]] = {
    "idcard": (
        Field("kind", _t("Driver"), "none", _reader_kinds, check=_reader_kind,
              tip=_t("ga467-serial: readers on a serial or USB-serial port; sdk: the vendor's "
                     "library; a vendor package may add its own driver.")),
        Field("port", _t("Serial port"), "", _serial_ports, editable=True, check=_port),
        Field("baudrate", _t("Baud rate"), "115200", lambda: ["115200", "57600", "9600"],
              editable=True, check=_int_between(1200, 921600)),
        Field("library", _t("Vendor library"), "", browse=True,
              placeholder=_t("e.g. /opt/reader/libsdtapi.so or sdtapi.dll")),
        Field("api", _t("Library calls"), "", lambda: ["", "sdtapi", "termb"],
              check=_one_of("sdtapi", "termb"), tip=_t("Empty: found from the library.")),
        Field("photo_decoder", _t("Photo decoder library"), "", browse=True,
              tip=_t("The vendor's WLT decoder; without it the card's photo is not shown.")),
        Field("timeout_ms", _t("Timeout (ms)"), "1000", check=_int_between(100, 10000)),
    ),
    "receipt_printer": (
        Field("url", _t("Printer address"), "", check=_escpos_url,
              placeholder="escpos+tcp://192.168.1.50:9100",
              tip=_t("Empty: receipts are printed as PDF on the A4 printer.")),
        Field("fallback_url", _t("Fallback printer"), "", check=_escpos_url,
              placeholder="escpos+tcp://192.168.1.51:9100"),
        Field("width_mm", _t("Paper width (mm)"), "80", lambda: ["80", "58"],
              check=_one_of("80", "58")),
        Field("barcode", _t("Order number as"), "code128", lambda: ["code128", "qr"],
              check=_one_of("code128", "qr"),
              tip=_t("A number too wide for the roll as CODE128 is printed as a QR code.")),
        Field("status", _t("Printer silent on status"), "optional",
              lambda: ["optional", "required"], check=_one_of("optional", "required"),
              tip=_t("optional: print anyway when the printer does not report its status; "
                     "required: refuse.")),
    ),
    "a4_printer": tuple(
        Field(kind, _PAPER_LABELS[kind], "", _printers, editable=True,
              tip=_t("Empty: the system's default printer."))
        for kind in _PAPER_KINDS),
    "scanner": (
        Field("backend", _t("Scanner"), "none", lambda: ["none", "sane", "wia", "folder"],
              check=_one_of("none", "sane", "wia", "folder"),
              tip=_t("sane: Linux scanners; wia: Windows scanners; folder: a document camera "
                     "or scanner that saves files into a folder.")),
        Field("device", _t("Device"), "", placeholder="test:0"),
        Field("folder", _t("Watched folder"), "", placeholder="/srv/scans"),
        Field("resolution", _t("Resolution (dpi)"), "200", lambda: ["150", "200", "300"],
              editable=True, check=_int_between(75, 1200)),
    ),
    "queue": (
        Field("kind", _t("Queue system"), "none", lambda: ["none", "manual", "http"],
              check=_one_of("none", "manual", "http"),
              tip=_t("manual: the clerk types the ticket number; http: the hall's queue "
                     "server.")),
        Field("url", _t("Queue server"), "", check=_http_url,
              placeholder="http://queue.hall.local:8080/api"),
        Field("window", _t("Window number"), "", check=_int_between(1, 999)),
    ),
}


def field_problem(section: str, f: Field, value: str) -> Problem | None:
    """(zh, en) naming the device and field when `value` cannot be saved, else None."""
    if f.check is None:
        return None
    problem = f.check(value)
    if problem is None:
        return None
    from app.ui.devices.probes import DEVICE_TITLES

    zh_title, en_title = DEVICE_TITLES[section]  # type: ignore[index]
    return (f"{zh_title}「{f.key}」：{problem[0]}（现为“{value}”）",
            f"{en_title} '{f.key}': {problem[1]} (now {value!r})")
