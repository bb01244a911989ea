"""The printer's real-time status (DLE EOT n) and what it means for the clerk.

A printer answers DLE EOT at once, even offline or with a full buffer, with one byte whose
bits 1 and 4 are set and bits 0 and 7 clear (that is how an answer is told from noise):

    n=1 printer status  bit 3: offline
    n=2 offline cause   bit 2: cover open, bit 5: stopped at paper end, bit 6: error
    n=4 roll sensor     bits 2-3: paper near its end, bits 5-6: paper end
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PrinterStatus", "is_status_byte", "query_bytes"]

DLE_EOT = b"\x10\x04"


def query_bytes(n: int) -> bytes:
    return DLE_EOT + bytes([n])


def is_status_byte(value: int) -> bool:
    return value & 0x93 == 0x12


@dataclass(frozen=True)
class PrinterStatus:
    """What the three answers say (`answered` False: the printer did not answer at all)."""

    answered: bool
    offline: bool = False
    cover_open: bool = False
    paper_out: bool = False
    paper_low: bool = False
    error: bool = False

    @classmethod
    def from_bytes(cls, printer: int, cause: int | None, paper: int | None) -> PrinterStatus:
        cause = cause or 0x12
        paper = paper or 0x12
        return cls(
            answered=True,
            offline=bool(printer & 0x08),
            cover_open=bool(cause & 0x04),
            paper_out=bool(cause & 0x20) or paper & 0x60 == 0x60,
            paper_low=paper & 0x0C == 0x0C,
            error=bool(cause & 0x40),
        )

    def fault(self, where: str) -> tuple[str, str] | None:
        """The one line saying why nothing can print now, or None when it can."""
        if self.paper_out:
            return (f"小票打印机缺纸（{where}）：请装纸后重试。",
                    f"The receipt printer ({where}) is out of paper: load paper and try again.")
        if self.cover_open:
            return (f"小票打印机纸仓盖未合上（{where}）：请合上后重试。",
                    f"The receipt printer's cover is open ({where}): close it and try again.")
        if self.error:
            return (f"小票打印机出错（{where}），可能切刀卡纸或过热：请检查打印机后重试。",
                    f"The receipt printer ({where}) reports an error (cutter jam or "
                    "overheating?): check the printer and try again.")
        if self.offline:
            return (f"小票打印机离线（{where}）：请检查打印机后重试。",
                    f"The receipt printer ({where}) is offline: check it and try again.")
        return None

    def warning(self) -> tuple[str, str] | None:
        """Something to tell the clerk although the paper printed."""
        if self.paper_low:
            return ("小票纸将用完，请及时换纸。", "The receipt paper is running low: change the roll soon.")
        return None
