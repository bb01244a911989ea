"""Where every "now" of the program comes from.

The program never asks the machine for the time directly: services read it from the `Clock`
they are handed (a `Database` carries one, `db.clock`; a session of it, `clock_of(session)`),
so a test or a training drill freezes or moves it, and a day is never half on one date and
half on another.

The business date is the hall's *local* date (its time zone, Asia/Shanghai by default), not
the machine's and not UTC's: at 07:30 in Shanghai, UTC is still on the day before.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Asia/Shanghai"


@runtime_checkable
class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    """The machine's clock (what the program runs on outside tests)."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def __repr__(self) -> str:
        return "SystemClock()"


class FixedClock:
    """A clock that stands still until it is set or advanced (tests, drills, replays).

    Thread-safe: workers and the GUI thread may read it while a test moves it.
    """

    def __init__(self, at: datetime) -> None:
        self._lock = threading.Lock()
        self._at = _aware_utc(at)

    def now(self) -> datetime:
        with self._lock:
            return self._at

    def set(self, at: datetime) -> None:
        with self._lock:
            self._at = _aware_utc(at)

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        """Move forward by `delta` or by `timedelta(**kwargs)`; the new instant."""
        step = delta if delta is not None else timedelta(**kwargs)
        with self._lock:
            self._at += step
            return self._at

    def __repr__(self) -> str:
        return f"FixedClock({self._at.isoformat()})"


def _aware_utc(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("a clock's time must be timezone-aware")
    return at.astimezone(UTC)


def zone_of(zone: str | ZoneInfo | None) -> ZoneInfo:
    if isinstance(zone, ZoneInfo):
        return zone
    return ZoneInfo(zone or DEFAULT_ZONE)


def local_now(clock: Clock, zone: str | ZoneInfo | None = None) -> datetime:
    """The hall's wall-clock time now."""
    return clock.now().astimezone(zone_of(zone))


def business_date(clock: Clock, zone: str | ZoneInfo | None = None) -> date:
    """The hall's business date now: its local date."""
    return local_now(clock, zone).date()


SYSTEM_CLOCK: Clock = SystemClock()
