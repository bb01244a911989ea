"""New rows straight into their table with ``COPY``, at the speed of a plain load.

A push is mostly rows the server has never seen (a day's orders, their fees and payments, the
audit events). Staging them in a temporary table and moving them with ``INSERT ... SELECT ...
ON CONFLICT`` writes every row twice; here they are streamed straight into the table under a
savepoint. If any row is already there (a batch repeated after a crash, an order number another
workstation holds) the server stops the COPY on a unique key, the savepoint is rolled back
(nothing of it stays) and the caller takes the staging path, which stays idempotent.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg import sql

SAVEPOINT = "sync_copy_new"


def _names(cols: Sequence[str]) -> sql.Composable:
    return sql.SQL(", ").join(sql.Identifier(c) for c in cols)


def copy_rows(raw: psycopg.Connection[Any], table: str, cols: Sequence[str],
              params: Sequence[tuple[Any, ...]]) -> None:
    """COPY the rows into `table` (any error propagates, as an INSERT's would)."""
    stmt = sql.SQL("COPY {} ({}) FROM STDIN").format(sql.Identifier(table), _names(cols))
    with raw.cursor() as cur, cur.copy(stmt) as copy:
        for values in params:
            copy.write_row(values)


def copy_new(raw: psycopg.Connection[Any], table: str, cols: Sequence[str],
             params: Sequence[tuple[Any, ...]]) -> bool:
    """COPY rows that should all be new; False, with nothing written, if one breaks a unique
    key. Other errors (a missing parent) propagate, the savepoint rolled back."""
    with raw.cursor() as cur:
        cur.execute(sql.SQL("SAVEPOINT {}").format(sql.Identifier(SAVEPOINT)))
        try:
            copy_rows(raw, table, cols, params)
        except psycopg.errors.UniqueViolation:
            _undo(cur)
            return False
        except BaseException:
            if not raw.closed:
                with contextlib.suppress(psycopg.Error):
                    _undo(cur)
            raise
        cur.execute(sql.SQL("RELEASE SAVEPOINT {}").format(sql.Identifier(SAVEPOINT)))
    return True


def _undo(cur: psycopg.Cursor[Any]) -> None:
    cur.execute(sql.SQL("ROLLBACK TO SAVEPOINT {}").format(sql.Identifier(SAVEPOINT)))
    cur.execute(sql.SQL("RELEASE SAVEPOINT {}").format(sql.Identifier(SAVEPOINT)))
