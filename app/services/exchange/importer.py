"""Importing a JSON Lines export into another, empty database (`counter import`).

The folder's `manifest.json` is read first and every file checked against its SHA-256, and
the hall's key loaded; then all records go in inside **one transaction** (a failed import
leaves the database empty), with the `import` audit event that names who imported what (the
manifest's hash, the counts). "Empty" means no business data: the database may hold its hall,
its staff and its own audit events (the setup, the supervisor's log-in for the import).
Exporting the imported range again gives the same files, byte for byte (only the manifest's
`created_at` differs, and the target's own events: the log-in and the import itself).

What comes back:

* halls, counters and staff by their codes and staff numbers (staff made here cannot log in:
  an archive is not a way to copy passwords);
* customers by `uid`, orders by `uid` / `order_no` with their documents, fees, payments,
  signature record (not the signature image, which exports never carry) and printed papers;
  the intake log, follow-ups, and the day's tables when this program has them;
* the audit events, verbatim, into `synced_audit_event` under their `origin`: their hashes
  cover ids of the exporting database, so they are kept as a received chain
  (`verify_origin_chain`) and this database's own chain stays its own.

**Masked exports import as masked records**: the masked name and ID are stored as they are,
with no encrypted number and no lookup hash, so such a customer cannot be found by ID number
and an unmasked export of it still shows the masks. An unmasked export's full numbers are
encrypted again under this database's key. Lines are not part of an export: orders keep their
line number, without a link to a line.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Date, Table, func, insert, select
from sqlalchemy.orm import Session

from app.db import Database, clock_of
from app.models import Base
from app.models.base import UTCDateTime, new_uid
from app.services.customers.pii import PersonalData, default_personal_data
from app.services.exchange.errors import ExportError
from app.services.exchange.export_columns import EXTRA_TABLES, fk_columns, fk_key
from app.services.exchange.export_manifest import MANIFEST, read_manifest, sha256_of, verify_files
from app.services.hall.registry import Actor, ensure_hall
from app.services.sync.tables import Child, spec_of

CHUNK = 2000
Check = Callable[[], None]


@dataclass
class ImportResult:
    folder: Path
    masked: bool
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _t(name: str) -> Table:
    return Base.metadata.tables[name]


def _lines(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError:
                    raise ExportError(f"{path.name} 第 {n} 行不是有效的 JSON",
                                      f"{path.name} line {n}: not valid JSON") from None


def _chunked(items: Iterator[dict[str, Any]], size: int = CHUNK) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class Importer:
    def __init__(self, s: Session, masked: bool, pd: PersonalData | None,
                 default_hall: str) -> None:
        self.s, self.masked, self.pd = s, masked, pd
        self.default_hall = default_hall
        self.halls: dict[str, int] = {}
        self.counters: dict[tuple[int, str], int] = {}
        self.staff: dict[str, int] = {}
        self.counts: dict[str, int] = {}
        # Sealed rows written since the last audit event, for its seals (`audit.record`).
        self.written: list[tuple[str, int]] = []

    # -- references -----------------------------------------------------------------------------
    def hall(self, code: str | None) -> int:
        code = code or self.default_hall
        if code not in self.halls:
            t = _t("hall")
            found = self.s.execute(select(t.c.id).where(t.c.code == code)).scalar()
            if found is None:
                from app.core.config import load_hall_config

                cfg = load_hall_config()
                found = self.s.execute(insert(t).values(
                    code=code, name=cfg.name if code == cfg.code else code,
                    carrier=cfg.carrier, star=cfg.star, config={},
                    created_at=clock_of(self.s).now()).returning(t.c.id)).scalar_one()
            self.halls[code] = found
        return self.halls[code]

    def counter(self, code: str | None, hall_code: str | None = None) -> int | None:
        if not code:
            return None
        hall_id = self.hall(hall_code)
        key = (hall_id, code)
        if key not in self.counters:
            t = _t("counter")
            found = self.s.execute(select(t.c.id).where(t.c.hall_id == hall_id,
                                                        t.c.code == code)).scalar()
            if found is None:
                found = self.s.execute(insert(t).values(
                    hall_id=hall_id, code=code, name=f"{code}号柜台",
                    batch=code.startswith("B")).returning(t.c.id)).scalar_one()
            self.counters[key] = found
        return self.counters[key]

    def staff_id(self, staff_no: str | None) -> int | None:
        if not staff_no:
            return None
        if staff_no not in self.staff:
            t = _t("staff")
            found = self.s.execute(select(t.c.id).where(t.c.staff_no == staff_no)).scalar()
            if found is None:
                found = self.s.execute(insert(t).values(
                    uid=new_uid(), hall_id=self.hall(None), staff_no=staff_no, name=staff_no,
                    role="clerk", password_hash="!imported", active=False, failed_logins=0,
                    created_at=clock_of(self.s).now()).returning(t.c.id)).scalar_one()
                self.written.append(("staff", found))
            self.staff[staff_no] = found
        return self.staff[staff_no]

    def _count(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    # -- personal data -----------------------------------------------------------------------------
    def _protect(self, value: str | None, aad: str, unit: bool = False
                 ) -> tuple[bytes | None, str | None, str | None]:
        """(encrypted, lookup hash, mask) of an ID number as the export gave it."""
        if not value:
            return None, None, None
        if self.masked or self.pd is None or "*" in value:
            return None, None, value  # a mask stays a mask
        prot = self.pd.protect_unit(value) if unit else self.pd.protect_id(value, aad)
        return prot.enc, (prot.lookup if aad.startswith("customer") else None), prot.masked

    # -- orders --------------------------------------------------------------------------------------
    def customers(self, records: list[dict[str, Any]]) -> dict[str, int]:
        """Local ids of the customers of a chunk of orders, made when new (looked up per
        chunk: a large import never holds every customer in memory)."""
        ct = _t("customer")
        wanted = {r["customer"]["uid"]: r["customer"] for r in records if r["customer"]}
        ids: dict[str, int] = dict(self.s.execute(
            select(ct.c.uid, ct.c.id).where(ct.c.uid.in_(sorted(wanted)))).all())
        now = clock_of(self.s).now()
        for uid, c in wanted.items():
            if uid in ids:
                continue
            enc, lookup, masked = self._protect(c.get("id"), "customer.id")
            renc, rlookup, rmasked = self._protect(c.get("reg"), "customer.reg", unit=True)
            ids[uid] = self.s.execute(insert(ct).values(
                uid=uid, kind=c["kind"], name=c["name"], id_type=c.get("id_type"),
                id_enc=enc, id_lookup=lookup, id_masked=masked, unit_name=c.get("unit_name"),
                reg_type=c.get("reg_type"), reg_enc=renc, reg_lookup=rlookup,
                reg_masked=rmasked, version=1, updated_at=now, origin="import",
            ).returning(ct.c.id)).scalar_one()
            self.written.append(("customer", ids[uid]))
            self._count("customers", 1)
        return ids

    def orders(self, records: list[dict[str, Any]]) -> None:
        o = _t("service_order")
        customers = self.customers(records)
        rows = []
        for r in records:
            p = r["presenter"]
            penc, _, pmasked = self._protect(p.get("id"), "order.presenter_id")
            rows.append({
                "uid": r["uid"], "order_no": r["order_no"], "hall_id": self.hall(r["hall"]),
                "counter_id": self.counter(r["counter"], r["hall"]),
                "staff_id": self.staff_id(r["staff"]), "channel": r["channel"],
                "service": r["service"], "carrier": r["carrier"],
                "business_date": date.fromisoformat(r["business_date"]), "status": r["status"],
                "customer_id": customers[r["customer"]["uid"]] if r["customer"] else None,
                "line_id": None,
                "line_number": r["line_number"], "presenter_role": p["role"],
                "presenter_name": p["name"], "presenter_id_type": p.get("id_type"),
                "presenter_id_enc": penc, "presenter_id_masked": pmasked,
                "details": r["details"], "outcome": r["outcome"],
                "line_before": r["line_before"], "line_after": r["line_after"],
                "total_fen": r["total_fen"], "effective": r["effective"],
                "content_hash": r["content_hash"], "started_at": _dt(r["started_at"]),
                "created_at": _dt(r["created_at"]), "voided_at": _dt(r["voided_at"]),
                "voided_by": self.staff_id(r["voided_by"]), "void_reason": r["void_reason"],
                "authorized_by": self.staff_id(r["authorized_by"])})
        ids: dict[str, int] = dict(self.s.execute(insert(o).returning(o.c.uid, o.c.id,
                                                      sort_by_parameter_order=True), rows).all())
        self.written += [("service_order", oid) for oid in ids.values()]
        docs, fees, pays, sigs, printed = [], [], [], [], []
        for r in records:
            oid = ids[r["uid"]]
            docs += [{**d, "order_id": oid,
                      "valid_until": date.fromisoformat(d["valid_until"])
                      if d.get("valid_until") else None} for d in r["documents"]]
            fees += [{**f, "order_id": oid} for f in r["fees"]]
            pays += [{**p, "order_id": oid} for p in r["payments"]]
            if r["signature"]:
                sig = r["signature"]
                sigs.append({"order_id": oid, "on_paper": sig["on_paper"],
                             "content_hash": sig["content_hash"],
                             "signed_at": _dt(sig["signed_at"])})
            printed += [{"order_id": oid, "kind": x["kind"], "copy_no": x["copy_no"],
                         "sha256": x["sha256"], "printed_at": _dt(x["printed_at"]),
                         "staff_id": self.staff_id(x["staff"])} for x in r["printed"]]
        for table, payload in (("order_document", docs), ("order_fee", fees),
                               ("order_payment", pays), ("signature_record", sigs),
                               ("printed_document", printed)):
            if payload:
                self.s.execute(insert(_t(table)), payload)
        self._count("orders", len(rows))

    def intake(self, records: list[dict[str, Any]]) -> None:
        self.s.execute(insert(_t("intake_entry")), [{
            "uid": r["uid"], "hall_id": self.hall(r["hall"]),
            "counter_id": self.counter(r["counter"], r["hall"]),
            "staff_id": self.staff_id(r["staff"]), "channel": r["channel"],
            "service": r["service"], "business_date": date.fromisoformat(r["business_date"]),
            "decision": r["decision"], "customer_name": r["customer_name"],
            "customer_id_masked": r["customer_id_masked"], "line_number": r["line_number"],
            "violations": r["violations"], "missing": r["missing"],
            "created_at": _dt(r["created_at"])} for r in records])
        self._count("intake", len(records))

    def _order_ids(self, order_nos: set[str]) -> dict[str, int]:
        o = _t("service_order")
        return dict(self.s.execute(select(o.c.order_no, o.c.id)
                                   .where(o.c.order_no.in_(sorted(order_nos)))).all())

    def follow_ups(self, records: list[dict[str, Any]]) -> None:
        orders = self._order_ids({r["order_no"] for r in records})
        missing = [r["order_no"] for r in records if r["order_no"] not in orders]
        if missing:
            raise ExportError(f"待办所属的订单 {missing[0]} 不在导出中",
                              f"the order {missing[0]} of a follow-up is not in the export")
        self.s.execute(insert(_t("follow_up")), [{
            "uid": r["uid"], "order_id": orders[r["order_no"]], "task": r["task"],
            "name": r["name"], "due_at": _dt(r["due_at"]), "status": r["status"],
            "owner_staff_id": self.staff_id(r["owner"]), "done_at": _dt(r["done_at"]),
            "note": r["note"], "created_at": _dt(r["created_at"])} for r in records])
        self._count("follow_ups", len(records))

    # -- the day's tables -----------------------------------------------------------------------
    def _resolve(self, ref: str, value: Any, record: dict[str, Any]) -> Any:
        if value is None:
            return None
        if ref == "hall":
            return self.hall(value)
        if ref == "counter":
            return self.counter(value, record.get("hall"))
        if ref == "staff":
            return self.staff_id(value)
        t = _t(ref)
        key = t.c.order_no if ref == "service_order" else t.c.uid
        found = self.s.execute(select(t.c.id).where(key == value)).scalar()
        if found is None:
            raise ExportError(f"{ref} {value} 不在导出中", f"{ref} {value} is not in the export")
        return found

    def _values(self, t: Table, record: dict[str, Any], skip: str | None = None
                ) -> dict[str, Any]:
        fks = fk_columns(t)
        out: dict[str, Any] = {}
        for col in t.columns:
            if col.name in ("id", skip):
                continue
            if col.name in fks:
                out[col.name] = self._resolve(fks[col.name], record.get(fk_key(col.name)),
                                              record)
                continue
            value = record.get(col.name)
            if value is not None and isinstance(col.type, UTCDateTime):
                value = datetime.fromisoformat(value)
            elif value is not None and isinstance(col.type, Date):
                value = date.fromisoformat(value)
            out[col.name] = value
        return out

    def extra(self, table: str, records: list[dict[str, Any]]) -> None:
        t = _t(table)
        spec = spec_of(table)
        for r in records:
            new_id = self.s.execute(insert(t).values(self._values(t, r))
                                    .returning(t.c.id)).scalar_one()
            self._children(spec.children if spec else (), r, new_id)
        self._count(table, len(records))

    def _children(self, children: tuple[Child, ...], record: dict[str, Any],
                  parent_id: int) -> None:
        for child in children:
            ct = _t(child.table)
            for rec in record.get(child.table) or []:
                values = self._values(ct, rec, skip=child.fk)
                values[child.fk] = parent_id
                new_id = self.s.execute(insert(ct).values(values).returning(ct.c.id)
                                        ).scalar_one()
                self._children(child.children, rec, new_id)

    # -- audit -------------------------------------------------------------------------------------
    def audit(self, records: list[dict[str, Any]]) -> None:
        now = clock_of(self.s).now()
        self.s.execute(insert(_t("synced_audit_event")), [{
            "origin": r["origin"], "uid": r["uid"], "seq": r["seq"], "at": _dt(r["at"]),
            "actor_staff_id": r["actor_staff_id"], "actor": r["actor"],
            "authorized_by": r["authorized_by"], "counter": r["counter"],
            "action": r["action"], "target": r["target"], "data": r["data"],
            "prev_hash": r["prev_hash"], "hash": r["hash"], "received_at": now}
            for r in records])
        self._count("audit", len(records))


def _is_empty(s: Session) -> bool:
    """No business data yet (this database's own audit events may be there: its setup and the
    log-in of the supervisor who imports)."""
    for table in ("customer", "service_order", "intake_entry", "synced_audit_event"):
        if s.execute(select(func.count()).select_from(_t(table))).scalar():
            return False
    return True


def check_importable(folder: Path) -> dict[str, Any]:
    """The manifest of an export that can be imported, or `ExportError` (reads only)."""
    manifest = read_manifest(Path(folder))
    if manifest.get("format") != "jsonl":
        raise ExportError("只能导入 JSON Lines 格式的导出（--format jsonl）",
                          "only a JSON Lines export (--format jsonl) can be imported")
    return manifest


def import_export(db: Database, folder: Path, *, actor: Actor | None = None,
                  personal_data: PersonalData | None = None,
                  check: Check | None = None) -> ImportResult:
    """Import the JSON Lines export in `folder` into the empty database `db`.

    `actor` (the command always gives the supervisor it logged in) is recorded in this
    database's own audit chain, in the import's transaction: an `import.rows` event per chunk
    sealing the orders, customers and staff it wrote (`audit verify` checks them like any
    other), then the `import` event with the manifest's hash."""
    from app.services.audit import events as audit
    from app.services.exchange.gate import check_key

    started = time.monotonic()
    folder = Path(folder)
    manifest = check_importable(folder)
    verify_files(folder, manifest)
    masked = bool(manifest.get("masked", True))
    check_key(personal_data=not masked)
    pd = None if masked else (personal_data or default_personal_data())
    files = {f["dataset"]: folder / f["name"] for f in manifest["files"]}
    for dataset, table in EXTRA_TABLES.items():
        if dataset in files and table not in Base.metadata.tables:
            raise ExportError(f"导出中有 {dataset}，而本程序没有这张表，请升级程序",
                              f"the export holds {dataset}, which this program does not know")
    with db.session() as s:
        if not _is_empty(s):
            raise ExportError("只能导入到空数据库（没有客户、订单、受理记录和审计事件）",
                              "import needs an empty database (no customers, orders, intake "
                              "or audit events)")
        default_hall = manifest.get("hall") or ensure_hall(s).code
        imp = Importer(s, masked, pd, default_hall)
        steps: list[tuple[str, Callable[[list[dict[str, Any]]], None]]] = [
            ("orders", imp.orders), ("intake", imp.intake), ("follow_ups", imp.follow_ups)]
        steps += [(dataset, lambda recs, table=table: imp.extra(table, recs))  # type: ignore[misc]
                  for dataset, table in EXTRA_TABLES.items()]
        steps.append(("audit", imp.audit))
        for dataset, step in steps:
            path = files.get(dataset)
            if path is None:
                continue
            for chunk in _chunked(_lines(path)):
                if check is not None:
                    check()
                step(chunk)
                if actor is not None and imp.written:  # sealed a chunk at a time
                    audit.record(s, "import.rows", actor=actor.staff_no,
                                 actor_staff_id=actor.staff_id, counter=actor.counter_code,
                                 target=dataset, data={"count": len(chunk)}, seal=imp.written)
                    imp.written = []
        if actor is not None:
            span = manifest.get("range")
            span = span if isinstance(span, dict) else {}
            audit.record(s, "import", actor=actor.staff_no, actor_staff_id=actor.staff_id,
                         counter=actor.counter_code, authorized_by=actor.authorized_by,
                         target=f"{span.get('from')}..{span.get('to')}"[:60],
                         data={"hall": str(manifest.get("hall"))[:20], "masked": masked,
                               "counts": imp.counts,
                               "manifest_sha256": sha256_of(folder / MANIFEST)})
    return ImportResult(folder, masked, imp.counts, time.monotonic() - started)
