"""Pulling what changed elsewhere from the server's feed: customers and lines (here) and the
rest of this workstation's hall (`hall.owned`: other counters' orders, shifts, intake log,
staff, settings, ...). Feed rows of other halls are not read.

A pulled version that replaces the local one puts the local one into the history
(`line_history`, `customer_history`): as on the server, the history holds every version that is
no longer current, and the current row is its own record.

Which feed rows are safe to take: those of transactions older than the oldest one still
running on the server (`pg_snapshot_xmin`), read in a REPEATABLE READ snapshot. Such a
transaction has ended, so no feed row of it can still appear; newer ones wait for the next
pull. The mark is the (txid, seq) of the last row taken.

One local write transaction per batch: the rows, their history and the new feed mark are
stored together, so an interrupted pull is simply repeated. The outbox rows that the local
triggers add while the pull writes are removed in the same transaction: what came from the
server is not pushed back to it. The rows taken are sealed by a `sync.pull` audit event in the
same transaction, recorded after the outbox is cleared so that the event itself is pushed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Connection,
    Table,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.orm import Session

from app.db import clock_of
from app.models import Base
from app.services.sync.hall.owned import OWNED_KINDS, OwnedApply, OwnedBatch, read_owned
from app.services.sync.push import Issue
from app.services.sync.rows import (
    HISTORY,
    Row,
    chunks,
    fetch_by,
    new_history_rows,
    version_key,
)


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


@dataclass
class PulledBatch:
    """What the server has for one run of the feed (read in one server snapshot)."""

    mark: tuple[int, int]  # (txid, seq) of the last feed row of the run
    customers: list[Row] = field(default_factory=list)
    key_persons: dict[int, list[Row]] = field(default_factory=lambda: defaultdict(list))
    lines: list[Row] = field(default_factory=list)  # with "_customer_uid"
    owned: OwnedBatch = field(default_factory=OwnedBatch)  # the rest of the hall


def read_feed(server: Connection, mark: tuple[int, int], origin: str,
              limit: int, hall: str | None = None) -> PulledBatch | None:
    """The next run of final feed rows after `mark`, less what this workstation pushed: the
    customers and lines, and the rows of `hall` (this workstation's hall code; None: none).
    Call at the start of a REPEATABLE READ transaction."""
    feed = _table("sync_feed")
    horizon = server.execute(text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text"))
    xmin = int(horizon.scalar_one())
    window = (tuple_(feed.c.txid, feed.c.seq) > tuple_(literal(mark[0]), literal(mark[1])),
              feed.c.txid < xmin, or_(feed.c.hall_code.is_(None), feed.c.hall_code == hall))
    # This workstation's own rows are left on the server (a workstation late in a hall's day
    # would otherwise read back all it pushed)...
    rows = server.execute(
        select(feed.c.txid, feed.c.seq, feed.c.kind, feed.c.row_uid)
        .where(*window, feed.c.source.is_distinct_from(origin))
        .order_by(feed.c.txid, feed.c.seq).limit(limit)).all()
    if len(rows) == limit:
        end = (rows[-1].txid, rows[-1].seq)
    else:  # ...but the mark passes them: up to the last row safe to take, whosever it is
        last = server.execute(select(feed.c.txid, feed.c.seq).where(*window)
                              .order_by(feed.c.txid.desc(), feed.c.seq.desc()).limit(1)).first()
        if last is None:
            return None
        end = (last.txid, last.seq)
    batch = PulledBatch(mark=end)
    wanted: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        wanted[r.kind].add(r.row_uid)
    lt, ct = _table("line"), _table("customer")
    if wanted["line"]:
        for part in chunks(sorted(wanted["line"])):
            for row in server.execute(select(lt, ct.c.uid.label("_customer_uid"))
                                      .join(ct, ct.c.id == lt.c.customer_id)
                                      .where(lt.c.uid.in_(part))):
                batch.lines.append(dict(row._mapping))
        # a line's owner comes along even when the owner itself did not change
        wanted["customer"] |= {r["_customer_uid"] for r in batch.lines}
    if wanted["customer"]:
        batch.customers = fetch_by(server, ct, "uid", wanted["customer"])
        kps = fetch_by(server, _table("key_person"), "customer_id",
                       [c["id"] for c in batch.customers])
        for kp in kps:
            batch.key_persons[kp["customer_id"]].append(kp)
    owned = {k: v for k, v in wanted.items() if k in OWNED_KINDS and v}
    if owned:
        batch.owned = read_owned(server, owned)
    return batch


class PullApply:
    """Apply a pulled batch to the workstation inside its write transaction."""

    def __init__(self, local: Session, origin: str) -> None:
        self.local = local
        self.origin = origin
        self.counts: dict[str, int] = defaultdict(int)
        self.issues: list[Issue] = []
        self.written: list[tuple[str, int]] = []  # (table, local id) of the rows stored

    def apply(self, batch: PulledBatch) -> None:
        outbox = _table("sync_outbox")
        before = self.local.execute(select(func.coalesce(func.max(outbox.c.id), 0))).scalar()
        customer_ids = self._customers(batch)
        self._lines(batch, customer_ids)
        if batch.owned:
            OwnedApply(self.local, self.counts, self.written, self._issue,
                       pending_up_to=int(before or 0)).apply(batch.owned)
        self.local.execute(delete(outbox).where(outbox.c.id > before))
        if self.written:  # after the outbox is cleared: the event itself is pushed later
            from app.services.audit import events as audit

            audit.record(self.local, "sync.pull", actor="sync", target=self.origin[:60],
                         data={"customers": self.counts["customer"],
                               "lines": self.counts["line"],
                               **{k: n for k, n in sorted(self.counts.items())
                                  if k not in ("customer", "line") and n}},
                         seal=self.written)

    def _issue(self, kind: str, ref: str, message: str) -> None:
        found = Issue(kind, ref[:80], message)
        if found not in self.issues:
            self.issues.append(found)

    # -- customers -------------------------------------------------------------------------------
    def _customers(self, batch: PulledBatch) -> dict[str, int]:
        """Store the customers that win; return local ids by uid for every pulled customer."""
        ct, kt = _table("customer"), _table("key_person")
        local = {r["uid"]: r for r in fetch_by(self.local, ct, "uid",
                                               [c["uid"] for c in batch.customers])}
        local_kps: dict[int, list[Row]] = defaultdict(list)
        for kp in fetch_by(self.local, kt, "customer_id", [r["id"] for r in local.values()]):
            local_kps[kp["customer_id"]].append(kp)
        ids = {uid: r["id"] for uid, r in local.items()}
        history: list[tuple[Row, list[Row]]] = []
        stored: list[Row] = []
        new: list[Row] = []  # inserted at once (a new workstation pulls the whole area)
        for srv in batch.customers:
            mine = local.get(srv["uid"])
            if mine is not None and version_key(srv) <= version_key(mine):
                continue
            values = {k: v for k, v in srv.items() if k != "id"}
            if mine is None:
                new.append(values)
            else:
                self.local.execute(update(ct).where(ct.c.id == mine["id"]).values(values))
                self.local.execute(delete(kt).where(kt.c.customer_id == mine["id"]))
                history.append((mine, local_kps.get(mine["id"], [])))
            stored.append(srv)
        if new:
            self.local.execute(insert(ct), new)
            ids.update((r["uid"], r["id"]) for r in fetch_by(
                self.local, ct, "uid", [v["uid"] for v in new], columns=("id", "uid")))
        kps = [{**{k: v for k, v in kp.items() if k != "id"}, "customer_id": ids[srv["uid"]]}
               for srv in stored for kp in batch.key_persons.get(srv["id"], [])]
        if kps:
            self.local.execute(insert(kt), kps)
        self.written.extend(("customer", ids[srv["uid"]]) for srv in stored)
        self.counts["customer"] += len(stored)
        self._history("customer", history)
        return ids

    # -- lines ---------------------------------------------------------------------------------
    def _lines(self, batch: PulledBatch, customer_ids: dict[str, int]) -> None:
        lt = _table("line")
        local = {r["uid"]: r for r in fetch_by(self.local, lt, "uid",
                                               [r["uid"] for r in batch.lines])}
        numbers = {r["number"]: r["uid"] for r in fetch_by(
            self.local, lt, "number", [r["number"] for r in batch.lines])}
        history: list[tuple[Row, list[Row]]] = []
        new: list[Row] = []  # inserted at once, as customers
        for srv in batch.lines:
            mine = local.get(srv["uid"])
            if mine is not None and version_key(srv) <= version_key(mine):
                continue
            holder = numbers.get(srv["number"])
            if holder is not None and holder != srv["uid"]:
                self.issues.append(Issue(
                    "number_taken", f"line:{srv['uid']}",
                    f"号码 {srv['number']} 在本工作站属于另一条线路，未取回服务器的版本 / number "
                    f"{srv['number']} belongs to another line here; the server's line was not "
                    "pulled"))
                continue
            values = {k: v for k, v in srv.items() if k not in ("id", "_customer_uid")}
            values["customer_id"] = customer_ids[srv["_customer_uid"]]
            if mine is None:
                new.append(values)
            else:
                self.local.execute(update(lt).where(lt.c.id == mine["id"]).values(values))
                numbers.pop(mine["number"], None)
                history.append((mine, []))
                self.written.append(("line", mine["id"]))
            numbers[srv["number"]] = srv["uid"]
            self.counts["line"] += 1
        if new:
            self.local.execute(insert(lt), new)
            self.written.extend(("line", r["id"]) for r in fetch_by(
                self.local, lt, "uid", [v["uid"] for v in new], columns=("id",)))
        self._history("line", history)

    def _history(self, table: str, versions: list[tuple[Row, list[Row]]]) -> None:
        if not versions:
            return
        name, uid_col = HISTORY[table]
        ht = _table(name)
        seen: set[tuple[Any, ...]] = set()
        for part in chunks(list({v["uid"] for v, _ in versions})):
            seen.update(tuple(r) for r in self.local.execute(
                select(ht.c[uid_col], ht.c.version, ht.c.origin).where(ht.c[uid_col].in_(part))))
        payload = new_history_rows(table, versions, seen, clock_of(self.local).now())
        if payload:
            self.local.execute(insert(ht), payload)

