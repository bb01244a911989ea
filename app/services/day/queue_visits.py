"""Calling the next customer (叫号) and the visit's queue ticket.

    visit = call_next(db, actor, caller)        # the queue system's next ticket; None: nobody
    visit = record_ticket(db, actor, "A023", "09:41")   # typed from the paper ticket
    finish_visit(db, actor)                     # "接待下一位": the visit ends now

A call ends the visit being served at the counter and starts the next one; orders recorded
at the counter meanwhile are linked to it (`serving_ticket_id`, called by the order service
in the order's own transaction). "接待下一位" sets the visit's end but keeps it the counter's
current one until the next call, so a second service for the same customer still belongs to
it (its own "接待下一位" moves the end later). Closing the shift ends it too
(`end_visits_at_counter`).

The queue system is asked outside any database transaction (a slow server never holds the
database), after the shift has been checked, so a counter without an open shift calls nobody.
Times come from the database's clock; the ticket's time of issue from the queue system or the
paper ticket (never later than the call: the queue server's clock may run ahead).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database, clock_of
from app.devices.queue import (
    QueueCaller,
    QueueError,
    Ticket,
    normalize_ticket_number,
    parse_issued_time,
)
from app.models.queue import DONE, NO_SHOW, SERVING, QueueTicket
from app.security import Permission
from app.services.day.hooks import hall_zone, require_open_shift
from app.services.hall.registry import Actor
from app.services.staff.auth import require

__all__ = [
    "VisitInfo",
    "call_next",
    "current_visit",
    "end_visits_at_counter",
    "finish_visit",
    "recall_ticket",
    "record_ticket",
    "serving_ticket_id",
    "skip_ticket",
]


@dataclass(frozen=True)
class VisitInfo:
    ticket_id: int
    ticket_no: str
    source: str
    service_hint: str | None
    issued_at: datetime | None
    called_at: datetime
    finished_at: datetime | None
    status: str

    @property
    def waited_seconds(self) -> float | None:
        """Waiting time; None when the time of issue is unknown."""
        if self.issued_at is None:
            return None
        return max(0.0, (self.called_at - self.issued_at).total_seconds())

    def ticket(self) -> Ticket:
        return Ticket(self.ticket_no, self.issued_at, self.service_hint)


def _info(t: QueueTicket) -> VisitInfo:
    return VisitInfo(t.id, t.ticket_no, t.source, t.service_hint, t.issued_at, t.called_at,
                     t.finished_at, t.status)


def _serving(s: Session, counter_id: int) -> QueueTicket | None:
    return s.execute(select(QueueTicket).where(
        QueueTicket.counter_id == counter_id, QueueTicket.status == SERVING)).scalar_one_or_none()


def end_visits_at_counter(s: Session, counter_id: int, now: datetime,
                          status: str = DONE) -> None:
    """The counter's current visit is over (a new call, the shift closed): ended now unless
    "接待下一位" ended it before."""
    current = _serving(s, counter_id)
    if current is not None:
        current.status = status
        if current.finished_at is None or status == NO_SHOW:
            current.finished_at = now
        s.flush()


def serving_ticket_id(s: Session, actor: Actor) -> int | None:
    """The ticket of the visit this clerk is serving at this counter (for a new order)."""
    if actor.channel != "counter" or actor.staff_id is None:
        return None
    return s.execute(select(QueueTicket.id).where(
        QueueTicket.counter_id == actor.counter_id, QueueTicket.status == SERVING,
        QueueTicket.staff_id == actor.staff_id)).scalar()


def _check(db: Database, actor: Actor) -> None:
    """The clerk may serve customers here now: role (checked in the core, refusal audited)
    and an open shift of their own."""
    require(db, actor, Permission.ORDER_CREATE)
    with db.read() as s:
        require_open_shift(s, actor)


def _record(db: Database, actor: Actor, ticket: Ticket, source: str,
            window: int | None) -> VisitInfo:
    with db.session() as s:
        shift = require_open_shift(s, actor)
        now = clock_of(s).now()
        end_visits_at_counter(s, actor.counter_id, now)
        issued = min(ticket.issued_at, now) if ticket.issued_at else None
        row = QueueTicket(hall_id=actor.hall_id, counter_id=actor.counter_id,
                          staff_id=actor.staff_id, business_date=shift.business_date,
                          ticket_no=ticket.number, source=source, window_no=window or None,
                          service_hint=ticket.service_hint, issued_at=issued, called_at=now,
                          status=SERVING)
        s.add(row)
        s.flush()
        return _info(row)


def call_next(db: Database, actor: Actor, caller: QueueCaller) -> VisitInfo | None:
    """Ask the queue system for the next ticket and start its visit; None when nobody waits
    (the current visit is left as it is). A queue fault raises `QueueError`."""
    _check(db, actor)
    ticket = caller.call_next(caller.window, actor.staff_no)
    if ticket is None:
        return None
    return _record(db, actor, ticket, caller.kind, caller.window)


def record_ticket(db: Database, actor: Actor, number: str, issued: str = "") -> VisitInfo:
    """The ticket typed from the customer's paper slip (no queue system, or it failed), with
    its time of issue ("HH:MM") if the slip shows one."""
    _check(db, actor)
    number = normalize_ticket_number(number)
    with db.read() as s:
        shift = require_open_shift(s, actor)
        zone = hall_zone(s, actor.hall_id)
        now = clock_of(s).now()
    issued_at = parse_issued_time(issued, shift.business_date, zone)
    if issued_at is not None and issued_at > now:
        raise QueueError(f"取号时间 {issued_at:%H:%M} 晚于现在，请核对顾客的排队小票",
                         f"the time of issue {issued_at:%H:%M} is later than now: check the "
                         "customer's ticket")
    return _record(db, actor, Ticket(number, issued_at), "manual", None)


def current_visit(db: Database, actor: Actor) -> VisitInfo | None:
    """The visit being served at this counter (after a restart of the window, say)."""
    with db.read() as s:
        current = _serving(s, actor.counter_id)
        return _info(current) if current is not None else None


def finish_visit(db: Database, actor: Actor) -> VisitInfo | None:
    """"接待下一位": the current visit ends now (it stays current until the next call)."""
    require(db, actor, Permission.ORDER_CREATE)
    with db.session() as s:
        current = _serving(s, actor.counter_id)
        if current is None:
            return None
        current.finished_at = clock_of(s).now()
        s.flush()
        return _info(current)


def _current_or_refuse(db: Database, actor: Actor) -> VisitInfo:
    visit = current_visit(db, actor)
    if visit is None:
        raise QueueError("本柜台当前没有叫号中的顾客", "nobody has been called at this counter")
    return visit


def recall_ticket(db: Database, actor: Actor, caller: QueueCaller) -> VisitInfo:
    """Announce the current ticket again (the customer has not come up yet)."""
    require(db, actor, Permission.ORDER_CREATE)
    visit = _current_or_refuse(db, actor)
    caller.recall(visit.ticket(), caller.window, actor.staff_no)
    return visit


def skip_ticket(db: Database, actor: Actor, caller: QueueCaller) -> VisitInfo:
    """过号: the customer called never came. The visit is left out of the figures."""
    require(db, actor, Permission.ORDER_CREATE)
    visit = _current_or_refuse(db, actor)
    caller.skip(visit.ticket(), caller.window, actor.staff_no)  # the queue system first
    with db.session() as s:
        row = s.get(QueueTicket, visit.ticket_id)
        if row is not None and row.status == SERVING:
            end_visits_at_counter(s, actor.counter_id, clock_of(s).now(), NO_SHOW)
            return _info(row)
    return visit
