"""Lines (subscriptions) with the state fields of domain.md section 3, and their history."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import UID, Base, UTCDateTime, new_uid, utcnow
from app.models.customer import Customer


class Line(Base):
    __tablename__ = "line"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(UID, unique=True, default=new_uid)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default="mobile")  # mobile | fixed | leased
    payment: Mapped[str] = mapped_column(String(10), default="postpaid")
    status: Mapped[str] = mapped_column(String(24), default="active")
    status_before_loss: Mapped[str | None] = mapped_column(String(24))
    arrears_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    balance_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    points: Mapped[int] = mapped_column(Integer, default=0)
    contract_end: Mapped[date | None] = mapped_column(Date)
    nice_number_until: Mapped[date | None] = mapped_column(Date)
    subsidy_until: Mapped[date | None] = mapped_column(Date)
    campaign_until: Mapped[date | None] = mapped_column(Date)
    relocated_keep_number: Mapped[str] = mapped_column(String(8), default="none")
    prepaid_phase: Mapped[str | None] = mapped_column(String(16))
    lock_expired: Mapped[bool] = mapped_column(Boolean, default=False)
    blacklisted: Mapped[bool] = mapped_column(Boolean, default=False)
    vip: Mapped[bool] = mapped_column(Boolean, default=False)
    collection_exempt: Mapped[bool] = mapped_column(Boolean, default=False)
    roaming_open: Mapped[bool] = mapped_column(Boolean, default=False)
    roaming_prepayment_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    realname: Mapped[str] = mapped_column(String(16), default="complete")
    package: Mapped[str | None] = mapped_column(String(100))
    sim_serial: Mapped[str | None] = mapped_column(String(32))
    opened_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    origin: Mapped[str] = mapped_column(String(40), default="")

    customer: Mapped[Customer] = relationship()


class LineHistory(Base):
    """Every version of a line, so a change made at two counters keeps both."""

    __tablename__ = "line_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_uid: Mapped[str] = mapped_column(UID, index=True)
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[dict] = mapped_column(JSON)
    order_no: Mapped[str | None] = mapped_column(String(40))
    origin: Mapped[str] = mapped_column(String(40), default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
