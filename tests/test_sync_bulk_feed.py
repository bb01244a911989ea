"""The server's feed written per statement (app/services/sync/hall/feed.py), against a real
PostgreSQL started by the test session:

* a first sync (rows COPYed in batches) leaves exactly one feed row per customer, line and
  order, with the pushing workstation as source and the order's hall;
* statement-level triggers keep the per-row rules: a versioned row updated to the same values
  adds nothing, a changed one adds one row; every updated owned row adds one; the rows an
  ``INSERT ... ON CONFLICT DO UPDATE`` updates are fed; a key person's insert and delete feed
  its customer;
* a server whose feed triggers are the older per-row ones gets them replaced by statement-level
  ones under the same names, without the feed being seeded a second time.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from app.clock import FixedClock
from app.db import Database, open_database
from app.services.sync.hall.feed import HALL_OF, install_feed_triggers
from app.services.sync.run import run_sync
from bench.generate import generate
from tests.builders import DAY

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bulk-feed") / "generated.sqlite3"
    generate(f"sqlite:///{path}", orders=120, customers=60, day=DAY)
    return path


def workstation(generated: Path, folder: Path, clock: FixedClock) -> Database:
    target = folder / "ws.sqlite3"
    shutil.copyfile(generated, target)
    return open_database(f"sqlite:///{target}", clock=clock)


@contextmanager
def synced(generated: Path, tmp_path: Path, clock: FixedClock, url: str) -> Iterator[Database]:
    """A generated workstation's first sync, in several batches; then the server, opened."""
    ws = workstation(generated, tmp_path, clock)
    try:
        report = run_sync(ws, url, origin="WSF", push_rows=100)  # several batches
        assert report.pushed["service_order"] == 120 and not report.issues
    finally:
        ws.dispose()
    server = open_database(url, migrate=False)
    try:
        yield server
    finally:
        server.dispose()


def feed_since(conn: Connection, seq: int) -> list[tuple[str, str, str | None, str | None]]:
    return [tuple(r) for r in conn.execute(text(
        "SELECT kind, row_uid, source, hall_code FROM sync_feed WHERE seq > :s ORDER BY seq"),
        {"s": seq})]


def last_seq(conn: Connection) -> int:
    return int(conn.execute(text("SELECT coalesce(max(seq), 0) FROM sync_feed")).scalar_one())


def test_a_first_sync_feeds_each_row_once_with_its_source_and_hall(
        generated: Path, tmp_path: Path, clock: FixedClock, pg_url: str) -> None:
    with synced(generated, tmp_path, clock, pg_url) as server, server.engine.connect() as conn:
        hall = conn.execute(text("SELECT code FROM hall")).scalar_one()
        for kind, hall_code in (("customer", None), ("line", None),
                                ("service_order", hall)):
            uids = set(conn.execute(text(f"SELECT uid FROM {kind}")).scalars())
            fed = Counter(tuple(r) for r in conn.execute(text(
                "SELECT row_uid, source, hall_code FROM sync_feed WHERE kind = :k"),
                {"k": kind}))
            assert len(uids) == {"customer": 60, "line": 60, "service_order": 120}[kind]
            assert fed == Counter({(u, "WSF", hall_code): 1 for u in uids}), kind
        triggers = dict(conn.execute(text(
            "SELECT tgname, tgtype FROM pg_trigger WHERE tgname LIKE 'sync_feed_%'")).all())
        assert triggers and not any(t & 1 for t in triggers.values())  # none per row


def test_statement_triggers_keep_the_per_row_rules(
        generated: Path, tmp_path: Path, clock: FixedClock, pg_url: str) -> None:
    with synced(generated, tmp_path, clock, pg_url) as server, server.engine.begin() as conn:
        conn.execute(text("SELECT set_config('counter.sync_origin', 'SRV', true)"))
        hall = conn.execute(text("SELECT code FROM hall")).scalar_one()
        customers = list(conn.execute(text(
            "SELECT id, uid FROM customer ORDER BY id LIMIT 3")).all())
        orders = list(conn.execute(text(
            "SELECT id, uid FROM service_order ORDER BY id LIMIT 4")).all())
        start = last_seq(conn)

        # versioned, same values: nothing; changed: one row each
        conn.execute(text("UPDATE customer SET name = name WHERE id = ANY(:ids)"),
                     {"ids": [c.id for c in customers]})
        assert feed_since(conn, start) == []
        conn.execute(text("UPDATE customer SET name = name || '·' WHERE id = :id"),
                     {"id": customers[0].id})
        assert feed_since(conn, start) == [("customer", customers[0].uid, "SRV", None)]

        # owned, even unchanged (its children may have been replaced): one row each
        start = last_seq(conn)
        conn.execute(text("UPDATE service_order SET status = status WHERE id = ANY(:ids)"),
                     {"ids": [o.id for o in orders]})
        assert sorted(feed_since(conn, start)) == sorted(
            ("service_order", o.uid, "SRV", hall) for o in orders)

        # INSERT ... ON CONFLICT DO UPDATE: the updated rows reach the UPDATE trigger
        start = last_seq(conn)
        conn.execute(text(
            "INSERT INTO customer SELECT * FROM customer WHERE id = ANY(:ids) "
            "ON CONFLICT (uid) DO UPDATE SET version = customer.version + 1"),
            {"ids": [c.id for c in customers[1:]]})
        assert sorted(feed_since(conn, start)) == sorted(
            ("customer", c.uid, "SRV", None) for c in customers[1:])

        # a key person added and removed: its customer, twice
        start = last_seq(conn)
        kp = conn.execute(text(
            "INSERT INTO key_person (customer_id, role, name) VALUES (:c, 'contact', '联系人') "
            "RETURNING id"), {"c": customers[2].id}).scalar_one()
        conn.execute(text("DELETE FROM key_person WHERE id = :id"), {"id": kp})
        assert feed_since(conn, start) == [("customer", customers[2].uid, "SRV", None)] * 2


def test_per_row_triggers_of_an_older_server_are_replaced_without_seeding_again(
        pg_url: str) -> None:
    server = open_database(pg_url)  # migrated, no feed triggers yet
    try:
        with server.engine.begin() as conn:
            tables = [t for t in HALL_OF
                      if conn.execute(text("SELECT to_regclass(:t)"), {"t": t}).scalar()]
            # a row to seed: seeding the feed a second time would show
            conn.execute(text("INSERT INTO hall (code, name, carrier, star, config, created_at) "
                              "VALUES ('H01', '营业厅', 'CM', 3, '{}', '2026-11-22 02:00')"))
            conn.execute(text(
                "CREATE FUNCTION old_feed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "INSERT INTO sync_feed (txid, kind, row_uid) VALUES (1, TG_TABLE_NAME, 'old'); "
                "RETURN NULL; END $$"))
            for table in tables:  # what the older program installed: per row, same names
                for suffix, op in (("i", "INSERT"), ("u", "UPDATE"), ("d", "DELETE")):
                    if suffix == "d" and table != "key_person":
                        continue
                    conn.execute(text(f"CREATE TRIGGER sync_feed_{table}_{suffix} AFTER {op} "
                                      f"ON {table} FOR EACH ROW EXECUTE FUNCTION old_feed()"))
            before = conn.execute(text("SELECT count(*) FROM sync_feed")).scalar_one()
        with server.engine.begin() as conn:
            assert install_feed_triggers(conn) is True
            kinds = dict(conn.execute(text(
                "SELECT tgname, tgtype & 1 FROM pg_trigger WHERE tgname LIKE 'sync_feed_%'"
            )).all())
            assert conn.execute(text("SELECT count(*) FROM sync_feed")).scalar_one() == before
        assert len(kinds) == 2 * len(tables) + 1 and set(kinds.values()) == {0}
        with server.engine.begin() as conn:
            assert install_feed_triggers(conn) is False  # in place: nothing to do
            start = last_seq(conn)
            conn.execute(text("UPDATE hall SET name = name || '·'"))
            assert [k for k, *_ in feed_since(conn, start)] == ["hall"]  # the new trigger
    finally:
        server.dispose()
