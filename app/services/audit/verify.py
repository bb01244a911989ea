"""Checking the audit chain and the business rows of a database (`counter audit verify`).

Events are read in `seq` order in batches (a year of a hall's events never sits in memory at
once), their fields rebuilt with `event_fields` exactly as `record()` hashed them, and the
chain checked with `verify_chain` under the hall's audit key. The report names the first
broken event: its seq, action and time, or, when events were deleted, the missing seqs and the
event found in their place. Then every sealed business row is checked against the newest seal
of it in the chain (`row_check`), and each row that was altered, deleted or inserted past the
program is named.

Deleting only the newest events leaves a shorter chain that is still whole. Anchors close that
gap, with no `--anchor` needed: the head kept in the key store (`anchors`), the heads of the
day sign-offs, and, given the sync server, the head it received last. A head noted elsewhere
(printed by every successful check) can be passed with `--anchor SEQ:HASH`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select

from app.core.config import ConfigError
from app.db import Database
from app.models import AuditEvent, DaySignoff
from app.security import GENESIS_HASH, VerifyResult, verify_chain
from app.services.audit.anchors import HeadDamaged, stored_head
from app.services.audit.events import chain_key, event_fields
from app.services.audit.row_check import (
    RowProblem,
    SealBook,
    check_rows,
    read_received_seals,
)
from app.services.hall.registry import get_hall, hall_config

BATCH = 500


@dataclass(frozen=True)
class BrokenEvent:
    """The event where the chain breaks (or the one standing where events were removed)."""

    seq: int
    action: str
    at: datetime


@dataclass(frozen=True)
class AuditReport:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    reason: str = ""
    event: BrokenEvent | None = None
    last_seq: int | None = None
    head_hash: str = GENESIS_HASH
    rows: tuple[RowProblem, ...] = ()  # business rows that do not match their seals
    rows_checked: int = 0
    anchors: tuple[str, ...] = ()  # where the heads compared with came from
    anchor_problem: str = ""

    def describe(self) -> str:
        """For the administrator (Chinese / English): a first line with the verdict, then one
        line per business row that does not match the log."""
        lines = [self._verdict()]
        if not self.ok and self.anchors:
            lines.append("比对的链头 / heads compared: " + "; ".join(self.anchors))
        return "\n".join([*lines, *(p.describe() for p in self.rows)])

    def _verdict(self) -> str:
        if self.first_bad_seq is not None:
            return self._broken()
        if self.anchor_problem:
            return f"审计链被破坏：{self.anchor_problem}"
        if self.rows:
            empty = "审计日志为空，但数据库中有业务数据；" if not self.checked else ""
            en = "the audit log is empty but the database holds business rows; " \
                if not self.checked else ""
            return (f"业务数据与审计记录不符：{empty}{len(self.rows)} 行 / business rows do not "
                    f"match the audit log: {en}{len(self.rows)} rows")
        if not self.checked:
            return "审计日志为空 / the audit log is empty"
        return (f"审计链完整：共 {self.checked} 条，最新序号 {self.last_seq}，"
                f"锚点 {self.last_seq}:{self.head_hash}；业务数据 {self.rows_checked} 行与记录相符"
                f" / audit chain intact: {self.checked} events, head {self.last_seq}:"
                f"{self.head_hash}; {self.rows_checked} business rows match")

    def _broken(self) -> str:
        where = f"第 {self.first_bad_seq} 条 / seq {self.first_bad_seq}"
        if self.event is not None:
            at = self.event.at.isoformat(timespec="seconds")
            if self.event.seq == self.first_bad_seq:
                where = (f"第 {self.event.seq} 条事件（{self.event.action}，{at}）/ "
                         f"event seq {self.event.seq} ({self.event.action}, {at})")
            else:
                where += (f"，其位置上是第 {self.event.seq} 条事件（{self.event.action}，{at}）/ "
                          f"found instead: seq {self.event.seq} ({self.event.action}, {at})")
        return f"审计链被破坏：{where}：{self.reason}"


class _Reader:
    """Streams (seq, fields, hash), remembering the event last handed out for the report.

    Also checks the redundant `prev_hash` column of each event that follows its predecessor
    directly: it must equal that predecessor's hash. A mismatch stops the stream there.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self.current: AuditEvent | None = None
        self.prev_mismatch: AuditEvent | None = None
        self.seals = SealBook()
        self._read_up_to = 0

    def __iter__(self) -> Iterator[tuple[int, Mapping[str, Any], str]]:
        prev, after = GENESIS_HASH, 0
        for e in self._events(0):
            self.current = e
            if e.seq == after + 1 and e.prev_hash != prev:
                self.prev_mismatch = e
                return
            yield e.seq, event_fields(e), e.hash
            prev, after = e.hash, e.seq

    def _events(self, after: int) -> Iterator[AuditEvent]:
        with self.db.read() as s:
            while True:
                batch = list(s.execute(select(AuditEvent).where(AuditEvent.seq > after)
                                       .order_by(AuditEvent.seq).limit(BATCH)).scalars())
                if not batch:
                    return
                for e in batch:
                    self.seals.note(e)
                    self._read_up_to = after = e.seq
                    yield e
                s.expunge_all()  # keep memory flat on a long chain

    def read_rest(self) -> None:
        """After a break: the seals of the events past it still name the rows precisely (a
        seal cannot be forged without the key, whatever happened to the chain)."""
        for _ in self._events(self._read_up_to):
            pass

    def event_at(self, seq: int | None) -> AuditEvent | None:
        """The event to name for a break at `seq`: that event, or the one found past a gap."""
        e = self.current
        return e if e is not None and seq is not None and e.seq >= seq else None


def verify_audit(db: Database, *, key: bytes | None = None,
                 anchors: Mapping[int, str] | None = None,
                 server_head: tuple[int, str] | None = None) -> AuditReport:
    """Verify the whole chain and every sealed business row; never raises for bad data (only
    for an unreadable database). `anchors` are heads noted elsewhere, `server_head` the one the
    sync server keeps for this workstation; the key store's and the sign-offs' are added."""
    key = key if key is not None else chain_key()
    reader = _Reader(db)
    by_seq, sources, problem = _heads(db, key, anchors or {}, server_head)
    result: VerifyResult = verify_chain(reader, key=key, anchors=by_seq)
    reader.read_rest()
    read_received_seals(db, reader.seals)
    rows, rows_checked = check_rows(db, reader.seals, key)
    common: dict[str, Any] = {"rows": tuple(rows), "rows_checked": rows_checked,
                              "anchors": sources, "anchor_problem": problem}
    if result.ok and reader.prev_mismatch is not None:
        e = reader.prev_mismatch
        return AuditReport(False, result.checked, e.seq,
                           "前一哈希字段被改动 / the prev_hash column was altered",
                           BrokenEvent(e.seq, e.action, _local(db, e.at)), result.last_seq,
                           result.head_hash, **common)
    if result.ok:
        return AuditReport(not rows and not problem, result.checked, last_seq=result.last_seq,
                           head_hash=result.head_hash, **common)
    found = reader.event_at(result.first_bad_seq)
    return AuditReport(False, result.checked, result.first_bad_seq, result.reason,
                       BrokenEvent(found.seq, found.action, _local(db, found.at))
                       if found else None, result.last_seq, result.head_hash, **common)


def _heads(db: Database, key: bytes, anchors: Mapping[int, str],
           server_head: tuple[int, str] | None) -> tuple[dict[int, str], tuple[str, ...], str]:
    """The heads the chain must contain, from every place they are kept outside its events:
    {seq: hash}, where each came from, and what is wrong with the key store's, if anything."""
    by_seq = dict(anchors)
    sources = [f"--anchor {seq}" for seq in sorted(by_seq)]
    with db.read() as s:
        signoffs = s.execute(select(DaySignoff.business_date, DaySignoff.audit_seq,
                                    DaySignoff.audit_hash).order_by(DaySignoff.audit_seq)).all()
        first = s.execute(select(AuditEvent.uid).where(AuditEvent.seq == 1)).scalar()
    for day, seq, digest in signoffs:
        by_seq.setdefault(seq, digest)
        sources.append(f"日结签核 / sign-off {day.isoformat()}: {seq}")
    if server_head is not None:
        by_seq.setdefault(*server_head)
        sources.append(f"同步服务器 / sync server: {server_head[0]}")
    problem = ""
    if first is not None:
        try:
            head = stored_head(first, key)
        except HeadDamaged:
            problem = ("密钥存储中本审计链的链头记录无法验证（被改动）/ the head kept in the key "
                       "store for this chain does not verify (edited)")
        else:
            if head is not None:
                by_seq.setdefault(head.seq, head.hash)
                sources.append(f"密钥存储 / key store: {head.seq}")
    return by_seq, tuple(sources), problem


def _local(db: Database, at: datetime) -> datetime:
    """The event time in the hall's time zone, as the staff knew it (UTC if unknown)."""
    try:
        with db.read() as s:
            hall = get_hall(s)
            zone = ZoneInfo(hall_config(hall).timezone) if hall else UTC
    except (ConfigError, ZoneInfoNotFoundError, ValueError, OSError):
        zone = UTC
    return at.astimezone(zone)


def parse_anchor(text: str) -> tuple[int, str]:
    """`SEQ:HASH` as printed by a successful check; `ValueError` with a clear message."""
    seq_text, sep, hash_text = text.strip().partition(":")
    hash_text = hash_text.strip().lower()
    if not sep or not seq_text.strip().isdigit() or len(hash_text) != 64 or any(
            c not in "0123456789abcdef" for c in hash_text):
        raise ValueError(f"锚点格式应为 序号:64位十六进制哈希 / anchor must be SEQ:HASH, got {text!r}")
    return int(seq_text), hash_text
