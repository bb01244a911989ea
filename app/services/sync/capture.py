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

from app.services.sync.hall.feed import install_feed_triggers
from app.services.sync.tables import Capture, captures

TRIGGER_PREFIX: Final = "sync_cap1"
STAFF_VERSION_TRIGGER: Final = "sync_ver1_staff"


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
    if "staff" in names and STAFF_VERSION_TRIGGER not in existing:
        install_staff_version(conn)
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


def install_staff_version(conn: Connection) -> None:
    """Every change to a staff row here raises its `version` (staff travel as versioned rows,
    `hall.staff`). A write that sets the version itself (a pull) is left as it is."""
    conn.execute(text(
        f"CREATE TRIGGER IF NOT EXISTS {STAFF_VERSION_TRIGGER} AFTER UPDATE ON staff "
        "WHEN NEW.version IS OLD.version BEGIN "
        "UPDATE staff SET version = COALESCE(OLD.version, 0) + 1 WHERE id = NEW.id; END"))


__all__ = ["install_feed_triggers", "install_outbox_triggers", "install_staff_version",
           "outbox_tables_captured"]
