"""Test every device of the workstation at once: one `DeviceCheck` per kind.

The checks run side by side on short-lived threads (each has its own timeout of a few seconds,
so the whole test takes as long as the slowest device, not the sum). Called from a worker in
the window and directly by `counter devices test`; it never raises for a device fault.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

from app.devices.check import DEVICE_KINDS, DeviceCheck, DeviceKind
from app.devices.config import DeviceConfig

__all__ = ["DEVICE_TITLES", "check_device", "check_devices", "ensure_qt_application"]

logger = logging.getLogger(__name__)

# The clerk's names of the devices (zh, en).
DEVICE_TITLES: dict[DeviceKind, tuple[str, str]] = {
    "idcard": ("身份证阅读器", "ID card reader"),
    "receipt_printer": ("小票打印机", "Receipt printer"),
    "a4_printer": ("A4 打印机", "A4 printer"),
    "scanner": ("扫描仪", "Scanner"),
    "queue": ("叫号", "Queue caller"),
}


def _checker(kind: DeviceKind) -> Callable[[DeviceConfig], DeviceCheck]:
    # Imported here: each driver pulls in its own libraries (pyserial, escpos, Qt printing).
    if kind == "idcard":
        from app.devices.idcard.probe import check as idcard_check

        return idcard_check
    if kind == "receipt_printer":
        from app.devices.receipt_printer.probe import check as printer_check

        return printer_check
    if kind == "a4_printer":
        from app.ui.devices.a4_probe import check as a4_check

        return a4_check
    if kind == "scanner":
        from app.devices.scanner.probe import check as scanner_check

        return scanner_check
    from app.devices.queue.probe import check as queue_check

    return queue_check


def check_device(kind: DeviceKind, config: DeviceConfig) -> DeviceCheck:
    """One device's answer; a bug in a driver becomes a plain "could not be tested" sentence."""
    try:
        return _checker(kind)(config)
    except Exception as exc:  # the test button must answer whatever the driver did
        logger.exception("Testing the %s failed", kind)
        zh, en = DEVICE_TITLES[kind]
        detail = getattr(exc, "zh", None), getattr(exc, "en", None)
        return DeviceCheck(kind, False, f"{zh}无法测试：{detail[0] or type(exc).__name__}。",
                           f"The {en.lower()} could not be tested: "
                           f"{detail[1] or type(exc).__name__}.")


def check_devices(config: DeviceConfig,
                  kinds: Iterable[DeviceKind] = DEVICE_KINDS) -> list[DeviceCheck]:
    """Every asked device's answer, in the order asked."""
    wanted = list(kinds)
    with ThreadPoolExecutor(max_workers=max(1, len(wanted)),
                            thread_name_prefix="device-check") as pool:
        futures = [pool.submit(check_device, kind, config) for kind in wanted]
        return [f.result() for f in futures]


_app: object = None  # the command line's application object, kept for the process


def ensure_qt_application() -> None:
    """A Qt application for the command line (Qt finds printers only inside one)."""
    import os

    from PySide6.QtWidgets import QApplication

    global _app
    if QApplication.instance() is None:
        headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
        if headless and os.name != "nt":
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        # A widgets application, so that a window opened later in the process still works.
        _app = QApplication(["counter"])
