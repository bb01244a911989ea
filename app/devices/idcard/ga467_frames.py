"""The frames of the SAM serial protocol (GA 467) that second-generation ID card readers speak.

    command:  AA AA AA 96 69 | LEN_H LEN_L | CMD PARA | data | CHK
    reply:    AA AA AA 96 69 | LEN_H LEN_L | SW1 SW2 SW3 | data | CHK

The big-endian length counts everything after itself (command or status, data, checksum);
the checksum is the XOR of the length bytes, the command or status and the data. The status
is SW3 with SW1 = SW2 = 00 (00 00 90 success, 00 00 9F card found, 00 00 80 no card ...).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce

__all__ = [
    "FIND_CARD",
    "PREAMBLE",
    "READ_BASE",
    "SELECT_CARD",
    "STATUS_CARD_FOUND",
    "STATUS_NO_CARD",
    "STATUS_NO_CONTENT",
    "STATUS_OK",
    "STATUS_SELECT_FAILED",
    "ChecksumError",
    "FrameError",
    "Reply",
    "checksum",
    "command_frame",
    "read_reply",
    "status_message",
]

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
FIND_CARD = b"\x20\x01"  # 寻找居民身份证
SELECT_CARD = b"\x20\x02"  # 选取居民身份证
READ_BASE = b"\x30\x01"  # 读机读文字信息和相片信息

STATUS_OK = 0x90
STATUS_NO_CONTENT = 0x91  # success, but the card holds nothing for this item
STATUS_CARD_FOUND = 0x9F
STATUS_NO_CARD = 0x80
STATUS_SELECT_FAILED = 0x81
# The module did not understand what we sent (noise on the line): worth sending again.
RETRYABLE = frozenset({0x10, 0x11})

MAX_LENGTH = 0x0F00  # the largest reply (text + photo + fingerprints) is well under this

# The documented failures, as one sentence for the clerk (zh, en).
_READ_AGAIN = ("读卡失败，请将证件放平在阅读器上再试。",
               "The card could not be read. Lay it flat on the reader and try again.")
_NOT_GENUINE = ("证件认证失败：证件可能已损坏或不是有效的居民身份证，请核验原件。",
                "The card failed authentication: it may be damaged or not a valid resident ID "
                "card. Check the original.")
_STATUS: dict[int, tuple[str, str]] = {
    0x10: ("读卡器收到的数据校验错误，请检查连线。",
           "The reader received garbled data. Check its cable."),
    0x11: ("读卡器收到的数据长度错误，请检查连线。",
           "The reader received data of the wrong length. Check its cable."),
    0x21: ("读卡器不支持此命令：请确认是公安部标准的二代证阅读器。",
           "The reader does not understand the command: check that it is a standard "
           "second-generation ID card reader."),
    0x23: ("读卡器拒绝了此操作（越权操作）。", "The reader refused the operation."),
    0x24: ("读卡器报告了无法识别的错误，请重新放卡。",
           "The reader reported an unknown error. Put the card on again."),
    0x31: _NOT_GENUINE,
    0x32: _NOT_GENUINE,
    0x33: _NOT_GENUINE,
    0x37: ("指纹信息验证错误。", "The fingerprint data did not verify."),
    0x3F: _READ_AGAIN,
    0x40: ("无法识别的证件类型：请放居民身份证。",
           "Unknown card type: put a resident ID card on the reader."),
    0x41: _READ_AGAIN,
    0x47: _READ_AGAIN,
    0x60: ("读卡器安全模块自检失败，请联系维修。",
           "The reader's security module failed its self-test. Call for repair."),
    0x66: ("读卡器安全模块未经授权，无法使用。",
           "The reader's security module is not authorised and cannot be used."),
    0x81: ("选卡失败，请将证件放平在阅读器上再试。",
           "The card could not be selected. Lay it flat on the reader and try again."),
}


class FrameError(Exception):
    """A reply that is not a well-formed frame."""


class ChecksumError(FrameError):
    """A reply whose checksum does not match: noise on the line."""


@dataclass(frozen=True)
class Reply:
    sw1: int
    sw2: int
    sw3: int
    data: bytes

    @property
    def status(self) -> int:
        """SW3, or -1 when SW1 SW2 are not 00 00 (not a status this protocol defines)."""
        return self.sw3 if self.sw1 == 0 and self.sw2 == 0 else -1


def checksum(body: bytes) -> int:
    return reduce(lambda a, b: a ^ b, body, 0)


def command_frame(command: bytes, data: bytes = b"") -> bytes:
    body = (len(command) + len(data) + 1).to_bytes(2, "big") + command + data
    return PREAMBLE + body + bytes([checksum(body)])


def read_reply(read_exact: Callable[[int], bytes]) -> Reply:
    """Read one reply frame with `read_exact(n)` (which returns n bytes or raises).

    Bytes before the preamble (line noise, the tail of an earlier reply) are skipped.
    """
    window = b""
    skipped = 0
    while window != PREAMBLE:
        window = (window + read_exact(1))[-len(PREAMBLE):]
        skipped += 1
        if skipped > 4096:
            raise FrameError("no frame start in 4096 bytes")
    head = read_exact(2)
    length = int.from_bytes(head, "big")
    if not 4 <= length <= MAX_LENGTH:
        raise FrameError(f"implausible frame length {length}")
    rest = read_exact(length)
    if checksum(head + rest[:-1]) != rest[-1]:
        raise ChecksumError("reply checksum does not match")
    return Reply(rest[0], rest[1], rest[2], rest[3:-1])


def status_message(status: int) -> tuple[str, str]:
    """The clerk's sentence (zh, en) for a failure status."""
    if status in _STATUS:
        return _STATUS[status]
    code = f"{status:02X}" if status >= 0 else "??"
    return (f"读卡器返回了未知的状态（{code}），请重新放卡。",
            f"The reader answered with an unknown status ({code}). Put the card on again.")
