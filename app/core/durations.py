"""ISO-8601 durations as the catalog writes them (P2M, PT12H, P5D) applied to datetimes."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$")


class DurationError(ValueError):
    pass


def parse_duration(text: str) -> tuple[int, int, int, int, int]:
    m = _DURATION.match(text)
    if not m or text in ("P", "PT"):
        raise DurationError(f"due {text!r} is not an ISO-8601 duration such as P2M or PT12H")
    y, mo, d, h, mi = (int(g or 0) for g in m.groups())
    return y, mo, d, h, mi


def add_months(day: date, months: int) -> date:
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def add_duration(start: datetime, text: str) -> datetime:
    y, mo, d, h, mi = parse_duration(text)
    moved = add_months(start.date(), 12 * y + mo)
    return datetime.combine(moved, start.timetz()) + timedelta(days=d, hours=h, minutes=mi)
