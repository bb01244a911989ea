"""Sealed forms made from the values a writer has just written, instead of read back.

`app.services.audit.seals` reads a row's sealed form from the tables, exactly as `counter
audit verify` will. A writer that has just inserted or updated a row with plain SQL already
holds every value: when each of them is of the one Python type its column hands back
unchanged (a `str` for a string, an `int` for an integer, a `bool`, a `date`, an aware
`datetime` for `UTCDateTime`, `bytes`, JSON after a JSON round trip), the form made from them
is the form a read would give, so the read (a statement per table and child table) is skipped.
Anything else (a float in an integer column, a naive datetime, a default the database fills
in) leaves that in doubt, and the form is None: the row is read back as before.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from functools import cache
from typing import Any, Final

from sqlalchemy import JSON, Boolean, Column, Date, Integer, LargeBinary, String, bindparam, select

from app.models.base import UTCDateTime
from app.models.sealed import NATURAL_KEYS, SEALED
from app.security import canonical_event_bytes
from app.services.audit.seals import Form, sealed_value, sql_table


class _Doubt(Exception):
    """A value whose stored form is not certain without reading it back."""


_JSON: Final = object()  # a JSON column: its value is what a JSON round trip makes of it


def _kind(col: Column[Any]) -> Any:
    """The one Python type a column hands back unchanged (`_JSON` for JSON; None: none)."""
    ty = col.type
    if isinstance(ty, JSON):
        return _JSON
    for sql, python in ((Boolean, bool), (Integer, int), (UTCDateTime, datetime), (Date, date),
                        (String, str), (LargeBinary, bytes)):
        if isinstance(ty, sql):
            return python
    return None


@cache
def _plan(table: str, columns: tuple[str, ...]) -> tuple[tuple[str, Any, bool], ...]:
    """Per column: its name, its kind, and whether the database fills it in when not given."""
    t = sql_table(table)
    return tuple((c, _kind(t.c[c]), t.c[c].default is not None
                  or t.c[c].server_default is not None) for c in columns)


_ATOMS: Final = frozenset({str, int, bool, type(None)})


def json_native(value: Any) -> bool:
    """Whether a JSON round trip gives `value` back as it is (dicts with string keys, lists,
    strings, ints, bools, None, finite floats): cheaper to check than to make (#17)."""
    kind = type(value)
    if kind in _ATOMS:
        return True
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str or (type(item) not in _ATOMS and not json_native(item)):
                return False
        return True
    if kind is list:
        return all(type(item) in _ATOMS or json_native(item) for item in value)
    return kind is float and math.isfinite(value)


def _stored(table: str, columns: tuple[str, ...], row: Mapping[str, Any]) -> dict[str, Any]:
    """The columns' values as they will read back (or `_Doubt`)."""
    out: dict[str, Any] = {}
    for c, kind, filled in _plan(table, columns):
        if c not in row:
            if filled:
                raise _Doubt  # the database filled it in
            out[c] = None  # not written, no default: NULL
            continue
        value = row[c]
        if value is not None:
            if kind is _JSON:
                if not json_native(value):  # else it reads back as it is
                    value = json.loads(json.dumps(value))  # what the driver's round trip does
            elif type(value) is not kind or (kind is datetime and value.tzinfo is None):
                raise _Doubt  # read back in UTC when aware: the same instant
        out[c] = value
    return out


def _child_forms(table: str, columns: tuple[str, ...], optional: tuple[str, ...],
                 rows: Sequence[Mapping[str, Any]]) -> list[Form]:
    forms = []
    for r in rows:
        values = _stored(table, columns + optional, r)
        form = {c: sealed_value(values[c]) for c in columns}
        form.update({c: sealed_value(values[c]) for c in optional if values[c] is not None})
        forms.append(form)
    # As `SealedRows` orders them (one row needs no order: its key is not worth making).
    return sorted(forms, key=canonical_event_bytes) if len(forms) > 1 else forms


def written_form(table: str, row: Mapping[str, Any], natural: Mapping[str, str],
                 children: Mapping[str, Sequence[Mapping[str, Any]]] | None = None
                 ) -> Form | None:
    """The sealed form of a row of `table` from the values just written (`row`, by column),
    or None when it must be read back.

    `natural`: the natural key (`app.models.sealed.NATURAL_KEYS`) of the row each reference
    column names; `children`: every row of each sealed child table the row has (a new order's
    fees, payments and documents, as inserted)."""
    spec = SEALED[table]
    try:
        values = _stored(table, spec.columns, row)
        form: Form = {"table": table}
        for c in spec.columns:
            value = values[c]
            if c in spec.refs and value is not None:
                if c not in natural:
                    return None
                value = natural[c]
            form[c] = sealed_value(value)
        for child in spec.children:
            rows = (children or {}).get(child.table)
            if rows is None:
                return None
            form[child.table] = _child_forms(child.table, child.columns, child.optional, rows)
    except _Doubt:
        return None
    return form


def natural_key_query(table: str, param: str) -> Any:
    """A scalar subquery: the natural key of the `table` row whose id is bound as `param`
    (for a writer to read with its other first reads)."""
    t = sql_table(table)
    return select(t.c[NATURAL_KEYS[table]]).where(t.c.id == bindparam(param)).scalar_subquery()
