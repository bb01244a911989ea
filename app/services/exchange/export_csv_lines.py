"""The masked orders file of a CSV export on SQLite, written by SQLite itself: one SELECT
gives each order as its CSV line (codes joined in, children aggregated, times, names and
mobile numbers masked and formatted, the fields joined by one printf), as UTF-8 bytes
straight from the driver's cursor. Python only checks each chunk of lines at once (no quote,
no line end, no comma but the separators) and asks SQLite again, field by field, for the
rare lines that need quoting or an apostrophe before a formula-like text (`exact_sql`).

Why it is shaped so (callgrind, 10k orders): only the keys are sorted (not whole rows); one
level of SELECT (a value handed up from a subquery is copied at each use); formula tests by
comparisons on the stored columns, not functions; names of CJK ideographs masked in SQL;
the quoting tests in Python over a whole chunk (C loops) rather than per line in SQL.

The bytes are those of `Exporter.flat_orders` written by `CsvSink`, quotes, line ends,
formula-like texts and all (tests/test_export_csv_lines.py compares the two paths,
tests/test_export_golden.py both with a known-good file). Unmasked exports (decryption in
Python), PostgreSQL and XLSX keep the Python path (`export.finished_lines` decides).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from app.security.masking import _COMPOUND_SURNAMES  # the very list mask_name keeps whole
from app.services.exchange.export_columns import (
    FREE_TEXT,
    ORDER_COLUMNS,
    mask_details,
    masked_name,
    masked_phone,
)
from app.services.exchange.export_sql import children_sql_text, utc_text_sql_text

LINES_PER_FETCH: Final = 2000


@dataclass(frozen=True)
class CsvLines:
    """Finished CSV lines of `rows` rows, UTF-8 (`CsvSink.write_lines`)."""

    data: bytes
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


# A name of CJK unified ideographs only (U+4E00..U+9FFF: NFKC leaves each as it is, none
# is a space or a separator) is masked by SQL as `mask_name` masks it: the surname, a
# compound one (复姓) when the name is longer, then one * per other character. Any other
# name goes to Python (`export_mask_name`).
_COMPOUND: Final = ", ".join(f"'{s}'" for s in sorted(_COMPOUND_SURNAMES))


def _masked_name(column: str) -> str:
    c = column
    return (f"(CASE WHEN {c} IS NULL OR {c} = '' THEN {c} "
            f"WHEN {c} GLOB '*[^一-鿿]*' THEN export_mask_name({c}) "  # '*' included
            f"ELSE (CASE length({c}) WHEN 1 THEN '*' WHEN 2 THEN substr({c}, 1, 1) || '*' "
            f"ELSE (CASE WHEN substr({c}, 1, 2) IN ({_COMPOUND}) "  # printf: one * per %c
            f"THEN printf('%!.2s%.*c', {c}, length({c}) - 2, '*') "
            f"ELSE printf('%!.1s%.*c', {c}, length({c}) - 1, '*') END) END) END)")


def _masked_line(column: str) -> str:
    """`masked_phone` of a line number: a mobile number masked by SQL, a value masked
    already (or empty) as it is, anything else by Python (each test made once)."""
    return (f"(CASE WHEN {column} GLOB '1[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' "
            f"THEN substr({column}, 1, 3) || '****' || substr({column}, 8) "
            f"WHEN {column} IS NULL OR {column} = '' OR instr({column}, '*') > 0 "
            f"THEN {column} ELSE export_mask_phone({column}) END)")


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


_JOINS: Final = (
    "LEFT JOIN hall h ON h.id = service_order.hall_id "
    "LEFT JOIN counter ct ON ct.id = service_order.counter_id "
    "LEFT JOIN staff st ON st.id = service_order.staff_id "
    "LEFT JOIN customer cu ON cu.id = service_order.customer_id "
    "LEFT JOIN staff vb ON vb.id = service_order.voided_by "
    "LEFT JOIN staff ab ON ab.id = service_order.authorized_by")


def _values() -> dict[str, str]:
    """The SQL of each column of ORDER_COLUMNS, masked."""
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
    return values


_NOT_FORMULA: Final = "NOT IN (61, 43, 45, 64, 9, 13)"  # the code of = + - @ tab CR


def _typed(column: str) -> str:
    """A stored text (the value as it is) that does not start like a formula."""
    return f"{column} IS NULL OR {column} >= 'A' OR ({column} >= '0' AND {column} < ':')"


# Enough, for each free text, to know from the stored value that its exported value does not
# start like a formula (=, +, -, @, tab, CR), by comparisons alone (no function call): a
# letter, a CJK character or a digit first. A name whose first character is a CJK ideograph
# keeps it (NFKC changes none of U+4E00..U+9FFF) or becomes "*"; JSON that starts with a
# letter or "{" or "[" is written back starting alike; a line number with a digit first is
# masked to a digit or "*" first. When this is not enough, the exported value's first
# character is tested itself (and the value computed a second time: rare).
def _stored_safe(o: str) -> dict[str, str]:
    def cjk_first(column: str) -> str:
        return f"{column} IS NULL OR ({column} >= '一' AND {column} < '\ua000')"

    return {
        "customer_name": cjk_first("cu.name"), "presenter_name": cjk_first(f"{o}.presenter_name"),
        "customer_id": _typed("cu.id_masked"), "unit_name": _typed("cu.unit_name"),
        "unit_reg": _typed("cu.reg_masked"), "presenter_id": _typed(f"{o}.presenter_id_masked"),
        "void_reason": _typed(f"{o}.void_reason"), "effective": _typed(f"{o}.effective"),
        "details": f"{o}.details IS NULL OR {o}.details >= 'A'",  # NULL: {}
        "line_number": f"{o}.line_number IS NULL OR "
                       f"({o}.line_number >= '0' AND {o}.line_number < ':')"}


def _inner(source: str, where: str = "") -> str:
    """The masked values c0, c1, ... and the order's id (oid) of the orders of `source`
    (a FROM clause that names service_order) that meet `where`. OFFSET 0 keeps SQLite from
    flattening it into the SELECT around it, so each value is computed once."""
    values = ", ".join(f"{v} AS c{i}" for i, v in enumerate(_values().values()))
    return (f"(SELECT {values}, service_order.id AS oid FROM {source} {_JOINS} {where} "
            f"LIMIT -1 OFFSET 0)")


def lines_sql() -> str:
    """The SELECT of the masked orders' CSV lines (without their line end) and ids, in the
    file's order; parameters: the first and last date. A line is NULL when one of its free
    texts starts like a formula; it is not checked for quotes, line ends or commas (Python
    does, a chunk at a time, `csv_lines`).

    One level: each value is computed where printf takes it (a value handed up from a
    subquery is copied at each use), the formula tests read the stored columns."""
    o = "service_order"
    values = _values()
    safe = _stored_safe(o)
    assert set(safe) == FREE_TEXT
    joined = f"printf('{','.join(['%s'] * len(values))}', {', '.join(values.values())})"
    inert = " AND ".join(
        f"({safe[c]} OR ifnull(unicode({values[c]}), 0) {_NOT_FORMULA})"
        for c in ORDER_COLUMNS if c in FREE_TEXT)
    # Only the keys are sorted; the orders are read and their values computed in that order
    # (CROSS JOIN keeps the keys the outer loop), so the sorter never holds whole rows.
    keys = (f"(SELECT id FROM {o} WHERE business_date >= ? AND business_date <= ? "
            f"ORDER BY business_date, order_no LIMIT -1 OFFSET 0) AS k "
            f"CROSS JOIN {o} ON {o}.id = k.id")
    # As a BLOB: the driver hands the UTF-8 over as it is (no decoding, no encoding again)
    return (f"SELECT CASE WHEN {inert} THEN CAST({joined} AS BLOB) END, {o}.id "
            f"FROM {keys} {_JOINS}")


def exact_sql(ids: int) -> str:
    """The CSV lines (without their line end), built field by field, of the orders whose
    ids are the `ids` parameters: (id, line)."""
    fields = " || ',' || ".join(_field(f"c{i}", c in FREE_TEXT)
                                for i, c in enumerate(ORDER_COLUMNS))
    where = f"WHERE service_order.id IN ({', '.join(['?'] * ids)})"
    return f"SELECT oid, CAST({fields} AS BLOB) FROM {_inner('service_order', where)}"


LINES_SQL: Final = lines_sql()
_COMMAS: Final = len(ORDER_COLUMNS) - 1


def _plain(line: bytes | None) -> bool:
    """A line printf joined that is the CSV line: no quote, no line end, no comma but the
    separators (a field with any of them is quoted in CSV)."""
    return (line is not None and b'"' not in line and b"\n" not in line
            and b"\r" not in line and line.count(b",") == _COMMAS)


def _data(conn: sqlite3.Connection, rows: list[tuple[bytes | None, int]]) -> bytes:
    """A chunk's CSV lines. Nearly always as printf joined them, checked all at once (C
    loops): a line never has fewer commas than separators, so the chunk's count is exact.
    The few lines that need quoting or an apostrophe are built field by field (`exact_sql`)."""
    lines = [r[0] for r in rows]
    if None not in lines:
        joined = b"".join(lines)  # type: ignore[arg-type]  # no None, just checked
        if (b'"' not in joined and b"\n" not in joined and b"\r" not in joined
                and joined.count(b",") == _COMMAS * len(rows)):
            return b"\r\n".join(lines) + b"\r\n"  # type: ignore[arg-type]
    wanted = [oid for line, oid in rows if not _plain(line)]
    exact = dict(conn.execute(exact_sql(len(wanted)), wanted).fetchall())
    return b"".join([(line if _plain(line) else exact[oid]) + b"\r\n"  # type: ignore[operator]
                     for line, oid in rows])


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
            yield CsvLines(_data(conn, rows), len(rows))
    finally:
        cursor.close()
