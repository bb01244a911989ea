"""Waiting and handling times of a business date's visits, per service and per clerk.

Waiting = called_at - issued_at (visits whose time of issue is unknown are left out of the
waiting figures: a typed ticket without its time); handling = finished_at - called_at (a visit
still being served is left out). No-shows (过号) are left out of both. Each group has its count,
average and 90th percentile.

Per service: a visit counts under every service of the orders made in it (a customer who paid a
bill and replaced a SIM card counts under both); visits without an order (enquiries, refused
requests) form their own group.

The 90th percentile is the nearest-rank one (the smallest duration that at least 90 % of the
visits do not exceed), computed in Python from the day's durations: one query reads them (a
hall has a few thousand visits a day at most), and percentile functions differ between SQLite
(none) and PostgreSQL (percentile_cont), so the same code gives the same figure on both.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.models import QueueTicket, ServiceOrder, Staff
from app.models.queue import NO_SHOW
from app.security import Permission
from app.services.day.review import service_name
from app.services.hall.registry import Actor, get_hall
from app.services.staff.auth import require

__all__ = [
    "NO_ORDER",
    "QueueTimeRow",
    "QueueTimes",
    "TimeStats",
    "mmss",
    "percentile_90",
    "queue_times",
    "queue_times_in",
]

NO_ORDER = ""  # the service key of visits without an order
NO_ORDER_ZH = "未产生订单"


@dataclass(frozen=True)
class TimeStats:
    count: int = 0
    avg: float | None = None  # seconds
    p90: float | None = None


@dataclass(frozen=True)
class QueueTimeRow:
    key: str  # a service code or a staff number
    name: str  # the service's Chinese name or the clerk's name
    visits: int
    waiting: TimeStats
    handling: TimeStats


@dataclass(frozen=True)
class QueueTimes:
    business_date: date
    overall: QueueTimeRow
    per_service: list[QueueTimeRow]  # most visits first
    per_clerk: list[QueueTimeRow]  # by staff number
    no_shows: int = 0
    serving: int = 0  # visits not ended yet

    @property
    def empty(self) -> bool:
        return self.overall.visits == 0 and self.no_shows == 0


def percentile_90(values: Sequence[float]) -> float | None:
    """Nearest rank: the ceil(0.9 n)-th smallest value."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def stats(values: Sequence[float]) -> TimeStats:
    if not values:
        return TimeStats()
    return TimeStats(len(values), sum(values) / len(values), percentile_90(values))


def mmss(seconds: float | None) -> str:
    """Minutes:seconds ("4:05", "75:30"); "—" when there is no figure."""
    if seconds is None:
        return "—"
    total = round(seconds)
    return f"{total // 60}:{total % 60:02d}"


@dataclass
class _Visit:
    staff_no: str
    staff_name: str
    waited: float | None
    handled: float | None


def _seconds(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return max(0.0, (end - start).total_seconds())


def _row(key: str, name: str, visits: Iterable[_Visit]) -> QueueTimeRow:
    group = list(visits)
    return QueueTimeRow(key, name, len(group),
                        stats([v.waited for v in group if v.waited is not None]),
                        stats([v.handled for v in group if v.handled is not None]))


def queue_times_in(s: Session, hall_id: int, day: date) -> QueueTimes:
    """The day's figures (two queries: the visits, and the services of their orders)."""
    on_day = (QueueTicket.hall_id == hall_id, QueueTicket.business_date == day)
    rows = s.execute(
        select(QueueTicket.id, QueueTicket.status, QueueTicket.issued_at, QueueTicket.called_at,
               QueueTicket.finished_at, Staff.staff_no, Staff.name)
        .join(Staff, Staff.id == QueueTicket.staff_id).where(*on_day)).all()
    services: dict[int, set[str]] = defaultdict(set)
    for ticket_id, code in s.execute(
            select(ServiceOrder.queue_ticket_id, ServiceOrder.service).distinct()
            .join(QueueTicket, QueueTicket.id == ServiceOrder.queue_ticket_id).where(*on_day)):
        if ticket_id is not None:
            services[ticket_id].add(code)
    visits: dict[int, _Visit] = {}
    no_shows = serving = 0
    for ticket_id, status, issued, called, finished, staff_no, name in rows:
        if status == NO_SHOW:
            no_shows += 1
            continue
        if finished is None:
            serving += 1
        visits[ticket_id] = _Visit(staff_no, name, _seconds(issued, called),
                                   _seconds(called, finished))
    by_service: dict[str, list[_Visit]] = defaultdict(list)
    by_clerk: dict[tuple[str, str], list[_Visit]] = defaultdict(list)
    for ticket_id, visit in visits.items():
        for code in services.get(ticket_id) or {NO_ORDER}:
            by_service[code].append(visit)
        by_clerk[(visit.staff_no, visit.staff_name)].append(visit)
    per_service = sorted(
        (_row(code, service_name(code) if code else NO_ORDER_ZH, group)
         for code, group in by_service.items()),
        key=lambda r: (r.key == NO_ORDER, -r.visits, r.key))
    per_clerk = [_row(no, name, group) for (no, name), group in sorted(by_clerk.items())]
    return QueueTimes(day, _row("", "合计", visits.values()), per_service, per_clerk,
                      no_shows, serving)


def queue_times(db: Database, actor: Actor, day: date) -> QueueTimes:
    """The figures for the supervisor's day view (needs the supervisor's role)."""
    require(db, actor, Permission.DAY_SIGNOFF)
    with db.read() as s:
        hall = get_hall(s)
        hall_id = hall.id if hall is not None else actor.hall_id
        return queue_times_in(s, hall_id, day)
