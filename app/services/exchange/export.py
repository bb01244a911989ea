"""Exporting a date range: orders, the intake log, follow-ups, shifts, complaints and the
audit trail, as CSV, XLSX or JSON Lines, with a `manifest.json` of SHA-256 sums.

Personal data is **masked by default**: people's names with `mask_name` (a unit's name is not
personal data), ID numbers as their stored masks (`*_masked` columns), complaint phone numbers
with `mask_mobile`. Line numbers and order numbers are not masked: they are the service's own
identifiers, which the figures are about.
An **unmasked** export (full names, full ID numbers decrypted with the hall's key) needs the
`export.unmasked` permission (a supervisor or manager, checked here in the core) and a reason;
the reason is recorded in the audit trail *before* any data is read. Every export, masked or
not, is recorded in the audit trail when it is done, with the manifest's hash.

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

XLSX is written by `XlsxStream` below rather than openpyxl's write-only mode: on the same data
openpyxl took about 7 µs per cell (four minutes for a million orders); the stream writes the
same SpreadsheetML (inline strings) directly, and the tests read its files back with openpyxl.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, Final, Literal
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from sqlalchemy import (
    String,
    Table,
    Text,
    bindparam,
    func,
    literal,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

from app.db import Database
from app.models import Base
from app.security import Permission, mask_mobile, mask_name
from app.services.audit import events as audit
from app.services.customers.pii import PersonalData, default_personal_data
from app.services.hall.registry import Actor, get_hall, hall_config
from app.services.sync.tables import Child, spec_of

Format = Literal["csv", "xlsx", "jsonl"]
FORMATS: Final = ("csv", "xlsx", "jsonl")
DATASETS: Final = ("orders", "intake", "follow_ups", "shifts", "complaints", "audit")
CHUNK: Final = 2000
MANIFEST: Final = "manifest.json"
FORMAT_VERSION: Final = 1
XLSX_MAX_ROWS: Final = 1_048_575  # a sheet's rows, less the header

Check = Callable[[], None]
Progress = Callable[[int, int], None]
Record = dict[str, Any]


class ExportError(RuntimeError):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en
        self.user_message = str(self)


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


# -- values ----------------------------------------------------------------------------------------

def iso(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def utc_text(value: datetime | str) -> str:
    """A stored UTC time as ISO 8601 text, the same whether the database gave an object
    (PostgreSQL) or its stored text (SQLite's "YYYY-MM-DD HH:MM:SS.ffffff")."""
    if value.__class__ is str:
        text = str(value)
        if text.endswith(".000000"):
            text = text[:-7]
        return text.replace(" ", "T", 1) + "+00:00"
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


@lru_cache(maxsize=65536)
def masked_name(name: str | None) -> str | None:
    """mask_name, but a value that is masked already stays as it is (an import of a masked
    export, exported again, gives the same bytes)."""
    if not name:
        return name
    return name if "*" in name else mask_name(name)


def masked_phone(phone: str | None) -> str | None:
    if not phone:
        return phone
    return phone if "*" in phone else mask_mobile(phone)


def _mask_details(details: Any) -> Any:
    """Names recorded in an order's details (a new owner, an agent) are masked too."""
    if not isinstance(details, dict):
        return details
    return {k: (masked_name(v) if isinstance(v, str) and k.endswith("name") else v)
            for k, v in details.items()}


# -- writers ---------------------------------------------------------------------------------------

class _Sink:
    def __init__(self, path: Path, dataset: str, columns: Sequence[str] = ()) -> None:
        self.path, self.dataset, self.rows = path, dataset, 0

    def write(self, record: Record) -> None:
        """A record; the flat formats take its values in column order."""
        raise NotImplementedError

    def write_row(self, values: Sequence[Any]) -> None:
        """Values in column order, each a str, int or None (the flat formats only)."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class JsonlSink(_Sink):
    def __init__(self, path: Path, dataset: str, columns: Sequence[str]) -> None:
        super().__init__(path, dataset)
        self.fh: IO[str] = path.open("w", encoding="utf-8", newline="\n")
        self.dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    def write(self, record: Record) -> None:
        self.fh.write(self.dumps(record))
        self.fh.write("\n")
        self.rows += 1

    def close(self) -> None:
        self.fh.close()


def _cell(value: Any, dumps: Callable[[Any], str]) -> Any:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return dumps(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: Any) -> Any:
    """A text Excel would take for a formula (=, +, -, @ first) gets a leading apostrophe,
    which Excel shows as plain text: a customer's name never runs as a formula."""
    if value.__class__ is str and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class CsvSink(_Sink):
    """UTF-8 with a BOM (Excel's way of knowing it is UTF-8); one header row. Texts that
    would start a formula are made inert (`_inert`)."""

    def __init__(self, path: Path, dataset: str, columns: Sequence[str]) -> None:
        super().__init__(path, dataset)
        self.fh: IO[str] = path.open("w", encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.fh)
        self.writer.writerow(columns)
        self.columns = list(columns)
        # Columns that may hold text people typed (the rest are codes, numbers, times).
        free = [i for i, c in enumerate(self.columns) if c in FREE_TEXT]
        self.free_text: list[int] | None = free if set(self.columns) <= KNOWN_COLUMNS else None
        self.dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    def write(self, record: Record) -> None:
        dumps = self.dumps
        self.writer.writerow([_inert(_cell(record.get(c), dumps)) for c in self.columns])
        self.rows += 1

    def write_row(self, values: Sequence[Any]) -> None:
        free = self.free_text
        if free is None:
            self.writer.writerow([_inert(v) for v in values])  # None: an empty field
        else:
            row = list(values)
            for i in free:
                row[i] = _inert(row[i])
            self.writer.writerow(row)
        self.rows += 1

    def close(self) -> None:
        self.fh.close()


_XLSX_STATIC: Final = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "{sheets}</Types>"),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        '</cellStyleXfs><cellXfs count="2">'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
        '</cellStyles></styleSheet>'),
}
# Characters XML 1.0 cannot hold at all (controls other than tab and line ends).
_XML_ILLEGAL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class XlsxStream(_Sink):
    """A streaming XLSX writer: the sheet XML goes straight into the zip, row by row.

    Strings are inline (no shared-string table in memory), numbers are numbers, the header is
    bold and frozen; past 1,048,575 rows the data continues on another sheet."""

    def __init__(self, path: Path, dataset: str, columns: Sequence[str]) -> None:
        super().__init__(path, dataset)
        self.columns = list(columns)
        self.zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED,
                                   compresslevel=1)
        self.sheets: list[str] = []
        self.dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        self._sheet: IO[bytes] | None = None
        self._buffer: list[str] = []
        self._in_sheet = 0
        self._open_sheet()

    def _open_sheet(self) -> None:
        n = len(self.sheets) + 1
        self.sheets.append(self.dataset if n == 1 else f"{self.dataset} ({n})")
        self._sheet = self.zip.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True)
        header = "".join(f'<c t="inlineStr" s="1"><is><t>{escape(c)}</t></is></c>'
                         for c in self.columns)
        self._sheet.write(
            ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
             'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
             f'<sheetData><row>{header}</row>').encode())
        self._in_sheet = 0

    def _close_sheet(self) -> None:
        assert self._sheet is not None
        self._flush()
        self._sheet.write(b"</sheetData></worksheet>")
        self._sheet.close()
        self._sheet = None

    def _flush(self) -> None:
        if self._buffer and self._sheet is not None:
            self._sheet.write("".join(self._buffer).encode())
            self._buffer.clear()

    def write(self, record: Record) -> None:
        self.write_row([record.get(c) for c in self.columns])

    def write_row(self, values: Sequence[Any]) -> None:
        if self._in_sheet >= XLSX_MAX_ROWS:
            self._close_sheet()
            self._open_sheet()
        parts = ["<row>"]
        append = parts.append
        illegal = _XML_ILLEGAL.search
        for value in values:
            if value is None or value == "":
                append("<c/>")
            elif value.__class__ is str and not illegal(value):
                # the hot path: most texts need no escaping at all
                if "&" in value or "<" in value or ">" in value:
                    value = escape(value)
                if value[0] in " \t\n\r" or value[-1] in " \t\n\r":
                    append(f'<c t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>')
                else:
                    append(f'<c t="inlineStr"><is><t>{value}</t></is></c>')
            elif isinstance(value, bool):
                append(f'<c t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, int) and abs(value) < 2**53:
                append(f"<c><v>{value}</v></c>")
            else:
                text = self.dumps(value) if isinstance(value, dict | list) else str(value)
                text = escape(_XML_ILLEGAL.sub("", text))
                space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() \
                    else ""
                append(f'<c t="inlineStr"><is><t{space}>{text}</t></is></c>')
        append("</row>")
        self._buffer.append("".join(parts))
        self.rows += 1
        self._in_sheet += 1
        if len(self._buffer) >= 1000:
            self._flush()

    def close(self) -> None:
        self._close_sheet()
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(self.sheets) + 1))
        self.zip.writestr("[Content_Types].xml",
                          _XLSX_STATIC["[Content_Types].xml"].replace("{sheets}", overrides))
        self.zip.writestr("_rels/.rels", _XLSX_STATIC["_rels/.rels"])
        self.zip.writestr("xl/styles.xml", _XLSX_STATIC["xl/styles.xml"])
        sheets = "".join(f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
                         for i, name in enumerate(self.sheets, start=1))
        self.zip.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f"<sheets>{sheets}</sheets></workbook>"))
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(self.sheets) + 1))
        n = len(self.sheets) + 1
        rels += (f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/'
                 'officeDocument/2006/relationships/styles" Target="styles.xml"/>')
        self.zip.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships">{rels}</Relationships>'))
        self.zip.close()


SINKS: Final[dict[str, type[_Sink]]] = {"csv": CsvSink, "xlsx": XlsxStream, "jsonl": JsonlSink}


# -- columns of the flat formats -------------------------------------------------------------------

ORDER_COLUMNS: Final = (
    "order_no", "uid", "business_date", "hall", "counter", "staff", "channel", "service",
    "carrier", "status", "customer_uid", "customer_kind", "customer_name", "customer_id_type",
    "customer_id", "unit_name", "unit_reg_type", "unit_reg", "line_number", "presenter_role",
    "presenter_name", "presenter_id_type", "presenter_id", "total_fen", "fees", "payments",
    "documents", "signature", "effective", "details", "created_at", "voided_at", "voided_by",
    "void_reason", "authorized_by", "content_hash")
# Columns of ORDER_COLUMNS that may hold typed text, and those that never do.
FREE_TEXT: Final = frozenset({"customer_name", "unit_name", "presenter_name", "void_reason",
                              "details", "customer_id", "unit_reg", "presenter_id",
                              "line_number", "effective"})
KNOWN_COLUMNS: Final = frozenset(ORDER_COLUMNS)
INTAKE_COLUMNS: Final = (
    "uid", "business_date", "hall", "counter", "staff", "channel", "service", "decision",
    "customer_name", "customer_id_masked", "line_number", "violations", "missing", "created_at")
FOLLOW_UP_COLUMNS: Final = (
    "uid", "order_no", "task", "name", "due_at", "status", "owner", "done_at", "note",
    "created_at")
AUDIT_COLUMNS: Final = (
    "origin", "seq", "uid", "at", "actor", "actor_staff_id", "authorized_by", "counter",
    "action", "target", "data", "prev_hash", "hash")

# Personal columns of the day's tables (masked unless the export is unmasked).
EXTRA_MASKS: Final[dict[str, dict[str, Callable[[Any], Any]]]] = {
    "complaint": {"customer_name": masked_name, "contact_phone": masked_phone},
}
EXTRA_TABLES: Final = {"shifts": "shift", "complaints": "complaint"}


def _t(name: str) -> Table:
    return Base.metadata.tables[name]


def fk_key(column: str) -> str:
    """The record key of a foreign key: `counter_id` -> `counter`, `voided_by` stays."""
    return column[:-3] if column.endswith("_id") else column


def _fk_columns(table: Table) -> dict[str, str]:
    return {c.name: next(iter(c.foreign_keys)).column.table.name
            for c in table.columns if c.foreign_keys}


def extra_columns(table: Table) -> list[str]:
    fks = _fk_columns(table)
    return [fk_key(c.name) if c.name in fks else c.name for c in table.columns
            if c.name != "id"]


# -- the export ------------------------------------------------------------------------------------

class _Refs:
    """Natural keys of the small reference tables, loaded once."""

    def __init__(self, s: Session) -> None:
        self.hall = dict(s.execute(select(_t("hall").c.id, _t("hall").c.code)).all())
        self.counter = dict(s.execute(select(_t("counter").c.id, _t("counter").c.code)).all())
        self.staff = dict(s.execute(select(_t("staff").c.id, _t("staff").c.staff_no)).all())

    def natural(self, s: Session, table: str, ids: set[int]) -> dict[int, Any]:
        if table in ("hall", "counter", "staff"):
            return getattr(self, table)  # type: ignore[no-any-return]
        t = _t(table)
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
    def orders(self, s: Session, refs: _Refs) -> Iterator[Record]:
        o, c = _t("service_order"), _t("customer")
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
                    "line_number": r["line_number"],
                    "presenter": {
                        "role": r["presenter_role"],
                        "name": masked_name(r["presenter_name"]) if masked
                        else r["presenter_name"],
                        "id_type": r["presenter_id_type"],
                        "id": r["presenter_id_masked"] if masked else self._full(
                            r["presenter_id_enc"], r["presenter_id_masked"],
                            "order.presenter_id")},
                    "details": _mask_details(r["details"]) if masked else r["details"],
                    "outcome": r["outcome"], "line_before": r["line_before"],
                    "line_after": r["line_after"], "total_fen": r["total_fen"],
                    "effective": r["effective"], "content_hash": r["content_hash"],
                    "started_at": iso(r["started_at"]), "created_at": iso(r["created_at"]),
                    "voided_at": iso(r["voided_at"]),
                    "voided_by": refs.staff.get(r["voided_by"]),
                    "void_reason": r["void_reason"],
                    "authorized_by": refs.staff.get(r["authorized_by"]),
                    **{k: v.get(oid, [] if k != "signature" else None)
                       for k, v in kids.items()}}
            self._tick(len(rows))

    def flat_orders(self, s: Session, refs: _Refs) -> Iterator[list[Any]]:
        """One flat row per order (CSV, XLSX), in `ORDER_COLUMNS` order.

        The hot path of a large export: only the columns shown are read, rows are built as
        lists, and an order's details are parsed only when there are any."""
        o, c = _t("service_order"), _t("customer")
        masked = self.req.masked
        # Encrypted numbers are read only when they are to be shown.
        blobs = (literal(None), literal(None), literal(None)) if masked else (
            c.c.id_enc, c.c.reg_enc, o.c.presenter_id_enc)
        # Dates and times as stored (text on SQLite): turned into ISO text below without
        # parsing them into objects first.
        raw = String()
        stmt = (select(o.c.id, o.c.order_no, o.c.uid, type_coerce(o.c.business_date, raw),
                       o.c.hall_id, o.c.counter_id, o.c.staff_id, o.c.channel, o.c.service,
                       o.c.carrier, o.c.status, c.c.uid, c.c.kind, c.c.name, c.c.id_type,
                       c.c.id_masked, blobs[0], c.c.unit_name, c.c.reg_type, c.c.reg_masked,
                       blobs[1], o.c.line_number, o.c.presenter_role, o.c.presenter_name,
                       o.c.presenter_id_type, o.c.presenter_id_masked, blobs[2],
                       o.c.total_fen, o.c.effective, type_coerce(o.c.details, Text),
                       type_coerce(o.c.created_at, raw), type_coerce(o.c.voided_at, raw),
                       o.c.voided_by, o.c.void_reason, o.c.authorized_by, o.c.content_hash)
                .outerjoin(c, c.c.id == o.c.customer_id)
                .where(o.c.business_date >= self.req.date_from,
                       o.c.business_date <= self.req.date_to)
                .order_by(o.c.business_date, o.c.order_no)
                .execution_options(yield_per=CHUNK))
        hall, counter, staff = refs.hall.get, refs.counter.get, refs.staff.get
        dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        full = self._full
        for part in s.execute(stmt).partitions():
            self.check()
            kids = self._flat_children(s, [r[0] for r in part])
            fees, pays, docs, sigs = kids
            for (oid, order_no, uid, day, hall_id, counter_id, staff_id, channel, service,
                 carrier, status, c_uid, c_kind, c_name, c_id_type, c_id_masked, c_id_enc,
                 unit_name, reg_type, reg_masked, reg_enc, line_number, p_role, p_name,
                 p_id_type, p_id_masked, p_id_enc, total, effective, details, created,
                 voided, voided_by, void_reason, authorized_by, content_hash) in part:
                if details is None or details == "{}" or details == {}:
                    details = "{}"
                else:
                    parsed = json.loads(details) if isinstance(details, str) else details
                    details = dumps(_mask_details(parsed) if masked else parsed)
                if masked:
                    if c_kind != "group":
                        c_name = masked_name(c_name)
                    p_name = masked_name(p_name)
                    c_id, reg, p_id = c_id_masked, reg_masked, p_id_masked
                else:
                    c_id = full(c_id_enc, c_id_masked, "customer.id")
                    reg = full(reg_enc, reg_masked, "customer.reg")
                    p_id = full(p_id_enc, p_id_masked, "order.presenter_id")
                yield [order_no, uid, day if day.__class__ is str else day.isoformat(),
                       hall(hall_id), counter(counter_id), staff(staff_id), channel, service,
                       carrier, status, c_uid, c_kind, c_name, c_id_type, c_id, unit_name,
                       reg_type, reg, line_number, p_role, p_name, p_id_type, p_id, total,
                       fees.get(oid), pays.get(oid), docs.get(oid), sigs.get(oid), effective,
                       details, utc_text(created) if created else None,
                       utc_text(voided) if voided else None, staff(voided_by), void_reason,
                       staff(authorized_by), content_hash]
            self._tick(len(part))

    def _flat_children(self, s: Session, ids: list[int]) -> tuple[dict[int, str], ...]:
        """Per order: fees and payments as "item:10.00; ...", document codes, signature."""
        f, p = _t("order_fee"), _t("order_payment")
        d, g = _t("order_document"), _t("signature_record")
        fees: dict[int, list[str]] = defaultdict(list)
        pays: dict[int, list[str]] = defaultdict(list)
        docs: dict[int, list[str]] = defaultdict(list)
        # One expanding parameter, not 2,000 literals: the statement is built once and cached.
        wanted: BindParameter[int] = bindparam("ids", expanding=True)
        params = {"ids": ids}
        for oid, item, amount in s.execute(select(f.c.order_id, f.c.item, f.c.amount_fen)
                                           .where(f.c.order_id.in_(wanted))
                                           .order_by(f.c.id), params):
            fees[oid].append(f"{item}:{amount / 100:.2f}")
        for oid, method, amount in s.execute(select(p.c.order_id, p.c.method, p.c.amount_fen)
                                             .where(p.c.order_id.in_(wanted))
                                             .order_by(p.c.id), params):
            pays[oid].append(f"{method}:{amount / 100:.2f}")
        for oid, code in s.execute(select(d.c.order_id, d.c.code)
                                   .where(d.c.order_id.in_(wanted)).order_by(d.c.id), params):
            docs[oid].append(code)
        sigs = {oid: "paper" if on_paper else "pad" for oid, on_paper in s.execute(
            select(g.c.order_id, g.c.on_paper).where(g.c.order_id.in_(wanted)), params)}
        return ({k: "; ".join(v) for k, v in fees.items()},
                {k: "; ".join(v) for k, v in pays.items()},
                {k: " ".join(v) for k, v in docs.items()}, sigs)

    def _order_children(self, s: Session, ids: list[int],
                        refs: _Refs) -> dict[str, dict[int, Any]]:
        out: dict[str, dict[int, Any]] = {k: defaultdict(list) for k in (
            "documents", "fees", "payments", "printed")}
        out["signature"] = {}
        d, f, p = _t("order_document"), _t("order_fee"), _t("order_payment")
        g, pr = _t("signature_record"), _t("printed_document")
        wanted: BindParameter[int] = bindparam("ids", expanding=True)
        params = {"ids": ids}
        for dr in s.execute(select(d.c.order_id, d.c.code, d.c.original_seen,
                                   d.c.copy_retained, d.c.number_masked, d.c.scan_sha256,
                                   d.c.scan_name)
                            .where(d.c.order_id.in_(wanted)).order_by(d.c.id), params):
            out["documents"][dr.order_id].append({
                "code": dr.code, "original_seen": dr.original_seen,
                "copy_retained": dr.copy_retained, "number_masked": dr.number_masked,
                "scan_sha256": dr.scan_sha256, "scan_name": dr.scan_name})
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

    def intake(self, s: Session, refs: _Refs) -> Iterator[Record]:
        t = _t("intake_entry")
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
                       "line_number": r["line_number"], "violations": r["violations"],
                       "missing": r["missing"], "created_at": iso(r["created_at"])}
            self._tick(len(part))

    def follow_ups(self, s: Session, refs: _Refs) -> Iterator[Record]:
        t, o = _t("follow_up"), _t("service_order")
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

    def extra(self, s: Session, refs: _Refs, table: str) -> Iterator[Record]:
        """A table of the day's module: every column, foreign keys as natural keys, its
        children nested (a shift's counts and closing)."""
        t = _t(table)
        fks = _fk_columns(t)
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

    def _children(self, s: Session, refs: _Refs, children: tuple[Child, ...],
                  parent_ids: list[int]) -> dict[str, dict[int, list[Record]]]:
        out: dict[str, dict[int, list[Record]]] = {}
        for child in children:
            ct = _t(child.table)
            fks = {c: r for c, r in _fk_columns(ct).items() if c != child.fk}
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
        a, x = _t("audit_event"), _t("synced_audit_event")
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
        for part in s.execute(stmt).partitions():
            self.check()
            for r in (x._mapping for x in part):
                at = r["at"]
                if isinstance(at, str):  # a UNION loses the column type on SQLite
                    at = datetime.fromisoformat(at).replace(tzinfo=UTC)
                data = r["data"]
                if isinstance(data, str):
                    data = json.loads(data)
                yield {"origin": r["origin"], "seq": r["seq"], "uid": r["uid"],
                       "at": iso(at), "actor": r["actor"],
                       "actor_staff_id": r["actor_staff_id"],
                       "authorized_by": r["authorized_by"], "counter": r["counter"],
                       "action": r["action"], "target": r["target"], "data": data,
                       "prev_hash": r["prev_hash"], "hash": r["hash"]}
            self._tick(len(part))


def _tables(s: Session) -> set[str]:
    from sqlalchemy import inspect

    return set(inspect(s.connection()).get_table_names())


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _check_request(req: ExportRequest) -> None:
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
    from app.services.staff.auth import require

    started = time.monotonic()
    _check_request(req)
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
    out_dir.mkdir(parents=True, exist_ok=True)
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
            refs = _Refs(s)
            present = _tables(s)
            max_seq = int(s.execute(select(func.coalesce(func.max(_t("audit_event").c.seq), 0)))
                          .scalar() or 0)
            from app.services.sync.run import get_origin

            own_origin = get_origin(db, create=False) or hall.code
            exporter.total = _estimate(s, req, present)
            flat = req.fmt != "jsonl"
            plan: list[tuple[str, Sequence[str], Callable[[], Iterator[Any]]]] = [
                ("orders", ORDER_COLUMNS, lambda: exporter.flat_orders(s, refs) if flat
                 else exporter.orders(s, refs)),
                ("intake", INTAKE_COLUMNS, lambda: exporter.intake(s, refs)),
                ("follow_ups", FOLLOW_UP_COLUMNS, lambda: exporter.follow_ups(s, refs)),
            ]
            for dataset, table in EXTRA_TABLES.items():
                if table in Base.metadata.tables and table in present:
                    spec = spec_of(table)
                    plan.append((dataset, extra_columns(_t(table)) + [
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
                        if isinstance(record, list):
                            sink.write_row(record)
                        else:
                            sink.write(record)
                finally:
                    sink.close()
                path = work / name
                files.append(ExportedFile(name, dataset, sink.rows, _sha256(path),
                                          path.stat().st_size, time.monotonic() - began))
        manifest = {
            "format_version": FORMAT_VERSION,
            "created_at": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
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
        for f in [*files, ExportedFile(MANIFEST, "manifest", 0, "", 0)]:
            os.replace(work / f.name, out_dir / f.name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    manifest_path = out_dir / MANIFEST
    with db.session() as s:
        audit.record(s, "export", actor=actor.staff_no, actor_staff_id=actor.staff_id,
                     counter=actor.counter_code, authorized_by=actor.authorized_by,
                     target=f"{req.date_from}..{req.date_to}",
                     data={"format": req.fmt, "masked": req.masked,
                           "rows": {f.dataset: f.rows for f in files},
                           "manifest_sha256": _sha256(manifest_path)})
    return ExportResult(out_dir, files, manifest_path, req.masked, exporter.skipped,
                        time.monotonic() - started)


def _estimate(s: Session, req: ExportRequest, present: set[str]) -> int:
    """Rows to write, for the progress bar (orders and intake dominate)."""
    total = 0
    for table in ("service_order", "intake_entry"):
        t = _t(table)
        total += int(s.execute(select(func.count()).select_from(t).where(
            t.c.business_date >= req.date_from, t.c.business_date <= req.date_to)).scalar()
            or 0)
    return total


def read_manifest(folder: Path) -> dict[str, Any]:
    path = Path(folder) / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ExportError(f"{folder} 中没有 manifest.json，不是一份导出",
                          f"no manifest.json in {folder}: not an export") from None
    if not isinstance(data, dict) or data.get("format_version") != FORMAT_VERSION:
        raise ExportError("manifest.json 的格式不认识", "manifest.json: unknown format")
    return data


def verify_files(folder: Path, manifest: Mapping[str, Any]) -> None:
    """Every file listed is there with its SHA-256, or `ExportError` names the first that
    is not."""
    for f in manifest.get("files", []):
        path = Path(folder) / f["name"]
        if not path.is_file():
            raise ExportError(f"缺少文件 {f['name']}", f"missing file {f['name']}")
        if _sha256(path) != f["sha256"]:
            raise ExportError(f"文件 {f['name']} 与清单中的校验值不符（被改动或不完整）",
                              f"{f['name']} does not match its SHA-256 in the manifest")
