"""Receipt printer URLs and settings: what is accepted, and the line naming what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.devices.config import load
from app.devices.receipt_printer import (
    PrinterSettings,
    PrinterUrlError,
    is_escpos_url,
    parse_url,
)


def test_tcp() -> None:
    u = parse_url("escpos+tcp://10.0.0.5:9100")
    assert (u.kind, u.host, u.port, u.where) == ("tcp", "10.0.0.5", 9100, "10.0.0.5:9100")
    assert parse_url("ESCPOS+TCP://printer.hall.local").port == 9100
    assert parse_url("escpos+tcp://[fe80::1]:9101/").where == "[fe80::1]:9101"


def test_serial() -> None:
    u = parse_url("escpos+serial:///dev/ttyS0?baudrate=9600")
    assert (u.kind, u.device, u.options) == ("serial", "/dev/ttyS0",
                                             {"baudrate": 9600, "flow": "dsrdtr"})
    w = parse_url("escpos+serial://COM3?baudrate=115200&flow=rtscts")
    assert (w.device, w.options["baudrate"], w.options["flow"]) == ("COM3", 115200, "rtscts")
    assert parse_url("escpos+serial:///dev/ttyUSB0").options["baudrate"] == 9600


def test_usb() -> None:
    u = parse_url("escpos+usb://04b8:0202")
    assert u.options == {"vendor": 0x04B8, "product": 0x0202, "in_ep": 0x82, "out_ep": 0x01}
    assert u.where == "USB 04b8:0202"
    assert parse_url("escpos+usb://0x0416:0x5011?out_ep=0x03").options["out_ep"] == 3


@pytest.mark.parametrize("url, zh, en", [
    ("http://10.0.0.5:9100", "应以 escpos+tcp://", "must start with escpos+tcp://"),
    ("escpos+lpt://1", "应以 escpos+tcp://", "must start with"),
    ("escpos+tcp://", "缺少打印机的主机名", "host name or IP is missing"),
    ("escpos+tcp://10.0.0.5:99999", "端口应为 1–65535", "port must be a number"),
    ("escpos+tcp://10.0.0.5:abc", "端口应为 1–65535", "port must be a number"),
    ("escpos+tcp://10.0.0.5/queue", "不应带路径", "has no path"),
    ("escpos+tcp://10.0.0.5?timeout=3", "不认识的参数“timeout”", "unknown parameter 'timeout'"),
    ("escpos+serial://", "缺少串口设备", "serial port (/dev/ttyS0, COM3) is missing"),
    ("escpos+serial:///dev/ttyS0?baudrate=9601", "波特率应为", "baudrate must be one of"),
    ("escpos+serial:///dev/ttyS0?baudrate=fast", "波特率应为", "baudrate must be one of"),
    ("escpos+serial:///dev/ttyS0?flow=magic", "流控 flow", "flow must be one of"),
    ("escpos+serial://dev/ttyS0", "串口写法应为", "write escpos+serial:///dev/ttyS0"),
    ("escpos+serial://ttyS0", "不是串口名", "is not a port like COM3"),
    ("escpos+usb://04b8", "厂商号:产品号", "VENDOR:PRODUCT"),
    ("escpos+usb://04b8:xyz", "产品号应为十六进制数", "product id must be a hex number"),
    ("escpos+usb://12345:0202", "厂商号应为十六进制数", "vendor id must be a hex number"),
])
def test_bad_urls_say_what_is_wrong(url: str, zh: str, en: str) -> None:
    with pytest.raises(PrinterUrlError) as err:
        parse_url(url)
    assert zh in err.value.zh and en in err.value.en
    assert err.value.zh.startswith(f"小票打印机地址“{url}”无效：")


def test_is_escpos_url() -> None:
    assert is_escpos_url("escpos+tcp://10.0.0.5")
    assert is_escpos_url(" ESCPOS+usb://04b8:0202")
    assert is_escpos_url("escpos+lpt://1")  # an escpos URL, wrong: parse_url says why
    assert not is_escpos_url("EPSON TM-T88V Receipt")  # a spooler printer's name
    assert not is_escpos_url("ipp://printer/ipp")
    assert not is_escpos_url("")


def settings(tmp_path: Path, body: str, url: str | None = None) -> PrinterSettings:
    path = tmp_path / "devices.ini"
    path.write_text(body, encoding="utf-8")
    return PrinterSettings.from_config(load(path), url)


def test_settings_from_devices_ini(tmp_path: Path) -> None:
    s = settings(tmp_path, "[receipt_printer]\nurl = escpos+tcp://10.0.0.5\n"
                 "fallback_url = escpos+tcp://10.0.0.6:9101\nwidth_mm = 58\nbarcode = QR\n"
                 "status = required\n")
    assert (s.url.where, s.fallback and s.fallback.where) == ("10.0.0.5:9100", "10.0.0.6:9101")
    assert (s.width_mm, s.barcode, s.status_required) == (58, "qr", True)
    d = settings(tmp_path, "[receipt_printer]\nurl = escpos+tcp://10.0.0.5\n")
    assert (d.fallback, d.width_mm, d.barcode, d.status_required) == (None, 80, "code128", False)
    o = settings(tmp_path, "[receipt_printer]\nurl = escpos+tcp://10.0.0.5\n",
                 url="escpos+serial:///dev/ttyS1")
    assert o.url.device == "/dev/ttyS1"  # the override wins


@pytest.mark.parametrize("body, zh", [
    ("", "未设置小票打印机"),
    ("[receipt_printer]\nurl = escpos+tcp://h\nwidth_mm = 76\n", "[receipt_printer] width_mm"),
    ("[receipt_printer]\nurl = escpos+tcp://h\nwidth_mm = wide\n", "应为整数"),
    ("[receipt_printer]\nurl = escpos+tcp://h\nbarcode = ean13\n", "[receipt_printer] barcode"),
    ("[receipt_printer]\nurl = escpos+tcp://h\nstatus = maybe\n", "[receipt_printer] status"),
    ("[receipt_printer]\nurl = escpos+tcp://h\nfallback_url = tcp://x\n", "应以 escpos+tcp://"),
])
def test_bad_settings(tmp_path: Path, body: str, zh: str) -> None:
    with pytest.raises(PrinterUrlError) as err:
        settings(tmp_path, body)
    assert zh in err.value.zh
