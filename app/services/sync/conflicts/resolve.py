"""A supervisor decides a line conflict: keep the server's version, or apply the other order's.

Done on the server, in one server transaction, directly over the server connection (not as a
row pushed later): the server is the authority for the line, the decision must hold at once
for every counter, and two supervisors deciding the same conflict at once must not both win
(the conflict row is locked; the second one is told it was decided). Either way the server
writes a new version of the line (origin ``server``, no sync origin, sealed in the server's
chain), so every workstation pulls the decided line at its next sync, also the one whose
version lost.

The order whose change does not take effect gets a follow-up (its fee refunded or the customer
called, with the reason) on the server, owned by the clerk who took it. The deciding
workstation then keeps the decision in its own copy of the conflict and records it in its
audit chain, sealed (`record_resolution`); the event reaches the server with the next push.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final, Literal

from sqlalchemy import Connection, Table, insert, select, update
from sqlalchemy.orm import Session

from app.db import Database
from app.models import Base, Customer, Line, LineConflict, ServiceOrder
from app.models.base import new_uid
from app.models.conflict import APPLIED_OTHER, KEPT_SERVER, OPEN
from app.security import Permission
from app.services.hall.registry import Actor
from app.services.sync.conflicts import ConflictView
from app.services.sync.conflicts.detect import (
    SERVER_ORIGIN,
    full_state,
    seal_on_server,
    write_server_version,
)
from app.services.sync.conflicts.rule import EXTRA
from app.services.sync.errors import SyncError
from app.services.sync.rows import fetch_by, new_history_rows

Keep = Literal["server", "other"]
RESOLVER: Final = Permission.EXCEPTION_AUTHORIZE  # supervisors and managers by default
FOLLOW_UP_DAYS: Final = 2


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


class ConflictError(SyncError):
    """The conflict cannot be decided as asked (unknown, already decided)."""


@dataclass(frozen=True)
class Decided:
    view: ConflictView
    follow_up_order_no: str | None


def find_uid(s: Session, ref: str) -> str:
    """The conflict named by its uid or the first 6+ characters of it."""
    ref = ref.strip().lower()
    if len(ref) < 6:
        raise ConflictError("冲突编号至少需要 6 位", "give at least 6 characters of the conflict id")
    found = list(s.execute(select(LineConflict.uid).where(
        LineConflict.uid.like(f"{ref}%"))).scalars())
    if not found:
        raise ConflictError(f"没有编号为 {ref} 的冲突", f"no conflict {ref}")
    if len(found) > 1:
        raise ConflictError(f"编号 {ref} 对应多个冲突，请写长一些",
                            f"{ref} names several conflicts; give more of it")
    return found[0]


def resolve_on_server(conn: Connection, uid: str, keep: Keep, staff_no: str, note: str,
                      now: datetime) -> Decided:
    """Decide conflict `uid` on the server (inside the caller's server transaction)."""
    ct = _table('line_conflict')
    row = conn.execute(select(ct).where(ct.c.uid == uid).with_for_update()).first()
    if row is None:
        raise ConflictError("服务器上没有这个冲突", "the server has no such conflict")
    conflict = dict(row._mapping)
    if conflict["status"] != OPEN:
        raise ConflictError(
            f"该冲突已由 {conflict['resolved_by']} 处理", f"this conflict was already "
            f"decided by {conflict['resolved_by']}")
    lt = _table('line')
    found = fetch_by(conn, lt, "uid", [conflict["line_uid"]], for_update=True)
    if not found:
        raise ConflictError("服务器上没有这条线路", "the server has no such line")
    line = found[0]
    customer_uid = _customer_uid(conn, line["customer_id"])
    current = full_state(line, customer_uid)
    other = conflict["other_side"]
    state = dict(current)
    if keep == "other":
        for f in other.get("changed") or ():
            state[f] = other["state"].get(f)
        for f in EXTRA:
            if f in other.get("state", {}):
                state[f] = other["state"][f]
    version = max(int(line["version"] or 0), int(other.get("version") or 0)) + 1
    history = new_history_rows("line", [(line, [])], _seen(conn, line["uid"]), now)
    if history:
        conn.execute(insert(_table('line_history')), history)
    write_server_version(conn, line["id"], state, version, now)
    conn.execute(insert(_table('line_history')).values(
        line_uid=line["uid"], version=version, state={k: v for k, v in state.items()
                                                      if k not in EXTRA},
        order_no=None, origin=SERVER_ORIGIN, recorded_at=now))
    set_aside = other if keep == "server" else conflict["server_side"]
    follow_no = set_aside.get("order_no")
    if follow_no:
        _follow_up(conn, follow_no, conflict, keep, now)
    status = KEPT_SERVER if keep == "server" else APPLIED_OTHER
    conn.execute(update(ct).where(ct.c.id == conflict["id"]).values(
        status=status, resolved_at=now, resolved_by=staff_no[:40],
        resolution_note=(note or "")[:500] or None, result_version=version,
        follow_up_order_no=follow_no))
    seal_on_server(conn, "sync.conflict_resolve", line["id"], line["number"], {
        "conflict": uid, "keep": keep, "version": version, "by": staff_no,
        "follow_up": follow_no}, now)
    return Decided(_view(conn, uid), follow_no)


def _view(conn: Connection, uid: str) -> ConflictView:
    with Session(bind=conn, join_transaction_mode="create_savepoint") as s:
        row = s.execute(select(LineConflict).where(LineConflict.uid == uid)).scalar_one()
        return ConflictView.of(row)


def _seen(conn: Connection, line_uid: str) -> set[tuple[Any, ...]]:
    ht = _table('line_history')
    return {tuple(r) for r in conn.execute(select(ht.c.line_uid, ht.c.version, ht.c.origin)
                                           .where(ht.c.line_uid == line_uid))}


def _customer_uid(conn: Connection, customer_id: int | None) -> str | None:
    if customer_id is None:
        return None
    return conn.execute(select(Customer.uid).where(Customer.id == customer_id)).scalar()


def _follow_up(conn: Connection, order_no: str, conflict: dict[str, Any], keep: Keep,
               now: datetime) -> None:
    """The order set aside: its fee refunded or the customer called, by the clerk who took it."""
    order = conn.execute(select(ServiceOrder.id, ServiceOrder.staff_id).where(
        ServiceOrder.order_no == order_no)).first()
    if order is None:
        return  # not on the server yet: the conflict row names it (follow_up_order_no)
    why = ("主管保留了服务器上的版本" if keep == "server" else "主管采用了另一柜台的业务")
    conn.execute(insert(_table('follow_up')).values(
        uid=new_uid(), order_id=order.id, task="sync_conflict",
        name=f"线路 {conflict['line_number']} 同步冲突：业务未生效，请退费或联系客户"[:100],
        due_at=now + timedelta(days=FOLLOW_UP_DAYS), status="open",
        owner_staff_id=order.staff_id, created_at=now,
        note=f"{why} / the supervisor decided the line conflict the other way"[:500]))


def record_resolution(local: Database, decided: Decided, actor: Actor, keep: Keep) -> None:
    """The deciding workstation's copy of the conflict and the sealed audit event for it."""
    from app.services.audit import events as audit

    v = decided.view
    with local.session() as s:
        ct = _table('line_conflict')
        values = _values_of(v)
        if s.execute(select(ct.c.id).where(ct.c.uid == v.uid)).first() is None:
            s.execute(insert(ct).values(**values))
        else:
            s.execute(update(ct).where(ct.c.uid == v.uid).values(**values))
        line_id = s.execute(select(Line.id).where(Line.uid == v.line_uid)).scalar()
        audit.record(s, "sync.conflict_resolve", actor=actor.staff_no,
                     actor_staff_id=actor.staff_id, counter=actor.counter_code,
                     authorized_by=actor.authorized_by, target=v.line_number,
                     data={"conflict": v.uid, "keep": keep, "version": v.result_version,
                           "server_order": v.server.order_no, "other_order": v.other.order_no,
                           "follow_up": decided.follow_up_order_no},
                     seal=[("line", line_id)] if line_id is not None else ())


def _values_of(v: ConflictView) -> dict[str, Any]:
    def side(x: Any) -> dict[str, Any]:
        return {"order_no": x.order_no, "service": x.service, "counter": x.counter,
                "clerk": x.clerk, "at": x.at, "version": x.version, "origin": x.origin,
                "state": x.state, "changed": list(x.changed)}

    return {"uid": v.uid, "line_uid": v.line_uid, "line_number": v.line_number,
            "status": v.status, "base_version": v.base_version,
            "other_key": f"{v.other.version}:{v.other.origin}"[:60], "reason": v.reason,
            "server_side": side(v.server), "other_side": side(v.other),
            "pushed_by": v.pushed_by, "detected_at": v.detected_at,
            "resolved_at": v.resolved_at, "resolved_by": v.resolved_by,
            "resolution_note": v.resolution_note, "result_version": v.result_version,
            "follow_up_order_no": v.follow_up_order_no}


def resolve_conflict(local: Database, server: Database, ref: str, keep: Keep, actor: Actor,
                     note: str = "") -> Decided:
    """A supervisor at this workstation decides a conflict (checked here, in the core:
    `PermissionDenied` for a clerk, recorded), on the server, then records it locally."""
    from app.services.staff.auth import require

    if keep not in ("server", "other"):
        raise ConflictError("只能选择保留服务器版本或采用另一笔业务",
                            "keep must be server or other")
    require(local, actor, RESOLVER)
    with local.read() as s:
        try:
            uid = find_uid(s, ref)
        except ConflictError:
            uid = ""
    now = local.clock.now()
    with server.engine.begin() as conn:
        if not uid:
            with Session(bind=conn, join_transaction_mode="create_savepoint") as ss:
                uid = find_uid(ss, ref)
        decided = resolve_on_server(conn, uid, keep, actor.staff_no, note, now)
    record_resolution(local, decided, actor, keep)
    return decided


def decide_and_sync(local: Database, server_url: str, ref: str, keep: Keep, actor: Actor,
                    note: str = "", *, sslmode: str | None = None,
                    ca_file: str | None = None) -> Decided:
    """Decide on the sync server named by its URL (as `counter sync` reaches it: TLS, the
    password from the keyring or key file), then sync, so that this workstation shows the
    decided line at once. `SyncUnavailable` when the server cannot be reached."""
    from app.services.sync.run import run_sync
    from app.services.sync.transport import open_server

    server = open_server(server_url, sslmode=sslmode, ca_file=ca_file)
    try:
        decided = resolve_conflict(local, server, ref, keep, actor, note)
    finally:
        server.dispose()
    run_sync(local, server_url, sslmode=sslmode, ca_file=ca_file)
    return decided
