"""Every workstation of the hall keeps a copy of the server's line conflicts, so that a
supervisor at any counter sees them and a line waiting for a decision shows it.

Conflicts are few (each is a person's decision), so each sync compares the server's list
(uid, status, decision time) with the local one and copies the rows that differ, in one local
transaction; no feed or mark is needed. The copies are not pushed back (the table is not in
the outbox).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, select, update
from sqlalchemy.orm import Session

from app.models import Base, LineConflict
from app.services.sync.rows import fetch_by

_COLUMNS = ("uid", "status", "resolved_at")


def _table() -> Table:
    return Base.metadata.tables["line_conflict"]


def _summary(conn: Session | Connection) -> dict[str, tuple[Any, ...]]:
    t = _table()
    return {r[0]: tuple(r) for r in conn.execute(select(*(t.c[c] for c in _COLUMNS)))}


def pull_conflicts(server: Connection, local: Session) -> int:
    """Copy new or changed conflicts from the server; returns how many were written."""
    theirs = _summary(server)
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
