"""Checking the business rows against their seals (the second half of `counter audit verify`).

Every sealed row (`app.models.sealed`) must match the newest seal its key has in this
database's chain; a row whose seal is in no event was inserted past the program, and a sealed
row that is gone was deleted past it. A database that receives workstations' events (the sync
server) also accepts a row matching a seal in any of those events: its rows are copies of the
workstations' (their seals use natural keys, so they read the same there), and an event's seals
cannot be forged without the hall's key either way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal

from sqlalchemy import select

from app.db import Database
from app.models import AuditEvent, SyncedAuditEvent
from app.models.sealed import SEALED
from app.services.audit.seals import BATCH, SealedRows, seals_in, sql_table
from app.services.sync.push import UNUSABLE_PASSWORD

TABLE_NAMES: Final = {"service_order": ("订单", "order"), "customer": ("客户", "customer"),
                      "line": ("线路", "line"), "staff": ("员工", "staff account")}

Problem = Literal["altered", "missing", "unsealed"]


@dataclass(frozen=True)
class SealNote:
    """The newest seal of a row in this database's chain, and the event that holds it."""

    seal: str | None  # None: the event recorded the row's deletion
    seq: int
    action: str
    target: str


@dataclass
class SealBook:
    own: dict[str, SealNote] = field(default_factory=dict)
    received: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def note(self, e: AuditEvent) -> None:
        for key, seal in seals_in(e.data).items():
            self.own[key] = SealNote(seal, e.seq, e.action, e.target)

    def note_received(self, data: object) -> None:
        for key, seal in seals_in(data).items():
            if seal is not None:
                self.received[key].add(seal)


@dataclass(frozen=True)
class RowProblem:
    kind: Problem
    table: str
    key: str  # "<table>:<uid>"
    label: str  # the order number, staff number, line number or customer uid
    seq: int | None = None  # the event holding the row's newest seal
    action: str = ""

    def describe(self) -> str:
        zh, en = TABLE_NAMES[self.table]
        who = f"{zh} {self.label}"
        ref = f"{en} {self.label} ({self.key})"
        if self.kind == "altered":
            return (f"{who} 与第 {self.seq} 条事件（{self.action}）封存的内容不符，在程序之外被改动 / "
                    f"{ref} no longer matches its seal in event seq {self.seq} "
                    f"({self.action}): changed outside the program")
        if self.kind == "missing":
            return (f"{who} 已不在数据库中（第 {self.seq} 条事件 {self.action} 封存过），在程序之外被删除 / "
                    f"{ref} is missing: sealed by event seq {self.seq} ({self.action}), "
                    "deleted outside the program")
        return (f"{who} 没有任何审计事件，在程序之外被插入 / {ref} has no audit event: "
                "inserted outside the program")


def read_received_seals(db: Database, book: SealBook) -> None:
    """The seals in the events this database received from workstations (none on one)."""
    with db.read() as s:
        after = 0
        while True:
            batch = s.execute(select(SyncedAuditEvent.id, SyncedAuditEvent.data)
                              .where(SyncedAuditEvent.id > after)
                              .order_by(SyncedAuditEvent.id).limit(BATCH)).all()
            if not batch:
                return
            for row_id, data in batch:
                book.note_received(data)
                after = row_id


def _judge(book: SealBook, table: str, key: str, label: str, seal: str,
           password_hash: object) -> RowProblem | None:
    note = book.own.get(key)
    if note is not None and note.seal == seal:
        return None
    if seal in book.received.get(key, ()):
        return None
    if note is None or note.seal is None:
        if table == "staff" and password_hash == UNUSABLE_PASSWORD:
            return None  # a server's copy of a workstation's clerk, made by sync: no log-in
        return RowProblem("unsealed", table, key, label)
    return RowProblem("altered", table, key, label, note.seq, note.action)


def check_rows(db: Database, book: SealBook, key: bytes) -> tuple[list[RowProblem], int]:
    """Every sealed row against its seal: the problems found, and how many rows were read."""
    problems: list[RowProblem] = []
    seen: set[str] = set()
    with db.read() as s:
        for table in SEALED:
            t = sql_table(table)
            after = 0
            while True:
                ids = list(s.execute(select(t.c.id).where(t.c.id > after)
                                     .order_by(t.c.id).limit(BATCH)).scalars())
                if not ids:
                    break
                after = ids[-1]
                hashes: Mapping[str, object] = {}
                if table == "staff":
                    hashes = {uid: h for uid, h in s.execute(
                        select(t.c.uid, t.c.password_hash).where(t.c.id.in_(ids)))}
                for row, label, seal in SealedRows(s).seals(table, ids, key):
                    seen.add(row)
                    found = _judge(book, table, row, label, seal,
                                   hashes.get(row.partition(":")[2]))
                    if found is not None:
                        problems.append(found)
                s.expunge_all()
    for row, note in book.own.items():
        table = row.partition(":")[0]
        if note.seal is not None and row not in seen and table in SEALED:
            label = note.target if table in ("service_order", "staff") and note.target \
                else row.partition(":")[2]
            problems.append(RowProblem("missing", table, row, label, note.seq, note.action))
    return problems, len(seen)
