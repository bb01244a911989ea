"""Writing audit events into the hash chain, in the caller's transaction.

Each event's hash covers its fields and the previous event's hash, so altering, deleting,
inserting or reordering an event breaks the chain from there on (`counter audit verify`).

The chain is *keyed*: the hash is an HMAC under the audit sub-key derived from the hall's
master key (`derive_subkeys(master).audit_key`). With a plain hash, anyone who can write to the
database could edit an event and recompute every later hash; with the key they cannot, and
the database file alone never holds the key.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Final

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.models import AuditEvent
from app.models.base import new_uid
from app.security import GENESIS_HASH, chain_hash, derive_subkeys, load_master_key

# Serialises appends on PostgreSQL (SQLite writers are serialised by BEGIN IMMEDIATE already).
_PG_LOCK_ID: Final = 0x61756469745F63  # "audit_c"


@lru_cache(maxsize=1)
def chain_key() -> bytes:
    """The audit sub-key of this process's master key (loaded once; `KeyUnavailable` if none)."""
    return derive_subkeys(load_master_key()).audit_key


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
    try:
        return dict(json.loads(json.dumps(data, ensure_ascii=False, allow_nan=False)))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"audit data must be plain JSON: {exc}") from None


def record(session: Session, action: str, *, actor: str, actor_staff_id: int | None = None,
           counter: str = "", target: str = "", data: dict[str, Any] | None = None,
           authorized_by: str | None = None, at: datetime | None = None,
           key: bytes | None = None) -> AuditEvent:
    """Append one event. Runs inside the caller's write transaction, so the chain has no gaps
    and the event stands or falls with the change it records.

    Never put a full ID number, address or password into `data`.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_ID})
    last = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
    when = at or datetime.now(UTC)
    if when.tzinfo is None:
        raise ValueError("audit times must be timezone-aware")
    event = AuditEvent(uid=new_uid(), seq=seq, at=when.astimezone(UTC).replace(microsecond=0),
                       actor=(actor or "?")[:40], actor_staff_id=actor_staff_id,
                       authorized_by=authorized_by[:40] if authorized_by else None,
                       counter=(counter or "")[:40], action=action[:40],
                       target=(target or "")[:60], data=_stored_form(data),
                       prev_hash=prev, hash="")
    event.hash = chain_hash(prev, event_fields(event), key=key if key is not None else chain_key())
    session.add(event)
    session.flush()
    return event
