"""Exporting a date range: orders, the intake log, follow-ups, shifts, complaints and the
audit trail, as CSV, XLSX or JSON Lines, with a `manifest.json` of SHA-256 sums.

Personal data is **masked by default**: people's names with `mask_name` (a unit's name is not
personal data), ID numbers as their stored masks (`*_masked` columns), phone numbers with
`mask_mobile` (``138****1234``) wherever they are: line numbers, contact phones, the numbers
in an order's details and line states, and in the data of audit events. Order numbers are not
masked. A masked export's audit trail is for reading: its hashes cover the unmasked values, so
only an unmasked export's trail verifies again after an import.
An **unmasked** export (full names, full ID numbers decrypted with the hall's key) needs the
`export.unmasked` permission (a supervisor or manager, checked here in the core) and a reason;
the reason is recorded in the audit trail *before* any data is read. Every export, masked or
not, is recorded in the audit trail with the manifest's hash before its files are put in place.
Nothing is written (no folder, no file, no event) before the hall's key has been loaded: the
key signs those events, and a wrong passphrase must not leave an unrecorded export behind.

Ranges: orders, the intake log, shifts and complaints by business date; follow-ups are those
of the exported orders; audit events by their time, read as the hall's local dates. The audit
trail includes the events received from workstations (`synced_audit_event`, on a server) with
their `origin`; a database's own events carry its sync origin (or the hall code).

Everything streams: rows are read in chunks (`yield_per`; server-side cursors on PostgreSQL)
inside one snapshot (REPEATABLE READ on PostgreSQL, one read transaction on SQLite) and written
as they come, so memory stays flat for a million orders.

Files: ``orders.csv`` (UTF-8 with BOM, so Excel reads the Chinese), ``orders.xlsx`` or
``orders.jsonl`` and so on, and ``manifest.json``. JSON Lines carry complete records with
stable keys (`uid`, `order_no`, codes and staff numbers instead of local ids) and are what
`counter import` reads back. Times are UTC, ISO 8601.

The parts: `export_columns` (columns, masks, values), `export_records` (reading each
dataset), `export_writers` (one writer per format), `export_manifest` (the manifest).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import Database
from app.models import Base
from app.security import Permission
from app.services.audit import events as audit
from app.services.customers.pii import PersonalData, default_personal_data
from app.services.exchange.errors import ExportError
from app.services.exchange.export_columns import (
    AUDIT_COLUMNS,
    EXTRA_TABLES,
    FOLLOW_UP_COLUMNS,
    INTAKE_COLUMNS,
    ORDER_COLUMNS,
    extra_columns,
    table_of,
)
from app.services.exchange.export_csv_lines import CsvLines
from app.services.exchange.export_manifest import FORMAT_VERSION, MANIFEST, sha256_of
from app.services.exchange.export_records import Check, Exporter, Progress, Refs, Rows
from app.services.exchange.export_writers import SINKS
from app.services.hall.registry import Actor, get_hall, hall_config
from app.services.sync.tables import spec_of

Format = Literal["csv", "xlsx", "jsonl"]
FORMATS: Final = ("csv", "xlsx", "jsonl")
DATASETS: Final = ("orders", "intake", "follow_ups", "shifts", "complaints", "audit")


@dataclass(frozen=True)
class ExportRequest:
    date_from: date
    date_to: date
    fmt: Format
    out_dir: Path
    masked: bool = True
    reason: str = ""


@dataclass(frozen=True)
class ExportedFile:
    name: str
    dataset: str
    rows: int
    sha256: str
    bytes: int
    seconds: float = 0.0  # time to write it (not in the manifest)


@dataclass
class ExportResult:
    directory: Path
    files: list[ExportedFile]
    manifest: Path
    masked: bool
    skipped: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    def rows(self, dataset: str) -> int:
        return sum(f.rows for f in self.files if f.dataset == dataset)


def _tables(s: Session) -> set[str]:
    from sqlalchemy import inspect

    return set(inspect(s.connection()).get_table_names())


def check_request(req: ExportRequest) -> None:
    """Refuse a request that cannot be done (`ExportError`), before anything is opened."""
    if req.fmt not in FORMATS:
        raise ExportError(f"不支持的格式 {req.fmt}（csv、xlsx 或 jsonl）",
                          f"unknown format {req.fmt} (csv, xlsx or jsonl)")
    if req.date_to < req.date_from:
        raise ExportError("结束日期早于开始日期", "the end date is before the start date")
    if not req.masked and len(req.reason.strip()) < 4:
        raise ExportError("导出未脱敏数据必须填写原因（至少 4 个字）",
                          "an unmasked export needs a reason (at least 4 characters)")
    target = Path(req.out_dir)
    if (target / MANIFEST).exists():
        raise ExportError(f"文件夹 {target} 中已有一份导出，请换一个文件夹",
                          f"{target} already holds an export: choose another folder")


def export_data(db: Database, actor: Actor, req: ExportRequest, *,
                personal_data: PersonalData | None = None, check: Check | None = None,
                progress: Progress | None = None, now: datetime | None = None) -> ExportResult:
    """Write the export into `req.out_dir` (created if needed) and return what was written.

    The files are made in a temporary folder beside it and moved in only when complete: a
    cancelled or failed export leaves nothing behind. `check` may raise to cancel."""
    from app.services.exchange.gate import check_key
    from app.services.staff.auth import require

    started = time.monotonic()
    check_request(req)
    check_key(personal_data=not req.masked)
    begin_uid: str | None = None
    if not req.masked:
        require(db, actor, Permission.EXPORT_UNMASKED)  # records a refusal, raises
        personal_data = personal_data or default_personal_data()
        with db.session() as s:  # the reason is on record before any data is read
            begin_uid = audit.record(
                s, "export.unmasked", actor=actor.staff_no, actor_staff_id=actor.staff_id,
                counter=actor.counter_code, authorized_by=actor.authorized_by,
                target=f"{req.date_from}..{req.date_to}",
                data={"reason": req.reason.strip()[:200], "format": req.fmt}).uid
    exporter = Exporter(db, actor, req, personal_data=personal_data, check=check,
                        progress=progress)
    out_dir = Path(req.out_dir)
    created = _make_folder(out_dir)
    work = Path(tempfile.mkdtemp(prefix=".export-", dir=out_dir))
    files: list[ExportedFile] = []
    try:
        with db.read() as s:
            if not db.is_sqlite:  # one snapshot for every file
                s.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            hall = get_hall(s)
            if hall is None:
                raise ExportError("数据库中没有营业厅", "no hall in the database")
            tz = hall_config(hall).timezone
            refs = Refs(s)
            present = _tables(s)
            last_seq = func.max(table_of("audit_event").c.seq)
            max_seq = int(s.execute(select(func.coalesce(last_seq, 0))).scalar() or 0)
            from app.services.sync.state import get_origin

            own_origin = get_origin(db, create=False) or hall.code
            exporter.total = _estimate(s, req, present)
            flat = req.fmt != "jsonl"
            lines = finished_lines(db, req)
            plan: list[tuple[str, Sequence[str], Callable[[], Iterator[Any]]]] = [
                ("orders", ORDER_COLUMNS, lambda: exporter.csv_lines(s) if lines
                 else exporter.flat_orders(s, refs) if flat else exporter.orders(s, refs)),
                ("intake", INTAKE_COLUMNS, lambda: exporter.intake(s, refs)),
                ("follow_ups", FOLLOW_UP_COLUMNS, lambda: exporter.follow_ups(s, refs)),
            ]
            for dataset, table in EXTRA_TABLES.items():
                if table in Base.metadata.tables and table in present:
                    spec = spec_of(table)
                    plan.append((dataset, extra_columns(table_of(table)) + [
                        c.table for c in (spec.children if spec else ())],
                        lambda table=table: exporter.extra(s, refs, table)))  # type: ignore[misc]
                else:
                    exporter.skipped[dataset] = (
                        f"this database has no {table} table (the day's module is not "
                        "installed); not exported")
            plan.append(("audit", AUDIT_COLUMNS, lambda: exporter.audit_events(
                s, own_origin, max_seq, begin_uid, tz)))
            for dataset, columns, rows in plan:
                began = time.monotonic()
                name = f"{dataset}.{req.fmt}"
                sink = SINKS[req.fmt](work / name, dataset, columns)
                try:
                    for record in rows():
                        if isinstance(record, Rows):
                            sink.write_rows(record)
                        elif isinstance(record, CsvLines):
                            sink.write_lines(record)
                        elif isinstance(record, list):
                            sink.write_row(record)
                        else:
                            sink.write(record)
                finally:
                    sink.close()
                path = work / name
                files.append(ExportedFile(name, dataset, sink.rows, sha256_of(path),
                                          path.stat().st_size, time.monotonic() - began))
        manifest = {
            "format_version": FORMAT_VERSION,
            "created_at": (now or db.clock.now()).isoformat(timespec="seconds"),
            "hall": hall.code, "timezone": tz,
            "range": {"from": req.date_from.isoformat(), "to": req.date_to.isoformat()},
            "format": req.fmt, "masked": req.masked,
            "reason": None if req.masked else req.reason.strip(),
            "actor": actor.staff_no,
            "files": [{"name": f.name, "dataset": f.dataset, "rows": f.rows,
                       "sha256": f.sha256, "bytes": f.bytes} for f in files],
            "skipped": exporter.skipped,
            "undecryptable": exporter.undecryptable,
        }
        (work / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        with db.session() as s:  # on record before the files are handed over
            audit.record(s, "export", actor=actor.staff_no, actor_staff_id=actor.staff_id,
                         counter=actor.counter_code, authorized_by=actor.authorized_by,
                         target=f"{req.date_from}..{req.date_to}",
                         data={"format": req.fmt, "masked": req.masked,
                               "counts": {f.dataset: f.rows for f in files},
                               "manifest_sha256": sha256_of(work / MANIFEST)})
        for f in [*files, ExportedFile(MANIFEST, "manifest", 0, "", 0)]:
            os.replace(work / f.name, out_dir / f.name)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        _remove_empty(created)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return ExportResult(out_dir, files, out_dir / MANIFEST, req.masked, exporter.skipped,
                        time.monotonic() - started)


def finished_lines(db: Database, req: ExportRequest) -> bool:
    """Whether the orders file's lines come finished from the database: a masked CSV on
    SQLite (`export_csv_lines`); the other exports build their rows in Python."""
    return req.fmt == "csv" and req.masked and db.is_sqlite


def _make_folder(path: Path) -> list[Path]:
    """Create `path` and its missing parents; returns those it created, deepest first, so
    that a failed export can take them away again."""
    created: list[Path] = []
    missing = path
    while not missing.exists() and missing != missing.parent:
        created.append(missing)
        missing = missing.parent
    path.mkdir(parents=True, exist_ok=True)
    return created


def _remove_empty(folders: list[Path]) -> None:
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:  # not empty (something else put a file there): left as it is
            return


def _estimate(s: Session, req: ExportRequest, present: set[str]) -> int:
    """Rows to write, for the progress bar (orders and intake dominate)."""
    total = 0
    for table in ("service_order", "intake_entry"):
        t = table_of(table)
        total += int(s.execute(select(func.count()).select_from(t).where(
            t.c.business_date >= req.date_from, t.c.business_date <= req.date_to)).scalar()
            or 0)
    return total
