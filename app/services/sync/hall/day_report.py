"""What each workstation still holds of a day, told to the server at every sync and brought
back to every workstation of the hall (`workstation_day`).

Per counter code and business date: the orders recorded here that have not reached the server
(outbox rows of `service_order` above the push mark, as `state.pending_changes` counts them)
and the last order serial recorded (`order_sequence`). The day's sign-off anywhere in the hall
is refused while any counter still holds orders of that day
(`app.services.day.signoff_checks`); the rows of the other workstations are kept here as the
server had them at the last sync, so the check needs no connection.

Reported: the days of the last `RECENT_DAYS` this workstation numbered orders on, and any older
day with orders still waiting; every other row of this workstation on the server is set to
nothing waiting.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Final

from sqlalchemy import Connection, Table, and_, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from app.db import Database
from app.models import Counter, OrderSequence, ServiceOrder, SyncOutbox, WorkstationDay
from app.services.hall.registry import get_hall
from app.services.sync.state import get_state

RECENT_DAYS: Final = 31


def _t() -> Table:
    table = WorkstationDay.__table__
    assert isinstance(table, Table)
    return table


def local_days(local: Database, today: date) -> tuple[str | None, list[dict[str, Any]]]:
    """This workstation's hall code and its rows (business date, counter, waiting, serial)."""
    with local.read() as s:
        hall = get_hall(s)
        if hall is None:
            return None, []
        mark = int(get_state(s, "push.mark") or 0)
        waiting = s.execute(
            select(ServiceOrder.business_date, Counter.code,
                   func.count(func.distinct(ServiceOrder.id)))
            .select_from(SyncOutbox)
            .join(ServiceOrder, ServiceOrder.id == SyncOutbox.row_id)
            .join(Counter, Counter.id == ServiceOrder.counter_id)
            .where(SyncOutbox.id > mark, SyncOutbox.tbl == "service_order")
            .group_by(ServiceOrder.business_date, Counter.code)).all()
        serials = s.execute(
            select(OrderSequence.business_date, Counter.code, OrderSequence.last)
            .join(Counter, Counter.id == OrderSequence.counter_id)
            .where(OrderSequence.business_date >= today - timedelta(days=RECENT_DAYS))).all()
        hall_code = hall.code
    rows: dict[tuple[date, str], dict[str, Any]] = {}
    for day, code, last in serials:
        rows[(day, code)] = {"business_date": day, "counter_code": code, "waiting": 0,
                             "last_serial": int(last or 0)}
    for day, code, n in waiting:
        row = rows.setdefault((day, code), {"business_date": day, "counter_code": code,
                                            "waiting": 0, "last_serial": 0})
        row["waiting"] = int(n)
    return hall_code, sorted(rows.values(), key=lambda r: (r["business_date"],
                                                           r["counter_code"]))


def exchange(server: Connection, local: Database, workstation: str, origin: str,
             now: datetime) -> int:
    """Tell the server this workstation's rows (in the caller's server transaction) and keep
    the hall's other rows here. Returns how many of the others still have orders waiting."""
    today = now.date()  # only bounds the window of days reported: UTC's date will do
    hall, mine = local_days(local, today)
    if hall is None:
        return 0
    t = _t()
    if mine:
        stmt = pg_insert(t)
        server.execute(stmt.on_conflict_do_update(
            index_elements=["workstation", "business_date", "counter_code"],
            set_={"waiting": stmt.excluded.waiting, "last_serial": stmt.excluded.last_serial,
                  "origin": stmt.excluded.origin, "reported_at": stmt.excluded.reported_at,
                  "hall_code": stmt.excluded.hall_code,
                  # reporting again: no longer retired (`counter sync --release`)
                  "retired_at": None, "retired_by": None, "retired_note": None}),
            [{**r, "workstation": workstation, "hall_code": hall, "origin": origin,
              "reported_at": now} for r in mine])
    reported = {(r["business_date"], r["counter_code"]) for r in mine}
    for day, code in server.execute(select(t.c.business_date, t.c.counter_code).where(
            t.c.workstation == workstation, t.c.waiting > 0)).all():
        if (day, code) not in reported:  # pushed since, or gone
            server.execute(update(t).where(t.c.workstation == workstation,
                                           t.c.business_date == day, t.c.counter_code == code)
                           .values(waiting=0, reported_at=now))
    others = [dict(r._mapping) for r in server.execute(select(t).where(
        t.c.hall_code == hall, t.c.workstation != workstation,
        (t.c.waiting > 0) | (t.c.business_date >= today - timedelta(days=RECENT_DAYS))))]
    with local.session() as s:
        s.execute(delete(t).where(and_(t.c.hall_code == hall, t.c.workstation != workstation)))
        if others:
            s.execute(insert(t), others)
    return sum(1 for r in others if r["waiting"] > 0)
