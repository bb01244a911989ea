"""Reading the exported datasets: each one streamed from the database in chunks
(`yield_per`; server-side cursors on PostgreSQL) as records (JSON Lines) or flat rows (CSV,
XLSX), with local ids replaced by natural keys (order numbers, codes, staff numbers, uids)
and personal data masked unless the export is unmasked.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final
from zoneinfo import ZoneInfo

from sqlalchemy import (
    String,
    Text,
    bindparam,
    literal,
    literal_column,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

from app.db import Database
from app.services.customers.pii import PersonalData
from app.services.exchange.export_columns import (
    EXTRA_MASKS,
    Record,
    fk_columns,
    fk_key,
    iso,
    mask_details,
    masked_name,
    masked_phone,
    table_of,
    utc_text,
)
from app.services.exchange.export_csv_lines import CsvLines, csv_lines
from app.services.exchange.export_sql import children_sql, mobile_masked_sql, utc_text_sql
from app.services.hall.registry import Actor
from app.services.sync.tables import Child, spec_of

if TYPE_CHECKING:
    from app.services.exchange.export import ExportRequest

CHUNK: Final = 2000

Check = Callable[[], None]
Progress = Callable[[int, int], None]


class Rows(list[list[Any]]):
    """A chunk of flat rows, written at once (`_Sink.write_rows`)."""


class Refs:
    """Natural keys of the small reference tables, loaded once."""

    def __init__(self, s: Session) -> None:
        hall, counter, staff = table_of("hall"), table_of("counter"), table_of("staff")
        self.hall = dict(s.execute(select(hall.c.id, hall.c.code)).all())
        self.counter = dict(s.execute(select(counter.c.id, counter.c.code)).all())
        self.staff = dict(s.execute(select(staff.c.id, staff.c.staff_no)).all())

    def natural(self, s: Session, table: str, ids: set[int]) -> dict[int, Any]:
        if table in ("hall", "counter", "staff"):
            return getattr(self, table)  # type: ignore[no-any-return]
        t = table_of(table)
        key = t.c.order_no if table == "service_order" else t.c.uid
        out: dict[int, Any] = {}
        wanted = sorted(ids)
        for i in range(0, len(wanted), 5000):
            out.update(s.execute(select(t.c.id, key).where(t.c.id.in_(wanted[i:i + 5000]))).all())
        return out


class Exporter:
    def __init__(self, db: Database, actor: Actor, req: ExportRequest, *,
                 personal_data: PersonalData | None = None, check: Check | None = None,
                 progress: Progress | None = None) -> None:
        self.db, self.actor, self.req = db, actor, req
        self.pd = personal_data
        self.check = check or (lambda: None)
        self.progress = progress
        self.skipped: dict[str, str] = {}
        self.undecryptable = 0
        self.done = 0
        self.total = 0

    # -- range --------------------------------------------------------------------------------
    def _utc_bounds(self, tz: str) -> tuple[datetime, datetime]:
        zone = ZoneInfo(tz)
        start = datetime.combine(self.req.date_from, datetime.min.time(), zone)
        end = datetime.combine(self.req.date_to + timedelta(days=1), datetime.min.time(), zone)
        return start.astimezone(UTC), end.astimezone(UTC)

    def _tick(self, n: int = 1) -> None:
        self.done += n
        if self.progress is not None:
            self.progress(min(self.done, self.total), max(self.total, self.done))

    # -- personal data ---------------------------------------------------------------------------
    def _full(self, blob: bytes | None, masked: str | None, aad: str) -> str | None:
        if blob is None or self.pd is None:
            return masked
        try:
            return self.pd.decrypt(blob, aad)
        except Exception:  # a damaged or foreign blob: the mask, counted in the manifest
            self.undecryptable += 1
            return masked

    # -- datasets ----------------------------------------------------------------------------------
    def orders(self, s: Session, refs: Refs) -> Iterator[Record]:
        o, c = table_of("service_order"), table_of("customer")
        stmt = (select(o, c.c.uid.label("c_uid"), c.c.kind.label("c_kind"),
                       c.c.name.label("c_name"), c.c.id_type.label("c_id_type"),
                       c.c.id_enc.label("c_id_enc"), c.c.id_masked.label("c_id_masked"),
                       c.c.unit_name.label("c_unit_name"), c.c.reg_type.label("c_reg_type"),
                       c.c.reg_enc.label("c_reg_enc"), c.c.reg_masked.label("c_reg_masked"))
                .outerjoin(c, c.c.id == o.c.customer_id)
                .where(o.c.business_date >= self.req.date_from,
                       o.c.business_date <= self.req.date_to)
                .order_by(o.c.business_date, o.c.order_no)
                .execution_options(yield_per=CHUNK))
        masked = self.req.masked
        for part in s.execute(stmt).partitions():
            self.check()
            rows = [r._mapping for r in part]
            kids = self._order_children(s, [r["id"] for r in rows], refs)
            for r in rows:
                oid = r["id"]
                customer = None
                if r["c_uid"] is not None:
                    customer = {
                        "uid": r["c_uid"], "kind": r["c_kind"],
                        # a unit's name is not personal data; a person's is
                        "name": masked_name(r["c_name"]) if masked and r["c_kind"] != "group"
                        else r["c_name"],
                        "id_type": r["c_id_type"],
                        "id": r["c_id_masked"] if masked else self._full(
                            r["c_id_enc"], r["c_id_masked"], "customer.id"),
                        "unit_name": r["c_unit_name"], "reg_type": r["c_reg_type"],
                        "reg": r["c_reg_masked"] if masked else self._full(
                            r["c_reg_enc"], r["c_reg_masked"], "customer.reg")}
                yield {
                    "order_no": r["order_no"], "uid": r["uid"],
                    "business_date": r["business_date"].isoformat(),
                    "hall": refs.hall.get(r["hall_id"]), "counter": refs.counter.get(
                        r["counter_id"]), "staff": refs.staff.get(r["staff_id"]),
                    "channel": r["channel"], "service": r["service"], "carrier": r["carrier"],
                    "status": r["status"], "customer": customer,
                    "line_number": masked_phone(r["line_number"]) if masked
                    else r["line_number"],
                    "presenter": {
                        "role": r["presenter_role"],
                        "name": masked_name(r["presenter_name"]) if masked
                        else r["presenter_name"],
                        "id_type": r["presenter_id_type"],
                        "id": r["presenter_id_masked"] if masked else self._full(
                            r["presenter_id_enc"], r["presenter_id_masked"],
                            "order.presenter_id")},
                    "details": mask_details(r["details"]) if masked else r["details"],
                    "outcome": r["outcome"],
                    "line_before": mask_details(r["line_before"]) if masked
                    else r["line_before"],
                    "line_after": mask_details(r["line_after"]) if masked else r["line_after"],
                    "total_fen": r["total_fen"],
                    "effective": r["effective"], "content_hash": r["content_hash"],
                    "started_at": iso(r["started_at"]), "created_at": iso(r["created_at"]),
                    "voided_at": iso(r["voided_at"]),
                    "voided_by": refs.staff.get(r["voided_by"]),
                    "void_reason": r["void_reason"],
                    "authorized_by": refs.staff.get(r["authorized_by"]),
                    **{k: v.get(oid, [] if k != "signature" else None)
                       for k, v in kids.items()}}
            self._tick(len(rows))

    def flat_orders(self, s: Session, refs: Refs) -> Iterator[Rows]:
        """Flat rows, one per order (CSV, XLSX), in `ORDER_COLUMNS` order, a chunk at a time.

        The hot path of a large export: only the columns shown are read, an order's fees,
        payments, documents and signature come aggregated by the database in the same
        SELECT (`children_sql`), rows are built as lists, and an order's details are parsed
        only when there are any."""
        o, c = table_of("service_order"), table_of("customer")
        masked = self.req.masked
        # Encrypted numbers are read only when they are to be shown.
        blobs = (literal(None), literal(None), literal(None)) if masked else (
            c.c.id_enc, c.c.reg_enc, o.c.presenter_id_enc)
        # Dates and times as stored (text on SQLite): turned into ISO text without parsing
        # them into objects first (by SQLite itself: `utc_text_sql`).
        raw = String()
        sqlite = self.db.is_sqlite
        times = ((utc_text_sql("service_order.created_at"),
                  utc_text_sql("service_order.voided_at")) if sqlite
                 else (type_coerce(o.c.created_at, raw), type_coerce(o.c.voided_at, raw)))
        # Mobile numbers masked by the database; anything else by `masked_phone` below.
        line = literal_column(mobile_masked_sql("service_order.line_number", sqlite),
                              String) if masked else o.c.line_number
        stmt = (select(o.c.id, o.c.order_no, o.c.uid, type_coerce(o.c.business_date, raw),
                       o.c.hall_id, o.c.counter_id, o.c.staff_id, o.c.channel, o.c.service,
                       o.c.carrier, o.c.status, c.c.uid, c.c.kind, c.c.name, c.c.id_type,
                       c.c.id_masked, blobs[0], c.c.unit_name, c.c.reg_type, c.c.reg_masked,
                       blobs[1], line, o.c.presenter_role, o.c.presenter_name,
                       o.c.presenter_id_type, o.c.presenter_id_masked, blobs[2],
                       o.c.total_fen, *children_sql(sqlite),
                       o.c.effective, type_coerce(o.c.details, Text), *times,
                       o.c.voided_by, o.c.void_reason, o.c.authorized_by, o.c.content_hash)
                .outerjoin(c, c.c.id == o.c.customer_id)
                .where(o.c.business_date >= self.req.date_from,
                       o.c.business_date <= self.req.date_to)
                .order_by(o.c.business_date, o.c.order_no)
                .execution_options(yield_per=CHUNK))
        hall, counter, staff = refs.hall.get, refs.counter.get, refs.staff.get
        dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        full = self._full
        stamp = None if sqlite else utc_text
        for part in s.execute(stmt).partitions():
            self.check()
            chunk = Rows()
            add = chunk.append
            for (_oid, order_no, uid, day, hall_id, counter_id, staff_id, channel, service,
                 carrier, status, c_uid, c_kind, c_name, c_id_type, c_id_masked, c_id_enc,
                 unit_name, reg_type, reg_masked, reg_enc, line_number, p_role, p_name,
                 p_id_type, p_id_masked, p_id_enc, total, fees, pays, docs, signature,
                 effective, details, created, voided, voided_by, void_reason, authorized_by,
                 content_hash) in part:
                if details is None or details == "{}" or details == {}:
                    details = "{}"
                else:
                    parsed = json.loads(details) if isinstance(details, str) else details
                    details = dumps(mask_details(parsed) if masked else parsed)
                if masked:
                    if c_kind != "group":
                        c_name = masked_name(c_name)
                    p_name = masked_name(p_name)
                    if line_number and "*" not in line_number:  # not a mobile number
                        line_number = masked_phone(line_number)
                    c_id, reg, p_id = c_id_masked, reg_masked, p_id_masked
                else:
                    c_id = full(c_id_enc, c_id_masked, "customer.id")
                    reg = full(reg_enc, reg_masked, "customer.reg")
                    p_id = full(p_id_enc, p_id_masked, "order.presenter_id")
                add([order_no, uid, day if day.__class__ is str else day.isoformat(),
                     hall(hall_id), counter(counter_id), staff(staff_id), channel, service,
                     carrier, status, c_uid, c_kind, c_name, c_id_type, c_id, unit_name,
                     reg_type, reg, line_number, p_role, p_name, p_id_type, p_id, total,
                     fees, pays, docs, signature, effective, details,
                     created if stamp is None or not created else stamp(created),
                     voided if stamp is None or not voided else stamp(voided),
                     staff(voided_by), void_reason,
                     staff(authorized_by), content_hash])
            yield chunk
            self._tick(len(part))

    def csv_lines(self, s: Session) -> Iterator[CsvLines]:
        """The masked orders file's lines, finished by SQLite (`export_csv_lines`), read on
        the session's own connection: the same snapshot as the other files."""
        conn = s.connection().connection.driver_connection
        assert isinstance(conn, sqlite3.Connection)
        for chunk in csv_lines(conn, self.req.date_from, self.req.date_to, self.check):
            yield chunk
            self._tick(chunk.rows)

    def _order_children(self, s: Session, ids: list[int],
                        refs: Refs) -> dict[str, dict[int, Any]]:
        out: dict[str, dict[int, Any]] = {k: defaultdict(list) for k in (
            "documents", "fees", "payments", "printed")}
        out["signature"] = {}
        d, f, p = table_of("order_document"), table_of("order_fee"), table_of("order_payment")
        g, pr = table_of("signature_record"), table_of("printed_document")
        wanted: BindParameter[int] = bindparam("ids", expanding=True)
        params = {"ids": ids}
        for dr in s.execute(select(d.c.order_id, d.c.code, d.c.original_seen,
                                   d.c.copy_retained, d.c.number_masked, d.c.scan_sha256,
                                   d.c.scan_name, d.c.valid_until)
                            .where(d.c.order_id.in_(wanted)).order_by(d.c.id), params):
            out["documents"][dr.order_id].append({
                "code": dr.code, "original_seen": dr.original_seen,
                "copy_retained": dr.copy_retained, "number_masked": dr.number_masked,
                "scan_sha256": dr.scan_sha256, "scan_name": dr.scan_name,
                # an ID's expiry only when recorded: older exports read the same
                **({"valid_until": dr.valid_until.isoformat()} if dr.valid_until else {})})
        for fr in s.execute(select(f.c.order_id, f.c.item, f.c.name, f.c.amount_fen)
                            .where(f.c.order_id.in_(wanted)).order_by(f.c.id), params):
            out["fees"][fr.order_id].append({"item": fr.item, "name": fr.name,
                                             "amount_fen": fr.amount_fen})
        for py in s.execute(select(p.c.order_id, p.c.method, p.c.amount_fen, p.c.tendered_fen,
                                   p.c.change_fen, p.c.reference)
                            .where(p.c.order_id.in_(wanted)).order_by(p.c.id), params):
            out["payments"][py.order_id].append({
                "method": py.method, "amount_fen": py.amount_fen,
                "tendered_fen": py.tendered_fen, "change_fen": py.change_fen,
                "reference": py.reference})
        for sg in s.execute(select(g.c.order_id, g.c.on_paper, g.c.content_hash, g.c.signed_at)
                            .where(g.c.order_id.in_(wanted)), params):
            out["signature"][sg.order_id] = {"on_paper": sg.on_paper,
                                             "content_hash": sg.content_hash,
                                             "signed_at": iso(sg.signed_at)}
        for pp in s.execute(select(pr.c.order_id, pr.c.kind, pr.c.copy_no, pr.c.sha256,
                                   pr.c.printed_at, pr.c.staff_id)
                            .where(pr.c.order_id.in_(wanted)).order_by(pr.c.id), params):
            out["printed"][pp.order_id].append({
                "kind": pp.kind, "copy_no": pp.copy_no, "sha256": pp.sha256,
                "printed_at": iso(pp.printed_at), "staff": refs.staff.get(pp.staff_id)})
        return out

    def intake(self, s: Session, refs: Refs) -> Iterator[Record]:
        t = table_of("intake_entry")
        stmt = (select(t).where(t.c.business_date >= self.req.date_from,
                                t.c.business_date <= self.req.date_to)
                .order_by(t.c.business_date, t.c.created_at, t.c.uid)
                .execution_options(yield_per=CHUNK))
        masked = self.req.masked
        for part in s.execute(stmt).partitions():
            self.check()
            for r in (x._mapping for x in part):
                yield {"uid": r["uid"], "business_date": r["business_date"].isoformat(),
                       "hall": refs.hall.get(r["hall_id"]),
                       "counter": refs.counter.get(r["counter_id"]),
                       "staff": refs.staff.get(r["staff_id"]), "channel": r["channel"],
                       "service": r["service"], "decision": r["decision"],
                       "customer_name": masked_name(r["customer_name"]) if masked
                       else r["customer_name"],
                       "customer_id_masked": r["customer_id_masked"],
                       "line_number": masked_phone(r["line_number"]) if masked
                       else r["line_number"], "violations": r["violations"],
                       "missing": r["missing"], "created_at": iso(r["created_at"])}
            self._tick(len(part))

    def follow_ups(self, s: Session, refs: Refs) -> Iterator[Record]:
        t, o = table_of("follow_up"), table_of("service_order")
        stmt = (select(t, o.c.order_no).join(o, o.c.id == t.c.order_id)
                .where(o.c.business_date >= self.req.date_from,
                       o.c.business_date <= self.req.date_to)
                .order_by(o.c.business_date, o.c.order_no, t.c.created_at, t.c.uid)
                .execution_options(yield_per=CHUNK))
        for part in s.execute(stmt).partitions():
            self.check()
            for r in (x._mapping for x in part):
                yield {"uid": r["uid"], "order_no": r["order_no"], "task": r["task"],
                       "name": r["name"], "due_at": iso(r["due_at"]), "status": r["status"],
                       "owner": refs.staff.get(r["owner_staff_id"]),
                       "done_at": iso(r["done_at"]), "note": r["note"],
                       "created_at": iso(r["created_at"])}
            self._tick(len(part))

    def extra(self, s: Session, refs: Refs, table: str) -> Iterator[Record]:
        """A table of the day's module: every column, foreign keys as natural keys, its
        children nested (a shift's counts and closing)."""
        t = table_of(table)
        fks = fk_columns(t)
        masks = EXTRA_MASKS.get(table, {}) if self.req.masked else {}
        spec = spec_of(table)
        children = spec.children if spec else ()
        date_col = t.c.business_date
        stmt = (select(t).where(date_col >= self.req.date_from, date_col <= self.req.date_to)
                .order_by(date_col, t.c.uid).execution_options(yield_per=CHUNK))
        for part in s.execute(stmt).partitions():
            self.check()
            rows = [dict(x._mapping) for x in part]
            natural = {col: refs.natural(s, ref, {r[col] for r in rows if r[col] is not None})
                       for col, ref in fks.items()}
            nested = self._children(s, refs, children, [r["id"] for r in rows])
            for r in rows:
                rec: Record = {}
                for col in t.columns:
                    if col.name == "id":
                        continue
                    value = r[col.name]
                    if col.name in fks:
                        rec[fk_key(col.name)] = natural[col.name].get(value) \
                            if value is not None else None
                    else:
                        rec[col.name] = masks[col.name](value) if col.name in masks \
                            else iso(value)
                for child in children:
                    rec[child.table] = nested[child.table].get(r["id"], [])
                yield rec
            self._tick(len(rows))

    def _children(self, s: Session, refs: Refs, children: tuple[Child, ...],
                  parent_ids: list[int]) -> dict[str, dict[int, list[Record]]]:
        out: dict[str, dict[int, list[Record]]] = {}
        for child in children:
            ct = table_of(child.table)
            fks = {c: r for c, r in fk_columns(ct).items() if c != child.fk}
            rows = [dict(x._mapping) for x in s.execute(
                select(ct).where(ct.c[child.fk].in_(parent_ids)).order_by(ct.c.id))]
            natural = {col: refs.natural(s, ref, {r[col] for r in rows if r[col] is not None})
                       for col, ref in fks.items()}
            grand = self._children(s, refs, child.children, [r["id"] for r in rows])
            bucket: dict[int, list[Record]] = defaultdict(list)
            for r in rows:
                rec: Record = {}
                for col in ct.columns:
                    if col.name in ("id", child.fk):
                        continue
                    value = r[col.name]
                    if col.name in fks:
                        rec[fk_key(col.name)] = natural[col.name].get(value) \
                            if value is not None else None
                    else:
                        rec[col.name] = iso(value)
                for g in child.children:
                    rec[g.table] = grand[g.table].get(r["id"], [])
                bucket[r[child.fk]].append(rec)
            out[child.table] = bucket
        return out

    def audit_events(self, s: Session, own_origin: str, max_seq: int, skip_uid: str | None,
                     tz: str) -> Iterator[Record]:
        start, end = self._utc_bounds(tz)
        a, x = table_of("audit_event"), table_of("synced_audit_event")
        own = select(literal(own_origin).label("origin"), a.c.seq, a.c.uid, a.c.at, a.c.actor,
                     a.c.actor_staff_id, a.c.authorized_by, a.c.counter, a.c.action,
                     a.c.target, a.c.data, a.c.prev_hash, a.c.hash).where(
            a.c.at >= start, a.c.at < end, a.c.seq <= max_seq,
            a.c.uid != (skip_uid or ""))
        received = select(x.c.origin, x.c.seq, x.c.uid, x.c.at, x.c.actor, x.c.actor_staff_id,
                          x.c.authorized_by, x.c.counter, x.c.action, x.c.target, x.c.data,
                          x.c.prev_hash, x.c.hash).where(x.c.at >= start, x.c.at < end)
        both = union_all(own, received).subquery()
        stmt = (select(both).order_by(both.c.origin, both.c.seq)
                .execution_options(yield_per=CHUNK))
        masked = self.req.masked
        for part in s.execute(stmt).partitions():
            self.check()
            for r in (x._mapping for x in part):
                at = r["at"]
                if isinstance(at, str):  # a UNION loses the column type on SQLite
                    at = datetime.fromisoformat(at).replace(tzinfo=UTC)
                data = r["data"]
                if isinstance(data, str):
                    data = json.loads(data)
                if masked:  # e.g. an accepted order's line number
                    data = mask_details(data)
                yield {"origin": r["origin"], "seq": r["seq"], "uid": r["uid"],
                       "at": iso(at), "actor": r["actor"],
                       "actor_staff_id": r["actor_staff_id"],
                       "authorized_by": r["authorized_by"], "counter": r["counter"],
                       "action": r["action"], "target": r["target"], "data": data,
                       "prev_hash": r["prev_hash"], "hash": r["hash"]}
            self._tick(len(part))
