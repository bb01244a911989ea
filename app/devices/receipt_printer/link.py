"""A connection to one printer: python-escpos's `Network`, `Serial` or `Usb`, with timeouts.

python-escpos opens the connection and writes (`_raw`); the reads for DLE EOT are done here,
because its `_read()` asks for 16 bytes and a serial read would then always wait out the
timeout for the 15 that never come. Every wait is bounded (`Timeouts`): a printer that is
switched off, unplugged or silent costs a few seconds, never a hang.

Failures are `LinkError`s: the clerk's line plus whether trying again could help.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import time
from dataclasses import dataclass
from typing import Any, Protocol

from escpos.exceptions import DeviceNotFoundError

from .errors import ReceiptPrinterError
from .status import PrinterStatus, is_status_byte, query_bytes
from .urls import PrinterUrl

__all__ = ["Link", "LinkError", "Timeouts", "open_link", "read_status"]

logger = logging.getLogger(__name__)
INIT = b"\x1b@"  # ESC @: initialise (clears the line being built, prints nothing)


@dataclass(frozen=True)
class Timeouts:
    """Seconds. `status` is per DLE EOT question; `drain` is how long we wait, after the job,
    for a network printer to close its side (so that closing ours cannot cut the job short)."""

    connect: float = 3.0
    status: float = 1.0
    send: float = 10.0
    drain: float = 2.0
    retry_pause: float = 1.0


class LinkError(ReceiptPrinterError):
    """The printer could not be reached or stopped answering. `retry`: a second try after a
    pause could work (nothing of the job was sent yet)."""

    def __init__(self, zh: str, en: str, *, retry: bool) -> None:
        super().__init__(zh, en)
        self.retry = retry


def _unreachable(url: PrinterUrl, zh: str, en: str, retry: bool = True) -> LinkError:
    return LinkError(f"小票打印机未连接（{url.where}）：{zh}",
                     f"The receipt printer is not connected ({url.where}): {en}", retry=retry)


class Link(Protocol):
    url: PrinterUrl

    def ask(self, n: int) -> int | None:
        """The answer byte to DLE EOT n, or None when none came within the status timeout."""

    def greet(self) -> None:
        """ESC @ before anything else: a half-sent command left by someone else's job cannot
        swallow our status questions, and the stream starts as a printer expects."""

    def send(self, data: bytes) -> None: ...

    def close(self, sent: bool) -> None: ...


class _NetworkLink:
    def __init__(self, url: PrinterUrl, t: Timeouts) -> None:
        from escpos.printer import Network

        self.url, self.t = url, t
        self.p = Network(url.host, url.port, timeout=t.connect)
        try:
            self.p.open()
        except DeviceNotFoundError as exc:
            cause = exc.__context__
            if isinstance(cause, ConnectionRefusedError):
                raise _unreachable(url, "连接被拒绝，请检查打印机电源和网线。",
                                   "connection refused; check its power and cable.") from None
            if isinstance(cause, socket.gaierror):
                raise _unreachable(url, "找不到该主机名，请检查地址。",
                                   "no such host name; check the address.", False) from None
            if isinstance(cause, TimeoutError):
                raise _unreachable(url, f"{t.connect:g} 秒内无响应，请检查打印机电源和网线。",
                                   f"no answer within {t.connect:g} s; check its power and "
                                   "cable.") from None
            raise _unreachable(url, "网络连接失败，请检查打印机电源和网线。",
                               "the connection failed; check its power and cable.") from None
        self.sock: socket.socket = self.p.device  # type: ignore[assignment]

    def _dropped(self) -> LinkError:
        return _unreachable(self.url, "打印机断开了连接。", "the printer closed the connection.")

    def greet(self) -> None:
        try:
            self.sock.settimeout(self.t.status)
            self.sock.sendall(INIT)
        except OSError:
            raise self._dropped() from None

    def ask(self, n: int) -> int | None:
        try:
            self.sock.settimeout(self.t.status)
            self.sock.sendall(query_bytes(n))
            deadline = time.monotonic() + self.t.status
            while (left := deadline - time.monotonic()) > 0:
                self.sock.settimeout(left)
                data = self.sock.recv(16)
                if not data:
                    raise self._dropped()
                answers = [b for b in data if is_status_byte(b)]
                if answers:
                    return answers[-1]
        except TimeoutError:
            return None
        except OSError:
            raise self._dropped() from None
        return None

    def send(self, data: bytes) -> None:
        try:
            self.sock.settimeout(self.t.send)
            self.sock.sendall(data)
        except OSError:
            raise LinkError(
                f"小票打印机（{self.url.where}）在打印中断开，小票可能不完整：请检查后补打。",
                f"The receipt printer ({self.url.where}) dropped the connection while "
                "printing; the paper may be incomplete: check it and reprint.",
                retry=False) from None

    def close(self, sent: bool) -> None:
        if sent:  # our end first, then wait for the printer to have read it all
            with contextlib.suppress(OSError):
                self.sock.shutdown(socket.SHUT_WR)
                deadline = time.monotonic() + self.t.drain
                while (left := deadline - time.monotonic()) > 0:
                    self.sock.settimeout(left)
                    if not self.sock.recv(64):
                        break
        self.p.close()


class _SerialLink:
    def __init__(self, url: PrinterUrl, t: Timeouts) -> None:
        from escpos.printer import Serial

        self.url, self.t = url, t
        flow = url.options["flow"]
        self.p = Serial(url.device, baudrate=int(url.options["baudrate"]), timeout=t.status,
                        dsrdtr=flow == "dsrdtr", xonxoff=flow == "xonxoff")
        try:
            self.p.open()
        except DeviceNotFoundError:
            raise _unreachable(url, "串口无法打开，请检查串口线和端口名。",
                               "the serial port cannot be opened; check the cable and the "
                               "port name.") from None
        self.port: Any = self.p.device
        self.port.rtscts = flow == "rtscts"
        self.port.write_timeout = t.send

    def greet(self) -> None:
        import serial

        try:
            self.port.write(INIT)
        except (serial.SerialException, OSError):
            raise _unreachable(self.url, "串口断开。", "the serial port went away.") from None

    def ask(self, n: int) -> int | None:
        import serial

        try:
            self.port.reset_input_buffer()
            self.port.write(query_bytes(n))
            deadline = time.monotonic() + self.t.status
            while (left := deadline - time.monotonic()) > 0:
                self.port.timeout = left
                data = self.port.read(1)
                if data and is_status_byte(data[0]):
                    return data[0]
        except serial.SerialTimeoutException:
            return None  # held by flow control: no answer
        except (serial.SerialException, OSError):
            raise _unreachable(self.url, "串口断开。", "the serial port went away.") from None
        return None

    def send(self, data: bytes) -> None:
        import serial

        try:
            self.port.write(data)  # bounded by write_timeout; no flush(): tcdrain has none
        except (serial.SerialException, OSError):
            raise LinkError(
                f"小票打印机（{self.url.where}）在打印中断开，小票可能不完整：请检查后补打。",
                f"The receipt printer ({self.url.where}) stopped taking data while printing; "
                "the paper may be incomplete: check it and reprint.", retry=False) from None

    def close(self, sent: bool) -> None:
        # Not python-escpos's close(): it calls flush() (tcdrain), which a printer holding
        # the flow control could block forever; the kernel sends what is queued.
        with contextlib.suppress(Exception):
            self.port.close()
        self.p._device = False


class _UsbLink:
    def __init__(self, url: PrinterUrl, t: Timeouts) -> None:
        from escpos.printer import Usb

        self.url, self.t = url, t
        if not Usb.is_usable():
            raise LinkError(
                "USB 小票打印机需要 pyusb 和 libusb：请安装（pip install pyusb；Linux 装 "
                "libusb-1.0，Windows 装 WinUSB 驱动）或改用网络/串口连接。",
                "A USB receipt printer needs pyusb and libusb: install them (pip install "
                "pyusb; libusb-1.0 on Linux, the WinUSB driver on Windows) or connect it by "
                "network or serial port.", retry=False)
        o = url.options
        self.p = Usb(int(o["vendor"]), int(o["product"]), timeout=int(t.send * 1000),
                     in_ep=int(o["in_ep"]), out_ep=int(o["out_ep"]))
        try:
            self.p.open()
        except DeviceNotFoundError:
            raise _unreachable(url, "找不到该 USB 设备或没有权限，请检查 USB 线。",
                               "the USB device is not found or not accessible; check the "
                               "cable.") from None
        except Exception as exc:  # pyusb's NoBackendError: libusb itself is missing
            logger.warning("USB printer %s: %s", url.where, type(exc).__name__)
            raise LinkError("USB 小票打印机需要 libusb：请安装后重试。",
                            "A USB receipt printer needs libusb: install it and try again.",
                            retry=False) from None
        self.dev: Any = self.p.device

    def greet(self) -> None:
        try:
            self.p._raw(INIT)
        except Exception:
            raise _unreachable(self.url, "USB 连接中断。", "the USB connection broke.") from None

    def ask(self, n: int) -> int | None:
        try:
            self.p._raw(query_bytes(n))
            data = bytes(self.dev.read(int(self.url.options["in_ep"]), 16,
                                       int(self.t.status * 1000)))
        except Exception as exc:  # usb.core.USBTimeoutError and friends
            if "timeout" in type(exc).__name__.lower():
                return None
            raise _unreachable(self.url, "USB 连接中断。", "the USB connection broke.") from None
        answers = [b for b in data if is_status_byte(b)]
        return answers[-1] if answers else None

    def send(self, data: bytes) -> None:
        try:
            self.p._raw(data)
        except Exception:
            raise LinkError(
                f"小票打印机（{self.url.where}）在打印中断开，小票可能不完整：请检查后补打。",
                f"The receipt printer ({self.url.where}) stopped taking data while printing; "
                "the paper may be incomplete: check it and reprint.", retry=False) from None

    def close(self, sent: bool) -> None:
        with contextlib.suppress(Exception):
            self.p.close()


def open_link(url: PrinterUrl, t: Timeouts) -> Link:
    """Connect to the printer (`LinkError` when it cannot be reached)."""
    if url.kind == "tcp":
        return _NetworkLink(url, t)
    if url.kind == "serial":
        return _SerialLink(url, t)
    return _UsbLink(url, t)


def read_status(link: Link) -> PrinterStatus:
    """Ask DLE EOT 1, then (when it answered) 2 and 4."""
    printer = link.ask(1)
    if printer is None:
        return PrinterStatus(answered=False)
    return PrinterStatus.from_bytes(printer, link.ask(2), link.ask(4))
