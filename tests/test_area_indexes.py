"""The area server: migration 0015's indexes (on SQLite and PostgreSQL) and the day views of
one hall on a database that holds several.

* the indexes exist after the migration, match the models (autogenerate finds nothing to do),
  go away on a downgrade to 0014 and come back when the program opens the database again;
* a hall's day view and daily report show its own voids, refunds and stock use, and none of
  another hall's: the same rows moved to a second hall leave the first hall's views (they
  stayed there before the views filtered by hall).
"""

from __future__ import annotations

import importlib.util
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, select, text

from app.clock import FixedClock
from app.db import open_database
from app.db.migrate import MIGRATIONS
from app.models import Base, Hall
from app.services.day.reports import build_daily_report, run_queries
from app.services.day.review import overview
from app.services.hall.demo import DEMO_PASSWORD
from app.services.staff.auth import login
from tests.builders import DAY
from tests.test_signoff_revenue import a_day


def _area_indexes() -> tuple[tuple[str, str, list[str]], ...]:
    spec = importlib.util.spec_from_file_location(
        "area_indexes", MIGRATIONS / "versions" / "0015_area_indexes.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.INDEXES  # type: ignore[no-any-return]


def _indexes(engine: Any) -> dict[str, tuple[str, list[str]]]:
    found = {}
    for _name, table, _cols in _area_indexes():
        for ix in inspect(engine).get_indexes(table):
            found[ix["name"]] = (table, list(ix["column_names"]))
    return found


def test_area_indexes_migrate_both_ways_and_match_the_models(db_url: str,
                                                              clock: FixedClock) -> None:
    db = open_database(db_url, clock=clock)
    try:
        present = _indexes(db.engine)
        for name, table, cols in _area_indexes():
            assert present.get(name) == (table, cols), name
        with db.engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        names = {n for n, _t, _c in _area_indexes()}
        assert [d for d in diffs if any(n in repr(d) for n in names)] == []
    finally:
        db.dispose()

    engine = create_engine(db_url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    try:
        command.downgrade(cfg, "0014_hall_pull")
        assert not names & set(_indexes(engine))
    finally:
        engine.dispose()
    db = open_database(db_url, clock=clock)  # the program upgrades it on opening
    try:
        assert names <= set(_indexes(db.engine))
    finally:
        db.dispose()


def test_a_halls_day_views_leave_out_another_halls_rows(demo_db: Any,
                                                        clock: FixedClock) -> None:
    db = demo_db
    a_day(db, clock)  # a void, a cash refund, a SIM card used: all in the demo hall
    supervisor = login(db, "S001", DEMO_PASSWORD, "C01")
    here = supervisor.hall_id
    mine = overview(db, supervisor, DAY)
    assert {r.kind for r in mine.voids} == {"void", "refund"}
    with db.read() as s:
        raw = run_queries(s, here, DAY)
    assert raw.voids and raw.refunds and raw.stock_used

    # The same rows, now another hall's: its counters, orders, shifts and intake log.
    with db.session() as s:
        other = Hall(code="OTHER01", name="另一营业厅", carrier="unicom", star=3, config={})
        s.add(other)
        s.flush()
        there = other.id
        s.execute(text("UPDATE counter SET hall_id = :h WHERE hall_id = :a"),
                  {"h": there, "a": here})
        for table in ("service_order", "shift", "intake_entry"):
            s.execute(text(f"UPDATE {table} SET hall_id = :h WHERE hall_id = :a"),
                      {"h": there, "a": here})
    assert overview(db, supervisor, DAY).voids == []
    with db.read() as s:
        raw = run_queries(s, here, DAY)
        assert (raw.voids, raw.refunds, raw.stock_used, raw.stock_received) == ([], [], [], [])
        moved = run_queries(s, there, DAY)
        assert moved.voids and moved.refunds and moved.stock_used
    report = build_daily_report(db, DAY, hall_id=there)
    assert report.hall_code == "OTHER01"
    assert sum(line.orders for line in report.services) > 0
    with db.read() as s:
        assert s.execute(select(Hall.code).where(Hall.id == here)).scalar() != "OTHER01"
