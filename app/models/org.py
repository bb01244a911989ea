"""The hall, its counters and staff, and the wizard drafts a counter keeps while it works."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql import false

from app.models.base import UID, Base, UTCDateTime, new_uid, utcnow


class Hall(Base):
    __tablename__ = "hall"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    carrier: Mapped[str] = mapped_column(String(16))
    star: Mapped[int] = mapped_column(Integer, default=3)
    # The hall's own settings over resources/config/hall.toml (tariff, open choices).
    config: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Raised by every settings change, so a running program sees in one read that its cached
    # configuration is stale (app.services.hall.settings).
    settings_rev: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Counter(Base):
    __tablename__ = "counter"
    __table_args__ = (UniqueConstraint("hall_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    # "C03" for a counter workstation, "B01" for the batch channel of `counter process`.
    code: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(50))
    batch: Mapped[bool] = mapped_column(Boolean, default=False)


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(UID, unique=True, default=new_uid)
    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    staff_no: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(16))  # clerk | supervisor | manager | admin
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A password set by an administrator (new account, reset, reactivation) is known to them:
    # the staff must choose their own at the next log-in before anything else.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False,
                                                       server_default=false())
    # Raised by every change made here (a trigger installed by sync,
    # app.services.sync.capture): the higher version wins when staff rows travel between the
    # counters of a hall.
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class WizardDraft(Base):
    """A half-done request, saved as the wizard goes so a killed program loses nothing."""

    __tablename__ = "wizard_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counter.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    state: Mapped[str] = mapped_column(Text)  # JSON of the wizard's fields (IDs encrypted)
    page: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class TariffRate(Base):
    """A tariff amount from a date on: rows are only added, never changed, so the table is the
    history of the hall's tariff (app.services.hall.tariffs)."""

    __tablename__ = "tariff_rate"
    __table_args__ = (Index("ix_tariff_rate_hall_item", "hall_id", "item", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(UID, unique=True, default=new_uid)
    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    item: Mapped[str] = mapped_column(String(40))
    amount_fen: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[date] = mapped_column(Date)
    set_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(String(200), default="")
