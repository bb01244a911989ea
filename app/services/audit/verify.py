"""Checking the audit chain of a database (`counter audit verify`).

Events are read in `seq` order in batches (a year of a hall's events never sits in memory at
once), their fields rebuilt with `event_fields` exactly as `record()` hashed them, and the
chain checked with `verify_chain` under the hall's audit key. The report names the first
broken event: its seq, action and time, or, when events were deleted, the missing seqs and the
event found in their place.

Deleting only the newest events leaves a shorter chain that is still whole. Anchors close that
gap: note the head (`seq` and hash, printed by every successful check) on the day's sign-off
and pass it back with `--anchor SEQ:HASH`.
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
from app.models import AuditEvent
from app.security import GENESIS_HASH, VerifyResult, verify_chain
from app.services.audit.events import chain_key, event_fields
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

    def describe(self) -> str:
        """One line for the administrator (Chinese / English)."""
        if self.ok:
            if not self.checked:
                return "审计日志为空 / the audit log is empty"
            return (f"审计链完整：共 {self.checked} 条，最新序号 {self.last_seq}，"
                    f"锚点 {self.last_seq}:{self.head_hash} / audit chain intact: "
                    f"{self.checked} events, head {self.last_seq}:{self.head_hash}")
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

    def __iter__(self) -> Iterator[tuple[int, Mapping[str, Any], str]]:
        prev, after = GENESIS_HASH, 0
        with self.db.read() as s:
            while True:
                batch = list(s.execute(select(AuditEvent).where(AuditEvent.seq > after)
                                       .order_by(AuditEvent.seq).limit(BATCH)).scalars())
                if not batch:
                    return
                for e in batch:
                    self.current = e
                    if e.seq == after + 1 and e.prev_hash != prev:
                        self.prev_mismatch = e
                        return
                    yield e.seq, event_fields(e), e.hash
                    prev, after = e.hash, e.seq
                s.expunge_all()  # keep memory flat on a long chain

    def event_at(self, seq: int | None) -> AuditEvent | None:
        """The event to name for a break at `seq`: that event, or the one found past a gap."""
        e = self.current
        return e if e is not None and seq is not None and e.seq >= seq else None


def verify_audit(db: Database, *, key: bytes | None = None,
                 anchors: Mapping[int, str] | None = None) -> AuditReport:
    """Verify the whole chain; never raises for bad data (only for an unreadable database)."""
    reader = _Reader(db)
    result: VerifyResult = verify_chain(reader, key=key if key is not None else chain_key(),
                                        anchors=anchors)
    if result.ok and reader.prev_mismatch is not None:
        e = reader.prev_mismatch
        return AuditReport(False, result.checked, e.seq,
                           "前一哈希字段被改动 / the prev_hash column was altered",
                           BrokenEvent(e.seq, e.action, _local(db, e.at)), result.last_seq,
                           result.head_hash)
    if result.ok:
        return AuditReport(True, result.checked, last_seq=result.last_seq,
                           head_hash=result.head_hash)
    found = reader.event_at(result.first_bad_seq)
    return AuditReport(False, result.checked, result.first_bad_seq, result.reason,
                       BrokenEvent(found.seq, found.action, _local(db, found.at))
                       if found else None, result.last_seq, result.head_hash)


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
