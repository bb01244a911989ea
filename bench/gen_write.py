"""The generator's writes: rows by the driver's own `executemany`, a batch (its tables' rows
and the events sealing them) in one transaction.

A column the same in every generated row of a table is written once, as a literal in the
statement (on SQLite), instead of being bound again for every row: the same rows, fewer
values through the driver.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from app.db import Database


def stored_time(value: datetime, sqlite: bool) -> Any:
    """What SQLAlchemy's UTCDateTime stores: naive UTC (text on SQLite)."""
    naive = value.astimezone(UTC).replace(tzinfo=None)
    return naive.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else naive


def stored_day(value: date, sqlite: bool) -> Any:
    return value.isoformat() if sqlite else value


@dataclass(frozen=True)
class Table:
    """A table's generated rows: `columns` bound per row, `constants` the same in every row
    (values as the driver stores them)."""

    name: str
    columns: tuple[str, ...]
    constants: dict[str, Any] = field(default_factory=dict)

    def statement(self, sqlite: bool) -> str:
        names = ", ".join((*self.columns, *self.constants))
        if not sqlite:  # psycopg: every value bound (`with_constants` adds them to the rows)
            return (f"INSERT INTO {self.name} ({names}) VALUES "
                    f"({', '.join(['%s'] * (len(self.columns) + len(self.constants)))})")
        values = ["?"] * len(self.columns) + [sql_literal(v) for v in self.constants.values()]
        return f"INSERT INTO {self.name} ({names}) VALUES ({', '.join(values)})"

    def with_constants(self, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        tail = tuple(self.constants.values())
        return [row + tail for row in rows] if tail else rows


def sql_literal(value: Any) -> str:
    """A SQLite literal of a stored value: NULL, integer, text or blob."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, bytes):
        return f"X'{value.hex()}'"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQLite literal for {type(value).__name__}")


class BatchWriter:
    """One raw connection of the database, with the generator's pragmas."""

    def __init__(self, db: Database) -> None:
        self.sqlite = db.is_sqlite
        self.raw = db.engine.raw_connection()
        self.mark = "?" if self.sqlite else "%s"
        self.open = False  # a transaction of `put` is open
        if self.sqlite:
            con = self.raw.driver_connection
            con.execute("PRAGMA synchronous=OFF")  # type: ignore[union-attr]
            # Random keys (lookup hashes, customers of orders) go into their indexes all over
            # the file: a large page cache keeps those index pages in memory.
            con.execute("PRAGMA cache_size=-524288")  # type: ignore[union-attr]

    def put(self, parts: Sequence[tuple[Table, list[tuple[Any, ...]]]], *,
            commit: bool = True) -> None:
        """These tables' rows, in the open transaction (begun if none is); `commit` ends it."""
        cur = self.raw.cursor()
        if self.sqlite and not self.open:
            cur.execute("BEGIN")
        self.open = True
        for table, rows in parts:
            if rows:
                cur.executemany(table.statement(self.sqlite),
                                rows if self.sqlite else table.with_constants(rows))
        cur.close()
        if commit:
            self.commit()

    def commit(self) -> None:
        if self.open:
            self.raw.commit()
            self.open = False

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        cur = self.raw.cursor()
        cur.execute(sql.replace("?", self.mark), tuple(params))
        row = cur.fetchone()
        cur.close()
        return row[0] if row else None

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        cur = self.raw.cursor()
        cur.execute(sql.replace("?", self.mark), tuple(params))
        cur.close()
        self.raw.commit()

    def close(self) -> None:
        self.raw.close()
