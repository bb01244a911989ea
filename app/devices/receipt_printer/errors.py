"""What a print to the receipt printer ends with: a `PrintResult` or a `ReceiptPrinterError`."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PrintResult", "PrinterUrlError", "ReceiptPrinterError"]


class ReceiptPrinterError(Exception):
    """The paper was not printed; `zh` / `en` is the one line the clerk reads."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


class PrinterUrlError(ReceiptPrinterError):
    """The printer's URL or settings are wrong (bad input, not a printer fault)."""


@dataclass(frozen=True)
class PrintResult:
    """Where the paper went. `attempts` counts every try, the failed ones included;
    `zh` / `en` say where it printed and anything the clerk should know (paper low, moved to
    the fallback printer, status unknown)."""

    printer_url: str
    attempts: int
    moved_to_fallback: bool
    zh: str
    en: str
