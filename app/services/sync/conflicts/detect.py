"""Where the server finds two changes of one line made from the same version (during a push).

A workstation pushes the line as its last order left it. Every change of a line is made by an
order and raises its `version` by one, and every version is kept in `line_history` (with the
order that made it) on the workstation and, once pushed, on the server. So when the line
arrives the server can tell:

* the server already knows this version (in its history or current): nothing new;
* the workstation's first version the server has not seen is numbered above the server's
  current version: the workstation changed the server's current line (or an older one the
  server has not moved from since) — it simply goes ahead (fast-forward, the usual case);
* otherwise the server's line changed since the version the workstation's change was made
  on: two counters changed the line from the same version. The common version is the
  server's record of the version just below the workstation's first new one. Both sides are
  compared to it and judged by the kind of change (`rule`): *same* (nothing to do),
  *merge* (a new version with both changes, written here) or *conflict* (the server keeps its
  version, a `line_conflict` row records both orders for a supervisor).

The workstation's version is never lost: it goes into the server's history like any version
that did not become current, and its order is stored on the server as usual (orders are
pushed after lines); only its effect on the line waits for the supervisor.

A version the server made itself (a merge, a supervisor's decision) has origin ``server`` and
is written with no sync origin set, so that every workstation pulls it, the pushing one too.
Each is sealed in the server's own audit chain, so `counter audit verify` on the server
accepts it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final, Literal

from sqlalchemy import Connection, Table, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import Base
from app.services.sync.conflicts.rule import EXTRA, FIELDS, Decision, decide, kind_of
from app.services.sync.rows import Row, fetch_by, line_state, typed, version_key

if TYPE_CHECKING:
    from app.services.sync.push import PushBatch

SERVER_ORIGIN: Final = "server"
Verdict = Literal["ahead", "seen", "diverged"]


def _t(name: str) -> Table:
    return Base.metadata.tables[name]


def _key(row: Row) -> tuple[int, str]:
    return (int(row["version"] or 0), str(row["origin"] or ""))


def key_text(key: tuple[int, str]) -> str:
    return f"{key[0]}:{key[1]}"[:60]


def full_state(row: Row, customer_uid: str | None) -> dict[str, Any]:
    """A line as the rule compares it: its history state and the fields outside it."""
    state = line_state(row)
    for f in EXTRA:
        if f != "customer":
            state[f] = row.get(f)
    state["customer"] = customer_uid
    return state


def write_server_version(conn: Connection, line_id: int, state: dict[str, Any], version: int,
                         now: datetime) -> None:
    """Store a version the server made (merge or decision) so that every workstation pulls it:
    the feed row gets no source while it is written."""
    lt = _t("line")
    values: dict[str, Any] = {f: state[f] for f in (*FIELDS, *EXTRA) if f in state
                              and f != "customer"}
    values = typed(lt, values)
    if state.get("customer"):
        cid = conn.execute(select(_t("customer").c.id).where(
            _t("customer").c.uid == state["customer"])).scalar()
        if cid is not None:
            values["customer_id"] = cid
    values.update(version=version, updated_at=now, origin=SERVER_ORIGIN)
    previous = conn.execute(text("SELECT current_setting('counter.sync_origin', true)")).scalar()
    conn.execute(text("SELECT set_config('counter.sync_origin', '', true)"))
    conn.execute(update(lt).where(lt.c.id == line_id).values(**values))
    conn.execute(text("SELECT set_config('counter.sync_origin', :o, true)"),
                 {"o": previous or ""})


def seal_on_server(conn: Connection, action: str, line_id: int, target: str,
                   data: dict[str, Any], now: datetime) -> None:
    """An event in the server's own audit chain sealing the line version it wrote."""
    from app.services.audit import events as audit

    with Session(bind=conn, join_transaction_mode="create_savepoint") as s:
        # The key given: the head is not kept in this machine's key store (the server's
        # transaction may still roll back after this savepoint).
        audit.record(s, action, actor="sync", target=target[:60], data=data,
                     seal=[("line", line_id)], at=now, key=audit.chain_key())
        s.commit()


class LineGate:
    """Judges the lines of one push batch against the server's (see the module text)."""

    def __init__(self, batch: PushBatch, local: dict[str, Row], server: dict[str, Row]) -> None:
        self.batch = batch
        uids = [u for u, r in local.items() if u in server and _key(r) != _key(server[u])]
        self.server_history: dict[str, list[Row]] = defaultdict(list)
        self.local_history: dict[str, list[Row]] = defaultdict(list)
        if uids:
            for h in fetch_by(batch.server, _t("line_history"), "line_uid", uids,
                              columns=("line_uid", "version", "origin", "order_no", "state")):
                self.server_history[h["line_uid"]].append(h)
            for h in fetch_by(batch.local, _t("line_history"), "line_uid", uids,
                              columns=("line_uid", "version", "origin", "order_no", "state")):
                self.local_history[h["line_uid"]].append(h)

    def judge(self, mine: Row, srv: Row) -> Verdict:
        """"ahead": store the workstation's version as usual (the higher version wins);
        "seen" / "diverged": the server keeps its line (a merge is written here), and the
        workstation's version goes to the history."""
        uid = mine["uid"]
        if _key(mine) == _key(srv):
            return "ahead"
        known = {_key(h) for h in self.server_history[uid]} | {_key(srv)}
        if _key(mine) in known:
            return "seen"  # the server judged this version before: it never comes back
        first = self._first_new(mine, known)
        if int(srv["version"] or 0) < first:
            return "ahead"
        same = self._settle(mine, srv, known, first)
        # The same line reached at both counters: the usual order of versions picks one (the
        # other workstation pulls it), as before.
        return "ahead" if same and version_key(mine) > version_key(srv) else "diverged"

    def _first_new(self, mine: Row, known: set[tuple[int, str]]) -> int:
        new = [int(h["version"]) for h in self.local_history[mine["uid"]]
               if _key(h) not in known and int(h["version"]) <= int(mine["version"] or 0)]
        return min(new) if new else int(mine["version"] or 0)

    # -- a diverged line ----------------------------------------------------------------------------
    def _settle(self, mine: Row, srv: Row, known: set[tuple[int, str]], first: int) -> bool:
        """Decide and act; True when both sides reached the same line."""
        b = self.batch
        uid = mine["uid"]
        base_no = first - 1
        mine_orders = [h["order_no"] for h in sorted(self.local_history[uid],
                                                     key=lambda h: int(h["version"]))
                       if h["order_no"] and _key(h) not in known
                       and int(h["version"]) <= int(mine["version"] or 0)]
        other = _local_orders(b.local, mine_orders, mine["id"])
        lost = set(b.server.execute(select(_t("line_conflict").c.other_key).where(
            _t("line_conflict").c.line_uid == uid)).scalars())
        own_keys = {_key(h) for h in self.local_history[uid] if h["order_no"]}
        base_key, base = self._base(uid, base_no, lost)
        # The server's side: the orders of the versions it has since the common one, those
        # numbered like it included (made beside it at a third counter and merged in), less
        # the versions set aside in conflicts and the workstation's own.
        chain = [h for h in sorted(self.server_history[uid], key=lambda h: int(h["version"]))
                 if base_no <= int(h["version"]) <= int(srv["version"] or 0)
                 and h["order_no"] and _key(h) != base_key
                 and key_text(_key(h)) not in lost and _key(h) not in own_keys]
        theirs = _server_orders(b.server, [h["order_no"] for h in chain])
        local_row = typed(_t("line"), mine)
        server_state = full_state(srv, _customer_uid(b.server, srv["customer_id"]))
        other_state = full_state(local_row, _customer_uid(b.local, mine["customer_id"]))
        decision = decide(_started(theirs, base), server_state, other_state,
                          kind_of([o["service"] for o in theirs]),
                          kind_of([o["service"] for o in other]), _started(other, base))
        if decision.outcome == "same":
            return True
        now = b.now()
        version = max(int(srv["version"] or 0), int(mine["version"] or 0)) + 1
        if decision.outcome == "merge":
            try:
                with b.server.begin_nested():
                    self._replaced(srv)
                    write_server_version(b.server, srv["id"], decision.state, version, now)
                    seal_on_server(b.server, "sync.line_merge", srv["id"], srv["number"], {
                        "line": uid, "version": version, "server": key_text(_key(srv)),
                        "other": key_text(_key(mine)),
                        "orders": [o["order_no"] for o in theirs[-1:] + other[-1:]]}, now)
                b.counts["line_merged"] += 1
                return False
            except IntegrityError:  # e.g. a new number another line has meanwhile
                decision.outcome = "conflict"
                decision.reason_zh = "两项变更无法合并（号码已被占用）"
                decision.reason_en = "the two changes cannot be merged (number taken)"
        self._record(mine, srv, base_no, decision, server_state, other_state,
                     theirs, other, now)
        return False

    def _base(self, uid: str, base_no: int,
              lost: set[str]) -> tuple[tuple[int, str] | None, dict[str, Any]]:
        """The common version: the server's record of the version numbered just below the
        workstation's first new one, the one the workstation had if there are several."""
        local_keys = {_key(h) for h in self.local_history[uid]}
        found = [h for h in self.server_history[uid] if int(h["version"]) == base_no]
        found.sort(key=lambda h: (_key(h) not in local_keys, key_text(_key(h)) in lost))
        return (_key(found[0]), dict(found[0]["state"])) if found else (None, {})

    def _replaced(self, srv: Row) -> None:
        """The server's version a merge replaces goes into its history (once)."""
        self.batch._add_history("line", [(srv, [])])

    def _record(self, mine: Row, srv: Row, base_no: int, decision: Decision,
                server_state: dict[str, Any], other_state: dict[str, Any],
                theirs: list[Row], other: list[Row], now: datetime) -> None:
        b = self.batch
        row = {
            "uid": _conflict_uid(mine["uid"], _key(mine)), "line_uid": mine["uid"],
            "line_number": srv["number"], "status": "open", "base_version": base_no,
            "other_key": key_text(_key(mine)), "reason": decision.reason,
            "server_side": _side(theirs[-1] if theirs else None, srv, server_state,
                                 decision.server_changed),
            "other_side": _side(other[-1] if other else None, mine, other_state,
                                decision.other_changed),
            "pushed_by": b.origin[:60], "detected_at": now}
        ct = _t("line_conflict")
        exists = b.server.execute(select(ct.c.id).where(
            ct.c.line_uid == row["line_uid"], ct.c.other_key == row["other_key"])).first()
        if exists is None:
            b.server.execute(insert(ct).values(**row))
            b.counts["line_conflict"] += 1
        b.issue("line_conflict", f"line:{mine['uid']}",
                f"线路 {srv['number']} 冲突待主管处理，服务器保留先到的版本 / line "
                f"{srv['number']}: conflict awaiting the supervisor; the server keeps the "
                "version that arrived first")


def name_orders(conn: Connection, rows: list[Row]) -> None:
    """Give the server's history rows of these versions the order that made them, when the
    server recorded the version before its order arrived (a version a merge or conflict set
    aside is written from the line itself, without it): the next judgement reads the kind
    of change from it."""
    ht = _t("line_history")
    for r in rows:
        conn.execute(update(ht).where(
            ht.c.line_uid == r["line_uid"], ht.c.version == r["version"],
            ht.c.origin == r["origin"], ht.c.order_no.is_(None)).values(order_no=r["order_no"]))


def _started(orders: list[Row], base: dict[str, Any]) -> dict[str, Any]:
    """The line a side's first order started from (its `line_before`), else the common
    version as the server recorded it."""
    first = orders[0].get("line_before") if orders else None
    return dict(first) if isinstance(first, dict) and first else base


def _conflict_uid(line_uid: str, key: tuple[int, str]) -> str:
    """The same conflict gets the same uid on a repeated push."""
    import uuid

    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"line-conflict:{line_uid}:{key_text(key)}"))


def _side(order: Row | None, line: Row, state: dict[str, Any],
          changed: tuple[str, ...]) -> dict[str, Any]:
    at = order.get("created_at") if order else None
    return {"order_no": order["order_no"] if order else None,
            "service": order["service"] if order else None,
            "counter": order.get("counter") if order else None,
            "clerk": order.get("clerk") if order else None,
            "at": at.isoformat() if isinstance(at, datetime) else at,
            "version": int(line["version"] or 0), "origin": str(line["origin"] or ""),
            "state": state, "changed": list(changed)}


def _orders_query(conn: Session | Connection) -> Any:
    o, c, st = _t("service_order"), _t("counter"), _t("staff")
    return (select(o.c.order_no, o.c.service, o.c.created_at, o.c.line_before,
                   c.c.code.label("counter"), st.c.staff_no.label("clerk"))
            .join(c, c.c.id == o.c.counter_id).outerjoin(st, st.c.id == o.c.staff_id))


def _local_orders(local: Session, order_nos: list[str], line_id: int) -> list[Row]:
    """The workstation's orders that made its new versions (oldest first); without history
    rows naming them, its latest order on the line."""
    o = _t("service_order")
    q = _orders_query(local)
    if order_nos:
        rows = [dict(r._mapping) for r in local.execute(q.where(o.c.order_no.in_(order_nos)))]
        rows.sort(key=lambda r: order_nos.index(r["order_no"]))
        if rows:
            return rows
    latest = local.execute(q.where(o.c.line_id == line_id).order_by(o.c.id.desc())
                           .limit(1)).first()
    return [dict(latest._mapping)] if latest is not None else []


def _server_orders(server: Connection, order_nos: list[str]) -> list[Row]:
    if not order_nos:
        return []
    o = _t("service_order")
    rows = [dict(r._mapping) for r in server.execute(
        _orders_query(server).where(o.c.order_no.in_(order_nos)))]
    rows.sort(key=lambda r: order_nos.index(r["order_no"]))
    return rows


def _customer_uid(conn: Session | Connection, customer_id: int | None) -> str | None:
    if customer_id is None:
        return None
    ct = _t("customer")
    return conn.execute(select(ct.c.uid).where(ct.c.id == customer_id)).scalar()
