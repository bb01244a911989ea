"""What a push batch starts from: the server ids already known (`RunCache`) and the
workstation's rows read ahead (`read_batch`, `BatchInput`).

A first sync is a long run of batches in which the workstation's process alternates with the
server: it reads a batch from SQLite while the server waits, then waits while the server
stores it. So a thread reads the next batch (its outbox rows and its rows of the synced
tables) while the current one is on the server. Those rows are used only if nothing was
written to a synced table in between: every such write adds an outbox row in the same
transaction (`capture`), and the outbox's AUTOINCREMENT counter never goes back, so an
unchanged counter means that the batch's own read would see the very same rows. Otherwise
they are thrown away and read again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy.orm import Session

from app.db import Database
from app.models import Base
from app.services.sync.rows import Row, fetch_stored, outbox_rows

PUSHED_CAP: Final = 500_000  # server ids remembered per keyed table during one push (~50 MB)


@dataclass
class RunCache:
    """Server ids known to be committed: of reference rows (hall, counter, staff) for the
    client's life; of keyed rows (customers, lines, orders, ...) for one push, so that a batch
    of orders does not look up again the customers and lines the batches before it stored
    (at a first sync, those lookups were a fifth of the client's time)."""

    ids: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))
    pushed: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))

    def remember(self, table: str, ids: Mapping[int, int]) -> None:
        """Keyed rows' ids, up to `PUSHED_CAP` per table (beyond it, looked up as before)."""
        known = self.pushed[table]
        room = PUSHED_CAP - len(known)
        if room >= len(ids):
            known.update(ids)
        elif room > 0:
            known.update(list(ids.items())[:room])


@dataclass
class BatchInput:
    rows: list[tuple[int, str, int]]  # the batch's outbox rows (id, table, row id)
    changed: dict[str, set[int]]  # table -> local ids
    stored: dict[str, tuple[frozenset[int], list[Row]]]  # table -> (ids, rows as stored)
    counter: int  # the outbox's AUTOINCREMENT counter when read

    def rows_of(self, table: str, ids: Iterable[int]) -> list[Row] | None:
        """The rows read of `table`, if they are exactly those of `ids`."""
        got = self.stored.get(table)
        return got[1] if got is not None and got[0] == frozenset(ids) else None


def outbox_counter(local: Session) -> int:
    raw: Any = local.connection().connection.driver_connection
    found = raw.execute("SELECT seq FROM sqlite_sequence WHERE name = 'sync_outbox'").fetchone()
    return int(found[0]) if found else 0


def read_in(local: Session, after: int, last: int, limit: int,
            tables: set[str]) -> BatchInput:
    """The next batch after outbox id `after` (up to `last`), with the rows of `tables`."""
    counter = outbox_counter(local)  # first: it starts the read transaction's snapshot
    rows = outbox_rows(local, after, last, limit)
    changed: dict[str, set[int]] = defaultdict(set)
    for _, tbl, row_id in rows:
        changed[tbl].add(row_id)
    stored = {name: (frozenset(ids), fetch_stored(local, Base.metadata.tables[name], "id", ids))
              for name, ids in changed.items() if name in tables}
    return BatchInput(rows, changed, stored, counter)


def read_batch(db: Database, after: int, last: int, limit: int,
               tables: set[str]) -> BatchInput:
    """`read_in` in a read transaction of its own (on the read-ahead thread)."""
    with db.read() as s:
        return read_in(s, after, last, limit, tables)
