"""The answer of a device test: one sentence, in the clerk's language, of what works."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["DEVICE_KINDS", "DeviceCheck", "DeviceKind"]

DeviceKind = Literal["idcard", "receipt_printer", "a4_printer", "scanner", "queue"]
DEVICE_KINDS: tuple[DeviceKind, ...] = (
    "idcard", "receipt_printer", "a4_printer", "scanner", "queue")


@dataclass(frozen=True)
class DeviceCheck:
    """`ok` False means the device cannot be used as set up; `zh` / `en` say why and what to do.

    `configured` False means the workstation has no such device set (not a fault: the counter
    falls back to manual entry, PDF files or the spooler).
    """

    device: DeviceKind
    ok: bool
    zh: str
    en: str
    configured: bool = True

    def sentence(self, lang: str = "zh") -> str:
        return self.en if lang.startswith("en") else self.zh
