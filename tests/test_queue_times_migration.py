"""Migration 0006 (queue tickets) on SQLite and PostgreSQL: a database with orders, taken back
to 0005, upgrades again with its orders and their seals intact; the migrated schema is the
models' (tables, the partial unique index, the order's foreign key)."""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, select

from app.clock import FixedClock
from app.db import Database, open_database
from app.db.migrate import MIGRATIONS, current_revisions
from app.models import Base, QueueTicket, ServiceOrder
from app.services.audit.verify import verify_audit
from app.services.day.queue_visits import record_ticket
from app.services.orders.service import OrderService
from tests.test_queue_times import clerk_on_shift, pay_bill

BEFORE = "0005_idempotency_anchor"


def _alembic(url: str) -> tuple[Config, Any]:
    engine = create_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg, engine


def _queue_diffs(engine: Any) -> list[Any]:
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    return [d for d in diffs if "queue_ticket" in repr(d)]


def test_upgrade_from_0005_keeps_orders_and_their_seals(db_url: str, demo_db: Database,
                                                        clock: FixedClock) -> None:
    svc = OrderService(demo_db)
    li = clerk_on_shift(demo_db, "C001", "C01")
    before = pay_bill(svc, li, "18612340301")
    demo_db.dispose()

    cfg, engine = _alembic(db_url)
    try:
        command.downgrade(cfg, BEFORE)
        columns = {c["name"] for c in inspect(engine).get_columns("service_order")}
        assert "queue_ticket_id" not in columns
        assert "queue_ticket" not in inspect(engine).get_table_names()
    finally:
        engine.dispose()

    db = open_database(db_url, clock=clock)  # the program upgrades it on opening
    try:
        # upgraded through 0006 to the newest revision
        assert current_revisions(db) == set(ScriptDirectory.from_config(cfg).get_heads())
        with db.read() as s:
            order = s.execute(select(ServiceOrder).where(ServiceOrder.order_no == before)
                              ).scalar_one()
            assert order.queue_ticket_id is None and order.total_fen == 5000
        assert verify_audit(db).ok  # the old order's seal still holds

        visit = record_ticket(db, li, "A001", "9:50")
        after = pay_bill(OrderService(db), li, "18612340302")
        with db.read() as s:
            linked = s.execute(select(ServiceOrder.queue_ticket_id)
                               .where(ServiceOrder.order_no == after)).scalar_one()
            assert linked == visit.ticket_id
            assert s.get(QueueTicket, visit.ticket_id) is not None
        report = verify_audit(db)
        assert report.ok, report.rows
    finally:
        db.dispose()


def test_migrated_schema_is_the_models(db_url: str, db: Database) -> None:
    _cfg, engine = _alembic(db_url)
    try:
        assert _queue_diffs(engine) == []
        indexes = {i["name"]: i for i in inspect(engine).get_indexes("queue_ticket")}
        assert indexes["uq_queue_ticket_serving"]["unique"]
        fks = inspect(engine).get_foreign_keys("service_order")
        assert any(fk["referred_table"] == "queue_ticket"
                   and fk["constrained_columns"] == ["queue_ticket_id"] for fk in fks)
    finally:
        engine.dispose()
