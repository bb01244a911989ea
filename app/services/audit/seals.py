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
from typing import Any, Final

from sqlalchemy import Table, select
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


def _value(value: Any) -> Any:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes | bytearray):
        return hashlib.sha256(value).hexdigest()
    return value


def seal_of(form: Mapping[str, Any], key: bytes) -> str:
    """The seal of a row's sealed form."""
    return hmac.new(key, _DOMAIN + canonical_event_bytes(form), hashlib.sha256).hexdigest()


class SealedRows:
    """Reads sealed rows in their sealed form, a batch of ids at a time, in one session.

    The natural keys of the small reference tables (hall, counter, staff) are cached for the
    reader's life: make a new reader for each transaction.
    """

    def __init__(self, session: Session) -> None:
        self.s = session
        self._natural: dict[str, dict[int, Any]] = defaultdict(dict)

    def _natural_keys(self, table: str, ids: Iterable[int]) -> dict[int, Any]:
        known = self._natural[table]
        wanted = sorted({i for i in ids if i is not None and i not in known})
        if wanted:
            t = sql_table(table)
            for start in range(0, len(wanted), BATCH):
                part = wanted[start:start + BATCH]
                known.update({row_id: natural for row_id, natural in self.s.execute(
                    select(t.c.id, t.c[NATURAL_KEYS[table]]).where(t.c.id.in_(part)))})
        return known

    def forms(self, table: str, ids: Sequence[int]) -> dict[int, tuple[str, str, Form]]:
        """{id: (row key, label, sealed form)} of the rows of `table` with these ids."""
        spec: SealedTable = SEALED[table]
        t = sql_table(table)
        label = LABELS[table]
        cols = [t.c.id, *(t.c[c] for c in spec.columns)]
        if label not in spec.columns:
            cols.append(t.c[label])
        rows = [dict(r) for r in self.s.execute(select(*cols).where(t.c.id.in_(list(ids))))
                .mappings()]
        refs: dict[str, dict[int, Any]] = {}
        for col, ref in spec.refs.items():
            refs[col] = self._natural_keys(ref, (r[col] for r in rows))
        children = self._children(spec, [r["id"] for r in rows])
        out: dict[int, tuple[str, str, Form]] = {}
        for r in rows:
            form: Form = {"table": table}
            for c in spec.columns:
                value = r[c]
                if c in spec.refs and value is not None:
                    value = refs[c].get(value, f"?{value}")
                form[c] = _value(value)
            for child in spec.children:
                form[child.table] = children[child.table].get(r["id"], [])
            out[r["id"]] = (row_key(table, r["uid"]), str(r[label]), form)
        return out

    def _children(self, spec: SealedTable, ids: list[int]) -> dict[str, dict[int, list[Form]]]:
        out: dict[str, dict[int, list[Form]]] = {}
        for child in spec.children:
            t = sql_table(child.table)
            found: dict[int, list[Form]] = defaultdict(list)
            if ids:
                cols = child.columns + child.optional
                query = select(t.c[child.parent_fk], *(t.c[c] for c in cols)).where(
                    t.c[child.parent_fk].in_(ids))
                for r in self.s.execute(query).mappings():
                    form = {c: _value(r[c]) for c in child.columns}
                    form.update({c: _value(r[c]) for c in child.optional if r[c] is not None})
                    found[r[child.parent_fk]].append(form)
            # Children have no key of their own: their order is their content's.
            out[child.table] = {parent: sorted(forms, key=canonical_event_bytes)
                                for parent, forms in found.items()}
        return out

    def seals(self, table: str, ids: Sequence[int], key: bytes
              ) -> Iterator[tuple[str, str, str]]:
        """(row key, label, seal) of each row found."""
        for row, label, form in self.forms(table, ids).values():
            yield row, label, seal_of(form, key)


def seal_written(session: Session, key: bytes,
                 also: Iterable[tuple[str, int]] = ()) -> dict[str, str | None]:
    """The seals of the sealed rows this transaction wrote since the last seal (as noted by
    `app.models.sealed`), plus `also` ((table, id) pairs written with plain SQL); deleted
    rows as None. What is returned is no longer noted."""
    written: set[tuple[str, int]] = session.info.pop(WRITTEN, set())
    deleted: set[str] = session.info.pop(DELETED, set())
    written.update(also)
    out: dict[str, str | None] = dict.fromkeys(sorted(deleted))
    by_table: dict[str, list[int]] = defaultdict(list)
    for table, row_id in written:
        by_table[table].append(row_id)
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
