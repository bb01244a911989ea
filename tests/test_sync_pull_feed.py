"""Reading the server's feed (`pull.read_feed`) against a real PostgreSQL (tests/pg_server.py):
a workstation's own feed rows are not read back, yet its mark moves past them, so a later pull
neither reads them nor stops short of what others wrote after them.
"""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select

from app.db import open_database
from app.models import Base
from app.services.sync.pull import read_feed

pytestmark = pytest.mark.postgres

FEED = Base.metadata.tables["sync_feed"]


def _feed(pg_url: str, rows: list[tuple[int, str, str]]) -> list[int]:
    """Feed rows (txid, uid, source) of long-finished transactions; their seqs."""
    db = open_database(pg_url)
    try:
        with db.engine.begin() as conn:
            conn.execute(insert(FEED), [{"txid": t, "kind": "customer", "row_uid": uid,
                                         "source": src, "hall_code": None}
                                        for t, uid, src in rows])
            return list(conn.execute(select(FEED.c.seq).order_by(FEED.c.seq)).scalars())
    finally:
        db.dispose()


def _read(pg_url: str, mark: tuple[int, int], limit: int) -> tuple[int, int] | None:
    db = open_database(pg_url, migrate=False)
    try:
        with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
            batch = read_feed(conn, mark, "WSA", limit)
            conn.rollback()
        return None if batch is None else batch.mark
    finally:
        db.dispose()


def test_own_rows_are_skipped_but_the_mark_passes_them(pg_url: str) -> None:
    seqs = _feed(pg_url, [(1, "a1", "WSA"), (2, "b1", "WSB"), (3, "a2", "WSA"),
                          (3, "a3", "WSA")])
    # Everything in one run: the mark is the last row of the run, this workstation's own.
    assert _read(pg_url, (0, 0), limit=10) == (3, seqs[3])
    assert _read(pg_url, (3, seqs[3]), limit=10) is None


def test_a_full_run_ends_at_its_last_row_taken(pg_url: str) -> None:
    seqs = _feed(pg_url, [(1, "a1", "WSA"), (2, "b1", "WSB"), (3, "a2", "WSA"),
                          (4, "b2", None)])
    # One row per run: the next run starts right after the row taken, and the own row
    # between them is passed by the mark without being taken.
    assert _read(pg_url, (0, 0), limit=1) == (2, seqs[1])
    assert _read(pg_url, (2, seqs[1]), limit=1) == (4, seqs[3])
    assert _read(pg_url, (4, seqs[3]), limit=1) is None


def test_only_own_rows_left_still_move_the_mark(pg_url: str) -> None:
    seqs = _feed(pg_url, [(1, "b1", "WSB"), (2, "a1", "WSA"), (2, "a2", "WSA")])
    assert _read(pg_url, (1, seqs[0]), limit=1) == (2, seqs[2])
    assert _read(pg_url, (2, seqs[2]), limit=1) is None
