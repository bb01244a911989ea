"""Which business rows the audit log seals, and noting the ones a session writes.

Each audit event carries a keyed hash (a seal) of the business rows its transaction wrote
(`app.services.audit.seals`): an order with its fees, payments and documents, a line's state,
a customer's name and identity fields as stored, a staff account with its role, password hash
and whether it is active. `counter audit verify` recomputes the seals from the tables, so a
row edited, deleted or inserted past the program shows, named.

Here: what a seal covers (tables and columns, listed explicitly so that a column added later
never changes the seal of an old row) and a listener that notes, per session, every sealed row
the ORM writes (new, changed in a sealed column, or deleted) for the next `audit.record()` of
the transaction. Rows written with plain SQL statements (sync pull, bulk tools) are not seen
here: their writers name them to `record(seal=...)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, UOWTransaction


@dataclass(frozen=True)
class SealedChild:
    """Rows sealed as part of their parent (an order's fees): no key of their own."""

    table: str
    parent_fk: str
    columns: tuple[str, ...]
    # Columns added later: sealed only when set, so the rows written before them (NULL
    # there) keep the seal they were given.
    optional: tuple[str, ...] = ()


@dataclass(frozen=True)
class SealedTable:
    table: str
    columns: tuple[str, ...]  # sealed columns; each row is keyed `<table>:<uid>`
    # Foreign keys are sealed as the referenced row's natural key (`NATURAL_KEYS`), so that
    # a seal means the same on every database the row is copied to (sync).
    refs: dict[str, str] = field(default_factory=dict)
    children: tuple[SealedChild, ...] = ()


NATURAL_KEYS: Final = {"hall": "code", "counter": "code", "staff": "staff_no",
                       "customer": "uid", "line": "uid"}

ORDER_CHILDREN: Final = (
    SealedChild("order_fee", "order_id", ("item", "name", "amount_fen")),
    SealedChild("order_payment", "order_id",
                ("method", "amount_fen", "tendered_fen", "change_fen", "reference")),
    SealedChild("order_document", "order_id",
                ("code", "original_seen", "copy_retained", "number_masked", "scan_sha256",
                 "scan_name"), optional=("valid_until",)),
)

SEALED: Final = {t.table: t for t in (
    SealedTable("service_order", (
        "uid", "order_no", "hall_id", "counter_id", "staff_id", "channel", "service", "carrier",
        "business_date", "status", "customer_id", "line_id", "line_number", "presenter_role",
        "presenter_name", "presenter_id_type", "presenter_id_enc", "presenter_id_masked",
        "details", "outcome", "line_before", "line_after", "total_fen", "effective",
        "content_hash", "started_at", "created_at", "voided_at", "voided_by", "void_reason",
        "authorized_by", "idempotency_key"),
        refs={"hall_id": "hall", "counter_id": "counter", "staff_id": "staff",
              "customer_id": "customer", "line_id": "line", "voided_by": "staff",
              "authorized_by": "staff"},
        children=ORDER_CHILDREN),
    SealedTable("customer", (
        "uid", "kind", "name", "id_type", "id_enc", "id_lookup", "id_masked", "unit_name",
        "reg_type", "reg_enc", "reg_lookup", "reg_masked")),
    SealedTable("line", (
        "uid", "number", "customer_id", "kind", "payment", "status", "status_before_loss",
        "arrears_fen", "balance_fen", "points", "contract_end", "nice_number_until",
        "subsidy_until", "campaign_until", "relocated_keep_number", "prepaid_phase",
        "lock_expired", "blacklisted", "vip", "collection_exempt", "roaming_open",
        "roaming_prepayment_fen", "realname", "package", "sim_serial", "opened_on", "version"),
        refs={"customer_id": "customer"}),
    SealedTable("staff", ("uid", "hall_id", "staff_no", "name", "role", "password_hash",
                          "active"), refs={"hall_id": "hall"}),
)}

_CHILD_OF: Final = {c.table: (t.table, c) for t in SEALED.values() for c in t.children}

WRITTEN: Final = "sealed.written"  # session.info: {(table, id)} of sealed rows written
DELETED: Final = "sealed.deleted"  # session.info: {"table:uid"} of sealed rows deleted


def row_key(table: str, uid: str) -> str:
    """How a sealed row is named in an event's seals and in a verification report."""
    return f"{table}:{uid}"


def _changed(obj: Any, columns: Iterable[str]) -> bool:
    attrs = inspect(obj).attrs
    return any(attrs[c].history.has_changes() for c in columns if c in attrs)


def _note_written(session: Session, _flush: UOWTransaction) -> None:
    """After each flush (new/dirty/deleted still show what was flushed): note sealed rows."""
    written: set[tuple[str, int]] = session.info.setdefault(WRITTEN, set())
    deleted: set[str] = session.info.setdefault(DELETED, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(getattr(obj, "__table__", None), "name", None)
        if table in SEALED:
            if obj in session.deleted:
                deleted.add(row_key(table, obj.uid))
            elif obj in session.new or _changed(obj, SEALED[table].columns):
                written.add((table, obj.id))
        elif table in _CHILD_OF:
            parent, child = _CHILD_OF[table]
            if obj in session.new or obj in session.deleted or _changed(
                    obj, child.columns + child.optional):
                parent_id = getattr(obj, child.parent_fk)
                if parent_id is not None:
                    written.add((parent, parent_id))


def _forget(session: Session, *_: Any) -> None:
    session.info.pop(WRITTEN, None)
    session.info.pop(DELETED, None)


event.listen(Session, "after_flush", _note_written)
event.listen(Session, "after_commit", _forget)
event.listen(Session, "after_rollback", _forget)
