"""Follow-up tasks an order leaves (refund within two months, restore service in 12 h, ...).

Each is a work item of the clerk who owns it (首问负责, `app.services.day.todo`): closed with
a result by its owner or a supervisor (`done_by`), or handed over (`Handover`)."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import UID, Base, UTCDateTime, new_uid, utcnow


class FollowUpTask(Base):
    __tablename__ = "follow_up"
    __table_args__ = (Index("ix_follow_up_open_due", "status", "due_at"),
                      Index("ix_follow_up_owner_status", "owner_staff_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(UID, unique=True, default=new_uid)
    order_id: Mapped[int] = mapped_column(ForeignKey("service_order.id"), index=True)
    task: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(100))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(12), default="open")  # open | done | cancelled
    owner_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(Text)  # the result it was closed with
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
