"""The partial unique indexes (one open shift per counter, one visit served per counter, a value
card's serial sold once) are what the models say on both databases, and naming PostgreSQL's
WHERE in the models no longer loads that dialect into every process on SQLite."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import inspect, text
from sqlalchemy.schema import CreateIndex

from app.db import Database
from app.models.base import _POSTGRESQL_WHERE, with_postgresql_where

PARTIAL = {"uq_shift_open_counter": "status = 'open'",
           "uq_queue_ticket_serving": "status = 'serving'",
           "uq_stock_movement_value_card_serial": "kind = 'use' AND item LIKE 'value_card:%'"}


def test_the_models_alone_do_not_load_the_postgresql_dialect() -> None:
    probe = ("import sys, app.models; "
             "print('sqlalchemy.dialects.postgresql' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False"


def test_with_postgresql_where_gives_each_index_its_where() -> None:
    from sqlalchemy.dialects import postgresql, sqlite

    assert {index.name: where for index, where in _POSTGRESQL_WHERE} == PARTIAL
    with_postgresql_where()
    with_postgresql_where()  # twice changes nothing
    for index, where in _POSTGRESQL_WHERE:
        for dialect in (postgresql.dialect(), sqlite.dialect()):
            # psycopg's paramstyle doubles a literal % in the compiled text; it sends one.
            ddl = str(CreateIndex(index).compile(dialect=dialect)).replace("%%", "%")
            assert ddl.startswith("CREATE UNIQUE INDEX") and ddl.endswith(f"WHERE {where}"), ddl


def test_the_migrated_database_has_the_same_partial_indexes(db: Database) -> None:
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            rows = conn.execute(text("SELECT indexname, indexdef FROM pg_indexes "
                                     "WHERE indexname = ANY(:names)"),
                                {"names": list(PARTIAL)}).all()
        else:
            rows = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                     "AND name IN ('uq_shift_open_counter', "
                                     "'uq_queue_ticket_serving', "
                                     "'uq_stock_movement_value_card_serial')")).all()
        found = {name: " ".join(sql.split()) for name, sql in rows}
        unique = {ix["name"] for table in ("shift", "queue_ticket", "stock_movement")
                  for ix in inspect(conn).get_indexes(table) if ix["unique"]}
    assert set(found) == set(PARTIAL) and set(PARTIAL) <= unique
    for name, where in PARTIAL.items():
        # PostgreSQL prints the WHERE back in its own words: compare the literals it keeps.
        for literal in ("'open'", "'serving'", "'use'", "'value_card:%'"):
            assert (literal in where) == (literal in found[name]), (name, found[name])
