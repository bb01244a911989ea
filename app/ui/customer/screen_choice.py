"""Which monitor the customer's screen opens on: ``devices.ini`` ``[customer_screen] screen``.

    [customer_screen] screen = auto | none | N

- ``auto`` (the default): when the workstation has more than one monitor, the first one that
  is not the clerk's (a second monitor or a signing tablet that shows as a monitor); with one
  monitor, nothing opens by itself and the clerk turns the screen to the customer
  (转向客户, full-screen on the clerk's monitor).
- ``none``: never open by itself; 转向客户 still works.
- ``N``: monitor N as the system numbers them, counted from 1. A monitor that is not
  connected, or the clerk's own, falls back to 转向客户 with a sentence saying so.

Qt-free: it works on the number of monitors and their indexes, so it is tested with any list.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.devices.config import DeviceConfig, DeviceConfigError

__all__ = ["SECTION", "ScreenChoice", "choose_screen", "screen_setting"]

SECTION = "customer_screen"
KEY = "screen"


@dataclass(frozen=True)
class ScreenChoice:
    """`index` is the monitor (0-based, as Qt lists them) to open on by itself, or None."""

    index: int | None
    zh: str
    en: str

    def sentence(self, lang: str = "zh") -> str:
        return self.en if lang.startswith("en") else self.zh


def screen_setting(config: DeviceConfig | None) -> str | int:
    """``auto``, ``none`` or a monitor number (1-based); DeviceConfigError for anything else."""
    raw = (config.get(SECTION, KEY, "auto") if config is not None else "auto").lower() or "auto"
    if raw in ("auto", "none"):
        return raw
    try:
        number = int(raw)
    except ValueError:
        number = 0
    if number < 1:
        raise DeviceConfigError(SECTION, KEY, f"应为 auto、none 或屏幕编号（从 1 起），现为“{raw}”",
                                f"must be auto, none or a monitor number from 1, not {raw!r}")
    return number


def choose_screen(setting: str | int, screen_count: int, clerk_screen: int = 0) -> ScreenChoice:
    """The monitor for the customer's screen, given how many there are and the clerk's."""
    if setting == "none":
        return ScreenChoice(None, "客户屏未启用：需要时按“转向客户”",
                            "No customer monitor set: use Turn to customer")
    if isinstance(setting, int):
        index = setting - 1
        if index >= screen_count:
            return ScreenChoice(
                None, f"设置的客户屏（屏幕 {setting}）未连接（共 {screen_count} 个）：请按“转向客户”",
                f"Customer monitor {setting} is not connected ({screen_count} found): "
                "use Turn to customer")
        if index == clerk_screen:
            return ScreenChoice(
                None, f"设置的客户屏（屏幕 {setting}）就是营业员的屏幕：请按“转向客户”",
                f"Customer monitor {setting} is the clerk's own: use Turn to customer")
        return ScreenChoice(index, f"客户屏：屏幕 {setting}", f"Customer monitor: {setting}")
    others = [i for i in range(screen_count) if i != clerk_screen]
    if not others:
        return ScreenChoice(None, "只有一个屏幕：请按“转向客户”让客户核对并签名",
                            "One monitor: use Turn to customer for the customer to read and sign")
    return ScreenChoice(others[0], f"客户屏：屏幕 {others[0] + 1}",
                        f"Customer monitor: {others[0] + 1}")
