"""SQL expressions of the flat orders file (CSV, XLSX): what the database computes in the
orders' SELECT so that no child row and no per-row formatting of times or mobile numbers
goes through Python. Each gives the same text the Python it replaced gave (tests:
tests/test_export_children.py, tests/test_export.py on SQLite and PostgreSQL).

The texts name the tables as the SELECT does (`service_order`, not an alias).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, String, literal_column


def children_sql(sqlite: bool) -> list[ColumnElement[str]]:
    """An order's fees and payments as "item:10.00; ...", its document codes joined by
    spaces (each in the order recorded) and its signature as paper or pad: correlated
    subqueries of the orders' SELECT, so no child row comes through Python. Amounts are
    formatted as Python's ``f"{fen / 100:.2f}"`` writes them (printf on SQLite, a numeric
    cast on PostgreSQL: the same digits, negative refunds included)."""
    return [literal_column(sql, String) for sql in children_sql_text(sqlite)]


def children_sql_text(sqlite: bool) -> list[str]:
    """`children_sql` as SQL text (fees, payments, documents, signature)."""
    def listed(table: str, value: str, sep: str) -> str:
        if sqlite:  # group_concat follows its subquery's order (no ORDER BY inside before 3.44)
            return (f"(SELECT group_concat(v, '{sep}') FROM (SELECT {value} AS v FROM {table} "
                    f"WHERE {table}.order_id = service_order.id ORDER BY {table}.id))")
        return (f"(SELECT string_agg({value}, '{sep}' ORDER BY {table}.id) FROM {table} "
                f"WHERE {table}.order_id = service_order.id)")

    def money(table: str, label: str) -> str:
        amount = (f"printf('%.2f', {table}.amount_fen / 100.0)" if sqlite
                  else f"CAST(CAST({table}.amount_fen / 100.0 AS NUMERIC(20, 2)) AS TEXT)")
        return f"{table}.{label} || ':' || {amount}"

    return [
        listed("order_fee", money("order_fee", "item"), "; "),
        listed("order_payment", money("order_payment", "method"), "; "),
        listed("order_document", "order_document.code", " "),
        "(SELECT CASE WHEN on_paper THEN 'paper' ELSE 'pad' END FROM signature_record "
        "WHERE signature_record.order_id = service_order.id LIMIT 1)"]


def utc_text_sql(column: str) -> ColumnElement[str]:
    """`utc_text` of a stored SQLite time ("YYYY-MM-DD HH:MM:SS.ffffff", naive UTC), by
    SQLite: no microseconds when they are all zero, a T for the first space, +00:00."""
    return literal_column(utc_text_sql_text(column), String)


def utc_text_sql_text(column: str) -> str:
    c = column
    # The stored shape ("YYYY-MM-DD HH:..."): the first space is the 11th character and a
    # ".000000" at the end cannot reach it, so one printf; any other text the general way.
    tail = (f"(CASE WHEN substr({c}, -7) = '.000000' "
            f"THEN substr({c}, 12, length({c}) - 18) ELSE substr({c}, 12) END)")
    bare = (f"(CASE WHEN substr({c}, -7) = '.000000' "
            f"THEN substr({c}, 1, length({c}) - 7) ELSE {c} END)")
    gap = f"instr({bare}, ' ')"
    general = (f"(CASE WHEN {gap} > 0 THEN substr({bare}, 1, {gap} - 1) || 'T' || "
               f"substr({bare}, {gap} + 1) ELSE {bare} END || '+00:00')")
    return (f"(CASE WHEN instr({c}, ' ') = 11 THEN printf('%!.10sT%s+00:00', {c}, {tail}) "
            f"ELSE {general} END)")


def mobile_masked_sql(column: str, sqlite: bool) -> str:
    """A mobile number (11 ASCII digits, the first a 1) as `masked_phone` masks it
    (``138****1234``); any other value as it is (masked in Python, if at all)."""
    mobile = (f"{column} GLOB '1[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'"
              if sqlite else f"{column} ~ '^1[0-9]{{10}}$'")
    return (f"(CASE WHEN {mobile} THEN substr({column}, 1, 3) || '****' || "
            f"substr({column}, 8) ELSE {column} END)")
