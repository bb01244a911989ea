"""What central sync keeps: its state, the change outbox of a workstation, the change feed of
the server, customer history, audit events received from workstations and the head of each
workstation's chain, and sync issues.

A workstation (SQLite) records every change to a synced table in `sync_outbox` by trigger
(installed by `app.services.sync.capture`), pushes it in order and remembers how far it got in
`sync_state`. The server (PostgreSQL) records every customer or line it stores in `sync_feed`
by trigger, so that workstations can pull what changed since their mark.
"""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import UID, Base, UTCDateTime, utcnow


class SyncState(Base):
    """Small named values: this workstation's origin, high-water marks, the last status."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class SyncOutbox(Base):
    """One row per change of a synced row (`tbl`, local `row_id`), in commit order.

    AUTOINCREMENT on SQLite: ids are never reused after pushed rows are deleted, so a new
    change can never hide below the pushed mark.
    """

    __tablename__ = "sync_outbox"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tbl: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[int] = mapped_column(Integer)


class SyncFeed(Base):
    """Server side: each stored version of a customer or line, with the id of the transaction
    that stored it (`txid`), so that a pull can tell which rows are final (see sync_pull)."""

    __tablename__ = "sync_feed"
    __table_args__ = (Index("ix_sync_feed_txid_seq", "txid", "seq"),)

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                     primary_key=True)
    txid: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(40))  # customer | line
    row_uid: Mapped[str] = mapped_column(UID)
    # The workstation whose push stored it (NULL: written on the server itself), so that a
    # workstation does not pull back what it just pushed.
    source: Mapped[str | None] = mapped_column(String(60))
    # The hall the row belongs to (NULL: every hall's, e.g. customers and lines): an area
    # server serves many halls, a workstation pulls only its own hall's rows.
    hall_code: Mapped[str | None] = mapped_column(String(16))


class CustomerHistory(Base):
    """Every version of a customer seen by this database (as LineHistory does for lines)."""

    __tablename__ = "customer_history"
    __table_args__ = (Index("ix_customer_history_uid_version", "customer_uid", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_uid: Mapped[str] = mapped_column(UID)
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[dict] = mapped_column(JSON)  # ID fields as stored: encrypted or masked
    origin: Mapped[str] = mapped_column(String(40), default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SyncedAuditEvent(Base):
    """Server side: audit events pushed by a workstation, kept exactly as written there.

    Each workstation (`origin`) has its own hash chain; the server never re-chains them, so
    `verify_origin_chain` checks them with the workstation's own seq, prev_hash and hash.
    `actor_staff_id` is the workstation's own staff id (the hash covers it).
    """

    __tablename__ = "synced_audit_event"
    __table_args__ = (UniqueConstraint("origin", "seq"),
                      Index("ix_synced_audit_event_at", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    origin: Mapped[str] = mapped_column(String(60))
    uid: Mapped[str] = mapped_column(UID, unique=True)
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_staff_id: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(40))
    authorized_by: Mapped[str | None] = mapped_column(String(40))
    counter: Mapped[str] = mapped_column(String(40), default="")
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(60), default="")
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditAnchor(Base):
    """Server side: the head of each workstation's audit chain as of its last push.

    Kept outside the workstation's database file, so that a workstation whose newest events
    were deleted fails `counter audit verify --server` (the head the server saw is missing).
    """

    __tablename__ = "audit_anchor"

    origin: Mapped[str] = mapped_column(String(60), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SyncIssue(Base):
    """Something sync could not apply and a person must look at (e.g. a number taken twice)."""

    __tablename__ = "sync_issue"
    __table_args__ = (UniqueConstraint("origin", "kind", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    origin: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(40))
    ref: Mapped[str] = mapped_column(String(80), default="")
    message: Mapped[str] = mapped_column(Text)


class WorkstationClaim(Base):
    """Server side: which workstation uses which identity.

    `kind` "counter" names an order-number prefix (hall code and counter code, "DEMO01-B02"):
    order numbers are unique across the area only while one workstation numbers under each
    prefix. `kind` "origin" names a workstation's name for its audit chain. The first
    workstation (`workstation`: the random id its database made at its first start) to sync
    under a name keeps it; another one is refused (`app.services.sync.identity`).
    """

    __tablename__ = "workstation_claim"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    workstation: Mapped[str] = mapped_column(String(36))
    origin: Mapped[str] = mapped_column(String(60))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WorkstationDay(Base):
    """Per workstation, counter and business date: the orders still waiting on that
    workstation and the last order serial it recorded, as told at its last sync.

    Written on the server by each sync and pulled by every workstation of the hall, so that
    the day's sign-off anywhere is refused while a counter still holds orders of the day
    (`app.services.day.signoff_checks`)."""

    __tablename__ = "workstation_day"
    __table_args__ = (Index("ix_workstation_day_hall_date", "hall_code", "business_date"),)

    workstation: Mapped[str] = mapped_column(String(36), primary_key=True)
    business_date: Mapped[date] = mapped_column(Date, primary_key=True)
    counter_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    hall_code: Mapped[str] = mapped_column(String(16))
    origin: Mapped[str] = mapped_column(String(60), default="")
    waiting: Mapped[int] = mapped_column(Integer, default=0)  # orders of the day not pushed
    last_serial: Mapped[int] = mapped_column(Integer, default=0)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # set by `counter sync --release` (migration 0016): the workstation is gone; who, why
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retired_by: Mapped[str | None] = mapped_column(String(40))
    retired_note: Mapped[str | None] = mapped_column(String(500))
