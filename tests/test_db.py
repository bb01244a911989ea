"""Database: migrations from empty, WAL, refusing a newer schema, backup before upgrading,
indexes that the lookups really use."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from app.clock import FixedClock
from app.db import DatabaseError, open_database
from app.db.migrate import current_revisions
from tests.builders import DAY


def test_migrates_from_empty_with_wal_and_foreign_keys(tmp_path: Path, clock: FixedClock) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}", clock=clock)
    try:
        assert current_revisions(db)
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            tables = set(conn.execute(text(
                "SELECT name FROM sqlite_master WHERE type='table'")).scalars())
        assert {"service_order", "line", "customer", "audit_event", "intake_entry"} <= tables
        assert db.integrity_ok()
    finally:
        db.dispose()


def test_reopening_is_a_no_op_and_newer_schema_refused(tmp_path: Path, clock: FixedClock) -> None:
    path = tmp_path / "b.sqlite3"
    open_database(f"sqlite:///{path}", clock=clock).dispose()
    open_database(f"sqlite:///{path}", clock=clock).dispose()
    con = sqlite3.connect(path)
    con.execute("DELETE FROM alembic_version")
    con.execute("INSERT INTO alembic_version VALUES ('9999_future')")
    con.commit()
    con.close()
    with pytest.raises(DatabaseError, match="newer"):
        open_database(f"sqlite:///{path}", clock=clock)


def test_backup_made_before_upgrade(tmp_path: Path, clock: FixedClock) -> None:
    path = tmp_path / "c.sqlite3"
    db = open_database(f"sqlite:///{path}", clock=clock)
    heads = current_revisions(db)
    db.dispose()
    # Pretend the file is at an older revision: step the newest revision back to its parent.
    from alembic.script import ScriptDirectory

    from app.db.migrate import alembic_config

    db = open_database(f"sqlite:///{path}", clock=clock)
    script = ScriptDirectory.from_config(alembic_config(db))
    db.dispose()
    head = sorted(heads)[-1]
    parent = script.get_revision(head).down_revision
    if parent is None:
        pytest.skip("only one revision: nothing to upgrade from")
    from alembic import command

    db = open_database(f"sqlite:///{path}", clock=clock)
    command.downgrade(alembic_config(db), "-1")  # the newest revision undone
    db.dispose()
    open_database(f"sqlite:///{path}", clock=clock).dispose()
    assert current_revisions(open_database(f"sqlite:///{path}", clock=clock)) == heads
    assert list(tmp_path.glob("c.pre-upgrade-*.sqlite3"))


def test_not_a_database(tmp_path: Path, clock: FixedClock) -> None:
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(DatabaseError):
        open_database(f"sqlite:///{path}", clock=clock)


def test_bad_url() -> None:
    with pytest.raises(DatabaseError, match="invalid database URL"):
        open_database("nonsense://")


def test_migrates_from_empty_on_postgresql(pg_url: str, clock: FixedClock) -> None:
    db = open_database(pg_url, clock=clock)
    try:
        from alembic.script import ScriptDirectory

        from app.db.migrate import alembic_config

        heads = set(ScriptDirectory.from_config(alembic_config(db)).get_heads())
        assert current_revisions(db) == heads
        with db.engine.connect() as conn:
            tables = set(conn.execute(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())
        assert {"service_order", "line", "customer", "audit_event", "intake_entry"} <= tables
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    finally:
        db.dispose()
    with pytest.raises(DatabaseError, match="newer"):
        open_database(pg_url, clock=clock)


@pytest.mark.sqlite_only("EXPLAIN QUERY PLAN is SQLite's; PostgreSQL's planner scans a "
                          "table this small whatever its indexes")
def test_lookups_use_indexes(demo_db) -> None:  # type: ignore[no-untyped-def]
    with demo_db.engine.connect() as conn:
        for sql in ("SELECT id FROM customer WHERE id_lookup = 'x'",
                    "SELECT id FROM line WHERE number = '13012345678'",
                    "SELECT id FROM line WHERE number >= '130' AND number < '131'",
                    "SELECT id FROM service_order WHERE order_no = 'x'",
                    f"SELECT id FROM service_order WHERE business_date = '{DAY}' "
                    "AND counter_id = 1"):
            plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
            assert "USING" in plan and "INDEX" in plan, (sql, plan)
