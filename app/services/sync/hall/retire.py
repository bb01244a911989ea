"""Retiring a workstation (`counter sync --release`): its PC was replaced or taken away.

On the server, in one transaction: the workstation (named by its id, the first 6+ characters
of it, or a name it claims: an order-number prefix or its origin) must be of this hall; it is
refused while it told the server it still holds orders (`workstation_day.waiting`), naming how
many and of which days, unless forced with a reason (those orders are then lost to the hall:
they were never pushed). Its order-number prefixes are released, so another workstation may
claim them; its origin name is not: the server keeps the audit chain of that name, and a new
workstation appending to it would break it (it takes a name of its own with --origin). Its
`workstation_day` rows are marked retired with who, when and why: the day's
sign-off no longer waits for it, and names the orders it left behind as a warning the
supervisor must acknowledge (`app.services.day.signoff_checks`). A workstation that syncs again
later reports its rows afresh, which clears the mark.

The workstation that ran the command keeps the same mark on its copy of the rows (so its own
sign-off check is right before the next sync) and records the release in its audit chain,
anchored (the chain's head is kept in the key store after the commit).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Final

from sqlalchemy import Connection, Table, delete, or_, select, update

from app.db import Database
from app.models import WorkstationClaim, WorkstationDay
from app.security import Permission
from app.services.hall.registry import Actor, get_hall
from app.services.sync.errors import SyncError
from app.services.sync.identity import COUNTER, workstation_id

RETIRER: Final = Permission.STAFF_ADMIN  # setting the hall up: managers and administrators
MIN_REF: Final = 6


class ReleaseError(SyncError):
    """The workstation cannot be released as asked (unknown, of another hall, orders waiting)."""


@dataclass(frozen=True)
class Released:
    workstation: str
    origin: str
    claims: list[tuple[str, str]]  # (kind, name) released: its order-number prefixes
    left_behind: list[tuple[date, str, int]] = field(default_factory=list)  # day, counter, n

    @property
    def lost(self) -> int:
        return sum(n for _, _, n in self.left_behind)


def _table(model: Any) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def find_workstation(conn: Connection, ref: str) -> str:
    """The workstation id named by a claimed name (prefix or origin) or by its id's start."""
    ref = ref.strip()
    ct, dt = _table(WorkstationClaim), _table(WorkstationDay)
    by_name = conn.execute(select(ct.c.workstation).where(
        or_(ct.c.name == ref, ct.c.name == ref.upper()))).scalars().first()
    if by_name is not None:
        return str(by_name)
    if len(ref) < MIN_REF:
        raise ReleaseError(f"没有名为 {ref} 的工作站；工作站编号至少写 {MIN_REF} 位",
                           f"no workstation claims {ref}; give at least {MIN_REF} characters "
                           "of a workstation id")
    like = ref.lower() + "%"
    found = set(conn.execute(select(ct.c.workstation).where(ct.c.workstation.like(like)))
                .scalars()) | set(conn.execute(select(dt.c.workstation).where(
                    dt.c.workstation.like(like))).scalars())
    if not found:
        raise ReleaseError(f"服务器上没有工作站 {ref}", f"the server knows no workstation {ref}")
    if len(found) > 1:
        raise ReleaseError(f"{ref} 对应多台工作站，请写长一些",
                           f"{ref} names several workstations; give more of it")
    return str(found.pop())


def release_on_server(conn: Connection, ref: str, hall_code: str, staff_no: str, reason: str,
                      force: bool, now: datetime) -> Released:
    """Release the workstation `ref` of hall `hall_code` (inside the caller's transaction)."""
    ct, dt = _table(WorkstationClaim), _table(WorkstationDay)
    ws = find_workstation(conn, ref)
    # Locked, so that a sync of that workstation running now waits and then sees the release.
    claims = conn.execute(select(ct.c.kind, ct.c.name, ct.c.origin).where(
        ct.c.workstation == ws).order_by(ct.c.kind, ct.c.name).with_for_update()).all()
    prefixes = [(c.kind, c.name) for c in claims if c.kind == COUNTER]
    days = conn.execute(select(dt.c.business_date, dt.c.counter_code, dt.c.waiting,
                               dt.c.hall_code, dt.c.origin)
                        .where(dt.c.workstation == ws)
                        .order_by(dt.c.business_date, dt.c.counter_code).with_for_update()).all()
    halls = {d.hall_code for d in days} | {name.rsplit("-", 1)[0] for _, name in prefixes}
    if halls - {hall_code}:
        raise ReleaseError(f"工作站 {ws[:8]} 属于其他营业厅（{'、'.join(sorted(halls))}），本厅不能释放",
                           f"workstation {ws[:8]} belongs to another hall "
                           f"({', '.join(sorted(halls))}); this hall cannot release it")
    waiting = [(d.business_date, d.counter_code, int(d.waiting)) for d in days if d.waiting > 0]
    if waiting and not force:
        total = sum(n for *_, n in waiting)
        zh = "、".join(f"{d:%Y-%m-%d} {c} 柜台 {n} 笔" for d, c, n in waiting)
        en = ", ".join(f"{d:%Y-%m-%d} counter {c}: {n}" for d, c, n in waiting)
        raise ReleaseError(
            f"工作站 {ws[:8]} 上次同步时还有 {total} 笔订单未同步（{zh}）：请先在该工作站同步；"
            "如该工作站已无法使用，用 --force 并写明原因释放（这些订单将不会进入服务器）",
            f"workstation {ws[:8]} still held {total} orders at its last sync ({en}): sync "
            "it first; if it cannot be used any more, release it with --force and a reason "
            "(those orders will never reach the server)")
    origin = next((c.origin for c in claims), None) or next((d.origin for d in days), "")
    conn.execute(delete(ct).where(ct.c.workstation == ws, ct.c.kind == COUNTER))
    conn.execute(update(dt).where(dt.c.workstation == ws).values(
        retired_at=now, retired_by=staff_no[:40], retired_note=reason[:500]))
    return Released(ws, origin, prefixes, waiting)


def release_workstation(local: Database, server: Database, ref: str, actor: Actor,
                        reason: str, force: bool = False) -> Released:
    """An administrator (or manager) at this workstation releases another one: the right is
    checked here, in the core (`PermissionDenied`, recorded, otherwise)."""
    from app.services.audit import events as audit
    from app.services.staff.auth import require
    require(local, actor, RETIRER)
    reason = reason.strip()
    if not reason:
        raise ReleaseError("请写明释放原因（--reason）", "give the reason with --reason")
    with local.read() as s:
        hall = get_hall(s)
    if hall is None:
        raise ReleaseError("本机尚未设置营业厅", "this workstation has no hall yet")
    me = workstation_id(local)
    now = local.clock.now()
    with server.engine.begin() as conn:
        if find_workstation(conn, ref) == me:
            raise ReleaseError("不能释放本机自己；请在另一台工作站上执行",
                               "this is the workstation you are on; release it from another one")
        done = release_on_server(conn, ref, hall.code, actor.staff_no, reason, force, now)
    dt = _table(WorkstationDay)
    with local.session() as s:
        s.execute(update(dt).where(dt.c.workstation == done.workstation).values(
            retired_at=now, retired_by=actor.staff_no[:40], retired_note=reason[:500]))
        audit.record(s, "sync.workstation_release", actor=actor.staff_no,
                     actor_staff_id=actor.staff_id, counter=actor.counter_code,
                     authorized_by=actor.authorized_by, target=done.workstation,
                     data={"origin": done.origin, "claims": [n for _, n in done.claims],
                           "forced": force, "reason": reason[:500],
                           "left_behind": [[f"{d:%Y-%m-%d}", c, n]
                                           for d, c, n in done.left_behind]},
                     anchor=True)
    return done


def release_on(local: Database, server_url: str, ref: str, actor: Actor, reason: str,
               force: bool = False, *, sslmode: str | None = None,
               ca_file: str | None = None) -> Released:
    """`release_workstation` on the sync server named by its URL (as `counter sync` reaches
    it); `SyncUnavailable` when it cannot be reached."""
    from app.services.sync.transport import open_server

    server = open_server(server_url, sslmode=sslmode, ca_file=ca_file)
    try:
        return release_workstation(local, server, ref, actor, reason, force)
    finally:
        server.dispose()


def describe(done: Released) -> list[str]:
    """What `counter sync --release` prints."""
    names = ", ".join(n for _, n in done.claims) or "-"
    lines = [f"已释放工作站 {done.workstation[:8]}（{done.origin or '-'}）/ released workstation "
             f"{done.workstation} ({done.origin or '-'})",
             f"  释放的订单编号前缀 / order-number prefixes released: {names}",
             f"  工作站名称 {done.origin or '-'} 仍保留（审计链）/ its name stays taken (its audit "
             "chain on the server)"]
    if done.left_behind:
        lines.append(f"  ! 该工作站有 {done.lost} 笔订单未同步，已随之放弃 / {done.lost} orders it "
                     "never pushed are given up with it: " + ", ".join(
                         f"{d:%Y-%m-%d} {c} {n}" for d, c, n in done.left_behind))
    return lines
