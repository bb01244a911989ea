"""The server's change feed (`sync_feed`), filled by triggers: what the workstations pull.

Every stored version of a customer or line, every staff row, the hall's settings and tariffs,
and every row a workstation pushes of the day's tables (orders, shifts, intake log, ...) adds
one feed row: its kind (the table), its key (`uid`; the hall's code for the hall), the
workstation that pushed it (`source`, so it does not pull back its own rows) and the hall it
belongs to (`hall_code`; NULL for customers and lines, which every hall shares), so that a
workstation of an area server pulls only its hall.

Owned rows are pushed with ``INSERT ... ON CONFLICT DO UPDATE``, which fires the UPDATE trigger
even when only the row's children changed (they are replaced with it), so their triggers have
no ``WHEN`` clause; versioned rows (customer, line, staff) add a feed row only when they
changed. A row's hall is found by its `hall_id`, or through the parent named by the trigger's
arguments (a follow-up through its order).

The feed is seeded with every row of a table when the table's triggers are first installed,
all under one advisory lock, so two workstations syncing for the first time at once seed
nothing twice.
"""

from __future__ import annotations

from typing import Final

from sqlalchemy import Connection, inspect, text

# table -> how its hall is found: "hall_id", "self" (the hall itself), a (column, parent table)
# whose parent has a hall_id, or None (shared by every hall).
HALL_OF: Final[dict[str, str | tuple[str, str] | None]] = {
    "customer": None, "line": None, "key_person": None,
    "hall": "self", "staff": "hall_id", "tariff_rate": "hall_id",
    "queue_ticket": "hall_id", "service_order": "hall_id", "intake_entry": "hall_id",
    "follow_up": ("order_id", "service_order"), "shift": "hall_id",
    "stock_voucher": "hall_id", "stock_movement": ("counter_id", "counter"),
    "cash_entry": ("counter_id", "counter"), "order_void": ("order_id", "service_order"),
    "day_signoff": "hall_id", "correction": ("signoff_id", "day_signoff"),
    "complaint": "hall_id", "fault_ticket": ("order_id", "service_order"),
    "handover": ("to_staff_id", "staff"),
}
# A feed row only when changed (the hall has JSON, which has no equality: rare writes anyway)
VERSIONED: Final = ("customer", "line", "staff")
FEED_TABLES: Final = tuple(t for t in HALL_OF if t != "key_person")

_FEED_FUNCTION = """
CREATE OR REPLACE FUNCTION sync_feed_capture() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  row_uid text;
  row_hall text;
  parent_id bigint;
BEGIN
  IF TG_TABLE_NAME = 'key_person' THEN
    SELECT uid INTO row_uid FROM customer
      WHERE id = (CASE WHEN TG_OP = 'DELETE' THEN OLD.customer_id ELSE NEW.customer_id END);
    IF row_uid IS NULL THEN RETURN NULL; END IF;
  ELSIF TG_TABLE_NAME = 'hall' THEN
    row_uid := NEW.code;
    row_hall := NEW.code;
  ELSE
    row_uid := NEW.uid;
  END IF;
  IF TG_NARGS = 1 THEN
    SELECT code INTO row_hall FROM hall WHERE id = NEW.hall_id;
  ELSIF TG_NARGS = 2 THEN
    parent_id := (to_jsonb(NEW) ->> TG_ARGV[0])::bigint;
    EXECUTE format('SELECT h.code FROM %I p JOIN hall h ON h.id = p.hall_id WHERE p.id = $1',
                   TG_ARGV[1]) INTO row_hall USING parent_id;
  END IF;
  INSERT INTO sync_feed (txid, kind, row_uid, source, hall_code) VALUES (
    pg_current_xact_id()::text::bigint,
    CASE WHEN TG_TABLE_NAME = 'key_person' THEN 'customer' ELSE TG_TABLE_NAME END,
    row_uid, NULLIF(current_setting('counter.sync_origin', true), ''), row_hall);
  RETURN NULL;
END $$
"""


def _ops(table: str) -> list[tuple[str, str]]:
    ops = [("i", "INSERT"), ("u", "UPDATE")]
    if table == "key_person":
        ops.append(("d", "DELETE"))
    return ops


def _wanted(table: str) -> set[str]:
    return {f"sync_feed_{table}_{suffix}" for suffix, _ in _ops(table)}


def _seed_sql(table: str) -> str:
    """Every row of `table` into the feed, with its hall."""
    how = HALL_OF[table]
    key = "t.code" if table == "hall" else "t.uid"
    if how is None:
        hall, join = "NULL", ""
    elif how == "self":
        hall, join = "t.code", ""
    elif how == "hall_id":
        hall, join = "h.code", " LEFT JOIN hall h ON h.id = t.hall_id"
    else:
        assert isinstance(how, tuple)
        col, parent = how
        hall, join = "h.code", (f" LEFT JOIN {parent} p ON p.id = t.{col}"
                                " LEFT JOIN hall h ON h.id = p.hall_id")
    return (f"INSERT INTO sync_feed (txid, kind, row_uid, hall_code) "
            f"SELECT pg_current_xact_id()::text::bigint, '{table}', {key}, {hall} "
            f"FROM {table} t{join} ORDER BY t.id")


def _present(conn: Connection) -> set[str]:
    return set(conn.execute(text(
        "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'sync_feed_%'")).scalars())


def _missing(conn: Connection, tables: set[str]) -> list[str]:
    have = _present(conn)
    return [t for t in HALL_OF if t in tables and not _wanted(t) <= have]


def install_feed_triggers(conn: Connection) -> bool:
    """Create the server's missing feed triggers, seeding the feed with every row of each
    table newly captured. Returns whether anything was installed. Call inside a transaction.

    Two workstations syncing for the first time at once: the second waits on the lock (held
    to the end of the transaction), then finds the triggers there and seeds nothing twice."""
    tables = set(inspect(conn).get_table_names())
    if not _missing(conn, tables):
        return False
    conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('counter:sync-feed'))"))
    missing = _missing(conn, tables)
    if not missing:
        return False
    conn.execute(text(f"LOCK TABLE {', '.join(missing)} IN SHARE ROW EXCLUSIVE MODE"))
    conn.execute(text(_FEED_FUNCTION))
    for table in missing:
        how = HALL_OF[table]
        args = ("'hall_id'" if how == "hall_id" else
                f"'{how[0]}', '{how[1]}'" if isinstance(how, tuple) else "")
        when = "WHEN (OLD.* IS DISTINCT FROM NEW.*)" if table in VERSIONED else ""
        for suffix, op in _ops(table):
            name = f"sync_feed_{table}_{suffix}"
            conn.execute(text(f"DROP TRIGGER IF EXISTS {name} ON {table}"))
            conn.execute(text(f"CREATE TRIGGER {name} AFTER {op} ON {table} FOR EACH ROW "
                              f"{when if op == 'UPDATE' else ''} "
                              f"EXECUTE FUNCTION sync_feed_capture({args})"))
        if table != "key_person":
            conn.execute(text(_seed_sql(table)))
    return True
