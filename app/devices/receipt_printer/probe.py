"""The receipt printer's test: connect, read its status, print nothing."""

from __future__ import annotations

from app.devices.check import DeviceCheck, DeviceKind
from app.devices.config import DeviceConfig

from .errors import PrinterUrlError, ReceiptPrinterError
from .job import PrinterSettings
from .link import Timeouts, open_link, read_status

__all__ = ["check"]

_DEVICE: DeviceKind = "receipt_printer"


def check(config: DeviceConfig, timeouts: Timeouts | None = None) -> DeviceCheck:
    """One sentence: whether the printer answers and can print now (never raises for a fault)."""
    if not config.get("receipt_printer", "url"):
        return DeviceCheck(_DEVICE, True, "未设置小票打印机：小票以 PDF 打印。",
                           "No receipt printer set: receipts are printed as PDF.",
                           configured=False)
    try:
        settings = PrinterSettings.from_config(config)
    except PrinterUrlError as exc:
        return DeviceCheck(_DEVICE, False, exc.zh, exc.en)
    url = settings.url
    try:
        link = open_link(url, timeouts or Timeouts())
    except ReceiptPrinterError as exc:
        return DeviceCheck(_DEVICE, False, exc.zh, exc.en)
    try:
        status = read_status(link)
    except ReceiptPrinterError as exc:
        return DeviceCheck(_DEVICE, False, exc.zh, exc.en)
    finally:
        link.close(False)
    size = f"{settings.width_mm} mm"
    if not status.answered:
        ok = not settings.status_required
        return DeviceCheck(
            _DEVICE, ok,
            f"小票打印机（{url.where}）已连接，但未回应状态查询"
            + ("：无法确认是否缺纸，打印时将直接发送。" if ok else "，而设置要求状态查询。"),
            f"The receipt printer ({url.where}) is connected but does not report its status"
            + (": paper out cannot be detected; jobs are sent anyway." if ok
               else ", which the settings require."))
    fault = status.fault(url.where)
    if fault:
        return DeviceCheck(_DEVICE, False, *fault)
    warning = status.warning()
    zh = f"小票打印机（{url.where}，{size}）已连接，状态正常。"
    en = f"The receipt printer ({url.where}, {size}) is connected and ready."
    if warning:
        zh, en = zh + warning[0], f"{en} {warning[1]}"
    return DeviceCheck(_DEVICE, True, zh, en)
