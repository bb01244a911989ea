"""Pulling the rest of the hall: the other counters' orders (with their fees, payments,
documents, signature and papers), shifts with their counts and closes, intake log, follow-ups,
complaints, fault tickets, queue tickets, stock, cash entries, voids, sign-offs and
corrections; the hall's staff, settings and dated tariffs.

Rows are recognised by their `uid` (staff by staff number, the hall by its code). Foreign keys
travel as the referenced row's natural key, the reverse of the push's `map_fks`: read on the
server as hall code, (hall code, counter code), staff number or uid, and turned into this
workstation's ids here. A counter of the hall this workstation has not seen yet is added (its
code, name and kind), as the server does for a pushed row. A row whose required parent is not
here is left out with an issue (it comes with the parent's next pull); an optional parent not
here is left empty in the local copy (the server's row keeps it).

Owned rows are written by one workstation only, so the server's row simply replaces the local
copy, children and all. Staff and the hall's settings are versioned (`hall.staff`). The rows
are stored in the caller's transaction (`pull.PullApply`): with the feed mark, the outbox rows
their triggers add removed, and the sealed ones (orders, staff) noted for the `sync.pull`
event.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, delete, exc, insert, select, update
from sqlalchemy.orm import Session

from app.models import Base
from app.services.sync.hall.handover import SUBJECTS, subjects_as_uids
from app.services.sync.hall.staff import HALL_COPIED, STAFF_COPIED, hall_key, staff_key
from app.services.sync.rows import Row, fetch_by
from app.services.sync.tables import SYNC_ORDER, Child, SyncedTable

# The tables pulled here, parents first (customers and lines: `pull`).
OWNED: tuple[SyncedTable, ...] = tuple(t for t in SYNC_ORDER if t.kind == "owned")
OWNED_KINDS = frozenset(t.table for t in OWNED) | {"staff", "hall", "handover"}
SEALED_HERE = ("service_order",)  # sealed by the pull's event with their children

NaturalKey = Any  # a code, a staff number, a uid, or (hall code, counter code)


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _fks(t: Table, skip: Iterable[str] = ()) -> list[tuple[str, str, bool]]:
    return [(c.name, next(iter(c.foreign_keys)).column.table.name, bool(c.nullable))
            for c in t.columns if c.foreign_keys and c.name not in skip]


@dataclass
class OwnedBatch:
    """The server's rows for one feed run, their foreign keys as natural keys."""

    halls: list[Row] = field(default_factory=list)
    staff: list[Row] = field(default_factory=list)  # hall_id as the hall's code
    rows: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    # children by table: rows with their parent's server id left in the fk column
    children: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    counters: dict[tuple[str, str], Row] = field(default_factory=dict)
    handovers: list[Row] = field(default_factory=list)  # subject_id as the subject's uid

    def __bool__(self) -> bool:
        return bool(self.halls or self.staff or self.rows or self.handovers)


# -- the server's side ------------------------------------------------------------------------------

class _Naturals:
    """Server ids to natural keys, one query per referenced table."""

    def __init__(self, server: Connection, batch: OwnedBatch) -> None:
        self.server = server
        self.batch = batch

    def convert(self, t: Table, rows: list[Row], skip: Iterable[str] = ()) -> None:
        for col, ref, _ in _fks(t, skip):
            ids = {r[col] for r in rows if r[col] is not None}
            keys = self.keys(ref, ids)
            for r in rows:
                if r[col] is not None:
                    r[col] = keys.get(r[col])

    def keys(self, ref: str, ids: set[int]) -> dict[int, NaturalKey]:
        if not ids:
            return {}
        if ref == "hall":
            return {r["id"]: r["code"] for r in fetch_by(self.server, _table("hall"), "id", ids,
                                                         columns=("id", "code"))}
        if ref == "staff":
            return {r["id"]: r["staff_no"] for r in fetch_by(
                self.server, _table("staff"), "id", ids, columns=("id", "staff_no"))}
        if ref == "counter":
            ct, ht = _table("counter"), _table("hall")
            out: dict[int, NaturalKey] = {}
            for r in self.server.execute(
                    select(ct.c.id, ht.c.code.label("hall_code"), ct.c.code, ct.c.name,
                           ct.c.batch).join(ht, ht.c.id == ct.c.hall_id)
                    .where(ct.c.id.in_(sorted(ids)))):
                key = (r.hall_code, r.code)
                self.batch.counters[key] = {"code": r.code, "name": r.name, "batch": r.batch}
                out[r.id] = key
            return out
        return {r["id"]: r["uid"] for r in fetch_by(self.server, _table(ref), "id", ids,
                                                    columns=("id", "uid"))}


def read_owned(server: Connection, wanted: dict[str, set[str]]) -> OwnedBatch:
    """The server's current rows for the feed's keys (`wanted`: kind -> uids / codes)."""
    batch = OwnedBatch()
    nat = _Naturals(server, batch)
    if wanted.get("hall"):
        batch.halls = fetch_by(server, _table("hall"), "code", wanted["hall"])
    if wanted.get("staff"):
        batch.staff = fetch_by(server, _table("staff"), "uid", wanted["staff"])
        nat.convert(_table("staff"), batch.staff)
    for spec in OWNED:
        if not wanted.get(spec.table):
            continue
        t = spec.sa_table
        rows = fetch_by(server, t, "uid", wanted[spec.table])
        batch.rows[spec.table] = rows
        _read_children(server, nat, batch, spec.children, [r["id"] for r in rows])
        nat.convert(t, rows)
    if wanted.get("handover"):
        ht = _table("handover")
        batch.handovers = subjects_as_uids(server, fetch_by(server, ht, "uid",
                                                            wanted["handover"]))
        nat.convert(ht, batch.handovers)
    return batch


def _read_children(server: Connection, nat: _Naturals, batch: OwnedBatch,
                   children: tuple[Child, ...], parent_ids: list[int]) -> None:
    for child in children:
        if not parent_ids:
            return
        ct = _table(child.table)
        rows = fetch_by(server, ct, child.fk, parent_ids)
        _read_children(server, nat, batch, child.children, [r["id"] for r in rows])
        nat.convert(ct, rows, skip={child.fk})
        batch.children[child.table].extend(rows)


# -- this workstation's side ------------------------------------------------------------------------

class OwnedApply:
    """Store an `OwnedBatch` in the workstation's write transaction."""

    def __init__(self, local: Session, counts: dict[str, int], written: list[tuple[str, int]],
                 issue: Any, *, pending_up_to: int = 0) -> None:
        self.local = local
        # Outbox rows up to here are this workstation's changes not pushed yet.
        self.pending_up_to = pending_up_to
        self.counts = counts
        self.written = written
        self.issue = issue  # (kind, ref, message) -> None
        self.ids: dict[str, dict[NaturalKey, int]] = defaultdict(dict)

    def apply(self, batch: OwnedBatch) -> None:
        self._halls(batch.halls)
        self._staff(batch.staff)
        for spec in OWNED:
            rows = batch.rows.get(spec.table)
            if rows:
                self._owned(spec, rows, batch)
        if batch.handovers:
            self._handovers(batch.handovers, batch)

    def _handovers(self, rows: list[Row], batch: OwnedBatch) -> None:
        """Hand-overs, their subject found here by uid (`handover`)."""
        kept: list[Row] = []
        for subject, table in SUBJECTS.items():
            mine = [dict(r) for r in rows if r["subject"] == subject]
            self.local_ids(table, {r["subject_id"] for r in mine}, batch)
            for r in mine:
                local = self.ids[table].get(r["subject_id"])
                if local is None:
                    self.issue("missing_parent", f"handover:{r['uid']}",
                               f"handover: 本机没有被转交的{table}记录，未取回 / the {table} "
                               "row handed over is not here; not pulled")
                    continue
                kept.append({**r, "subject_id": local})
        spec = SyncedTable("handover", "owned")
        self._owned(spec, kept, batch, mapped={"subject_id"})

    # -- natural keys to local ids ------------------------------------------------------------------
    def local_ids(self, ref: str, keys: set[NaturalKey], batch: OwnedBatch) -> None:
        known = self.ids[ref]
        missing = {k for k in keys if k not in known}
        if not missing:
            return
        if ref == "hall":
            for r in fetch_by(self.local, _table("hall"), "code", missing, columns=("id", "code")):
                known[r["code"]] = r["id"]
        elif ref == "staff":
            for r in fetch_by(self.local, _table("staff"), "staff_no", missing,
                              columns=("id", "staff_no")):
                known[r["staff_no"]] = r["id"]
        elif ref == "counter":
            self._counters(missing, batch)
        else:
            for r in fetch_by(self.local, _table(ref), "uid", missing, columns=("id", "uid")):
                known[r["uid"]] = r["id"]

    def _counters(self, keys: set[tuple[str, str]], batch: OwnedBatch) -> None:
        ct = _table("counter")
        self.local_ids("hall", {h for h, _ in keys}, batch)
        for hall_code, code in sorted(keys):
            hall_id = self.ids["hall"].get(hall_code)
            if hall_id is None:
                continue
            found = self.local.execute(select(ct.c.id).where(
                ct.c.hall_id == hall_id, ct.c.code == code)).scalar()
            if found is None:  # a counter of the hall not seen here yet
                info = batch.counters.get((hall_code, code), {"name": code, "batch": False})
                found = self.local.execute(insert(ct).values(
                    hall_id=hall_id, code=code, name=info["name"], batch=bool(info["batch"]))
                    .returning(ct.c.id)).scalar_one()
            self.ids["counter"][(hall_code, code)] = found

    def map_fks(self, t: Table, rows: list[Row], batch: OwnedBatch,
                skip: Iterable[str] = ()) -> list[Row]:
        fks = _fks(t, skip)
        for col, ref, _ in fks:
            self.local_ids(ref, {r[col] for r in rows if r[col] is not None}, batch)
        kept = []
        for r in rows:
            ok = True
            for col, ref, nullable in fks:
                if r[col] is None:
                    continue
                local = self.ids[ref].get(r[col])
                if local is None and not nullable:
                    self.issue("missing_parent", f"{t.name}:{r.get('uid') or r.get('id')}",
                               f"{t.name}: 本机没有对应的{ref}记录，未取回 / the {ref} row is "
                               "not here; not pulled")
                    ok = False
                    break
                # An optional parent not here (a line whose number a line of this workstation
                # holds: already an issue of its own) is left empty in this copy only.
                r[col] = local
            if ok:
                kept.append(r)
        return kept

    # -- the hall and staff ------------------------------------------------------------------------
    def _halls(self, halls: list[Row]) -> None:
        ht = _table("hall")
        for srv in halls:
            mine = fetch_by(self.local, ht, "code", [srv["code"]])
            if not mine or hall_key(srv) <= hall_key(mine[0]):
                continue  # only this workstation's own hall is pulled
            self.local.execute(update(ht).where(ht.c.id == mine[0]["id"])
                               .values({c: srv[c] for c in HALL_COPIED}))
            self.counts["hall"] += 1

    def _staff(self, staff: list[Row]) -> None:
        st = _table("staff")
        local = {r["staff_no"]: r for r in fetch_by(self.local, st, "staff_no",
                                                    [r["staff_no"] for r in staff])}
        self.local_ids("hall", {r["hall_id"] for r in staff}, OwnedBatch())
        for srv in staff:
            mine = local.get(srv["staff_no"])
            if mine is not None and staff_key(srv) <= staff_key(mine):
                continue
            hall_id = self.ids["hall"].get(srv["hall_id"])
            if hall_id is None:
                continue
            if mine is None:
                values = {k: v for k, v in srv.items() if k != "id"}
                values["hall_id"] = hall_id
                new_id = self.local.execute(insert(st).values(values).returning(st.c.id))
                staff_id = new_id.scalar_one()
            else:
                staff_id = mine["id"]
                # The local trigger raises the version of a change that leaves it as it was
                # (a tie won by the server's row): step through another value first.
                self.local.execute(update(st).where(st.c.id == staff_id)
                                   .values(version=-1 - int(srv["version"] or 0)))
                self.local.execute(update(st).where(st.c.id == staff_id)
                                   .values({c: srv[c] for c in STAFF_COPIED}))
            self.ids["staff"][srv["staff_no"]] = staff_id
            self.written.append(("staff", staff_id))
            self.counts["staff"] += 1

    # -- owned rows ------------------------------------------------------------------------------
    def _owned(self, spec: SyncedTable, rows: list[Row], batch: OwnedBatch,
               mapped: Iterable[str] = ()) -> None:
        t = spec.sa_table
        server_ids = {r["uid"]: r["id"] for r in rows}
        rows = self.map_fks(t, [dict(r) for r in rows], batch, skip=mapped)
        local = {r["uid"]: r["id"] for r in fetch_by(self.local, t, "uid",
                                                     [r["uid"] for r in rows],
                                                     columns=("id", "uid"))}
        # A row of this workstation changed here since it was pushed (the server's copy came
        # back through a feed row it did not write, e.g. the feed's first seeding): the
        # local change is newer and goes up with the next push.
        changed = self._pending(t.name, set(local.values()))
        rows = [r for r in rows if local.get(r["uid"]) not in changed]
        try:  # all at once; a row another unique key refuses (an order number) one by one
            with self.local.begin_nested():
                self._store(t, rows, local)
        except exc.IntegrityError:
            for r in rows:
                try:
                    with self.local.begin_nested():
                        self._store(t, [r], local)
                except exc.IntegrityError as e:
                    self.issue("conflict", f"{t.name}:{r['uid']}",
                               f"{t.name} 与本机已有的记录冲突，未取回 / conflicts with a row "
                               f"here; not pulled ({str(e.orig).splitlines()[0]})")
        stored = {r["uid"]: r["id"] for r in fetch_by(self.local, t, "uid",
                                                      [r["uid"] for r in rows],
                                                      columns=("id", "uid"))}
        parents: dict[int, int] = {}  # server id -> local id
        for r in rows:
            lid = stored.get(r["uid"])
            if lid is None:
                continue
            parents[server_ids[r["uid"]]] = lid
            self.ids[t.name][r["uid"]] = lid
            if t.name in SEALED_HERE:
                self.written.append((t.name, lid))
        self.counts[t.name] += len(parents)
        if t.name == "service_order":  # this PC may number at their counters later today
            from app.services.orders.numbering import advance_numbering

            advance_numbering(self.local, [(r["counter_id"], r["business_date"], r["order_no"])
                                           for r in rows if r["uid"] in stored])
        # Only a row that was here already has local children to replace.
        self._children(spec.children, parents, batch, replaced=set(local.values()))

    def _pending(self, table: str, ids: set[int]) -> set[int]:
        if not ids or not self.pending_up_to:
            return set()
        ot = _table("sync_outbox")
        return set(self.local.execute(select(ot.c.row_id).distinct().where(
            ot.c.tbl == table, ot.c.id <= self.pending_up_to)).scalars()) & ids

    def _store(self, t: Table, rows: list[Row], local: dict[str, int]) -> None:
        new = [{k: v for k, v in r.items() if k != "id"} for r in rows if r["uid"] not in local]
        if new:
            self.local.execute(insert(t), new)
        for r in rows:
            if r["uid"] in local:
                self.local.execute(update(t).where(t.c.id == local[r["uid"]]).values(
                    {k: v for k, v in r.items() if k not in ("id", "uid")}))

    def _children(self, children: tuple[Child, ...], parents: dict[int, int],
                  batch: OwnedBatch, replaced: set[int] | None = None) -> None:
        """The server's children replace the local ones of each pulled parent (those of the
        local parents `replaced`: a parent just inserted has none, nor have its children)."""
        old = sorted(set(parents.values()) & replaced) if replaced else []
        for child in children:
            if not parents:
                return
            ct = _table(child.table)
            if old:
                self._delete_tree(child, old)
            rows = [dict(r) for r in batch.children.get(child.table, [])
                    if r[child.fk] in parents]
            for r in rows:
                r[child.fk] = parents[r[child.fk]]
            rows = self.map_fks(ct, rows, batch, skip={child.fk})
            if not rows:
                continue
            if child.children:  # a shift's closing: few rows, one at a time for their ids
                below: dict[int, int] = {}
                for r in rows:
                    below[r["id"]] = self.local.execute(insert(ct).values(
                        {k: v for k, v in r.items() if k != "id"}).returning(ct.c.id)
                    ).scalar_one()
                self._children(child.children, below, batch)
            else:
                self.local.execute(insert(ct), [{k: v for k, v in r.items() if k != "id"}
                                                for r in rows])
            self.counts[child.table] += len(rows)

    def _delete_tree(self, child: Child, parent_ids: list[int]) -> None:
        ct = _table(child.table)
        for grand in child.children:
            below = list(self.local.execute(select(ct.c.id).where(
                ct.c[child.fk].in_(parent_ids))).scalars())
            if below:
                self._delete_tree(grand, below)
        self.local.execute(delete(ct).where(ct.c[child.fk].in_(parent_ids)))
