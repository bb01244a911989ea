"""What the exported files hold: the columns of the flat formats (CSV, XLSX), the tables of
the day's module, and how values are written and personal data masked.

Personal data is masked with `mask_name` (a unit's name is not personal data) and
`mask_mobile` (``138****1234``: line numbers, contact phones, and the phone numbers held in
JSON values, found by their keys); ID numbers are exported as their stored masks (`*_masked`
columns). A value that is masked already stays as it is, so an import of a masked export,
exported again, gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, Final

from sqlalchemy import Table

from app.models import Base
from app.security import mask_mobile, mask_name

Record = dict[str, Any]


def iso(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def utc_text(value: datetime | str) -> str:
    """A stored UTC time as ISO 8601 text, the same whether the database gave an object
    (PostgreSQL) or its stored text (SQLite's "YYYY-MM-DD HH:MM:SS.ffffff")."""
    if value.__class__ is str:
        text = str(value)
        if text.endswith(".000000"):
            text = text[:-7]
        return text.replace(" ", "T", 1) + "+00:00"
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


@lru_cache(maxsize=65536)
def masked_name(name: str | None) -> str | None:
    """mask_name, but a value that is masked already stays as it is (an import of a masked
    export, exported again, gives the same bytes)."""
    if not name:
        return name
    return name if "*" in name else mask_name(name)


def masked_phone(phone: str | None) -> str | None:
    if not phone:
        return phone
    if len(phone) == 11 and phone.isascii() and phone.isdigit() and phone[0] == "1":
        return f"{phone[:3]}****{phone[7:]}"  # a mobile number, as mask_mobile does it (fast)
    return phone if "*" in phone else mask_mobile(phone)


def is_phone_key(key: str) -> bool:
    """Keys that hold a phone number in the JSON the program stores: an order's `line`, a
    line state's `number`, details such as `new_number`, `agent_phone`, `contact_phone`.
    (ID documents' `number` is stored masked already, and a mask stays as it is.)"""
    return key == "line" or key.endswith(("phone", "number"))


def mask_details(details: Any) -> Any:
    """A JSON value with the names and phone numbers in it masked, at any depth: an order's
    details (a new owner, an agent and their phone, a new number), its line states, the
    data of an audit event."""
    if isinstance(details, list):
        return [mask_details(v) for v in details]
    if not isinstance(details, dict):
        return details
    out: dict[str, Any] = {}
    for key, value in details.items():
        if isinstance(value, str):
            if key.endswith("name"):
                value = masked_name(value)
            elif is_phone_key(key):
                value = masked_phone(value)
        else:
            value = mask_details(value)
        out[key] = value
    return out


ORDER_COLUMNS: Final = (
    "order_no", "uid", "business_date", "hall", "counter", "staff", "channel", "service",
    "carrier", "status", "customer_uid", "customer_kind", "customer_name", "customer_id_type",
    "customer_id", "unit_name", "unit_reg_type", "unit_reg", "line_number", "presenter_role",
    "presenter_name", "presenter_id_type", "presenter_id", "total_fen", "fees", "payments",
    "documents", "signature", "effective", "details", "created_at", "voided_at", "voided_by",
    "void_reason", "authorized_by", "content_hash")
# Columns of ORDER_COLUMNS that may hold typed text, and those that never do.
FREE_TEXT: Final = frozenset({"customer_name", "unit_name", "presenter_name", "void_reason",
                              "details", "customer_id", "unit_reg", "presenter_id",
                              "line_number", "effective"})
KNOWN_COLUMNS: Final = frozenset(ORDER_COLUMNS)
INTAKE_COLUMNS: Final = (
    "uid", "business_date", "hall", "counter", "staff", "channel", "service", "decision",
    "customer_name", "customer_id_masked", "line_number", "violations", "missing", "created_at")
FOLLOW_UP_COLUMNS: Final = (
    "uid", "order_no", "task", "name", "due_at", "status", "owner", "done_at", "note",
    "created_at")
AUDIT_COLUMNS: Final = (
    "origin", "seq", "uid", "at", "actor", "actor_staff_id", "authorized_by", "counter",
    "action", "target", "data", "prev_hash", "hash")

# Personal columns of the day's tables (masked unless the export is unmasked).
EXTRA_MASKS: Final[dict[str, dict[str, Callable[[Any], Any]]]] = {
    "complaint": {"customer_name": masked_name, "contact_phone": masked_phone,
                  "line_number": masked_phone},
}
EXTRA_TABLES: Final = {"shifts": "shift", "complaints": "complaint"}


def table_of(name: str) -> Table:
    return Base.metadata.tables[name]


def fk_key(column: str) -> str:
    """The record key of a foreign key: `counter_id` -> `counter`, `voided_by` stays."""
    return column[:-3] if column.endswith("_id") else column


def fk_columns(table: Table) -> dict[str, str]:
    return {c.name: next(iter(c.foreign_keys)).column.table.name
            for c in table.columns if c.foreign_keys}


def extra_columns(table: Table) -> list[str]:
    fks = fk_columns(table)
    return [fk_key(c.name) if c.name in fks else c.name for c in table.columns
            if c.name != "id"]
