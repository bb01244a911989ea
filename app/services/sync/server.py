"""Bulk writes and lookups on the sync server, through psycopg directly.

SQLAlchemy's multi-row INSERT turns a batch into one statement with tens of thousands of
named parameters, which psycopg then re-parses on every execution (in a first measurement,
most of a sync's time went there). Here a large batch is streamed with ``COPY``: straight
into its table when every row is new (`copy_writer`), else into a temporary table and moved in
with one ``INSERT ... SELECT ... ON CONFLICT`` (so it stays idempotent); a small one is one
short statement sent with psycopg's `executemany`. Lookups
pass their keys as one array (``= ANY(%s)``). Values are adapted the way the models' types
would: aware times to naive UTC (`UTCDateTime`), dicts and lists to JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from psycopg.types.json import Json
from sqlalchemy import JSON, Boolean, Connection, Table

from app.models.base import UTCDateTime
from app.services.sync.copy_writer import copy_new, copy_rows

Row = dict[str, Any]
Convert = Callable[[Any], Any]
COPY_FROM = 50  # rows: below this, executemany (a temporary table costs a little)


def _utc(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def _json(value: Any) -> Any:
    return None if value is None else Json(value)


def _same(value: Any) -> Any:
    return value


def _bool(value: Any) -> Any:
    return None if value is None else bool(value)


def text_array(values: list[str]) -> str:
    """A PostgreSQL array literal of `values`, every element quoted and escaped."""
    return "{" + ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
                          for v in values) + "}"


class ServerWriter:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        raw = conn.connection.driver_connection  # psycopg.Connection, same transaction
        if raw is None:
            raise RuntimeError("the server connection is closed")
        self.raw: Any = raw
        self._converters: dict[tuple[str, tuple[str, ...], bool], list[Convert]] = {}
        self._temp = 0

    def _convert(self, table: Table, cols: tuple[str, ...], stored: bool) -> list[Convert]:
        key = (table.name, cols, stored)
        if key not in self._converters:
            out: list[Convert] = []
            for name in cols:
                kind = table.c[name].type
                if stored:  # SQLite's stored values: text is taken by the server as it is
                    out.append(_bool if isinstance(kind, Boolean) else _same)
                else:
                    out.append(_utc if isinstance(kind, UTCDateTime) else
                               _json if isinstance(kind, JSON) else _same)
            self._converters[key] = out
        return self._converters[key]

    def params(self, table: Table, cols: tuple[str, ...], rows: Iterable[Row],
               stored: bool = False) -> list[tuple]:
        conv = self._convert(table, cols, stored)
        get = itemgetter(*cols)
        plain = [get(r) if len(cols) > 1 else (get(r),) for r in rows]
        changed = [(i, f) for i, f in enumerate(conv) if f is not _same]
        if not changed:
            return plain
        out = []
        for values in plain:
            row = list(values)
            for i, f in changed:
                row[i] = f(row[i])
            out.append(tuple(row))
        return out

    def insert(self, table: Table, rows: Sequence[Row], *, on_conflict: str = "",
               update: Sequence[str] = (), key: str = "uid", stored: bool = False,
               direct: bool = True, omit: tuple[str, ...] = ()) -> None:
        """INSERT every row (all with the same keys). `on_conflict`: "" (none), "nothing"
        (any unique key), "nothing-key" (on `key` only) or "update" (set `update` on `key`).
        `stored`: the values are SQLite's stored ones (`sync_rows.fetch_stored`). `direct`:
        a large batch is first tried as new rows COPYed straight into the table. `omit`: keys
        of the rows not sent (the local "id": left out here rather than by copying every
        row without it)."""
        if not rows:
            return
        cols = tuple(c for c in rows[0] if c not in omit)
        names = ", ".join(cols)
        conflict = ""
        if on_conflict == "nothing":
            conflict = " ON CONFLICT DO NOTHING"
        elif on_conflict == "nothing-key":
            conflict = f" ON CONFLICT ({key}) DO NOTHING"
        elif on_conflict == "update":
            sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in update)
            conflict = f" ON CONFLICT ({key}) DO UPDATE SET {sets}"
        params = self.params(table, cols, rows, stored)
        with self.raw.cursor() as cur:
            if len(params) < COPY_FROM:
                cur.executemany(f"INSERT INTO {table.name} ({names}) VALUES "
                                f"({', '.join(['%s'] * len(cols))}){conflict}", params)
                return
            if not conflict:  # nothing to merge: a plain load
                copy_rows(self.raw, table.name, cols, params)
                return
            if direct and copy_new(self.raw, table.name, cols, params):
                return
            self._temp += 1
            temp = f"sync_in_{self._temp}"
            cur.execute(f"CREATE TEMP TABLE {temp} ON COMMIT DROP AS "
                        f"SELECT {names} FROM {table.name} WITH NO DATA")
            with cur.copy(f"COPY {temp} ({names}) FROM STDIN") as copy:
                for values in params:
                    copy.write_row(values)
            cur.execute(f"INSERT INTO {table.name} ({names}) SELECT {names} FROM {temp}"
                        f"{conflict}")
            cur.execute(f"DROP TABLE {temp}")

    def insert_ids(self, table: Table, rows: Sequence[Row], *, on_conflict: str,
                   update: Sequence[str] = (), key: str = "uid", stored: bool = False,
                   omit: tuple[str, ...] = ()) -> tuple[dict[Any, int], bool]:
        """`insert` (rows without their local "id"), then the server id of every row of the
        batch that is on the server, by `key`, and whether every row was new (then COPYed
        straight into the table). Ids are looked up afterwards in one query: taking them from
        the sequence beforehand (``nextval`` per row) cost several times more."""
        if not rows:
            return {}, False
        fresh = False
        if len(rows) >= COPY_FROM:
            cols = tuple(c for c in rows[0] if c not in omit)
            fresh = copy_new(self.raw, table.name, cols, self.params(table, cols, rows, stored))
        if not fresh:
            self.insert(table, rows, on_conflict=on_conflict, update=update, key=key,
                        stored=stored, direct=False, omit=omit)
        return self.ids_by(table, key, (r[key] for r in rows)), fresh

    def insert_keys(self, table: Table, rows: Sequence[Row], *, key: str = "uid",
                    stored: bool = False) -> set[Any]:
        """``INSERT ... ON CONFLICT DO NOTHING``; the `key` of every row of the batch that is
        on the server afterwards. A batch COPYed whole is there whole: no lookup."""
        if len(rows) >= COPY_FROM:
            cols = tuple(rows[0])
            if copy_new(self.raw, table.name, cols, self.params(table, cols, rows, stored)):
                return {r[key] for r in rows}
        self.insert(table, rows, on_conflict="nothing", key=key, stored=stored, direct=False)
        return set(self.ids_by(table, key, (r[key] for r in rows)))

    def update_by_id(self, table: Table, rows: Sequence[tuple[int, Row]], *,
                     stored: bool = False) -> None:
        if not rows:
            return
        cols = tuple(rows[0][1])
        sql = (f"UPDATE {table.name} SET {', '.join(f'{c} = %s' for c in cols)} "
               "WHERE id = %s")
        values = self.params(table, cols, (r for _, r in rows), stored)
        with self.raw.cursor() as cur:
            cur.executemany(sql, [(*v, sid) for v, (sid, _) in zip(values, rows, strict=True)])

    def ids_by(self, table: Table, column: str, values: Iterable[Any]) -> dict[Any, int]:
        """Server ids of the rows whose `column` is one of `values`."""
        wanted = list(set(values))
        if not wanted:
            return {}
        with self.raw.cursor() as cur:
            if all(isinstance(v, str) for v in wanted):  # one literal: psycopg adapts a
                # list element by element, several times slower
                cur.execute(f"SELECT {column}, id FROM {table.name} "
                            f"WHERE {column} = ANY(%s::text[])", (text_array(wanted),))
            else:
                cur.execute(f"SELECT {column}, id FROM {table.name} WHERE {column} = ANY(%s)",
                            (wanted,))
            return dict(cur.fetchall())

    def select(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        with self.raw.cursor() as cur:
            cur.execute(sql, params)
            return list(cur.fetchall())

    def delete_where_in(self, table: Table, column: str, values: Sequence[Any]) -> None:
        if values:
            with self.raw.cursor() as cur:
                cur.execute(f"DELETE FROM {table.name} WHERE {column} = ANY(%s)",
                            (list(values),))
