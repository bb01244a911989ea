"""What every scanner backend gives: `Scanner.scan()` -> `ScannedImage`, and faults in words.

A scan is personal data (a copy of an ID card, a letter with an address): it is never logged
and never written anywhere by this package except where the backend itself must (WIA saves to
a private temporary file that is removed at once).
"""

from __future__ import annotations

import abc
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from app.clock import Clock, local_now

__all__ = [
    "MAX_SCAN_BYTES",
    "Cancelled",
    "ScanCancelled",
    "ScannedImage",
    "Scanner",
    "ScannerError",
    "never_cancelled",
]

# The same limit as a copy attached from a file (app/ui/wizard/pages_input.py).
MAX_SCAN_BYTES = 20 * 1024 * 1024

#: Asked now and then while a scan waits; True stops it (the clerk cancelled, the app closes).
Cancelled = Callable[[], bool]


def never_cancelled() -> bool:
    return False


@dataclass(frozen=True)
class ScannedImage:
    """One scanned page (or a PDF of several), as the backend delivered it."""

    data: bytes = field(repr=False)
    mime: str  # image/png, image/jpeg, image/tiff, image/bmp, application/pdf
    name: str  # a file name for the record, e.g. scan-20261122-100312.png


class ScannerError(Exception):
    """A scanner fault or a wrong setting, said in one line in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en

    def sentence(self, lang: str = "zh") -> str:
        return self.en if lang.startswith("en") else self.zh


class ScanCancelled(ScannerError):
    def __init__(self) -> None:
        super().__init__("扫描已取消", "The scan was cancelled")


class Scanner(abc.ABC):
    """A scanner, a document camera or a watched folder: one call, one image."""

    #: The `[scanner] backend` value that selects this class.
    backend: str = ""

    def __init__(self, *, clock: Clock | None = None, zone: str | ZoneInfo | None = None) -> None:
        self.clock, self.zone = clock, zone

    @abc.abstractmethod
    def devices(self) -> list[str]:
        """The devices (or the folder) this backend can see now, for settings and the test.

        Raises `ScannerError` when the backend itself cannot run (program missing, timeout)."""

    @abc.abstractmethod
    def scan(self, cancelled: Cancelled = never_cancelled) -> ScannedImage:
        """Take one image. Blocks (run it on a worker) for at most the backend's timeout."""

    def describe(self) -> str:
        """A short name for messages: "SANE test:0", "folder D:\\scans"."""
        return self.backend

    def file_name(self, ext: str) -> str:
        """`scan-YYYYMMDD-HHMMSS.ext` in the hall's local time when a clock is given."""
        if self.clock is None:
            return f"scan.{ext}"
        return f"scan-{local_now(self.clock, self.zone):%Y%m%d-%H%M%S}.{ext}"
