"""The server's change feed (`sync_feed`), filled by triggers: what the workstations pull.

Every stored version of a customer or line, every staff row, the hall's settings and tariffs,
and every row a workstation pushes of the day's tables (orders, shifts, intake log, ...) adds
one feed row: its kind (the table), its key (`uid`; the hall's code for the hall), the
workstation that pushed it (`source`, so it does not pull back its own rows) and the hall it
belongs to (`hall_code`; NULL for customers and lines, which every hall shares), so that a
workstation of an area server pulls only its hall.

The triggers are statement-level with transition tables (``REFERENCING NEW TABLE``): one
``INSERT ... SELECT`` per statement writes the feed rows of all the rows it stored, so a push
of 20,000 rows runs its feed trigger once, not 20,000 times (a per-row PL/pgSQL trigger was
the largest server-side cost of a first sync). PostgreSQL allows transition tables only on
single-event triggers, hence one trigger per event; an ``INSERT ... ON CONFLICT DO UPDATE``
shows its inserted rows to the INSERT trigger and its updated ones to the UPDATE trigger.

Owned rows are pushed with ``INSERT ... ON CONFLICT DO UPDATE``, which updates the row even
when only its children changed (they are replaced with it), so every updated owned row adds a
feed row; versioned rows (customer, line, staff) add one only when they changed (the old and
new transition rows compared). A row's hall is found by its `hall_id`, or through the parent
named in `HALL_OF` (a follow-up through its order).

The feed is seeded with every row of a table when the table's triggers are first installed,
all under one advisory lock, so two workstations syncing for the first time at once seed
nothing twice. A server whose triggers are still the older per-row ones has them replaced
(same names, so a workstation of the older program finds them in place), without seeding again.
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

_TXID: Final = "pg_current_xact_id()::text::bigint"
_SOURCE: Final = "NULLIF(current_setting('counter.sync_origin', true), '')"


def _ops(table: str) -> list[tuple[str, str]]:
    ops = [("i", "INSERT"), ("u", "UPDATE")]
    if table == "key_person":
        ops.append(("d", "DELETE"))
    return ops


def _wanted(table: str) -> set[str]:
    return {f"sync_feed_{table}_{suffix}" for suffix, _ in _ops(table)}


def _select(table: str, rows: str) -> tuple[str, str]:
    """The feed columns (kind, row_uid, hall_code) of `table`'s rows in `rows` (the table or
    a transition table, aliased ``t``), and the FROM clause that gives them."""
    if table == "key_person":  # a key person changes its customer (a row only if it is there)
        return "'customer', c.uid, NULL", f"{rows} t JOIN customer c ON c.id = t.customer_id"
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
    return f"'{table}', {key}, {hall}", f"{rows} t{join}"


def _seed_sql(table: str) -> str:
    """Every row of `table` into the feed, with its hall."""
    columns, source = _select(table, table)
    return (f"INSERT INTO sync_feed (txid, kind, row_uid, hall_code) "
            f"SELECT {_TXID}, {columns} FROM {source} ORDER BY t.id")


def _function_sql(table: str) -> str:
    """The statement-level trigger function of `table`: the feed rows of the rows the
    statement inserted, updated (versioned: changed) or deleted, in one INSERT ... SELECT."""

    def feed(transition: str, where: str = "") -> str:
        columns, source = _select(table, transition)
        return (f"INSERT INTO sync_feed (txid, source, kind, row_uid, hall_code) "
                f"SELECT {_TXID}, {_SOURCE}, {columns} FROM {source}{where};")

    changed = (" JOIN sync_old_rows o ON o.id = t.id WHERE ROW(o.*) IS DISTINCT FROM ROW(t.*)"
               if table in VERSIONED else "")
    deleted = f"ELSIF TG_OP = 'DELETE' THEN {feed('sync_old_rows')}" \
        if table == "key_person" else ""
    return (f"CREATE OR REPLACE FUNCTION sync_feed_set_{table}() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP = 'INSERT' THEN {feed('sync_new_rows')} "
            f"ELSIF TG_OP = 'UPDATE' THEN {feed('sync_new_rows', changed)} {deleted} "
            "END IF; RETURN NULL; END $$")


def _trigger_sql(table: str, name: str, op: str) -> str:
    refs = {"INSERT": "NEW TABLE AS sync_new_rows",
            "UPDATE": ("OLD TABLE AS sync_old_rows " if table in VERSIONED else "")
            + "NEW TABLE AS sync_new_rows",
            "DELETE": "OLD TABLE AS sync_old_rows"}[op]
    return (f"CREATE TRIGGER {name} AFTER {op} ON {table} REFERENCING {refs} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION sync_feed_set_{table}()")


def _present(conn: Connection) -> dict[str, bool]:
    """The feed triggers there: name -> whether it is a per-row one (the older kind)."""
    return {name: bool(tgtype & 1) for name, tgtype in conn.execute(text(
        "SELECT tgname, tgtype FROM pg_trigger WHERE tgname LIKE 'sync_feed_%'"))}


def _missing(conn: Connection, tables: set[str]) -> list[str]:
    """Tables whose feed triggers are not all there, or are still per-row ones."""
    have = _present(conn)
    return [t for t in HALL_OF if t in tables
            and (not _wanted(t) <= have.keys() or any(have[n] for n in _wanted(t)))]


def install_feed_triggers(conn: Connection) -> bool:
    """Create the server's missing feed triggers (or replace per-row ones), seeding the feed
    with every row of each table newly captured. Returns whether anything was installed. Call
    inside a transaction.

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
    have = _present(conn)
    for table in missing:
        captured = bool(_wanted(table) & have.keys())  # per-row triggers: replaced, not seeded
        conn.execute(text(_function_sql(table)))
        for suffix, op in _ops(table):
            name = f"sync_feed_{table}_{suffix}"
            conn.execute(text(f"DROP TRIGGER IF EXISTS {name} ON {table}"))
            conn.execute(text(_trigger_sql(table, name, op)))
        if table != "key_person" and not captured:
            conn.execute(text(_seed_sql(table)))
    return True
