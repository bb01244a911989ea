"""Writing audit events into the hash chain, in the caller's transaction."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEvent
from app.security import GENESIS_HASH, chain_hash


def event_fields(e: AuditEvent) -> dict[str, Any]:
    """What the hash covers: everything but the surrogate key and the hash itself."""
    at = e.at if e.at.tzinfo else e.at.replace(tzinfo=UTC)
    return {"uid": e.uid, "seq": e.seq, "at": at, "actor": e.actor,
            "actor_staff_id": e.actor_staff_id, "authorized_by": e.authorized_by,
            "counter": e.counter, "action": e.action, "target": e.target, "data": e.data}


def record(session: Session, action: str, *, actor: str, actor_staff_id: int | None = None,
           counter: str = "", target: str = "", data: dict[str, Any] | None = None,
           authorized_by: str | None = None, at: datetime | None = None) -> AuditEvent:
    """Append one event. Runs inside the caller's write transaction, so the chain has no gaps."""
    last = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
    event = AuditEvent(seq=seq, at=(at or datetime.now(UTC)).replace(microsecond=0),
                       actor=actor, actor_staff_id=actor_staff_id, authorized_by=authorized_by,
                       counter=counter, action=action, target=target, data=data or {},
                       prev_hash=prev, hash="")
    from app.models.base import new_uid

    event.uid = new_uid()
    event.hash = chain_hash(prev, event_fields(event))
    session.add(event)
    session.flush()
    return event
