"""The ID card reader's device test: open it, look for a card once, close it; one sentence."""

from __future__ import annotations

import logging
import threading

from app.devices.check import DeviceCheck, DeviceKind
from app.devices.config import DeviceConfig, DeviceConfigError
from app.devices.idcard.card import IdCardReader, IdCardReaderError
from app.devices.idcard.registry import make_reader

__all__ = ["PROBE_SECONDS", "check"]

logger = logging.getLogger(__name__)

_DEVICE: DeviceKind = "idcard"
PROBE_SECONDS = 3.0


def _try(reader: IdCardReader) -> bool:
    try:
        reader.open()
        return reader.card_present()
    finally:
        reader.close()


def check(config: DeviceConfig, *, seconds: float = PROBE_SECONDS) -> DeviceCheck:
    """Whether the configured reader answers now. Never raises for a fault; returns within
    `seconds` even when a vendor's library hangs (its call is left on a daemon thread)."""
    try:
        reader = make_reader(config)
    except DeviceConfigError as exc:
        return DeviceCheck(_DEVICE, False, exc.zh, exc.en)
    if reader is None:
        return DeviceCheck(_DEVICE, True, "未设置读卡器：证件号码手工录入。",
                           "No ID card reader set: ID numbers are typed in.", configured=False)
    where = reader.where or reader.kind
    outcome: list[bool | BaseException] = []

    def run() -> None:
        try:
            outcome.append(_try(reader))
        except BaseException as exc:  # handed to the caller's thread
            outcome.append(exc)

    worker = threading.Thread(target=run, name="idcard-probe", daemon=True)
    worker.start()
    worker.join(seconds)
    if not outcome:
        return DeviceCheck(_DEVICE, False,
                           f"读卡器未响应：{seconds:.0f} 秒内无应答，请检查 {where} 的连线。",
                           f"The ID card reader did not answer within {seconds:.0f} s: check "
                           f"the cable on {where}.")
    result = outcome[0]
    if isinstance(result, IdCardReaderError):
        return DeviceCheck(_DEVICE, False, result.zh, result.en)
    if isinstance(result, BaseException):
        logger.error("Testing the ID card reader failed: %s", type(result).__name__)
        return DeviceCheck(_DEVICE, False,
                           f"读卡器无法测试（{type(result).__name__}）。",
                           f"The ID card reader could not be tested ({type(result).__name__}).")
    card = ("，读卡区有证件" if result else "，当前无卡"), (
        "; a card lies on it" if result else "; no card on it now")
    return DeviceCheck(_DEVICE, True, f"读卡器已连接（{where}）{card[0]}。",
                       f"The ID card reader answers ({where}){card[1]}.")
