"""The service order and what belongs to it: documents, fees, payments, signature, papers."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import UID, Base, UTCDateTime, new_uid, utcnow


class OrderSequence(Base):
    """The next order serial of a counter on a business date (no coordination needed)."""

    __tablename__ = "order_sequence"
    __table_args__ = (UniqueConstraint("counter_id", "business_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counter.id"))
    business_date: Mapped[date] = mapped_column(Date)
    last: Mapped[int] = mapped_column(Integer, default=0)


class ServiceOrder(Base):
    __tablename__ = "service_order"
    __table_args__ = (
        Index("ix_service_order_day_counter", "business_date", "counter_id"),
        Index("ix_service_order_day_service", "business_date", "service"),
        Index("ix_service_order_hall_day", "hall_id", "business_date"),  # an area's server
        Index("ix_service_order_idempotency_key", "idempotency_key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(UID, unique=True, default=new_uid)
    order_no: Mapped[str] = mapped_column(String(40), unique=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    counter_id: Mapped[int] = mapped_column(ForeignKey("counter.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    channel: Mapped[str] = mapped_column(String(10), default="counter")  # counter | batch
    service: Mapped[str] = mapped_column(String(40))
    carrier: Mapped[str] = mapped_column(String(16))
    business_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="accepted")  # accepted | voided
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id"), index=True)
    line_id: Mapped[int | None] = mapped_column(ForeignKey("line.id"), index=True)
    line_number: Mapped[str | None] = mapped_column(String(20))
    presenter_role: Mapped[str] = mapped_column(String(8))
    presenter_name: Mapped[str] = mapped_column(String(100))
    presenter_id_type: Mapped[str | None] = mapped_column(String(32))
    presenter_id_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    presenter_id_masked: Mapped[str | None] = mapped_column(String(40))
    details: Mapped[dict] = mapped_column(JSON, default=dict)  # personal data masked
    outcome: Mapped[dict] = mapped_column(JSON, default=dict)  # the JSON outcome as printed
    line_before: Mapped[dict | None] = mapped_column(JSON)
    line_after: Mapped[dict | None] = mapped_column(JSON)
    total_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    effective: Mapped[str | None] = mapped_column(String(40))
    content_hash: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voided_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    void_reason: Mapped[str | None] = mapped_column(Text)
    authorized_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    # The request's own key (`app.services.orders.idempotency`): a retried request finds
    # the order it already made instead of making a second one.
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    # The queue ticket of the visit the order was made in (`app.models.queue`); not sealed.
    queue_ticket_id: Mapped[int | None] = mapped_column(ForeignKey("queue_ticket.id"),
                                                        index=True)

    documents: Mapped[list["OrderDocument"]] = relationship(cascade="all, delete-orphan")
    fees: Mapped[list["OrderFee"]] = relationship(cascade="all, delete-orphan")
    payments: Mapped[list["OrderPayment"]] = relationship(cascade="all, delete-orphan")
    signature: Mapped["SignatureRecord | None"] = relationship(cascade="all, delete-orphan")
    printed: Mapped[list["PrintedDocument"]] = relationship(cascade="all, delete-orphan")


class OrderDocument(Base):
    __tablename__ = "order_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("service_order.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    original_seen: Mapped[bool] = mapped_column(Boolean, default=True)
    copy_retained: Mapped[bool] = mapped_column(Boolean, default=True)
    number_masked: Mapped[str | None] = mapped_column(String(40))
    scan_enc: Mapped[bytes | None] = mapped_column(LargeBinary)  # an attached scan, encrypted
    scan_sha256: Mapped[str | None] = mapped_column(String(64))
    scan_name: Mapped[str | None] = mapped_column(String(200))
    # An ID document's last day of validity, as shown (None: long-term or not recorded).
    valid_until: Mapped[date | None] = mapped_column(Date)


class OrderFee(Base):
    __tablename__ = "order_fee"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("service_order.id"), index=True)
    item: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(100))
    amount_fen: Mapped[int] = mapped_column(BigInteger)  # negative for a refund


class OrderPayment(Base):
    __tablename__ = "order_payment"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("service_order.id"), index=True)
    method: Mapped[str] = mapped_column(String(16))  # cash | card | mobile_pay | ...
    amount_fen: Mapped[int] = mapped_column(BigInteger)  # negative when money goes out
    tendered_fen: Mapped[int | None] = mapped_column(BigInteger)
    change_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    reference: Mapped[str | None] = mapped_column(String(60))


class SignatureRecord(Base):
    """The customer's signature, bound to a hash of the order's content at signing."""

    __tablename__ = "signature_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("service_order.id"), unique=True)
    on_paper: Mapped[bool] = mapped_column(Boolean, default=False)
    png: Mapped[bytes | None] = mapped_column(LargeBinary)
    strokes: Mapped[str | None] = mapped_column(Text)  # JSON: [[x, y, ms], ...] per stroke
    scan_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    content_hash: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PrintedDocument(Base):
    __tablename__ = "printed_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("service_order.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # slip | receipt | ticket | bill_cover
    copy_no: Mapped[int] = mapped_column(Integer, default=0)  # 0 first print, n: 补打 n
    path: Mapped[str | None] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    printed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
