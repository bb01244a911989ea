"""The server is the authority for a line under conflict: after each sync a workstation holds
the server's current version of every line with an open conflict of its hall.

The feed alone does not ensure it: a workstation whose own (contested) version has a version
key not lower than the server's keeps it, as the feed pull takes only newer versions. So, after
the conflicts are copied (`pull_conflicts`), each line of an open conflict is compared with the
server's row and replaced when it differs, as the feed pull replaces a version: the local one
goes to `line_history` (the workstation's own change is kept there, and its order stays as
recorded), the outbox rows the local triggers add are removed (what came from the server is not
pushed back), and the rows written are sealed by a `sync.pull` audit event in the same
transaction. A line with a local change still waiting to be pushed is left for the next sync:
that change goes to the server first (where it is merged or listed), then the line is taken. Open conflicts are few (each waits for a person), so this is a handful of reads.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select, update
from sqlalchemy.orm import Session

from app.db import clock_of
from app.models import Base, LineConflict
from app.models.conflict import OPEN
from app.services.sync.rows import Row, fetch_by, new_history_rows, version_key
from app.services.sync.state import get_state

# The columns that are the line's own (not the local row id, nor the customer's, mapped by uid).
_SKIP = ("id", "customer_id", "_customer_uid")


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _differs(mine: Row, theirs: Row) -> bool:
    # the version key names a version (number, time, origin); the values of the two databases
    # differ in type (aware and naive times), so they are not compared one by one
    return version_key(mine) != version_key(theirs)


def take_server_lines(server: Connection, local: Session, origin: str) -> int:
    """Replace the local version of each line under an open conflict (the local copies, so
    this hall's) by the server's when they differ; returns how many lines were replaced."""
    lines = sorted(set(local.execute(select(LineConflict.line_uid)
                                     .where(LineConflict.status == OPEN)).scalars()))
    if not lines:
        return 0
    lt, ct = _table("line"), _table("customer")
    theirs = [dict(r._mapping) for r in server.execute(
        select(lt, ct.c.uid.label("_customer_uid")).join(ct, ct.c.id == lt.c.customer_id)
        .where(lt.c.uid.in_(lines)))]
    mine = {r["uid"]: r for r in fetch_by(local, lt, "uid", lines)}
    owners = {r["uid"]: r["id"] for r in fetch_by(
        local, ct, "uid", [r["_customer_uid"] for r in theirs], columns=("id", "uid"))}
    outbox = _table("sync_outbox")
    before = int(local.execute(select(func.coalesce(func.max(outbox.c.id), 0))).scalar() or 0)
    # a local change not pushed yet (made while this sync ran) goes to the server first
    pushed = int(get_state(local, "push.mark") or 0)
    waiting = set(local.execute(select(outbox.c.row_id).where(
        outbox.c.tbl == "line", outbox.c.id > pushed)).scalars())
    replaced: list[tuple[Row, list[Row]]] = []
    for srv in theirs:
        row = mine.get(srv["uid"])
        owner = owners.get(srv["_customer_uid"])
        # a line not here yet, or its owner not pulled yet, comes with the feed
        if row is None or owner is None or row["id"] in waiting or not _differs(row, srv):
            continue
        if srv["number"] != row["number"] and local.execute(
                select(lt.c.id).where(lt.c.number == srv["number"])).first() is not None:
            continue  # the number is another line's here: the feed pull reports that
        values: dict[str, Any] = {k: v for k, v in srv.items() if k not in _SKIP}
        values["customer_id"] = owner
        local.execute(update(lt).where(lt.c.id == row["id"]).values(values))
        replaced.append((row, []))
    if not replaced:
        return 0
    _history(local, replaced)
    local.execute(delete(outbox).where(outbox.c.id > before))
    from app.services.audit import events as audit  # after the outbox: the event is pushed

    audit.record(local, "sync.pull", actor="sync", target=origin[:60],
                 data={"customers": 0, "lines": len(replaced), "conflict_lines": len(replaced)},
                 seal=[("line", row["id"]) for row, _ in replaced])
    return len(replaced)


def _history(local: Session, versions: list[tuple[Row, list[Row]]]) -> None:
    ht = _table("line_history")
    uids = [v["uid"] for v, _ in versions]
    seen = {tuple(r) for r in local.execute(select(ht.c.line_uid, ht.c.version, ht.c.origin)
                                            .where(ht.c.line_uid.in_(uids)))}
    payload = new_history_rows("line", versions, seen, clock_of(local).now())
    if payload:
        local.execute(insert(ht), payload)
