"""A GA 467 (SAM module) ID card reader on a pseudo-terminal, for the serial driver's tests.

The driver opens `port`, a symlink to the pty's slave (as udev's /dev/serial/by-id links
are), and talks real frames with the thread here. The card's text block is encoded here on
its own (not with the app's decoder), from the field widths of the protocol.

Faults: `corrupt_next(n)` spoils the checksum of the next n replies, `fail_next(status)`
answers the next read command with a failure status, `silent` stops answering (the driver
times out), `pull_cable()` closes the master and removes the link (the port vanishes), and
`replug()` brings a new pty behind the same link.
"""

from __future__ import annotations

import os
import select
import threading
import tty
from collections import deque
from dataclasses import dataclass
from functools import reduce
from pathlib import Path

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
WLT_PHOTO = bytes(range(256)) * 4  # 1024 bytes standing in for the encrypted photo


@dataclass(frozen=True)
class SimCard:
    """A card as the chip stores it: codes and YYYYMMDD texts."""

    name: str = "张三"
    sex_code: str = "1"
    ethnicity_code: str = "01"
    birth: str = "19800115"
    address: str = "北京市东城区景山前街4号"
    id_number: str = "11010119800115003X"
    authority: str = "北京市公安局东城分局"
    valid_from: str = "20150301"
    valid_until: str = "20350301"  # or "长期"

    def text_block(self) -> bytes:
        def field(text: str, width: int) -> bytes:
            raw = text.encode("utf-16-le")
            assert len(raw) <= width, (text, width)
            return raw + " ".encode("utf-16-le") * ((width - len(raw)) // 2)

        block = b"".join((
            field(self.name, 30), field(self.sex_code, 2), field(self.ethnicity_code, 4),
            field(self.birth, 16), field(self.address, 70), field(self.id_number, 36),
            field(self.authority, 30), field(self.valid_from, 16), field(self.valid_until, 16),
            field("", 36)))
        assert len(block) == 256
        return block


def _xor(data: bytes) -> int:
    return reduce(lambda a, b: a ^ b, data, 0)


def reply_frame(status: int, data: bytes = b"", *, corrupt: bool = False) -> bytes:
    body = (len(data) + 4).to_bytes(2, "big") + bytes([0, 0, status]) + data
    check = _xor(body) ^ (0xFF if corrupt else 0)
    return PREAMBLE + body + bytes([check])


class Ga467Simulator:
    def __init__(self, link: Path) -> None:
        self.link = link
        self.cards: deque[SimCard] = deque()
        self.on_reader: SimCard | None = None
        self.silent = False
        self.commands: list[bytes] = []  # every well-formed command received, in order
        self._corrupt = 0
        self._corrupt_only: bytes | None = None
        self._fail: int | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._master = self._slave = -1
        self._thread: threading.Thread | None = None
        self._plug()

    @property
    def port(self) -> str:
        return str(self.link)

    # -- the test's handles ----------------------------------------------------------------

    def feed(self, card: SimCard) -> None:
        with self._lock:
            self.cards.append(card)

    def corrupt_next(self, n: int = 1, command: bytes | None = None) -> None:
        """Spoil the checksum of the next `n` replies (only to `command`, when given)."""
        with self._lock:
            self._corrupt, self._corrupt_only = n, command

    def fail_next(self, status: int) -> None:
        with self._lock:
            self._fail = status

    def pull_cable(self) -> None:
        self._unplug()

    def replug(self) -> None:
        self._unplug()
        self._plug()

    def stop(self) -> None:
        self._unplug()

    # -- the pty ---------------------------------------------------------------------------

    def _plug(self) -> None:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no echo, no line editing: bytes pass as they are
        self.link.unlink(missing_ok=True)
        self.link.symlink_to(os.ttyname(self._slave))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(self._master, self._stop),
                                        name="ga467-sim", daemon=True)
        self._thread.start()

    def _unplug(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
            assert not self._thread.is_alive()
            self._thread = None
        for fd in (self._master, self._slave):
            if fd >= 0:
                os.close(fd)
        self._master = self._slave = -1
        self.link.unlink(missing_ok=True)

    def _serve(self, master: int, stop: threading.Event) -> None:
        buf = b""
        while not stop.is_set():
            ready, _, _ = select.select([master], [], [], 0.02)
            if not ready:
                continue
            try:
                buf += os.read(master, 4096)
            except OSError:
                continue
            while True:
                start = buf.find(PREAMBLE)
                if start < 0 or len(buf) < start + 7:
                    break
                length = int.from_bytes(buf[start + 5:start + 7], "big")
                end = start + 7 + length
                if len(buf) < end:
                    break
                body, buf = buf[start + 5:end], buf[end:]
                answer = self._answer(body)
                if answer:
                    os.write(master, answer)

    def _answer(self, body: bytes) -> bytes:
        if _xor(body[:-1]) != body[-1]:
            return reply_frame(0x10)
        command = body[2:4]
        with self._lock:
            self.commands.append(command)
            if self.silent:
                return b""
            corrupt = self._corrupt > 0 and self._corrupt_only in (None, command)
            self._corrupt -= corrupt
            return self._reply(command, corrupt)

    def _reply(self, command: bytes, corrupt: bool) -> bytes:
        if command == b"\x20\x01":  # find: a card is found once, until it has been read
            if self.on_reader is None and self.cards:
                self.on_reader = self.cards.popleft()
            if self.on_reader is None:
                return reply_frame(0x80, corrupt=corrupt)
            return reply_frame(0x9F, bytes(4), corrupt=corrupt)
        if command == b"\x20\x02":
            if self.on_reader is None:
                return reply_frame(0x81, corrupt=corrupt)
            return reply_frame(0x90, bytes(8), corrupt=corrupt)
        if command == b"\x30\x01":
            if self._fail is not None:
                status, self._fail = self._fail, None
                return reply_frame(status, corrupt=corrupt)
            card = self.on_reader
            if not corrupt:  # read once per placing, as the modules do
                self.on_reader = None
            if card is None:
                return reply_frame(0x41, corrupt=corrupt)
            data = (256).to_bytes(2, "big") + len(WLT_PHOTO).to_bytes(2, "big")
            return reply_frame(0x90, data + card.text_block() + WLT_PHOTO, corrupt=corrupt)
        return reply_frame(0x21, corrupt=corrupt)
