"""Which queue caller this workstation has: ``[queue] kind`` in devices.ini.

* ``http``: the hall's queue system through the HTTP/JSON adapter (`http_caller`);
* ``manual`` (also when nothing is set, or ``none``): there is no queue system to ask; the
  clerk types the number from the customer's paper ticket, and its time of issue if the
  ticket shows one. Without that time the visit's waiting time is unknown and is left out
  of the waiting figures (the handling time is still counted).

    caller = open_caller(devices.load())
    if caller.manual: ...ask the clerk...
    else: ticket = caller.call_next(caller.window, actor.staff_no)   # None: nobody waits
"""

from __future__ import annotations

from typing import Final, Protocol
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from app.devices.config import DeviceConfig, DeviceConfigError
from app.devices.queue.http_caller import DEFAULT_TIMEOUT, HttpQueueCaller
from app.devices.queue.ticket import Ticket

__all__ = ["KINDS", "ManualQueueCaller", "QueueCaller", "open_caller"]

SECTION: Final = "queue"
KINDS: Final = ("none", "manual", "http")
MAX_TIMEOUT: Final = 10.0  # a call must never keep the clerk waiting longer


class QueueCaller(Protocol):
    @property
    def kind(self) -> str: ...

    @property
    def manual(self) -> bool: ...

    @property
    def window(self) -> int: ...

    def call_next(self, window: int | None = None, clerk_no: str = "") -> Ticket | None: ...

    def recall(self, ticket: Ticket, window: int | None = None, clerk_no: str = "") -> None: ...

    def skip(self, ticket: Ticket, window: int | None = None, clerk_no: str = "") -> None: ...


class ManualQueueCaller:
    """No queue system: nothing to call, recall or skip (the hall calls by voice or by its
    own machine); the counter records the ticket the clerk types."""

    kind: Final = "manual"
    manual: Final = True

    def __init__(self, window: int = 0) -> None:
        self.window = window

    def call_next(self, window: int | None = None, clerk_no: str = "") -> Ticket | None:
        return None

    def recall(self, ticket: Ticket, window: int | None = None, clerk_no: str = "") -> None:
        return None

    def skip(self, ticket: Ticket, window: int | None = None, clerk_no: str = "") -> None:
        return None


def _timeout(config: DeviceConfig) -> float:
    raw = config.get(SECTION, "timeout")
    try:
        value = float(raw) if raw else DEFAULT_TIMEOUT
    except ValueError:
        value = -1.0
    if not 0 < value <= MAX_TIMEOUT:
        raise DeviceConfigError(SECTION, "timeout", f"应为 0 到 {MAX_TIMEOUT:g} 之间的秒数，现为“{raw}”",
                                f"must be seconds between 0 and {MAX_TIMEOUT:g}, not {raw!r}")
    return value


def open_caller(config: DeviceConfig, zone: ZoneInfo | None = None) -> QueueCaller:
    """The caller devices.ini sets up (`DeviceConfigError` naming a wrong key). `zone`: the
    hall's, for queue systems that send local times without an offset."""
    kind = (config.get(SECTION, "kind") or "manual").lower()
    if kind not in KINDS:
        raise DeviceConfigError(SECTION, "kind", f"应为 {' | '.join(KINDS)}，现为“{kind}”",
                                f"must be one of {', '.join(KINDS)}, not {kind!r}")
    window = config.get_int(SECTION, "window", 0)
    if window < 0:
        raise DeviceConfigError(SECTION, "window", "窗口号不能为负数",
                                "the window number cannot be negative")
    if kind != "http":
        return ManualQueueCaller(window)
    url = config.get(SECTION, "url")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise DeviceConfigError(SECTION, "url", f"应为排队叫号服务器的 http:// 地址，现为“{url}”",
                                f"must be the queue server's http:// address, not {url!r}")
    if window <= 0:
        raise DeviceConfigError(SECTION, "window", "请填写本柜台在叫号系统中的窗口号（正整数）",
                                "set this counter's window number in the queue system "
                                "(a positive whole number)")
    return HttpQueueCaller(url, window, timeout=_timeout(config), zone=zone)
