"""Migration 0011 (who closed a follow-up; owners' items by owner) on SQLite and PostgreSQL: a
database with follow-ups, taken back one step, upgrades again with its follow-ups, their
owners and the audit chain intact (rows closed before it name no closer); the migrated
follow_up table is the model's."""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, select

from app.clock import FixedClock
from app.db import Database, open_database
from app.db.migrate import MIGRATIONS, current_revisions
from app.models import Base, FollowUpTask
from app.services.audit.verify import verify_audit
from app.services.day import todo
from app.services.hall.demo import DEMO_PASSWORD
from app.services.staff.auth import login
from tests.test_todo import day_of_items, hall, serve

__all__ = ["hall", "serve"]

REVISION = "0011_followup_handover"


def _alembic(url: str) -> tuple[Config, Any]:
    engine = create_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg, engine


def test_upgrade_keeps_follow_ups_and_matches_the_model(db_url: str, hall: dict[str, Any],
                                                        clock: FixedClock) -> None:
    db: Database = hall["db"]
    day_of_items(hall)
    refund = todo.my_items(db, hall["c1"])[2]
    todo.close_item(db, hall["c1"], "follow_up", refund.id, "已退款")
    with db.read() as s:
        before = {(t.uid, t.task, t.status, t.owner_staff_id)
                  for t in s.execute(select(FollowUpTask)).scalars()}
    db.dispose()

    cfg, engine = _alembic(db_url)
    try:
        # To the revision before REVISION (later revisions are undone first).
        command.downgrade(cfg, "0009_id_validity_stock")
        assert "done_by" not in {c["name"] for c in inspect(engine).get_columns("follow_up")}
    finally:
        engine.dispose()

    db = open_database(db_url, clock=clock)  # the program upgrades it on opening
    try:
        # Up to the newest revision again (REVISION and any after it).
        from alembic.script import ScriptDirectory

        assert current_revisions(db) == set(ScriptDirectory.from_config(cfg).get_heads())
        with db.read() as s:
            tasks = list(s.execute(select(FollowUpTask)).scalars())
            assert {(t.uid, t.task, t.status, t.owner_staff_id) for t in tasks} == before
            assert all(t.done_by is None for t in tasks)  # closed before the column
        with db.engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert [d for d in diffs if "follow_up" in repr(d)] == []
        clerk = login(db, "C001", DEMO_PASSWORD, "C01")
        assert [i.kind for i in todo.my_items(db, clerk)] == ["fault", "complaint"]
        assert verify_audit(db).ok
    finally:
        db.dispose()
