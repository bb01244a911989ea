"""The queue ticket of a visit (排队叫号): who was called at which counter, and when.

One row per call. `called_at` is when the clerk called the ticket (or typed it), `finished_at`
when the visit ended: the clerk's "接待下一位" (moved on if the same customer's next service
ends later), else the next call or the close of the shift. `issued_at` comes from the queue
system (or the typed paper ticket) and may be unknown. Waiting = called_at - issued_at;
handling = finished_at - called_at.

The orders made during the visit point at it (`service_order.queue_ticket_id`), set by the
order service inside the order's own transaction. The column is deliberately not one of the
order's sealed columns (`app.models.sealed`): the seals of orders written before it existed
stay valid, and which ticket an order was served under is a measure of the queue, not part of
what the customer signed.
"""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import UID, Base, UTCDateTime, new_uid, partial_unique, utcnow

SERVING = "serving"  # the counter's current visit: orders recorded now are linked to it
DONE = "done"
NO_SHOW = "no_show"  # called, never came (过号): left out of the figures


class QueueTicket(Base):
    __tablename__ = "queue_ticket"
    __table_args__ = (
        Index("ix_queue_ticket_day_counter", "business_date", "counter_id"),
        Index("ix_queue_ticket_hall_day", "hall_id", "business_date"),
        # At most one visit being served per counter, whatever the program does.
        partial_unique("uq_queue_ticket_serving", "counter_id", where="status = 'serving'"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(UID, unique=True, default=new_uid)
    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    counter_id: Mapped[int] = mapped_column(ForeignKey("counter.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    business_date: Mapped[date] = mapped_column(Date)
    ticket_no: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(10))  # http | manual
    window_no: Mapped[int | None] = mapped_column(Integer)
    service_hint: Mapped[str | None] = mapped_column(String(60))
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    called_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(10), default=SERVING)
