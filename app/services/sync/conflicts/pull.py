"""Every workstation of the hall keeps a copy of the server's line conflicts, so that a
supervisor at any counter sees them and a line waiting for a decision shows it.

Conflicts are few (each is a person's decision), so each sync compares the server's list
(uid, status, decision time) with the local one and copies the rows that differ, in one local
transaction; no feed or mark is needed. The copies are not pushed back (the table is not in
the outbox).

A server may serve an area (many halls): a workstation takes only its own hall's conflicts. A
line has no hall; a conflict is the hall's when the order of either side is: an order of the
hall on the server, or one numbered under the hall's code (not pushed yet).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, exists, or_, select, update
from sqlalchemy.orm import Session

from app.models import Base, Hall, LineConflict, ServiceOrder
from app.services.hall.registry import get_hall
from app.services.sync.rows import fetch_by

_COLUMNS = ("uid", "status", "resolved_at")


def _table() -> Table:
    return Base.metadata.tables["line_conflict"]


def _summary(conn: Session | Connection,
             where: ColumnElement[bool] | None = None) -> dict[str, tuple[Any, ...]]:
    t = _table()
    query = select(*(t.c[c] for c in _COLUMNS))
    if where is not None:
        query = query.where(where)
    return {r[0]: tuple(r) for r in conn.execute(query)}


def of_hall(hall_code: str) -> ColumnElement[bool]:
    """The conflicts of hall `hall_code`: the order of either side is the hall's."""
    t = _table()
    sides = [t.c.server_side["order_no"].as_string(), t.c.other_side["order_no"].as_string()]
    so = ServiceOrder.__table__
    on_server = exists().where(so.c.order_no.in_(sides), so.c.hall_id == Hall.id,
                               Hall.code == hall_code)
    return or_(on_server, *(side.like(f"{hall_code}-%") for side in sides))


def pull_conflicts(server: Connection, local: Session) -> int:
    """Copy new or changed conflicts of this workstation's hall from the server; returns how
    many were written."""
    hall = get_hall(local)
    if hall is None:
        return 0
    theirs = _summary(server, of_hall(hall.code))
    mine = _summary(local)
    wanted = [uid for uid, row in theirs.items() if mine.get(uid) != row]
    if not wanted:
        return 0
    t = _table()
    rows = fetch_by(server, t, "uid", wanted)
    for row in rows:
        values = {k: v for k, v in row.items() if k != "id"}
        if row["uid"] in mine:
            local.execute(update(t).where(t.c.uid == row["uid"]).values(**values))
        else:
            local.add(LineConflict(**values))
    local.flush()
    return len(rows)
