"""Pushing one batch of a workstation's changes to the server, in one server transaction.

The batch is a run of outbox rows: for each synced table, the local ids of rows that changed.
Tables are applied parents first (`SYNC_ORDER`); a row whose parent is not on the server yet
has the parent pushed first, whatever the outbox order. Every write is idempotent, so a batch
that reached the server but whose mark was not saved (a crash in between) is simply applied
again:

* versioned rows (customer, line): stored when newer than the server's (`version_key`), every
  version seen is added once to the history;
* owned rows: ``INSERT ... ON CONFLICT (uid) DO UPDATE``, their children replaced; a batch of
  new ones is COPYed straight into its tables (`copy_writer`), falling back to that statement
  when any row is already there;
* line history: added once per (line, version, origin);
* audit events: ``INSERT ... ON CONFLICT DO NOTHING`` into `synced_audit_event`, and the
  newest one's seq and hash into `audit_anchor` (the workstation's head, kept off its disk).

A row the server cannot take (a line number another line already has, an order number taken
by a different order) does not stop the sync: it becomes a `SyncIssue` for a person to look at,
and the rest goes on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from sqlalchemy import Connection, Table, text
from sqlalchemy.orm import Session

from app.db import clock_of
from app.models import Base
from app.services.sync.batch_input import BatchInput, RunCache
from app.services.sync.conflicts.detect import LineGate, name_orders
from app.services.sync.conflicts.numbers import lines_with_free_numbers, number_taken
from app.services.sync.rows import (
    HISTORY,
    Row,
    fetch_by,
    fetch_stored,
    new_history_rows,
    stored_pairs,
    typed,
    version_key,
)
from app.services.sync.server import ServerWriter
from app.services.sync.tables import REFERENCE_TABLES, Child, SyncedTable, spec_of

UNUSABLE_PASSWORD = "!synced"  # staff made on the server by sync cannot log in there


@dataclass(frozen=True)
class Issue:
    kind: str
    ref: str
    message: str


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _fks(table: Table, skip: Iterable[str] = ()) -> list[tuple[str, str, bool]]:
    out = []
    for col in table.columns:
        if col.foreign_keys and col.name not in skip:
            ref = next(iter(col.foreign_keys)).column.table.name
            out.append((col.name, ref, bool(col.nullable)))
    return out


def _describe(exc: Exception) -> str:
    msg = str(exc).strip().splitlines()
    return msg[0] if msg else type(exc).__name__


def _without_id(rows: Iterable[Row]) -> list[Row]:
    return [{k: v for k, v in r.items() if k != "id"} for r in rows]


class PushBatch:
    def __init__(self, local: Session, server: Connection, origin: str,
                 tables: set[str], cache: RunCache, given: BatchInput | None = None) -> None:
        self.local = local
        self.given = given  # the batch's rows already read (`batch_input`)
        self.server = server
        self.w = ServerWriter(server)
        self.origin = origin
        self.tables = tables  # tables both databases have
        self.cache = cache
        self.ids: dict[str, dict[int, int]] = defaultdict(dict)  # table: local id -> server id
        for name, known in cache.ids.items():
            self.ids[name].update(known)
        self.before = cache.pushed  # keyed rows of the batches before this one (read only)
        self.counts: dict[str, int] = defaultdict(int)
        self.issues: list[Issue] = []
        self._pushing: set[str] = set()
        self._refused: dict[str, set[int]] = defaultdict(set)  # rows the server did not take

    # -- the batch -------------------------------------------------------------------------------
    def begin(self) -> None:
        """Serialise pushes of one workstation; mark feed rows as this workstation's."""
        self.server.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"),
                            {"k": f"sync-origin:{self.origin}"})
        self.server.execute(text("SELECT set_config('counter.sync_origin', :o, true)"),
                            {"o": self.origin})

    def apply(self, specs: list[SyncedTable], changed: Mapping[str, set[int]]) -> None:
        for spec in specs:
            ids = changed.get(spec.table)
            if ids:
                self.push(spec, ids)
        self._record_issues()

    def committed(self) -> None:
        """After the server commit: reference ids may be reused by the next batches."""
        for name, ids in self.ids.items():
            if name in REFERENCE_TABLES:
                self.cache.ids[name].update(ids)
            elif ids:
                self.cache.remember(name, ids)

    def push(self, spec: SyncedTable, ids: Iterable[int]) -> None:
        wanted = sorted(set(ids))
        if not wanted or spec.table not in self.tables:
            return
        if spec.kind == "versioned":
            self._push_versioned(spec, wanted)
        elif spec.kind == "owned":
            self._push_owned(spec, wanted)
        elif spec.kind == "history":
            self._push_history(wanted)
        elif spec.kind in ("staff", "hall", "handover"):  # by natural keys: sync.hall
            from app.services.sync.hall import push_by_kind

            push_by_kind(self, spec.kind, wanted)
        else:
            self._push_audit(wanted)

    def _stored(self, t: Table, local_ids: list[int]) -> list[Row]:
        ready = self.given.rows_of(t.name, local_ids) if self.given is not None else None
        return ready if ready is not None else fetch_stored(self.local, t, "id", local_ids)

    def now(self) -> datetime:
        """The workstation's clock (the one its own records are stamped with)."""
        return clock_of(self.local).now()

    def issue(self, kind: str, ref: str, message: str) -> None:
        found = Issue(kind, ref[:80], message)
        if found not in self.issues:
            self.issues.append(found)

    def _record_issues(self) -> None:
        if self.issues:
            now = self.now()
            self.w.insert(_table("sync_issue"), [
                {"at": now, "origin": self.origin, "kind": i.kind, "ref": i.ref,
                 "message": i.message} for i in self.issues], on_conflict="nothing")

    # -- foreign keys ---------------------------------------------------------------------------
    def resolve(self, table: str, local_ids: Iterable[int]) -> dict[int, int]:
        """Server ids for local ids of `table`; parents not on the server yet are pushed."""
        known = self.ids[table]
        before = self.before.get(table)
        if before:
            known.update((i, before[i]) for i in local_ids if i in before and i not in known)
        missing = sorted({i for i in local_ids if i not in known})
        if missing:
            if table in REFERENCE_TABLES:
                self._resolve_reference(table, missing)
            elif "uid" in _table(table).c:
                self._resolve_by_uid(table, missing)
                still = [i for i in missing if i not in known and i not in self._refused[table]]
                spec = spec_of(table)
                if still and spec is not None and table not in self._pushing:
                    self._pushing.add(table)
                    try:
                        self.push(spec, still)
                    finally:
                        self._pushing.discard(table)
                    self._refused[table].update(i for i in still if i not in known)
        return {i: known[i] for i in local_ids if i in known}

    def _resolve_by_uid(self, table: str, local_ids: list[int]) -> None:
        t = _table(table)
        uids = stored_pairs(self.local, table, "id", local_ids, pick=("uid", "id"))
        for uid, sid in self.w.ids_by(t, "uid", uids).items():
            self.ids[table][uids[uid]] = sid

    def _resolve_reference(self, table: str, local_ids: list[int]) -> None:
        t = _table(table)
        rows = fetch_by(self.local, t, "id", local_ids)
        if table == "hall":
            self._match_or_make(t, rows, ("code",))
            return
        halls = self.resolve("hall", {r["hall_id"] for r in rows})
        for r in rows:
            r["hall_id"] = halls[r["hall_id"]]
        if table == "counter":
            self._match_or_make(t, rows, ("hall_id", "code"))
        else:
            for r in rows:
                r["password_hash"], r["active"] = UNUSABLE_PASSWORD, False
                r["failed_logins"], r["locked_until"] = 0, None
            self._match_or_make(t, rows, ("staff_no",))

    def _match_or_make(self, t: Table, rows: list[Row], cols: tuple[str, ...]) -> None:
        """Find reference rows by their natural key; make the missing ones (few, rarely)."""
        where = " AND ".join(f"{c} = %s" for c in cols)
        for r in rows:
            key = [r[c] for c in cols]
            found = self.w.select(f"SELECT id FROM {t.name} WHERE {where}", key)
            if not found:
                self.w.insert(t, _without_id([r]), on_conflict="nothing")
                found = self.w.select(f"SELECT id FROM {t.name} WHERE {where}", key)
            self.ids[t.name][r["id"]] = found[0][0]

    def map_fks(self, t: Table, rows: list[Row], skip: Iterable[str] = ()) -> list[Row]:
        """Turn local foreign keys into server ids. A missing optional parent becomes NULL
        (with an issue); a row missing a required parent is left out (with an issue)."""
        fks = _fks(t, skip)
        maps = {col: self.resolve(ref, {r[col] for r in rows if r[col] is not None})
                for col, ref, _ in fks}
        kept = []
        for r in rows:
            ok = True
            for col, ref, nullable in fks:
                value = r[col]
                if value is None:
                    continue
                sid = maps[col].get(value)
                if sid is not None:
                    r[col] = sid
                    continue
                ref_name = f"{t.name}:{r.get('uid') or r.get('id')}"
                if nullable:
                    r[col] = None
                    self.issue("missing_parent", f"{ref_name}:{col}",
                               f"{t.name}.{col}: 服务器上没有对应的{ref}记录，已置空 / "
                               f"the {ref} row is not on the server; left empty")
                else:
                    ok = False
                    self.issue("missing_parent", ref_name,
                               f"{t.name}: 服务器上没有对应的{ref}记录，未同步 / the {ref} row "
                               "is not on the server; not synced")
                    break
            if ok:
                kept.append(r)
        return kept

    # -- owned rows --------------------------------------------------------------------------------
    def _push_owned(self, spec: SyncedTable, local_ids: list[int]) -> None:
        t = spec.sa_table
        rows = self._stored(t, local_ids)
        by_uid = {r["uid"]: r["id"] for r in rows}
        rows = self.map_fks(t, rows)
        stored, fresh = self._upsert(t, rows)
        parents: dict[int, int] = {}
        for uid, sid in stored.items():
            parents[by_uid[uid]] = sid
            self.ids[spec.table][by_uid[uid]] = sid
        if spec.children and parents:
            self._replace_children(spec.children, parents, fresh=fresh)
        self.counts[spec.table] += len(stored)

    def _upsert(self, t: Table, payload: list[Row]) -> tuple[dict[str, int], bool]:
        """Insert or update by uid (the rows' local "id" left out); returns the server id of
        every row stored, and whether every row was new (then none has children on the
        server yet)."""
        if not payload:
            return {}, False
        update = [c for c in payload[0] if c not in ("uid", "id")]
        try:
            with self.server.begin_nested():
                return self.w.insert_ids(t, payload, on_conflict="update", update=update,
                                         stored=True, omit=("id",))
        except psycopg.IntegrityError:
            pass  # another unique key (e.g. an order number) is taken: find which rows
        for row in payload:
            try:
                with self.server.begin_nested():
                    self.w.insert(t, [row], on_conflict="update", update=update, stored=True,
                                  omit=("id",))
            except psycopg.IntegrityError as exc:
                self.issue("conflict", f"{t.name}:{row['uid']}",
                           f"{t.name} 与服务器上已有的记录冲突，未同步 / conflicts with a row "
                           f"already on the server; not synced ({_describe(exc)})")
        return self.w.ids_by(t, "uid", (r["uid"] for r in payload)), False

    def _delete_tree(self, child: Child, server_parent_ids: list[int]) -> None:
        ct = _table(child.table)
        for grand in child.children:
            if grand.table in self.tables:
                below = [i for (i,) in self.w.select(
                    f"SELECT id FROM {ct.name} WHERE {child.fk} = ANY(%s)",
                    (server_parent_ids,))]
                self._delete_tree(grand, below)
        self.w.delete_where_in(ct, child.fk, server_parent_ids)

    def _replace_children(self, children: tuple[Child, ...], parents: dict[int, int], *,
                          fresh: bool = False) -> None:
        """Children have no key of their own: the server's set is replaced by the local one
        (`fresh`: the parents were just inserted, the server has none of their children)."""
        for child in children:
            if child.table not in self.tables:
                continue
            ct = _table(child.table)
            if not fresh:
                self._delete_tree(child, list(parents.values()))
            rows = fetch_stored(self.local, ct, child.fk, list(parents))
            if not rows:
                continue
            for r in rows:
                r[child.fk] = parents[r[child.fk]]
            rows = self.map_fks(ct, rows, skip={child.fk})
            if child.children:  # few rows (a shift's closing): one at a time, for their ids
                below: dict[int, int] = {}
                for r in rows:
                    self.w.insert(ct, _without_id([r]), stored=True)
                    below[r["id"]] = self.w.select("SELECT lastval()", ())[0][0]
                self._replace_children(child.children, below, fresh=True)
            else:
                self.w.insert(ct, rows, stored=True, omit=("id",))
            self.counts[child.table] += len(rows)

    # -- versioned rows (customer, line) --------------------------------------------------------
    def _push_versioned(self, spec: SyncedTable, local_ids: list[int]) -> None:
        t = spec.sa_table
        rows = self._stored(t, local_ids)
        if not rows:
            return
        local_by_uid = {r["uid"]: r for r in rows}
        server_rows = {r["uid"]: r for r in fetch_by(self.server, t, "uid", local_by_uid,
                                                      for_update=True)}
        local_kps = self._key_persons(self.local, spec, [r["id"] for r in rows], stored=True)
        new, wins = [], []
        # The history holds every version that is not the current one: the server's version
        # a newer one replaces, and a version that lost to the server's. (The current row is
        # its own record until it is replaced in turn.)
        replaced: list[Row] = []
        lost: list[Row] = []
        # A line changed at two counters from one version: merged or a conflict, never
        # silently overwritten (`conflicts.detect`); the workstation's version goes to history.
        gate = LineGate(self, local_by_uid, server_rows) if spec.table == "line" else None
        for uid, r in local_by_uid.items():
            srv = server_rows.get(uid)
            if srv is None:
                new.append(r)
            elif gate is not None and gate.judge(r, srv) != "ahead":
                self.ids[spec.table][r["id"]] = srv["id"]
                lost.append(r)
            elif version_key(r) > version_key(srv):
                wins.append(r)
                replaced.append(srv)
            else:
                self.ids[spec.table][r["id"]] = srv["id"]
                if version_key(r) < version_key(srv):
                    lost.append(r)
        history = [(typed(t, r), local_kps.get(r["id"], [])) for r in lost]
        server_kps = self._key_persons(self.server, spec, [r["id"] for r in replaced])
        history += [(r, server_kps.get(r["id"], [])) for r in replaced]
        candidates = new + wins
        if spec.table == "line" and candidates:
            candidates = lines_with_free_numbers(self.w, candidates, self.issue)
            # the owner of every line to be stored must be there (pushed first if needed)
            candidates = self.map_fks(t, candidates)
        new_uids = {r["uid"] for r in new}
        to_insert = [r for r in candidates if r["uid"] in new_uids]
        to_update = [r for r in candidates if r["uid"] not in new_uids]
        stored: dict[int, int] = {}  # local id -> server id, rows whose children follow
        if to_insert:
            line = spec.table == "line"  # its number may be taken meanwhile (`numbers`)
            self.w.insert(t, to_insert, stored=True, omit=("id",),
                          on_conflict="nothing" if line else "nothing-key")
            ids = self.w.ids_by(t, "uid", (r["uid"] for r in to_insert))
            for r in to_insert:
                if r["uid"] in ids:
                    stored[r["id"]] = ids[r["uid"]]
                elif line:
                    number_taken(self.issue, r)
        if to_update:
            pairs = []
            for r in to_update:
                sid = server_rows[r["uid"]]["id"]
                pairs.append((sid, {k: v for k, v in r.items() if k not in ("id", "uid")}))
                stored[r["id"]] = sid
            self.w.update_by_id(t, pairs, stored=True)
        for local_id, sid in stored.items():
            self.ids[spec.table][local_id] = sid
        if spec.table == "customer" and stored:
            self._replace_key_persons(stored, local_kps)
        self._add_history(spec.table, history)
        self.counts[spec.table] += len(stored)

    def _key_persons(self, conn: Session | Connection, spec: SyncedTable,
                     customer_ids: list[int], *, stored: bool = False) -> dict[int, list[Row]]:
        out: dict[int, list[Row]] = defaultdict(list)
        if spec.table == "customer" and customer_ids:
            kt = _table("key_person")
            rows = fetch_stored(conn, kt, "customer_id", customer_ids) if stored and \
                isinstance(conn, Session) else fetch_by(conn, kt, "customer_id", customer_ids)
            for kp in rows:
                out[kp["customer_id"]].append(kp)
        return out

    def _replace_key_persons(self, stored: dict[int, int], kps: dict[int, list[Row]]) -> None:
        kt = _table("key_person")
        self.w.delete_where_in(kt, "customer_id", list(stored.values()))
        payload = [{**{k: v for k, v in kp.items() if k != "id"}, "customer_id": stored[cid]}
                   for cid, rows in kps.items() if cid in stored for kp in rows]
        self.w.insert(kt, payload, stored=True)

    def _seen_versions(self, table: str, uid_col: str, uids: list[str]) -> set[tuple[Any, ...]]:
        return {tuple(r) for r in self.w.select(
            f"SELECT {uid_col}, version, origin FROM {table} WHERE {uid_col} = ANY(%s)",
            (uids,))}

    def _add_history(self, table: str, versions: list[tuple[Row, list[Row]]]) -> None:
        """Add each version once per (uid, version, origin), whichever side it came from."""
        if not versions:
            return
        name, uid_col = HISTORY[table]
        ht = _table(name)
        seen = self._seen_versions(name, uid_col, list({v["uid"] for v, _ in versions}))
        payload = new_history_rows(table, versions, seen, self.now())
        self.w.insert(ht, payload)

    # -- line history and audit events -------------------------------------------------------------
    def _push_history(self, local_ids: list[int]) -> None:
        ht = _table("line_history")
        rows = fetch_stored(self.local, ht, "id", local_ids)
        seen = self._seen_versions("line_history", "line_uid",
                                   list({r["line_uid"] for r in rows}))
        payload = []
        named = []  # versions the server recorded before their order came (a merge's loser)
        for r in rows:
            key = (r["line_uid"], r["version"], r["origin"])
            if key not in seen:
                seen.add(key)
                payload.append({k: v for k, v in r.items() if k != "id"})
            elif r["order_no"]:
                named.append(r)
        self.w.insert(ht, payload, stored=True)
        name_orders(self.server, named)
        self.counts["line_history"] += len(payload)

    def _push_audit(self, local_ids: list[int]) -> None:
        at = _table("audit_event")
        st = _table("synced_audit_event")
        rows = self._stored(at, local_ids)
        if not rows:
            return
        now = self.now().replace(tzinfo=None).isoformat(sep=" ")  # naive UTC, as stored
        payload = [{"origin": self.origin, "uid": r["uid"], "seq": r["seq"], "at": r["at"],
                    "actor_staff_id": r["actor_staff_id"], "actor": r["actor"],
                    "authorized_by": r["authorized_by"], "counter": r["counter"],
                    "action": r["action"], "target": r["target"], "data": r["data"],
                    "prev_hash": r["prev_hash"], "hash": r["hash"], "received_at": now}
                   for r in rows]
        present = self.w.insert_keys(st, payload, stored=True)
        for p in payload:
            if p["uid"] not in present:
                self.issue("audit_clash", f"audit:{self.origin}:{p['seq']}",
                           f"审计事件序号 {p['seq']} 在服务器上已被本工作站的另一事件占用（数据库"
                           "是否从备份恢复或被复制？）/ audit seq already taken on the server by "
                           "another event of this origin (restored or copied database?)")
        taken = [p for p in payload if p["uid"] in present]
        if taken and "audit_anchor" in self.tables:
            head = max(taken, key=lambda p: int(p["seq"]))
            self.server.execute(text(
                "INSERT INTO audit_anchor (origin, seq, hash, at) VALUES (:o, :s, :h, :at) "
                "ON CONFLICT (origin) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash, "
                "at = EXCLUDED.at WHERE audit_anchor.seq < EXCLUDED.seq"),
                {"o": self.origin, "s": int(head["seq"]), "h": head["hash"],
                 "at": self.now().replace(tzinfo=None)})
        self.counts["audit_event"] += len(payload)

