"""Stock coming into the counters: receipts (入库) and transfers between counters (调拨).

A voucher is the paper of one receipt or transfer (who, when, the supplier's note); its
quantities are `StockMovement` rows hung on it (`voucher_id`): a receipt writes one negative
row (stock in) per item at the receiving counter, a transfer a positive row (stock out) at
the sending counter and a negative one at the receiving counter. So one sum over a counter's
movements gives what left it, whatever the reason (`app.services.stock.ledger`).
"""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import UID, Base, UTCDateTime, new_uid, utcnow


class StockVoucher(Base):
    """One receipt into a counter's stock, or one transfer from a counter to another."""

    __tablename__ = "stock_voucher"
    __table_args__ = (Index("ix_stock_voucher_day", "business_date", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(UID, unique=True, default=new_uid)
    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    kind: Mapped[str] = mapped_column(String(10))  # receipt | transfer
    business_date: Mapped[date] = mapped_column(Date)
    from_counter_id: Mapped[int | None] = mapped_column(ForeignKey("counter.id"))  # transfers
    to_counter_id: Mapped[int] = mapped_column(ForeignKey("counter.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    authorized_by: Mapped[str | None] = mapped_column(String(40))  # a supervisor at a counter
    supplier: Mapped[str | None] = mapped_column(String(200))  # receipts: where it came from
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
