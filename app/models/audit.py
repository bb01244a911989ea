"""Audit events, chained by hash so that an altered, removed or inserted event shows."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import UID, Base, UTCDateTime, new_uid, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(UID, unique=True, default=new_uid)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    actor: Mapped[str] = mapped_column(String(40))  # staff number, or "batch"
    authorized_by: Mapped[str | None] = mapped_column(String(40))  # supervisor who allowed it
    counter: Mapped[str] = mapped_column(String(40), default="")
    action: Mapped[str] = mapped_column(String(40), index=True)  # order.accept, login.fail, ...
    target: Mapped[str] = mapped_column(String(60), default="", index=True)  # e.g. order no
    data: Mapped[dict] = mapped_column(JSON, default=dict)  # never a full ID number
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
