"""The A4 printer's test: which printers Qt sees, and whether the remembered ones are there.

It prints nothing (a test page per click would waste paper); it never blocks for long: asking
Qt for the printers is a local call to the system's print service.
"""

from __future__ import annotations

from PySide6.QtPrintSupport import QPrinterInfo

from app.devices.check import DeviceCheck
from app.devices.config import DeviceConfig
from app.ui.devices.printer import A4_SECTION, PAPER_KINDS, PAPER_TITLES

__all__ = ["check"]


def check(config: DeviceConfig) -> DeviceCheck:
    names = list(QPrinterInfo.availablePrinterNames())
    default = QPrinterInfo.defaultPrinter()
    default_name = "" if default.isNull() else default.printerName()
    remembered = {kind: config.get(A4_SECTION, kind) for kind in PAPER_KINDS}
    remembered = {k: v for k, v in remembered.items() if v}
    missing = {k: v for k, v in remembered.items() if v not in names}
    if not names:
        if remembered:
            wanted = sorted(set(remembered.values()))
            return DeviceCheck(
                "a4_printer", False,
                f"本机没有可用的打印机，设置中的“{'、'.join(wanted)}”不存在：请安装打印机或检查连接。",
                f"No printer is available on this computer; “{', '.join(wanted)}” from the "
                "settings does not exist: install the printer or check its cable.")
        return DeviceCheck("a4_printer", False,
                           "本机没有安装打印机：单据只保存为 PDF 文件（可“另存为 PDF”）。",
                           "No printer is installed: papers are only saved as PDF files.",
                           configured=bool(remembered))
    seen_zh = "、".join(names)
    seen_en = ", ".join(names)
    default_zh = f"（默认：{default_name}）" if default_name else "（没有默认打印机）"
    default_en = f" (default: {default_name})" if default_name else " (no default printer)"
    if missing:
        kinds_zh = "、".join(f"{PAPER_TITLES[k][0]}“{v}”" for k, v in missing.items())
        kinds_en = ", ".join(f"{PAPER_TITLES[k][1].lower()} “{v}”" for k, v in missing.items())
        return DeviceCheck(
            "a4_printer", False,
            f"找不到为{kinds_zh}设置的打印机；本机可用：{seen_zh}{default_zh}。",
            f"The printer set for the {kinds_en} was not found; available here: "
            f"{seen_en}{default_en}.")
    if not remembered and not default_name and len(names) > 1:
        return DeviceCheck(
            "a4_printer", False,
            f"本机有打印机 {seen_zh}，但没有默认打印机：请在“设置 → 设备”中为各类单据选择打印机。",
            f"Printers {seen_en} are here but none is the default: choose one per paper in "
            "Settings → Devices.")
    return DeviceCheck("a4_printer", True, f"打印机可用：{seen_zh}{default_zh}。",
                       f"Printers available: {seen_en}{default_en}.")
