"""The intake log: every request that was rejected or left incomplete, with its reasons."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import UID, Base, UTCDateTime, new_uid, utcnow


class IntakeEntry(Base):
    __tablename__ = "intake_entry"
    __table_args__ = (Index("ix_intake_entry_day", "business_date", "counter_id"),
                      Index("ix_intake_entry_hall_day", "hall_id", "business_date"))

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(UID, unique=True, default=new_uid)
    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    counter_id: Mapped[int] = mapped_column(ForeignKey("counter.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    channel: Mapped[str] = mapped_column(String(10), default="counter")
    service: Mapped[str] = mapped_column(String(60))
    business_date: Mapped[date] = mapped_column(Date)
    decision: Mapped[str] = mapped_column(String(12))  # rejected | incomplete | abandoned
    customer_name: Mapped[str | None] = mapped_column(String(100))
    customer_id_masked: Mapped[str | None] = mapped_column(String(40))
    line_number: Mapped[str | None] = mapped_column(String(20))
    violations: Mapped[list] = mapped_column(JSON, default=list)
    missing: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
