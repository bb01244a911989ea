"""A pretend ESC/POS receipt printer for the tests: on TCP (127.0.0.1, port 0) or a pty.

It does what a printer does with the bytes: answers the real-time status queries
(DLE EOT n) with the status bytes it is given, at once, wherever they appear in the stream,
and keeps everything else. `decode` reads a kept stream the way a printer in Chinese mode
would (ESC/POS commands, GB18030 text) and refuses any command it does not know, so a test
can check what would come out on paper.

    with TcpPrinter(status=PAPER_OUT) as printer:
        url = printer.url            # escpos+tcp://127.0.0.1:PORT
        ...
        printer.wait_closed(1)       # the connections made so far have ended
        printer.received             # bytes of each connection

Modes: "normal"; "silent" (never answers DLE EOT); "drop" (accepts, then closes at once).
`closed_port()` is a port nothing listens on (connection refused).
"""

from __future__ import annotations

import os
import select
import socket
import threading
import tty
from dataclasses import dataclass, field

__all__ = ["COVER_OPEN", "OFFLINE", "ONLINE", "PAPER_LOW", "PAPER_OUT", "Printout",
           "PtyPrinter", "TcpPrinter", "closed_port", "decode", "job_bytes"]

# DLE EOT answers: {n: byte}. Bits 1 and 4 are always set in an answer.
ONLINE = {1: 0x12, 2: 0x12, 4: 0x12}
OFFLINE = {1: 0x1A, 2: 0x12, 4: 0x12}
PAPER_OUT = {1: 0x1A, 2: 0x32, 4: 0x72}  # offline, stopped at paper end, roll end sensor
PAPER_LOW = {1: 0x12, 2: 0x12, 4: 0x1E}  # near-end sensor, still online
COVER_OPEN = {1: 0x1A, 2: 0x16, 4: 0x12}


class _Answerer:
    """Finds DLE EOT n in the incoming stream (also split across reads) and answers it."""

    def __init__(self, status: dict[int, int], silent: bool) -> None:
        self.status, self.silent = status, silent
        self.tail = b""
        self.queries: list[int] = []

    def feed(self, data: bytes) -> bytes:
        buf = self.tail + data
        out = bytearray()
        i = 0
        while i < len(buf):
            if buf[i] == 0x10 and i + 1 < len(buf) and buf[i + 1] == 0x04:
                if i + 2 >= len(buf):
                    break
                n = buf[i + 2]
                self.queries.append(n)
                if not self.silent and n in self.status:
                    out.append(self.status[n])
                i += 3
            elif buf[i] == 0x10 and i + 1 == len(buf):
                break
            else:
                i += 1
        self.tail = buf[i:]
        return bytes(out)


class TcpPrinter:
    def __init__(self, status: dict[int, int] | None = None, mode: str = "normal") -> None:
        self.status = dict(status or ONLINE)
        self.mode = mode
        self.received: list[bytes] = []
        self.queries: list[list[int]] = []
        self._closed = threading.Condition()
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.05)
        self.port = self._server.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="escpos-sim", daemon=True)

    @property
    def url(self) -> str:
        return f"escpos+tcp://127.0.0.1:{self.port}"

    def __enter__(self) -> TcpPrinter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self._server.close()
        assert not self._thread.is_alive(), "the printer simulator did not stop"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                data = b"" if self.mode == "drop" else self._talk(conn)
            with self._closed:
                self.received.append(data)
                self._closed.notify_all()

    def _talk(self, conn: socket.socket) -> bytes:
        answerer = _Answerer(self.status, self.mode == "silent")
        got = bytearray()
        conn.settimeout(0.05)
        while not self._stop.is_set():
            try:
                data = conn.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                break
            if not data:
                break
            got += data
            reply = answerer.feed(data)
            if reply:
                conn.sendall(reply)
        self.queries.append(answerer.queries)
        return bytes(got)

    def wait_closed(self, count: int, timeout: float = 5.0) -> list[bytes]:
        """The bytes of the first `count` connections, once they have ended."""
        with self._closed:
            assert self._closed.wait_for(lambda: len(self.received) >= count, timeout), (
                f"{len(self.received)} of {count} connections ended")
            return self.received[:count]


def closed_port() -> int:
    """A local port that refuses connections (bound, then closed, never listened on)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PtyPrinter:
    """The same printer on a pseudo-terminal: `path` is the serial port to open."""

    def __init__(self, status: dict[int, int] | None = None, silent: bool = False) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)  # no echo, no line discipline: bytes as on a wire
        self.path = os.ttyname(self.slave)
        self.answerer = _Answerer(dict(status or ONLINE), silent)
        self.got = bytearray()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="escpos-pty-sim", daemon=True)

    @property
    def url(self) -> str:
        return f"escpos+serial://{self.path}?baudrate=115200"

    def __enter__(self) -> PtyPrinter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        os.close(self.master)
        os.close(self.slave)
        assert not self._thread.is_alive(), "the pty simulator did not stop"

    def _serve(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(self.master, 4096)
            except OSError:  # nobody has the port open at the moment
                continue
            self.got += data
            reply = self.answerer.feed(data)
            if reply:
                os.write(self.master, reply)

    def wait_for(self, tail: bytes, timeout: float = 5.0) -> bytes:
        """Everything received, once it ends with `tail` (the job's last bytes)."""
        done = threading.Event()
        for _ in range(int(timeout / 0.02)):
            if bytes(self.got).endswith(tail):
                done.set()
                break
            done.wait(0.02)
        assert done.is_set(), f"the job did not arrive whole: {bytes(self.got)[-20:]!r}"
        return bytes(self.got)


# --------------------------------------------------------------------- reading a stream


@dataclass
class PrintedLine:
    text: str
    bold: bool
    center: bool
    tall: bool


@dataclass
class Printout:
    """What a stream does on paper."""

    lines: list[PrintedLine] = field(default_factory=list)
    barcodes: list[tuple[int, bytes]] = field(default_factory=list)  # (GS k m, data)
    qr_codes: list[bytes] = field(default_factory=list)
    status_queries: list[int] = field(default_factory=list)
    commands: list[bytes] = field(default_factory=list)
    cuts: int = 0
    starts_with_init: bool = False
    ends_with_cut: bool = False

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


_ONE_ARG = {b"\x1bE", b"\x1ba", b"\x1b!", b"\x1bd", b"\x1bM", b"\x1d!", b"\x1dh", b"\x1dw",
            b"\x1df", b"\x1dH"}


def job_bytes(data: bytes) -> bytes:
    """`data` without the status queries: what was sent to be printed."""
    return bytes(data).replace(b"\x10\x04\x01", b"").replace(b"\x10\x04\x02", b"").replace(
        b"\x10\x04\x04", b"")


def decode(data: bytes) -> Printout:
    """Read an ESC/POS stream as a printer in Chinese mode would; unknown commands raise."""
    out = Printout(starts_with_init=data.startswith(b"\x1b@"))
    bold = center = tall = chinese = False
    text = bytearray()
    i = 0

    def flush_line() -> None:
        raw = bytes(text)
        if not chinese and any(b >= 0x80 for b in raw):
            raise ValueError(f"bytes >= 0x80 outside Chinese mode: {raw!r}")
        out.lines.append(PrintedLine(raw.decode("gb18030"), bold, center, tall))
        text.clear()

    while i < len(data):
        b = data[i]
        two = data[i:i + 2]
        if b == 0x0A:
            flush_line()
            i += 1
        elif b >= 0x20:
            text.append(b)
            i += 1
        elif two == b"\x1b@":
            bold = center = tall = chinese = False
            out.commands.append(two)
            i += 2
        elif two in (b"\x1c&", b"\x1c."):
            chinese = two == b"\x1c&"
            out.commands.append(two)
            i += 2
        elif two == b"\x10\x04":
            out.status_queries.append(data[i + 2])
            i += 3
        elif two in _ONE_ARG:
            n = data[i + 2]
            bold = bool(n & 1) if two == b"\x1bE" else bold
            center = n in (1, 49) if two == b"\x1ba" else center
            tall = bool(n & 0x0F) if two == b"\x1d!" else tall
            out.commands.append(data[i:i + 3])
            i += 3
        elif two == b"\x1dV":
            m = data[i + 2]
            size = 4 if m in (65, 66) else 3
            out.cuts += 1
            out.commands.append(data[i:i + size])
            out.ends_with_cut = i + size == len(data)
            i += size
        elif two == b"\x1dk":
            m = data[i + 2]
            if m >= 65:
                n = data[i + 3]
                out.barcodes.append((m, data[i + 4:i + 4 + n]))
                i += 4 + n
            else:
                end = data.index(b"\x00", i + 3)
                out.barcodes.append((m, data[i + 3:end]))
                i = end + 1
        elif data[i:i + 3] == b"\x1d(k":
            size = data[i + 3] + 256 * data[i + 4]
            body = data[i + 5:i + 5 + size]
            if body[:2] == b"1P":  # store the QR data: cn=49 fn=80 m=48
                out.qr_codes.append(body[3:])
            out.commands.append(data[i:i + 5 + size])
            i += 5 + size
        else:
            raise ValueError(f"unknown command at {i}: {data[i:i + 4]!r}")
    if text:
        flush_line()
    return out

