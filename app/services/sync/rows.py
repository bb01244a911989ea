"""Reading rows for sync and describing versions: small helpers shared by push and pull."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Connection, Date, Table, any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from app.models.base import UTCDateTime
from app.services.orders.line_state import LINE_FIELDS

CHUNK = 5000  # ids per IN (...): well under SQLite's limit of bound variables

Row = dict[str, Any]


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def fetch_by(conn: Session | Connection, table: Table, column: str,
             values: Iterable[Any], *, for_update: bool = False,
             columns: Sequence[str] | None = None) -> list[Row]:
    """Rows of `table` whose `column` is one of `values`, as plain dicts.

    On PostgreSQL the keys go as one array (``= ANY(...)``); on SQLite as one expanding
    parameter per chunk. Either way the statement is built once and cached, not rebuilt with
    thousands of literals."""
    wanted = list(set(values))
    if not wanted:
        return []
    col = table.c[column]
    picked = [table.c[c] for c in columns] if columns else [table]
    dialect = conn.dialect if isinstance(conn, Connection) else conn.get_bind().dialect
    out: list[Row] = []
    if dialect.name == "postgresql":
        stmt = select(*picked).where(col == any_(bindparam("keys", type_=ARRAY(col.type))))
        if for_update:
            # NO KEY UPDATE: other pushes inserting rows that reference these (an order's
            # line) only need KEY SHARE and are not held up; FOR UPDATE would deadlock them.
            stmt = stmt.with_for_update(key_share=True)
        return [dict(r._mapping) for r in conn.execute(stmt, {"keys": wanted})]
    stmt = select(*picked).where(col.in_(bindparam("keys", expanding=True)))
    for part in chunks(wanted):
        out.extend(dict(r._mapping) for r in conn.execute(stmt, {"keys": list(part)}))
    return out


def fetch_stored(local: Session, table: Table, column: str, values: Iterable[Any]) -> list[Row]:
    """Like `fetch_by` on the SQLite workstation, but the values as SQLite stores them: times
    and dates as text, JSON as its text, booleans as 0/1 (`ServerWriter` takes them so).

    For the bulk of a push (orders, their children, audit events), where converting every
    value to Python objects and back would cost more than the rest of the sync."""
    wanted = list(set(values))
    out: list[Row] = []
    raw: Any = local.connection().connection.driver_connection  # sqlite3, same transaction
    for part in chunks(wanted):
        marks = ", ".join("?" * len(part))
        cur = raw.execute(f"SELECT * FROM {table.name} WHERE {column} IN ({marks})",
                          tuple(part))
        names = [d[0] for d in cur.description]
        out += [dict(zip(names, row)) for row in cur.fetchall()]  # noqa: B905 (same length)
    return out


def outbox_rows(local: Session, after: int, last: int, limit: int) -> list[tuple[int, str, int]]:
    """(id, table, row id) of the next `limit` outbox rows after `after`, up to `last`, in
    order; through sqlite3 directly (a first sync reads hundreds of thousands)."""
    raw: Any = local.connection().connection.driver_connection
    return list(raw.execute("SELECT id, tbl, row_id FROM sync_outbox WHERE id > ? AND id <= ? "
                            "ORDER BY id LIMIT ?", (after, last, limit)).fetchall())


def stored_pairs(local: Session, table: str, column: str, values: Iterable[Any],
                 pick: tuple[str, str]) -> dict[Any, Any]:
    """{first: second} of the two `pick` columns of the workstation's rows whose `column` is
    one of `values`, straight from sqlite3 (the id <-> uid maps of a push: hundreds of
    thousands of pairs at a first sync, too many to go through result rows and dicts)."""
    raw: Any = local.connection().connection.driver_connection
    out: dict[Any, Any] = {}
    for part in chunks(list(set(values))):
        marks = ", ".join("?" * len(part))
        out.update(raw.execute(f"SELECT {pick[0]}, {pick[1]} FROM {table} "
                               f"WHERE {column} IN ({marks})", tuple(part)).fetchall())
    return out


def jsonable(value: Any) -> Any:
    if isinstance(value, bytes):
        return "base64:" + base64.b64encode(value).decode("ascii")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def customer_state(row: Mapping[str, Any], key_persons: Sequence[Mapping[str, Any]]) -> Row:
    """A customer version for the history: its columns as stored (ID fields stay encrypted or
    masked as they are) and its contact and key persons."""
    state = {k: jsonable(v) for k, v in row.items() if k != "id"}
    state["key_persons"] = [{k: jsonable(v) for k, v in kp.items()
                             if k not in ("id", "customer_id")} for kp in key_persons]
    return state


def line_state(row: Mapping[str, Any]) -> Row:
    """The same shape as the order service's line history: the number and the state fields."""
    return {"number": row["number"], **{f: jsonable(row[f]) for f in LINE_FIELDS}}


HISTORY = {"line": ("line_history", "line_uid"), "customer": ("customer_history", "customer_uid")}


def new_history_rows(table: str, versions: Sequence[tuple[Row, Sequence[Row]]],
                     seen: set[tuple[Any, ...]], now: datetime) -> list[Row]:
    """History rows for `versions` of lines or customers, each (uid, version, origin) once,
    recorded at `now`: versions already in `seen` are skipped and the new ones are added to it."""
    out: list[Row] = []
    for v, kps in versions:
        key = (v["uid"], int(v["version"] or 0), v["origin"] or "")
        if key in seen:
            continue
        seen.add(key)
        if table == "line":
            out.append({"line_uid": key[0], "version": key[1], "state": line_state(v),
                        "order_no": None, "origin": key[2], "recorded_at": now})
        else:
            state = customer_state({k: x for k, x in v.items() if k != "_customer_uid"}, kps)
            out.append({"customer_uid": key[0], "version": key[1], "state": state,
                        "origin": key[2], "recorded_at": now})
    return out


def as_utc(value: datetime | str) -> datetime:
    """A stored time (SQLite's text, naive UTC) or an aware one, as an aware UTC time."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def version_key(row: Mapping[str, Any]) -> tuple[int, datetime, str]:
    """Which of two versions of a row wins: the higher version, then the later update, then
    the origin (a fixed order, so every database picks the same one)."""
    return (int(row["version"] or 0), as_utc(row["updated_at"]), row["origin"] or "")


def typed(table: Table, row: Mapping[str, Any]) -> Row:
    """A row read with `fetch_stored`, with its values as the model's types give them."""
    out = dict(row)
    for col in table.columns:
        value = out.get(col.name)
        if value is None or col.name not in out:
            continue
        kind = col.type
        if isinstance(kind, Boolean):
            out[col.name] = bool(value)
        elif isinstance(kind, UTCDateTime) and isinstance(value, str):
            out[col.name] = as_utc(value)
        elif isinstance(kind, Date) and isinstance(value, str):
            out[col.name] = date.fromisoformat(value)
        elif isinstance(kind, JSON) and isinstance(value, str):
            out[col.name] = json.loads(value)
    return out
