"""The masked orders file of a CSV export on SQLite, written by SQLite itself: one SELECT
gives each order as its finished CSV line (codes joined in, children aggregated, times and
mobile numbers formatted, formula-like texts made inert, fields quoted as Python's `csv`
quotes them), read straight from the driver's cursor, so the Python left per row is only
the masking of names (and of an order's details, when it has any) through SQL functions.

The bytes are those of `Exporter.flat_orders` written by `CsvSink`, quotes, line ends,
formula-like texts and all (tests/test_export_csv_lines.py compares the two paths). Most
lines take a fast branch (nothing to quote, nothing to make inert); the others are built
field by field. Unmasked exports (decryption in Python), PostgreSQL and XLSX keep the
Python path (`export.finished_lines` decides).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from app.services.exchange.export_columns import (
    FREE_TEXT,
    ORDER_COLUMNS,
    mask_details,
    masked_name,
    masked_phone,
)
from app.services.exchange.export_sql import (
    children_sql_text,
    mobile_masked_sql,
    utc_text_sql_text,
)

LINES_PER_FETCH: Final = 2000


@dataclass(frozen=True)
class CsvLines:
    """Finished CSV text of `rows` rows (`CsvSink.write_lines`)."""

    text: str
    rows: int


def _name(name: str) -> str:
    return masked_name(name) or ""


def _phone(phone: str) -> str:
    return masked_phone(phone) or ""


_dumps: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _details(details: str) -> str:
    return _dumps(mask_details(json.loads(details)))


# SQL functions (Python, called only for the values SQL cannot mask itself).
FUNCTIONS: Final[dict[str, Callable[[str], str]]] = {
    "export_mask_name": _name, "export_mask_phone": _phone, "export_details": _details}


def _masked_name(column: str) -> str:
    return (f"(CASE WHEN {column} IS NULL OR {column} = '' OR instr({column}, '*') > 0 "
            f"THEN {column} ELSE export_mask_name({column}) END)")


def _masked_line(column: str) -> str:
    mobile = mobile_masked_sql(column, True)
    return (f"(CASE WHEN {column} IS NULL OR {column} = '' OR instr({mobile}, '*') > 0 "
            f"THEN {mobile} ELSE export_mask_phone({column}) END)")


# The characters that make Python's csv (QUOTE_MINIMAL, "\r\n" lines) quote a field.
_NEEDS_QUOTES: Final = "'*[,\"\n\r]*'"
# What `_inert` puts an apostrophe before (=, +, -, @, tab, carriage return first).
_FORMULA_FIRST: Final = "('=', '+', '-', '@', char(9), char(13))"


def _field(expr: str, free_text: bool) -> str:
    """One CSV field of `expr`: NULL as nothing, a free text made inert, quoted if need be."""
    value = f"ifnull({expr}, '')"
    if free_text:
        value = (f"(CASE WHEN substr({value}, 1, 1) IN {_FORMULA_FIRST} "
                 f"THEN '''' || {value} ELSE {value} END)")
    return (f"(CASE WHEN {value} GLOB {_NEEDS_QUOTES} "
            f"THEN '\"' || replace({value}, '\"', '\"\"') || '\"' ELSE {value} END)")


def lines_sql() -> str:
    """The SELECT of the masked orders' CSV lines; parameters: the first and last date."""
    fees, payments, documents, signature = children_sql_text(True)
    o = "service_order"
    values: dict[str, str] = {
        "order_no": f"{o}.order_no", "uid": f"{o}.uid", "business_date": f"{o}.business_date",
        "hall": "h.code", "counter": "ct.code", "staff": "st.staff_no",
        "channel": f"{o}.channel", "service": f"{o}.service", "carrier": f"{o}.carrier",
        "status": f"{o}.status", "customer_uid": "cu.uid", "customer_kind": "cu.kind",
        "customer_name": f"(CASE WHEN cu.kind = 'group' THEN cu.name "
                         f"ELSE {_masked_name('cu.name')} END)",
        "customer_id_type": "cu.id_type", "customer_id": "cu.id_masked",
        "unit_name": "cu.unit_name", "unit_reg_type": "cu.reg_type", "unit_reg": "cu.reg_masked",
        "line_number": _masked_line(f"{o}.line_number"),
        "presenter_role": f"{o}.presenter_role",
        "presenter_name": _masked_name(f"{o}.presenter_name"),
        "presenter_id_type": f"{o}.presenter_id_type",
        "presenter_id": f"{o}.presenter_id_masked", "total_fen": f"{o}.total_fen",
        "fees": fees, "payments": payments, "documents": documents, "signature": signature,
        "effective": f"{o}.effective",
        "details": f"(CASE WHEN {o}.details IS NULL OR {o}.details = '{{}}' THEN '{{}}' "
                   f"ELSE export_details({o}.details) END)",
        "created_at": utc_text_sql_text(f"{o}.created_at"),
        "voided_at": utc_text_sql_text(f"{o}.voided_at"),
        "voided_by": "vb.staff_no", "void_reason": f"{o}.void_reason",
        "authorized_by": "ab.staff_no", "content_hash": f"{o}.content_hash"}
    assert tuple(values) == ORDER_COLUMNS
    n = len(values)
    names = ", ".join(f"c{i}" for i in range(n))
    inner = ", ".join(f"{v} AS c{i}" for i, v in enumerate(values.values()))
    joined = f"printf('{','.join(['%s'] * n)}', {names})"  # one allocation; NULL as nothing
    # Most lines need no quoting and no apostrophe: no quote, line end or extra comma in the
    # whole line, no free text starting like a formula. The others are built field by field.
    plain = " AND ".join([
        "instr(line, '\"') = 0", "instr(line, char(10)) = 0", "instr(line, char(13)) = 0",
        f"length(line) - length(replace(line, ',', '')) = {n - 1}",
        *(f"ifnull(unicode(c{i}), 0) NOT IN (61, 43, 45, 64, 9, 13)"  # = + - @ tab CR
          for i, c in enumerate(values) if c in FREE_TEXT)])
    fields = " || ',' || ".join(_field(f"c{i}", c in FREE_TEXT) for i, c in enumerate(values))
    # Each level is a subquery SQLite cannot flatten into the next (OFFSET), so a value used
    # several times is computed once; they run as co-routines, handing rows over in order.
    return (f"SELECT CASE WHEN {plain} THEN line ELSE {fields} END || char(13, 10) "
            f"FROM (SELECT {joined} AS line, {names} FROM (SELECT {inner} FROM {o} "
            f"LEFT JOIN hall h ON h.id = {o}.hall_id "
            f"LEFT JOIN counter ct ON ct.id = {o}.counter_id "
            f"LEFT JOIN staff st ON st.id = {o}.staff_id "
            f"LEFT JOIN customer cu ON cu.id = {o}.customer_id "
            f"LEFT JOIN staff vb ON vb.id = {o}.voided_by "
            f"LEFT JOIN staff ab ON ab.id = {o}.authorized_by "
            f"WHERE {o}.business_date >= ? AND {o}.business_date <= ? "
            f"ORDER BY {o}.business_date, {o}.order_no LIMIT -1 OFFSET 0) LIMIT -1 OFFSET 0)")


LINES_SQL: Final = lines_sql()


def csv_lines(conn: sqlite3.Connection, first: date, last: date,
              check: Callable[[], None]) -> Iterator[CsvLines]:
    """The masked orders from `first` to `last` as CSV text, a chunk at a time, read on
    `conn` (the export's own connection, so inside its read snapshot). `check` is called
    before each chunk and may raise to cancel."""
    for name, function in FUNCTIONS.items():
        conn.create_function(name, 1, function, deterministic=True)
    cursor = conn.cursor()
    try:
        cursor.execute(LINES_SQL, (first.isoformat(), last.isoformat()))
        while True:
            check()
            rows: list[Any] = cursor.fetchmany(LINES_PER_FETCH)
            if not rows:
                return
            yield CsvLines("".join([r[0] for r in rows]), len(rows))
    finally:
        cursor.close()
