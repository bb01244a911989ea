"""Line conflicts as the supervisor sees and decides them (the rule that makes them:
`rule`; where the server finds them: `detect`).

Reading works on any database with the `line_conflict` table: the server (where they are
made) or a workstation (which pulls a copy of every conflict at each sync,
`pull_conflicts`). Deciding one happens on the server, in one server transaction
(`resolve_on_server`): the server is the authority for a line, so the decision and the line
version it makes are written where every workstation pulls them from. The workstation that
decided keeps the decision in its own copy and seals it in its audit chain
(`record_resolution`), and the event travels to the server with the next push.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import LineConflict
from app.models.conflict import OPEN


@dataclass(frozen=True)
class Side:
    """One of the two changes: the order that made it and the line version it produced."""

    order_no: str | None
    service: str | None
    counter: str | None
    clerk: str | None
    at: str | None  # ISO time the order was made
    version: int
    origin: str
    state: dict[str, Any]
    changed: tuple[str, ...]  # the fields it changed from the common version

    @classmethod
    def of(cls, data: dict[str, Any]) -> Side:
        return cls(order_no=data.get("order_no"), service=data.get("service"),
                   counter=data.get("counter"), clerk=data.get("clerk"), at=data.get("at"),
                   version=int(data.get("version") or 0), origin=str(data.get("origin") or ""),
                   state=dict(data.get("state") or {}),
                   changed=tuple(data.get("changed") or ()))


@dataclass(frozen=True)
class ConflictView:
    """A conflict as listed: both sides, the status and, once decided, the decision."""

    uid: str
    line_uid: str
    line_number: str
    status: str  # open | kept_server | applied_other
    base_version: int
    reason: str
    server: Side
    other: Side
    pushed_by: str
    detected_at: datetime
    resolved_at: datetime | None
    resolved_by: str | None
    resolution_note: str | None
    result_version: int | None
    follow_up_order_no: str | None

    @property
    def short_id(self) -> str:
        return self.uid[:8]

    @classmethod
    def of(cls, row: LineConflict) -> ConflictView:
        return cls(uid=row.uid, line_uid=row.line_uid, line_number=row.line_number,
                   status=row.status, base_version=row.base_version, reason=row.reason,
                   server=Side.of(row.server_side), other=Side.of(row.other_side),
                   pushed_by=row.pushed_by, detected_at=row.detected_at,
                   resolved_at=row.resolved_at, resolved_by=row.resolved_by,
                   resolution_note=row.resolution_note, result_version=row.result_version,
                   follow_up_order_no=row.follow_up_order_no)


def open_conflicts(session: Session) -> list[ConflictView]:
    """The conflicts waiting for a supervisor, oldest first (server or workstation copy)."""
    rows = session.execute(select(LineConflict).where(LineConflict.status == OPEN)
                           .order_by(LineConflict.detected_at, LineConflict.id)).scalars()
    return [ConflictView.of(r) for r in rows]


def all_conflicts(session: Session, *, limit: int = 500) -> list[ConflictView]:
    """Open ones first (oldest first), then the decided ones (newest first)."""
    rows = list(session.execute(select(LineConflict).order_by(LineConflict.id)).scalars())
    opened = [r for r in rows if r.status == OPEN]
    decided = sorted((r for r in rows if r.status != OPEN),
                     key=lambda r: (r.resolved_at or r.detected_at, r.id), reverse=True)
    return [ConflictView.of(r) for r in (opened + decided)[:limit]]


def open_conflict_lines(session: Session, line_uids: list[str]) -> dict[str, str]:
    """Which of these lines have a conflict waiting: line uid -> the conflict's short id (for
    the badge in the customer's line list)."""
    if not line_uids:
        return {}
    return {line: uid[:8] for line, uid in session.execute(
        select(LineConflict.line_uid, LineConflict.uid).where(
            LineConflict.status == OPEN, LineConflict.line_uid.in_(line_uids)))}


STATUS_TEXT = {"open": "待主管处理 / awaiting the supervisor",
               "kept_server": "已保留服务器版本 / kept the server's version",
               "applied_other": "已采用另一笔业务 / applied the other order"}


def describe(v: ConflictView) -> list[str]:
    """A conflict in a few lines for the command line: both orders, the number masked."""
    from app.security.masking import mask_mobile

    def side(label: str, x: Side) -> str:
        return (f"  {label}: {x.order_no or '-'} {x.service or '-'} counter {x.counter or '-'} "
                f"clerk {x.clerk or '-'} at {x.at or '-'} -> v{x.version} ({x.origin}) "
                f"changed {', '.join(x.changed) or '-'}")

    out = [f"{v.short_id}  line {mask_mobile(v.line_number)}  {STATUS_TEXT.get(v.status, v.status)}"
           f"  found {v.detected_at:%Y-%m-%d %H:%M} by {v.pushed_by}",
           f"  {v.reason}",
           side("server (kept)" if v.status != "applied_other" else "server", v.server),
           side("other", v.other)]
    if v.status != "open":
        out.append(f"  decided by {v.resolved_by} at {v.resolved_at:%Y-%m-%d %H:%M} "
                   if v.resolved_at else f"  decided by {v.resolved_by} ")
        out[-1] += (f"-> v{v.result_version}; follow-up for {v.follow_up_order_no or '-'}"
                    + (f"; note: {v.resolution_note}" if v.resolution_note else ""))
    return out
