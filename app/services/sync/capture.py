"""Change capture by trigger: the workstation's outbox (SQLite) and the server's feed
(PostgreSQL).

Triggers, not application code, so that every writer is caught (the order service, the day's
services, a void, a future screen) without any of them knowing about sync. They are installed
when sync first runs (and re-installed if a later migration rebuilt a table and so dropped its
triggers); at installation every existing row of that table is put into the outbox/feed, so
nothing written before is missed. Installing and seeding happen in one write transaction.

Outbox rows are in commit order: SQLite has one writer at a time. Feed rows are not (several
transactions write at once on the server), so each carries the id of its transaction; a pull
only takes rows of transactions older than every transaction still running (the snapshot's
xmin), which can no longer change, and remembers how far it got by (txid, seq). No lock is
held from the trigger to the commit, so the feed never makes writers wait on each other.
"""

from __future__ import annotations

from typing import Final

from sqlalchemy import Connection, inspect, text

from app.services.sync.tables import Capture, captures

TRIGGER_PREFIX: Final = "sync_cap1"
FEED_TABLES: Final = ("customer", "line")


def _trigger_names(cap: Capture) -> dict[str, str]:
    ops = {"INSERT": "i", "UPDATE": "u"}
    if cap.target != cap.table:
        ops["DELETE"] = "d"  # a removed child changes its parent
    return {op: f"{TRIGGER_PREFIX}_{cap.table}_{suffix}" for op, suffix in ops.items()}


def install_outbox_triggers(conn: Connection) -> list[str]:
    """Create missing outbox triggers on a SQLite workstation; seed the outbox for each table
    that was not captured yet. Returns the tables newly captured. Call inside a write
    transaction."""
    names = set(inspect(conn).get_table_names())
    existing = set(conn.execute(text(
        "SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())
    fresh: list[str] = []
    seeded: set[str] = set()
    for cap in captures():
        if cap.table not in names or cap.target not in names:
            continue
        triggers = _trigger_names(cap)
        if set(triggers.values()) <= existing:
            continue
        for op, name in triggers.items():
            alias = "OLD" if op == "DELETE" else "NEW"
            expr = cap.row_expr.replace("R.", f"{alias}.")
            conn.execute(text(
                f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {op} ON {cap.table} "
                f"BEGIN INSERT INTO sync_outbox (tbl, row_id) VALUES ('{cap.target}', {expr}); "
                "END"))
        fresh.append(cap.table)
        if cap.target in seeded and cap.target != cap.table:
            continue  # the parent rows are all in the outbox already
        expr = cap.row_expr.replace("R.", "t.")
        conn.execute(text(
            f"INSERT INTO sync_outbox (tbl, row_id) SELECT DISTINCT '{cap.target}', {expr} "
            f"FROM {cap.table} t WHERE {expr} IS NOT NULL ORDER BY 2"))
        seeded.add(cap.target)
    return fresh


def outbox_tables_captured(conn: Connection) -> bool:
    existing = set(conn.execute(text(
        "SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())
    return f"{TRIGGER_PREFIX}_service_order_i" in existing


_FEED_FUNCTION = """
CREATE OR REPLACE FUNCTION sync_feed_capture() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  row_uid text;
BEGIN
  IF TG_TABLE_NAME = 'key_person' THEN
    SELECT uid INTO row_uid FROM customer
      WHERE id = (CASE WHEN TG_OP = 'DELETE' THEN OLD.customer_id ELSE NEW.customer_id END);
    IF row_uid IS NULL THEN RETURN NULL; END IF;
  ELSE
    row_uid := NEW.uid;
  END IF;
  INSERT INTO sync_feed (txid, kind, row_uid, source) VALUES (
    pg_current_xact_id()::text::bigint,
    CASE WHEN TG_TABLE_NAME = 'key_person' THEN 'customer' ELSE TG_TABLE_NAME END,
    row_uid, NULLIF(current_setting('counter.sync_origin', true), ''));
  RETURN NULL;
END $$
"""


def _feed_triggers_present(conn: Connection) -> bool:
    present = set(conn.execute(text(
        "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'sync_feed_%'")).scalars())
    wanted = {f"sync_feed_{t}_{op}" for t in (*FEED_TABLES, "key_person") for op in ("i", "u")}
    wanted.add("sync_feed_key_person_d")
    return wanted <= present


def install_feed_triggers(conn: Connection) -> bool:
    """Create the server's feed triggers if missing (seeding the feed with every customer and
    line already there). Returns whether anything was installed. Call inside a transaction.

    Two workstations syncing for the first time at once: the second waits on the lock (held
    to the end of the transaction), then finds the triggers there and seeds nothing twice."""
    if _feed_triggers_present(conn):
        return False
    conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('counter:sync-feed'))"))
    if _feed_triggers_present(conn):
        return False
    conn.execute(text("LOCK TABLE customer, line, key_person IN SHARE ROW EXCLUSIVE MODE"))
    conn.execute(text(_FEED_FUNCTION))
    for table in (*FEED_TABLES, "key_person"):
        ops = [("i", "INSERT", ""), ("u", "UPDATE", "WHEN (OLD.* IS DISTINCT FROM NEW.*)")]
        if table == "key_person":
            ops.append(("d", "DELETE", ""))
        for suffix, op, when in ops:
            name = f"sync_feed_{table}_{suffix}"
            conn.execute(text(f"DROP TRIGGER IF EXISTS {name} ON {table}"))
            conn.execute(text(f"CREATE TRIGGER {name} AFTER {op} ON {table} FOR EACH ROW "
                              f"{when} EXECUTE FUNCTION sync_feed_capture()"))
    for table in FEED_TABLES:
        conn.execute(text(f"INSERT INTO sync_feed (txid, kind, row_uid) "
                          f"SELECT pg_current_xact_id()::text::bigint, '{table}', uid "
                          f"FROM {table} ORDER BY id"))
    return True

