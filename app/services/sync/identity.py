"""Who a workstation is to the sync server, so that order numbers stay unique across the area
without the workstations ever talking to each other.

* Every workstation database has a random id, made at its first start (migration 0012) and
  kept in `sync_state` (``workstation.id``); it never changes.
* An order number starts with the hall code and the counter code (`DEMO01-C03-...`). A
  counter PC numbers under the code of the counter the clerk logged in at; `counter process`
  under the workstation's batch id (B01 unless set with `counter sync --batch-id B02`). Two
  workstations must never number under the same prefix, and nothing but configuration keeps
  them apart -- so the server checks it.
* Each sync, before anything is pushed, the workstation claims on the server every prefix its
  waiting orders were numbered under, its configured batch id, and its origin name (the name
  of its audit chain). The first workstation to claim a name keeps it (`workstation_claim`,
  written in one transaction, so two claiming at once cannot both win). A second one is
  refused with one line naming the prefix, the holder and since when, and nothing of it is
  pushed: its orders stay waiting on its own disk.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Final

from sqlalchemy import Connection, Table, func, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from app.db import Database
from app.models import Counter, ServiceOrder, SyncOutbox, WorkstationClaim, WorkstationDay
from app.services.hall.registry import BATCH_ID_KEY, get_hall
from app.services.orders.numbering import PREFIX_SUFFIX
from app.services.sync.errors import SyncError
from app.services.sync.state import get_state, put_state

WORKSTATION_KEY: Final = "workstation.id"
CODE_RE: Final = re.compile(r"^[A-Z0-9]{1,8}$")
COUNTER: Final = "counter"  # an order-number prefix, "DEMO01-B02"
ORIGIN: Final = "origin"  # the workstation's name for its audit chain

Claim = tuple[str, str]  # (kind, name)


class IdentityRefused(SyncError):
    """Another workstation already uses a name this one needs; nothing was pushed."""


def workstation_id(local: Database) -> str:
    """This database's random id (made by its first start; made here if it is missing)."""
    with local.read() as s:
        found = get_state(s, WORKSTATION_KEY)
    if found:
        return found
    with local.session() as s:
        found = get_state(s, WORKSTATION_KEY)
        if not found:
            found = str(uuid.uuid4())
            put_state(s, WORKSTATION_KEY, found)
        return found


def configured_batch_id(local: Database) -> str | None:
    with local.read() as s:
        return get_state(s, BATCH_ID_KEY)


def set_batch_id(local: Database, code: str) -> str:
    """Give this workstation its own batch intake id (B02 ...); `counter process` numbers
    its orders under it from now on. Orders numbered before keep their numbers."""
    code = code.strip().upper()
    if not CODE_RE.match(code):
        raise SyncError(f"批量编号只能是 1-8 位大写字母或数字：{code}",
                        f"a batch id is 1 to 8 capital letters or digits: {code}")
    with local.session() as s:
        hall = get_hall(s)
        if hall is not None:
            counter = s.execute(select(Counter).where(Counter.hall_id == hall.id,
                                                      Counter.code == code)).scalar_one_or_none()
            if counter is not None and not counter.batch:
                raise SyncError(f"{code} 是本厅柜台的编码，不能作批量编号",
                                f"{code} is a counter of this hall; it cannot be a batch id")
        put_state(s, BATCH_ID_KEY, code)
    return code


def wanted_claims(s: Session, origin: str, mark: int) -> list[Claim]:
    """What this workstation must hold before it pushes: the prefixes of its waiting orders
    (outbox rows after `mark`), its configured batch id and its origin."""
    o = ServiceOrder.__table__
    waiting = select(SyncOutbox.row_id).where(SyncOutbox.tbl == "service_order",
                                              SyncOutbox.id > mark)
    prefixes = set(s.execute(
        select(func.substr(o.c.order_no, 1, func.length(o.c.order_no) - PREFIX_SUFFIX))
        .distinct().where(o.c.id.in_(waiting))).scalars())
    batch = get_state(s, BATCH_ID_KEY)
    hall = get_hall(s)
    if batch and hall is not None:
        prefixes.add(f"{hall.code}-{batch}")
    return sorted({(COUNTER, p) for p in prefixes if p} | {(ORIGIN, origin)})


def claim(conn: Connection, workstation: str, origin: str, claims: list[Claim],
          now: datetime) -> None:
    """Claim every name for `workstation` on the server, all or none, inside the caller's
    transaction; `IdentityRefused` when another workstation holds one of them."""
    if not claims:
        return
    t = _claims()
    ordered = sorted(set(claims))  # one order for everyone: concurrent claims cannot deadlock
    conn.execute(pg_insert(t).on_conflict_do_nothing(index_elements=["kind", "name"]), [
        {"kind": k, "name": n, "workstation": workstation, "origin": origin,
         "claimed_at": now, "last_seen": now} for k, n in ordered])
    keys = tuple_(t.c.kind, t.c.name).in_(ordered)
    held = conn.execute(select(t.c.kind, t.c.name, t.c.workstation, t.c.claimed_at)
                        .where(keys, t.c.workstation != workstation)
                        .order_by(t.c.kind, t.c.name)).all()
    if held:
        raise refused(conn, held[0].kind, held[0].name, held[0].workstation,
                      held[0].claimed_at, len(held))
    conn.execute(update(t).where(keys).values(last_seen=now, origin=origin))


def hall_claims(conn: Connection, hall_code: str) -> list[tuple[str, str, str, str, datetime]]:
    """The claims of a hall's workstations (kind, name, workstation, origin, last sync): those
    holding one of its order-number prefixes or reporting its days."""
    t = _claims()
    d = WorkstationDay.__table__
    holders = select(t.c.workstation).where(t.c.kind == COUNTER,
                                            t.c.name.like(f"{hall_code}-%")).union(
        select(d.c.workstation).where(d.c.hall_code == hall_code))
    return [tuple(r) for r in conn.execute(  # type: ignore[misc]
        select(t.c.kind, t.c.name, t.c.workstation, t.c.origin, t.c.last_seen)
        .where(t.c.workstation.in_(holders)).order_by(t.c.workstation, t.c.kind, t.c.name))]


def _claims() -> Table:
    table = WorkstationClaim.__table__
    assert isinstance(table, Table)
    return table


def _free_batch_id(conn: Connection, prefix: str) -> str:
    """The first batch id (B02 ... B99) nobody claimed under the hall of `prefix`."""
    hall = prefix.rsplit("-", 1)[0]
    t = _claims()
    taken = set(conn.execute(select(t.c.name).where(t.c.kind == COUNTER,
                                                    t.c.name.like(f"{hall}-B%"))).scalars())
    return next((f"B{n:02d}" for n in range(2, 100) if f"{hall}-B{n:02d}" not in taken), "B99")


def refused(conn: Connection, kind: str, name: str, holder: str, since: datetime,
            count: int) -> IdentityRefused:
    when = since.strftime("%Y-%m-%d %H:%M UTC")
    more_zh = f"（另有 {count - 1} 项）" if count > 1 else ""
    more_en = f" (and {count - 1} more)" if count > 1 else ""
    if kind == ORIGIN:
        return IdentityRefused(
            f"工作站名称 {name} 已由另一台工作站（{holder[:8]}，{when} 起）使用{more_zh}，本机未同步，"
            "记录都还在本机；请用 --origin 给本机另取名称",
            f"the workstation name {name} is already used by another workstation "
            f"({holder[:8]}, since {when}){more_en}; nothing was synced and everything stays "
            "here: give this workstation another name with --origin")
    free = _free_batch_id(conn, name)
    return IdentityRefused(
        f"订单编号前缀 {name} 已由另一台工作站（{holder[:8]}，{when} 起）使用{more_zh}，本机未同步，"
        f"订单都还在本机等待；请给本机设置自己的批量编号（如 counter sync --batch-id {free}）"
        "并请管理员处理已用该前缀编号的订单",
        f"order-number prefix {name} is already used by another workstation ({holder[:8]}, "
        f"since {when}){more_en}; nothing was synced and the orders wait here: give this "
        f"workstation a batch id of its own (e.g. counter sync --batch-id {free}) and ask the "
        "administrator about the orders numbered under that prefix")


__all__ = ["IdentityRefused", "claim", "configured_batch_id", "hall_claims", "set_batch_id",
           "wanted_claims", "workstation_id"]
