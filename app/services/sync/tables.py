"""Which tables central sync moves, in which order, and how their rows are recognised.

Every synced row has a key that means the same on every database: `uid` (and `order_no` for
orders, which has its own unique constraint). Local integer ids never leave the workstation:
a foreign key is sent as the referenced row's natural key and turned back into the server's
id there (`hall` by code, `counter` by hall code and code, `staff` by staff number, anything
with a `uid` by uid).

Kinds of table:

* ``versioned`` (customer, line): edited at several counters; the higher `version` wins (ties
  by `updated_at`, then `origin`), and every version seen is kept in the history tables.
  Pulled back by the workstations.
* ``owned``: written only by the workstation that made the row (orders, intake log,
  follow-ups, the day's tables); the server takes the workstation's current row as it is.
  Their children (rows without a uid, e.g. an order's fees) travel with them and are
  replaced as a whole on the server.
* ``history``: line history rows, added once per (line, version, origin).
* ``audit``: audit events, copied verbatim into `synced_audit_event` under the workstation's
  origin, never re-chained.
* ``staff``: staff accounts (password hash, role, active, lockout, forced change), edited at
  any counter of the hall; the higher `version` wins (raised by a local trigger on every
  change, `capture`), and a placeholder the server made for an unknown staff number always
  loses (`hall.staff`).
* ``hall``: the hall's own settings (`config`), the higher `settings_rev` wins.

Owned rows, staff, the hall and its dated tariffs are pulled back by the other workstations of
the same hall (`hall.owned`), so the day's views cover the whole hall everywhere.

Tables this program version does not have (e.g. the day's tables before they are merged) are
skipped. A hand-over's `subject_id` points at rows of several tables by local id: it travels
as the subject's uid (kind ``handover``, `hall.handover`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Table

from app.models import Base

Kind = Literal["versioned", "owned", "history", "audit", "staff", "hall", "handover"]


@dataclass(frozen=True)
class Child:
    table: str
    fk: str  # the column that points at the parent row
    children: tuple[Child, ...] = ()


@dataclass(frozen=True)
class SyncedTable:
    table: str
    kind: Kind
    children: tuple[Child, ...] = ()
    note: str = ""

    @property
    def sa_table(self) -> Table:
        return Base.metadata.tables[self.table]


ORDER_CHILDREN = (Child("order_document", "order_id"), Child("order_fee", "order_id"),
                  Child("order_payment", "order_id"), Child("signature_record", "order_id"),
                  Child("printed_document", "order_id"))

# Parents before children: a batch is applied in this order.
SYNC_ORDER: tuple[SyncedTable, ...] = (
    SyncedTable("hall", "hall"),
    SyncedTable("staff", "staff"),  # before every row that names a clerk
    SyncedTable("tariff_rate", "owned"),
    SyncedTable("customer", "versioned", (Child("key_person", "customer_id"),)),
    SyncedTable("line", "versioned"),
    SyncedTable("queue_ticket", "owned"),  # before the orders that point at it
    SyncedTable("service_order", "owned", ORDER_CHILDREN),
    SyncedTable("line_history", "history"),
    SyncedTable("intake_entry", "owned"),
    SyncedTable("follow_up", "owned"),
    SyncedTable("shift", "owned", (
        Child("stock_count", "shift_id"),
        Child("shift_close", "shift_id", (Child("shift_close_line", "close_id"),)))),
    SyncedTable("stock_voucher", "owned"),  # receipts and transfers, before their movements
    SyncedTable("stock_movement", "owned"),
    SyncedTable("cash_entry", "owned"),
    SyncedTable("order_void", "owned"),
    SyncedTable("day_signoff", "owned"),
    SyncedTable("correction", "owned"),
    SyncedTable("complaint", "owned"),
    SyncedTable("fault_ticket", "owned"),
    SyncedTable("handover", "handover"),  # after what it hands over (`hall.handover`)
    SyncedTable("audit_event", "audit"),
)

# Referenced, never pushed as such: made on the server when a pushed row needs them.
REFERENCE_TABLES = ("hall", "counter", "staff")
NOT_SYNCED: dict[str, str] = {}


@dataclass(frozen=True)
class Capture:
    """A trigger source: changes to `table` mark the row `target` (by `row_expr`) as changed."""

    table: str
    target: str
    row_expr: str  # SQL over NEW/OLD giving the target's local id


def captures() -> list[Capture]:
    """Every table whose changes must reach the outbox, with the row they mark.

    `row_expr` is written over the alias ``R`` (NEW or OLD in the trigger)."""
    out: list[Capture] = []
    for spec in SYNC_ORDER:
        out.append(Capture(spec.table, spec.table, "R.id"))
        for child in spec.children:
            out.append(Capture(child.table, spec.table, f"R.{child.fk}"))
            for grand in child.children:
                out.append(Capture(grand.table, spec.table,
                                   f"(SELECT {child.fk} FROM {child.table} "
                                   f"WHERE id = R.{grand.fk})"))
    return out


def present(names: set[str]) -> list[SyncedTable]:
    """The synced tables both this program and the given database know."""
    return [t for t in SYNC_ORDER if t.table in Base.metadata.tables and t.table in names]


def spec_of(table: str) -> SyncedTable | None:
    return next((t for t in SYNC_ORDER if t.table == table), None)
