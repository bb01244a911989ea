"""Writing audit events into the hash chain, in the caller's transaction.

Each event's hash covers its fields and the previous event's hash, so altering, deleting,
inserting or reordering an event breaks the chain from there on (`counter audit verify`).

The chain is *keyed*: the hash is an HMAC under the audit sub-key derived from the hall's
master key (`derive_subkeys(master).audit_key`). With a plain hash, anyone who can write to the
database could edit an event and recompute every later hash; with the key they cannot, and
the database file alone never holds the key.

Each event also seals the business rows its transaction wrote (`app.services.audit.seals`),
and now and then the chain's head is kept in the key store after the commit
(`app.services.audit.anchors`), so that deleting the newest events shows too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Final, cast

from sqlalchemy import Table, insert, select, text
from sqlalchemy import event as orm_event
from sqlalchemy.orm import Session

from app.db import Database, clock_of
from app.models import AuditEvent
from app.models.base import new_uid
from app.security import GENESIS_HASH, chain_hash, derive_subkeys, load_master_key
from app.services.audit.anchors import ANCHOR_ACTIONS, EVERY, RESET_ACTIONS, Head, store_head
from app.services.audit.driver_sql import connection_of, run
from app.services.audit.seals import ROWS, Form, seal_written
from app.services.audit.written_forms import json_native

# Serialises appends on PostgreSQL (SQLite writers are serialised by BEGIN IMMEDIATE already).
_PG_LOCK_ID: Final = 0x61756469745F63  # "audit_c"
_PENDING_HEAD: Final = "audit.head"  # session.info: (Head, reset) to keep after the commit


@lru_cache(maxsize=1)
def chain_key() -> bytes:
    """The audit sub-key of this process's master key (loaded once; `KeyUnavailable` if none)."""
    return derive_subkeys(load_master_key()).audit_key


@dataclass(slots=True)
class RecordedEvent:
    """An event as `record` wrote it: its columns as they read back, with its id (a plain
    object: an ORM one costs more to make than its INSERT)."""

    id: int
    uid: str
    seq: int
    at: datetime
    actor: str
    actor_staff_id: int | None
    authorized_by: str | None
    counter: str
    action: str
    target: str
    data: dict[str, Any]
    prev_hash: str
    hash: str


def event_fields(e: AuditEvent) -> dict[str, Any]:
    """What the hash covers: everything but the surrogate key and the hashes themselves."""
    at = e.at if e.at.tzinfo else e.at.replace(tzinfo=UTC)
    return {"uid": e.uid, "seq": e.seq, "at": at, "actor": e.actor,
            "actor_staff_id": e.actor_staff_id, "authorized_by": e.authorized_by,
            "counter": e.counter, "action": e.action, "target": e.target, "data": e.data}


def _stored_form(data: dict[str, Any] | None) -> dict[str, Any]:
    """`data` exactly as it will read back from the JSON column, so the hash still matches.

    Tuples become lists, and anything JSON cannot hold (a datetime, NaN, a non-string key
    that JSON would silently turn into a string) is refused here rather than breaking the
    chain later.
    """
    if not data:
        return {}
    if not all(isinstance(k, str) for k in data):
        raise ValueError("audit data keys must be strings")
    if json_native(data):  # reads back as it is: no round trip (#17)
        return dict(data)
    try:
        return dict(json.loads(json.dumps(data, ensure_ascii=False, allow_nan=False)))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"audit data must be plain JSON: {exc}") from None


def record(session: Session, action: str, *, actor: str, actor_staff_id: int | None = None,
           counter: str = "", target: str = "", data: dict[str, Any] | None = None,
           authorized_by: str | None = None, at: datetime | None = None,
           key: bytes | None = None, seal: Iterable[tuple[str, int]] = (),
           forms: Mapping[tuple[str, int], Form] | None = None,
           anchor: bool = False) -> RecordedEvent:
    """Append one event. Runs inside the caller's write transaction, so the chain has no gaps
    and the event stands or falls with the change it records.

    The event seals the business rows written in this transaction since the last event (the
    ORM's writes are noted by `app.models.sealed`; name rows written with plain SQL in `seal`
    as (table, id) pairs; `forms` may hold their sealed forms as written, to seal them without
    reading them back). Record the event after the writes it covers. `anchor` keeps the
    chain's head in the key store after the commit (some actions always do; see `anchors`).

    `at` defaults to now on the clock of the session's database.
    Never put a full ID number, address or password into `data`.
    """
    if connection_of(session).dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_ID})
    session.flush()  # the rows written so far are noted, and readable for their seals
    chain = key if key is not None else chain_key()
    payload = _stored_form(data)
    if ROWS in payload:
        raise ValueError(f"audit data must not hold {ROWS!r}: the seals go there")
    rows = seal_written(session, chain, seal, forms)
    if rows:
        payload[ROWS] = rows
    last = run(session, _LAST_EVENT, {}).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
    when = at or clock_of(session).now()
    if when.tzinfo is None:
        raise ValueError("audit times must be timezone-aware")
    # The fields as `event_fields` would read them from the event (made here: no ORM object).
    at_utc = when.astimezone(UTC).replace(microsecond=0)
    fields: dict[str, Any] = {"uid": new_uid(), "seq": seq, "at": at_utc,
                              "actor": (actor or "?")[:40], "actor_staff_id": actor_staff_id,
                              "authorized_by": authorized_by[:40] if authorized_by else None,
                              "counter": (counter or "")[:40], "action": action[:40],
                              "target": (target or "")[:60], "data": payload}
    values: dict[str, Any] = {**fields, "prev_hash": prev,
                              "hash": chain_hash(prev, fields, key=chain)}
    # Written with Core, past the unit of work (one INSERT either way); the event returned is
    # a plain object with its id, as it would read back.
    inserted = run(session, _INSERT_EVENT, values).lastrowid
    assert inserted is not None
    event = RecordedEvent(id=inserted, **values)
    if key is None and (anchor or action in ANCHOR_ACTIONS or seq % EVERY == 0):
        _keep_head_after_commit(session, event, reset=action in RESET_ACTIONS)
    return event


_EVENTS = AuditEvent.__table__
_LAST_EVENT = select(_EVENTS.c.seq, _EVENTS.c.hash).order_by(_EVENTS.c.seq.desc()).limit(1)
_INSERT_EVENT = insert(cast(Table, _EVENTS))


# --------------------------------------------------------------------------- the head


def _first_uid(session: Session) -> str | None:
    return session.execute(select(AuditEvent.uid).where(AuditEvent.seq == 1)).scalar()


def _keep_head_after_commit(session: Session, event: RecordedEvent, *, reset: bool) -> None:
    chain = event.uid if event.seq == 1 else _first_uid(session)
    if chain is None:  # the chain's start is gone: nothing to name the head by
        return
    pending = session.info.get(_PENDING_HEAD)
    reset = reset or bool(pending and pending[1])
    session.info[_PENDING_HEAD] = (Head(chain, event.seq, event.hash), reset)


def _store_pending_head(session: Session) -> None:
    pending = session.info.pop(_PENDING_HEAD, None)
    if pending is not None:
        store_head(pending[0], chain_key(), reset=pending[1])


def _drop_pending_head(session: Session, *_: Any) -> None:
    session.info.pop(_PENDING_HEAD, None)


orm_event.listen(Session, "after_commit", _store_pending_head)
orm_event.listen(Session, "after_rollback", _drop_pending_head)


def anchor_head(db: Database) -> Head | None:
    """Keep the chain's current head in the key store now (e.g. at the end of a batch run)."""
    with db.read() as s:
        head = s.execute(select(AuditEvent.seq, AuditEvent.hash)
                         .order_by(AuditEvent.seq.desc()).limit(1)).first()
        chain = _first_uid(s)
    if head is None or chain is None:
        return None
    kept = Head(chain, head[0], head[1])
    store_head(kept, chain_key())
    return kept


def seal_existing(db: Database, rows: Mapping[str, Iterable[int]], *, action: str, actor: str,
                  per_event: int = 1000) -> int:
    """Seal rows written with plain SQL outside any event (a bulk tool): `rows` maps a sealed
    table to the ids to seal; `per_event` rows per event, each in its own transaction.
    Returns the number of events recorded."""
    pairs = [(table, int(i)) for table, ids in rows.items() for i in ids]
    events = 0
    for start in range(0, len(pairs), per_event):
        part = pairs[start:start + per_event]
        with db.session() as s:
            record(s, action, actor=actor, data={"sealed": len(part)}, seal=part)
        events += 1
    return events
