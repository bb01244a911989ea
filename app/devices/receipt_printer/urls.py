"""Where the receipt printer is: `escpos+tcp://`, `escpos+serial://` and `escpos+usb://` URLs.

    escpos+tcp://10.0.0.5:9100              raw TCP ("JetDirect"), port 9100 when left out
    escpos+serial:///dev/ttyS0?baudrate=9600  a serial port (COM3 on Windows:
    escpos+serial://COM3?baudrate=9600        escpos+serial://COM3); flow=dsrdtr|rtscts|
                                              xonxoff|none (default dsrdtr, as python-escpos)
    escpos+usb://04b8:0202                  vendor:product in hex; in_ep / out_ep optional

A wrong URL is a `PrinterUrlError` naming what is wrong, in Chinese and English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import parse_qsl, urlsplit

from .errors import PrinterUrlError

__all__ = ["BAUD_RATES", "PrinterUrl", "is_escpos_url", "parse_url"]

BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400)
FLOWS = ("dsrdtr", "rtscts", "xonxoff", "none")
_SCHEMES = {"escpos+tcp": "tcp", "escpos+serial": "serial", "escpos+usb": "usb"}
_HEX_ID = re.compile(r"^(?:0x)?([0-9a-fA-F]{1,4})$")
_WINDOWS_PORT = re.compile(r"^COM[0-9]{1,3}$", re.IGNORECASE)

Kind = Literal["tcp", "serial", "usb"]


@dataclass(frozen=True)
class PrinterUrl:
    kind: Kind
    text: str  # the URL as given (for messages and the result)
    host: str = ""
    port: int = 9100
    device: str = ""  # serial port
    options: dict[str, int | str] = field(default_factory=dict)  # baudrate, flow, ids, ends

    @property
    def where(self) -> str:
        """The printer as the clerk reads it in a message: 10.0.0.5:9100, /dev/ttyS0, USB …"""
        if self.kind == "tcp":
            host = f"[{self.host}]" if ":" in self.host else self.host
            return f"{host}:{self.port}"
        if self.kind == "serial":
            return self.device
        return f"USB {self.options['vendor']:04x}:{self.options['product']:04x}"


def is_escpos_url(text: str) -> bool:
    """Whether `text` names an ESC/POS printer (as opposed to a spooler printer's name).

    Any `escpos+…://` counts, so that a misspelt kind is reported by `parse_url` rather than
    taken for a printer name."""
    head, sep, _ = text.strip().partition("://")
    return bool(sep) and head.lower().startswith("escpos+")


def _bad(url: str, zh: str, en: str) -> PrinterUrlError:
    return PrinterUrlError(f"小票打印机地址“{url}”无效：{zh}", f"receipt printer URL {url!r}: {en}")


def _query(url: str, query: str, allowed: tuple[str, ...]) -> dict[str, str]:
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        raise _bad(url, "参数格式不对", "the parameters after '?' are malformed") from None
    out: dict[str, str] = {}
    for key, value in pairs:
        key = key.lower()
        if key not in allowed:
            names = "、".join(allowed) if allowed else "无"
            raise _bad(url, f"不认识的参数“{key}”（可用：{names}）",
                       f"unknown parameter {key!r} (allowed: {', '.join(allowed) or 'none'})")
        out[key] = value.strip()
    return out


def _tcp(url: str, netloc: str, path: str, query: str) -> PrinterUrl:
    _query(url, query, ())
    if path not in ("", "/"):
        raise _bad(url, "网络打印机地址不应带路径", "a network printer URL has no path")
    parts = urlsplit(f"//{netloc}")
    try:
        port = parts.port
    except ValueError:
        raise _bad(url, "端口应为 1–65535 的整数", "the port must be a number from 1 to 65535"
                   ) from None
    host = parts.hostname or ""
    if not host:
        raise _bad(url, "缺少打印机的主机名或 IP 地址", "the printer's host name or IP is missing")
    if port == 0:
        raise _bad(url, "端口应为 1–65535 的整数", "the port must be a number from 1 to 65535")
    return PrinterUrl("tcp", url, host=host, port=port or 9100)


def _serial(url: str, netloc: str, path: str, query: str) -> PrinterUrl:
    q = _query(url, query, ("baudrate", "flow"))
    if netloc and path not in ("", "/"):
        raise _bad(url, "串口写法应为 escpos+serial:///dev/ttyS0 或 escpos+serial://COM3",
                   "write escpos+serial:///dev/ttyS0 or escpos+serial://COM3")
    device = netloc or path
    if netloc and not _WINDOWS_PORT.match(netloc):
        raise _bad(url, f"“{netloc}”不是串口名（如 COM3）", f"{netloc!r} is not a port like COM3")
    if not device or device == "/":
        raise _bad(url, "缺少串口设备（如 /dev/ttyS0、COM3）",
                   "the serial port (/dev/ttyS0, COM3) is missing")
    try:
        baud = int(q.get("baudrate") or 9600)
    except ValueError:
        baud = -1
    if baud not in BAUD_RATES:
        raise _bad(url, f"波特率应为 {'、'.join(map(str, BAUD_RATES))} 之一",
                   f"baudrate must be one of {', '.join(map(str, BAUD_RATES))}")
    flow = (q.get("flow") or "dsrdtr").lower()
    if flow not in FLOWS:
        raise _bad(url, f"流控 flow 应为 {'、'.join(FLOWS)} 之一",
                   f"flow must be one of {', '.join(FLOWS)}")
    return PrinterUrl("serial", url, device=device, options={"baudrate": baud, "flow": flow})


def _hex(url: str, text: str, what_zh: str, what_en: str, top: int) -> int:
    m = _HEX_ID.match(text.strip())
    value = int(m.group(1), 16) if m else -1
    if not 0 < value <= top:
        raise _bad(url, f"{what_zh}应为十六进制数（如 04b8）",
                   f"the {what_en} must be a hex number such as 04b8")
    return value


def _usb(url: str, netloc: str, path: str, query: str) -> PrinterUrl:
    q = _query(url, query, ("in_ep", "out_ep"))
    if path not in ("", "/") or netloc.count(":") != 1:
        raise _bad(url, "USB 打印机写法应为 escpos+usb://厂商号:产品号（十六进制，如 04b8:0202）",
                   "write escpos+usb://VENDOR:PRODUCT in hex, e.g. 04b8:0202")
    vendor, product = netloc.split(":")
    options: dict[str, int | str] = {
        "vendor": _hex(url, vendor, "厂商号", "vendor id", 0xFFFF),
        "product": _hex(url, product, "产品号", "product id", 0xFFFF),
        "in_ep": 0x82, "out_ep": 0x01}  # python-escpos's defaults, right for most printers
    for key in ("in_ep", "out_ep"):
        if key in q:
            options[key] = _hex(url, q[key], f"端点 {key}", f"endpoint {key}", 0xFF)
    return PrinterUrl("usb", url, options=options)


def parse_url(text: str) -> PrinterUrl:
    """The printer `text` names, or `PrinterUrlError` saying what is wrong with it."""
    url = text.strip()
    scheme, sep, rest = url.partition("://")
    kind = _SCHEMES.get(scheme.lower())
    if not sep or kind is None:
        raise _bad(url, "应以 escpos+tcp://、escpos+serial:// 或 escpos+usb:// 开头",
                   "it must start with escpos+tcp://, escpos+serial:// or escpos+usb://")
    rest, _, query = rest.partition("?")
    if "#" in query or "#" in rest:
        raise _bad(url, "不应含“#”", "it must not contain '#'")
    netloc, slash, path = rest.partition("/")
    path = slash + path
    if kind == "tcp":
        return _tcp(url, netloc, path, query)
    if kind == "serial":
        return _serial(url, netloc, path, query)
    return _usb(url, netloc, path, query)
