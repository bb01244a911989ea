"""The queue caller's device test: one sentence of what works (never calls anybody)."""

from __future__ import annotations

from app.devices.check import DeviceCheck
from app.devices.config import DeviceConfig, DeviceConfigError
from app.devices.queue.caller import open_caller
from app.devices.queue.http_caller import HttpQueueCaller
from app.devices.queue.ticket import QueueError

__all__ = ["check"]


def check(config: DeviceConfig) -> DeviceCheck:
    """Ask the queue server for its status (`GET {url}/status`, within the timeout)."""
    try:
        caller = open_caller(config)
    except DeviceConfigError as exc:
        return DeviceCheck("queue", False, exc.zh, exc.en)
    if not isinstance(caller, HttpQueueCaller):
        return DeviceCheck("queue", True, "未接排队叫号系统：叫号时手工录入顾客的排队号",
                           "no queue system set up: the clerk types the customer's ticket "
                           "number", configured=False)
    try:
        waiting = caller.waiting()
    except QueueError as exc:
        return DeviceCheck("queue", False, exc.zh, exc.en)
    zh_more = f"，当前等候 {waiting} 人" if waiting is not None else ""
    en_more = f", {waiting} waiting" if waiting is not None else ""
    return DeviceCheck("queue", True,
                       f"排队叫号服务器 {caller.server} 应答正常（窗口 {caller.window}{zh_more}）",
                       f"the queue server {caller.server} answers (window {caller.window}"
                       f"{en_more})")
