"""Seals: keyed hashes of the business rows an audit event wrote (what they cover:
`app.models.sealed`).

A row's seal is an HMAC under the hall's audit sub-key over the row's sealed form: its sealed
columns as stored, foreign keys as the referenced row's natural key (an order's clerk as a
staff number, its customer as a uid), an order's fees, payments and documents as sorted lists,
binary columns as their SHA-256. The form is read back from the database inside the writing
transaction, so it is exactly what `counter audit verify` later reads from the tables; with
natural keys it reads the same on the sync server as on the workstation.

An event keeps its seals in ``data["rows"]``: ``{"service_order:<uid>": "<hmac>", ...}``; a
deleted row is sealed as ``null``. The newest seal of a row is the one its current state must
match.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache
from typing import Any, Final

from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session

from app.models import Base
from app.models.sealed import DELETED, NATURAL_KEYS, SEALED, WRITTEN, SealedTable, row_key
from app.security import canonical_event_bytes

_DOMAIN: Final = b"hall-counter/row-seal/v1\x00"
ROWS: Final = "rows"  # the key of the seals in an event's data
BATCH: Final = 500  # rows read per query
LABELS: Final = {"service_order": "order_no", "customer": "uid", "line": "number",
                 "staff": "staff_no"}  # what a report names a row by

Form = dict[str, Any]


def sql_table(name: str) -> Table:
    return Base.metadata.tables[name]


def sealed_value(value: Any) -> Any:
    """A column's value as its seal covers it (binary values as their SHA-256)."""
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes | bytearray):
        return hashlib.sha256(value).hexdigest()
    return value


def seal_of(form: Mapping[str, Any], key: bytes) -> str:
    """The seal of a row's sealed form."""
    return hmac.new(key, _DOMAIN + canonical_event_bytes(form), hashlib.sha256).hexdigest()


def _ids_match(column: Any, single: bool) -> Any:
    # One id (an order's seal) is bound plainly: an expanding IN is rendered anew per
    # execution, which costs more than the read itself.
    return column == bindparam("id") if single else column.in_(bindparam("ids", expanding=True))


def _by_ids(ids: Sequence[int]) -> tuple[bool, dict[str, Any]]:
    """Whether one id is read, and the parameters of the read."""
    return (True, {"id": ids[0]}) if len(ids) == 1 else (False, {"ids": list(ids)})


@cache
def _sealed_rows_query(table: str, single: bool = False) -> Any:
    """The statement reading `table`'s sealed rows by id (``id``, or ``ids`` expanding), with
    the natural keys of what they refer to joined in; built once (SQLAlchemy caches its SQL)."""
    spec: SealedTable = SEALED[table]
    t = sql_table(table)
    label = LABELS[table]
    cols: list[Any] = [t.c.id, *(t.c[c] for c in spec.columns)]
    if label not in spec.columns:
        cols.append(t.c[label])
    source: Any = t
    for col, ref in spec.refs.items():
        other = sql_table(ref).alias(f"nk_{col}")
        cols.append(other.c[NATURAL_KEYS[ref]].label(f"nk_{col}"))
        cols.append(other.c.id.label(f"nkid_{col}"))  # found at all (a key may be NULL)
        source = source.outerjoin(other, other.c.id == t.c[col])
    return select(*cols).select_from(source).where(_ids_match(t.c.id, single))


@cache
def _children_query(table: str, single: bool = False) -> Any:
    """The statement reading a child table's sealed columns by parent ids (``id``/``ids``)."""
    for spec in SEALED.values():
        for child in spec.children:
            if child.table == table:
                t = sql_table(table)
                fk = t.c[child.parent_fk]
                cols = child.columns + child.optional
                return select(fk, *(t.c[c] for c in cols)).where(_ids_match(fk, single))
    raise KeyError(table)


class SealedRows:
    """Reads sealed rows in their sealed form, a batch of ids at a time, in one session.

    One query per table reads the rows with the natural keys of what they refer to joined in
    (an order's hall code, counter code, clerk's staff number, customer and line uids), and
    one per child table: a handful of statements per transaction, however many references.
    """

    def __init__(self, session: Session) -> None:
        # Plain Core statements on the session's connection: no ORM machinery per query.
        # (The writer flushes before sealing; `audit.record` does.)
        self.s = session.connection()

    def forms(self, table: str, ids: Sequence[int]) -> dict[int, tuple[str, str, Form]]:
        """{id: (row key, label, sealed form)} of the rows of `table` with these ids."""
        spec: SealedTable = SEALED[table]
        label = LABELS[table]
        if not ids:
            return {}
        single, params = _by_ids(ids)
        rows = [dict(r) for r in self.s.execute(_sealed_rows_query(table, single),
                                                params).mappings()]
        children = self._children(spec, [r["id"] for r in rows])
        out: dict[int, tuple[str, str, Form]] = {}
        for r in rows:
            form: Form = {"table": table}
            for c in spec.columns:
                value = r[c]
                if c in spec.refs and value is not None:
                    value = r[f"nk_{c}"] if r[f"nkid_{c}"] is not None else f"?{value}"
                form[c] = sealed_value(value)
            for child in spec.children:
                form[child.table] = children[child.table].get(r["id"], [])
            out[r["id"]] = (row_key(table, r["uid"]), str(r[label]), form)
        return out

    def _children(self, spec: SealedTable, ids: list[int]) -> dict[str, dict[int, list[Form]]]:
        out: dict[str, dict[int, list[Form]]] = {}
        for child in spec.children:
            found: dict[int, list[Form]] = defaultdict(list)
            if ids:
                single, params = _by_ids(ids)
                query = _children_query(child.table, single)
                for r in self.s.execute(query, params).mappings():
                    form = {c: sealed_value(r[c]) for c in child.columns}
                    form.update({c: sealed_value(r[c]) for c in child.optional
                                 if r[c] is not None})
                    found[r[child.parent_fk]].append(form)
            # Children have no key of their own: their order is their content's.
            out[child.table] = {parent: sorted(forms, key=canonical_event_bytes)
                                if len(forms) > 1 else forms for parent, forms in found.items()}
        return out

    def seals(self, table: str, ids: Sequence[int], key: bytes
              ) -> Iterator[tuple[str, str, str]]:
        """(row key, label, seal) of each row found."""
        for row, label, form in self.forms(table, ids).values():
            yield row, label, seal_of(form, key)


def seal_written(session: Session, key: bytes, also: Iterable[tuple[str, int]] = (),
                 forms: Mapping[tuple[str, int], Form] | None = None) -> dict[str, str | None]:
    """The seals of the sealed rows this transaction wrote since the last seal (as noted by
    `app.models.sealed`), plus `also` ((table, id) pairs written with plain SQL); deleted
    rows as None. What is returned is no longer noted.

    `forms`: the sealed forms of rows just written, made by their writer from the values it
    wrote (`app.services.audit.written_forms`): sealed without reading them back."""
    written: set[tuple[str, int]] = session.info.pop(WRITTEN, set())
    deleted: set[str] = session.info.pop(DELETED, set())
    written.update(also)
    out: dict[str, str | None] = dict.fromkeys(sorted(deleted))
    by_table: dict[str, list[int]] = defaultdict(list)
    for table, row_id in written:
        form = forms.get((table, row_id)) if forms else None
        if form is not None:
            out[row_key(table, form["uid"])] = seal_of(form, key)
        else:
            by_table[table].append(row_id)
    if not by_table:  # every row sealed from its form: no reader to build
        return out
    reader = SealedRows(session)
    for table in sorted(by_table):
        ids = sorted(set(by_table[table]))
        for start in range(0, len(ids), BATCH):
            for row, _label, seal in reader.seals(table, ids[start:start + BATCH], key):
                out[row] = seal
    return out


def seals_in(data: object) -> dict[str, str | None]:
    """The seals an event's data holds (anything malformed is ignored, not trusted)."""
    rows = data.get(ROWS) if isinstance(data, Mapping) else None
    if not isinstance(rows, Mapping):
        return {}
    return {k: v for k, v in rows.items()
            if isinstance(k, str) and (v is None or isinstance(v, str))}
