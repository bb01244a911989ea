"""A queue ticket (排队号) as the counter sees it, and the checks every backend shares.

A ticket number is what the customer's paper slip shows: letters and digits, 1 to 8 of them
("A023", "V7", "1042"). Typed numbers are normalized first (full-width characters, spaces,
lower case), so "ａ０２３" and " a023 " are the same ticket as "A023".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

__all__ = [
    "QueueError",
    "Ticket",
    "normalize_ticket_number",
    "parse_issued_at",
    "parse_issued_time",
]

NUMBER_RE = re.compile(r"[A-Z0-9]{1,8}")
MAX_HINT = 60  # characters of the queue system's service hint kept


class QueueError(Exception):
    """A queue fault or a wrong ticket, as one sentence for the clerk (`zh` / `en`)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en

    def sentence(self, lang: str = "zh") -> str:
        return self.en if lang.startswith("en") else self.zh


@dataclass(frozen=True)
class Ticket:
    """`issued_at` is aware (any zone), or None when unknown (a typed ticket without its time:
    its waiting time is then not counted). `service_hint` is the queue system's name for the
    kind of business chosen at the ticket machine, if it says one."""

    number: str
    issued_at: datetime | None = None
    service_hint: str | None = None

    def __post_init__(self) -> None:
        if self.issued_at is not None and self.issued_at.tzinfo is None:
            raise ValueError("a ticket's issued_at must be aware")


def normalize_ticket_number(raw: object) -> str:
    """The ticket number in its one spelling, or `QueueError` saying what is wrong."""
    text = unicodedata.normalize("NFKC", str(raw or "")).strip().replace(" ", "").upper()
    if not text:
        raise QueueError("请输入排队号", "type the ticket number")
    if not NUMBER_RE.fullmatch(text):
        shown = text[:20]
        raise QueueError(f"排队号“{shown}”无效：应为 1 至 8 位字母或数字，如 A023",
                         f"ticket number {shown!r} is not valid: 1 to 8 letters or digits, "
                         "e.g. A023")
    return text


def parse_issued_at(raw: object, zone: ZoneInfo) -> datetime | None:
    """An ISO 8601 time from a queue system; one without an offset is the hall's local time.
    None or "" is unknown; anything else unreadable raises `ValueError`."""
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str):
        raise ValueError(f"issued_at is not text: {raw!r}")
    when = datetime.fromisoformat(raw.strip())
    return when if when.tzinfo is not None else when.replace(tzinfo=zone)


def parse_issued_time(raw: str, day: date, zone: ZoneInfo) -> datetime | None:
    """A typed time of issue ("9:41", "09:41:05") on the business date, or None if blank."""
    text = unicodedata.normalize("NFKC", raw or "").strip()
    if not text:
        return None
    try:
        parts = [int(p) for p in text.split(":")]
        if len(parts) not in (2, 3):
            raise ValueError(text)
        typed = time(parts[0], parts[1], parts[2] if len(parts) == 3 else 0)
    except ValueError:
        raise QueueError(f"取号时间“{text[:20]}”无效：请按 时:分 填写，如 09:41",
                         f"time of issue {text[:20]!r} is not valid: type hours:minutes, "
                         "e.g. 09:41") from None
    return datetime.combine(day, typed, zone)
