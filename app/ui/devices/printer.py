"""Which printer each paper goes to, and the printer remembered per paper kind.

A receipt or a ticket goes to the ESC/POS receipt printer when ``[receipt_printer] url`` is set
in devices.ini (`app.devices.receipt_printer`); every other paper, and receipts without one, is
printed through Qt (`app.ui.devices.a4_print`) on, in this order of precedence:

1. the printer remembered for its kind in devices.ini ``[a4_printer]`` (keys: the kinds below;
   set in Settings → Devices, or by picking a printer in the print dialog for that kind);
2. the printer of the general settings (ui.ini: the receipt printer for receipts and tickets,
   else the A4 printer);
3. the system's default printer.

Nothing here prints: `PrintRoutes` is a snapshot taken on the GUI thread (settings are read
there) that a worker can use without touching Qt settings objects.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtPrintSupport import QPrinterInfo

from app.devices import config as device_config
from app.devices.config import DeviceConfig, DeviceConfigError
from app.ui.settings.store import UiSettings

__all__ = [
    "PAPER_KINDS",
    "PAPER_TITLES",
    "RECEIPT_KINDS",
    "PrintRoutes",
    "paper_kind",
    "printer_names",
    "remember_printer",
    "routes_from",
]

logger = logging.getLogger(__name__)

PAPER_KINDS = ("slip", "receipt", "fault-ticket", "complaint-ticket", "bill-cover", "report")
# Papers an ESC/POS receipt printer can print natively.
RECEIPT_KINDS = ("receipt", "fault-ticket", "complaint-ticket")
# The clerk's names of the papers (zh, en), as their titles read.
PAPER_TITLES: dict[str, tuple[str, str]] = {
    "slip": ("业务受理单", "Acceptance slip"),
    "receipt": ("收据", "Receipt"),
    "fault-ticket": ("障碍申告受理单", "Fault ticket"),
    "complaint-ticket": ("投诉受理单", "Complaint ticket"),
    "bill-cover": ("账单封面", "Bill cover"),
    "report": ("报表", "Report"),
}
A4_SECTION = "a4_printer"


def printer_names() -> list[str]:
    return list(QPrinterInfo.availablePrinterNames())


def paper_kind(path: Path) -> str:
    """The kind of a paper file named `<order no>_<kind>[_reprint<n>][_voided].pdf`."""
    parts = path.stem.split("_")
    for part in reversed(parts[1:]):
        if part in PAPER_KINDS:
            return part
    return "report" if "report" in path.stem else "slip"


@dataclass(frozen=True)
class PrintRoutes:
    """Where papers go, read once on the GUI thread; safe to hand to a worker (plain data)."""

    config: DeviceConfig | None
    a4_printer: str = ""  # ui.ini, the general settings
    thermal_printer: str = ""
    config_problem: tuple[str, str] | None = None  # devices.ini unreadable: (zh, en)

    def escpos_url(self, kind: str) -> str:
        """The ESC/POS printer's address for a receipt kind; "" when it prints through Qt."""
        if kind not in RECEIPT_KINDS or self.config is None:
            return ""
        return self.config.get("receipt_printer", "url")

    def printer_for(self, kind: str) -> str:
        """The Qt printer name for a kind; "" means the system's default printer."""
        remembered = self.config.get(A4_SECTION, kind) if self.config is not None else ""
        if remembered:
            return remembered
        if kind in RECEIPT_KINDS and self.thermal_printer:
            return self.thermal_printer
        return self.a4_printer


def routes_from(settings: UiSettings | None, config_path: Path | None = None) -> PrintRoutes:
    """The routes as the workstation is set up now (devices.ini is read again every time, so a
    change in Settings → Devices applies to the next paper)."""
    a4 = settings.a4_printer if settings is not None else ""
    thermal = settings.thermal_printer if settings is not None else ""
    try:
        config = device_config.load(config_path)
    except DeviceConfigError as exc:
        logger.warning("devices.ini is unreadable; printing with the general settings")
        return PrintRoutes(None, a4, thermal, (exc.zh, exc.en))
    return PrintRoutes(config, a4, thermal)


def remember_printer(kind: str, name: str, config_path: Path | None = None) -> bool:
    """Remember the printer the clerk picked for a kind (devices.ini ``[a4_printer]``).

    Returns whether it was saved; a failure to save is logged, never raised (the print itself
    already happened)."""
    if kind not in PAPER_KINDS or not name:
        return False
    try:
        config = device_config.load(config_path)
        if config.get(A4_SECTION, kind) == name:
            return True
        config.set(A4_SECTION, kind, name)
        device_config.save(config)
    except (DeviceConfigError, OSError):
        logger.warning("Could not remember the printer for %s papers", kind, exc_info=True)
        return False
    return True
