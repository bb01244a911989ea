"""The hall's day (domain.md sections 1 and 6): shifts, counts, what the orders used, money,
closing differences, the supervisor's sign-off, corrections, and the hall's registers
(complaints with their follow-up visit, fault tickets, hand-overs).

Every movement is its own row: an order that uses a SIM card writes a stock movement, a void
writes an `OrderVoid` and reversing entries, a refund writes a negative cash entry. Nothing
recorded for a day is edited afterwards; a signed-off day only takes `Correction` rows.
"""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import UID, Base, UTCDateTime, new_uid, partial_unique, utcnow


class Shift(Base):
    """One clerk's turn at one counter on one business date (开班 … 交班)."""

    __tablename__ = "shift"
    __table_args__ = (
        Index("ix_shift_day", "business_date", "counter_id"),
        Index("ix_shift_hall_day", "hall_id", "business_date"),
        Index("ix_shift_counter_opened", "counter_id", "opened_at"),
        # At most one open shift per counter: a second clerk must wait for the hand-over.
        partial_unique("uq_shift_open_counter", "counter_id", where="status = 'open'"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(UID, unique=True, default=new_uid)
    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    counter_id: Mapped[int] = mapped_column(ForeignKey("counter.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    business_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | closed | approved
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # "Three cleans, three checks": {"clean_hall": true, "check_terminals": true, ...}
    checklist: Mapped[dict] = mapped_column(JSON, default=dict)
    checklist_note: Mapped[str | None] = mapped_column(Text)

    counts: Mapped[list["StockCount"]] = relationship(cascade="all, delete-orphan",
                                                      order_by="StockCount.id")


class StockCount(Base):
    """A counted quantity at opening or closing: blank SIM cards, value cards by face value,
    blank invoices (with their number range), campaign gifts by gift code, cash notes and
    coins by denomination (`cash:<fen>`)."""

    __tablename__ = "stock_count"
    __table_args__ = (UniqueConstraint("shift_id", "phase", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shift.id"), index=True)
    phase: Mapped[str] = mapped_column(String(8))  # open | close
    item: Mapped[str] = mapped_column(String(60))  # sim_card, value_card:5000, gift:<code>, ...
    quantity: Mapped[int] = mapped_column(Integer)
    first_no: Mapped[str | None] = mapped_column(String(40))  # invoices: first blank number
    last_no: Mapped[str | None] = mapped_column(String(40))


class StockMovement(Base):
    """What left a counter's stock (positive: an order's use, a transfer out) or came into it
    (negative: a void's return, a receipt, a transfer in; those two hang on a
    `StockVoucher`)."""

    __tablename__ = "stock_movement"
    __table_args__ = (
        Index("ix_stock_movement_day", "business_date", "item"),
        Index("ix_stock_movement_counter_day", "counter_id", "business_date"),
        # A value card's serial is sold once, ever (a card taken back on a void is not resold).
        partial_unique("uq_stock_movement_value_card_serial", "serial",
                       where="kind = 'use' AND item LIKE 'value_card:%'"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(UID, unique=True, default=new_uid)
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("shift.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("service_order.id"), index=True)
    business_date: Mapped[date] = mapped_column(Date)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counter.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    channel: Mapped[str] = mapped_column(String(10), default="counter")
    # use | void_return | receipt | transfer_in | transfer_out
    kind: Mapped[str] = mapped_column(String(12), default="use")
    item: Mapped[str] = mapped_column(String(60))
    quantity: Mapped[int] = mapped_column(Integer)
    serial: Mapped[str | None] = mapped_column(String(40))  # a SIM card's ICCID
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    voucher_id: Mapped[int | None] = mapped_column(ForeignKey("stock_voucher.id"), index=True)


class CashEntry(Base):
    """Money into (positive) or out of (negative) a counter, per payment method.

    `kind`: payment (an order's payment), refund (money paid out by an order, e.g. a
    prepayment refund), void_return (money handed back when an order is voided)."""

    __tablename__ = "cash_entry"
    __table_args__ = (Index("ix_cash_entry_day", "business_date", "method"),
                      Index("ix_cash_entry_counter_day", "counter_id", "business_date"))

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(UID, unique=True, default=new_uid)
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("shift.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("service_order.id"), index=True)
    business_date: Mapped[date] = mapped_column(Date)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counter.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    channel: Mapped[str] = mapped_column(String(10), default="counter")
    kind: Mapped[str] = mapped_column(String(12))  # payment | refund | void_return
    method: Mapped[str] = mapped_column(String(16))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OrderVoid(Base):
    """A void as its own entry (the order row only gets its status)."""

    __tablename__ = "order_void"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(UID, unique=True, default=new_uid)
    order_id: Mapped[int] = mapped_column(ForeignKey("service_order.id"), unique=True)
    order_no: Mapped[str] = mapped_column(String(40))
    business_date: Mapped[date] = mapped_column(Date, index=True)  # the order's date
    voided_on: Mapped[date] = mapped_column(Date, index=True)  # the void's own business date
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    authorized_by: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    returned_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # money handed back
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ShiftClose(Base):
    """The closing of a shift: who closed it, and who approved the differences beyond tolerance."""

    __tablename__ = "shift_close"

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shift.id"), unique=True)
    closed_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    needs_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approval_note: Mapped[str | None] = mapped_column(Text)

    lines: Mapped[list["ShiftCloseLine"]] = relationship(cascade="all, delete-orphan",
                                                        order_by="ShiftCloseLine.id")


class ShiftCloseLine(Base):
    """One item at closing: expected (opening less what the orders used, or money received),
    counted, and the explanation of any difference."""

    __tablename__ = "shift_close_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    close_id: Mapped[int] = mapped_column(ForeignKey("shift_close.id"), index=True)
    item: Mapped[str] = mapped_column(String(60))  # a stock item, or money:<method>
    money: Mapped[bool] = mapped_column(Boolean, default=False)  # amounts in fen
    expected: Mapped[int] = mapped_column(BigInteger)
    counted: Mapped[int] = mapped_column(BigInteger)
    difference: Mapped[int] = mapped_column(BigInteger)  # counted - expected
    tolerance: Mapped[int] = mapped_column(BigInteger, default=0)
    explanation: Mapped[str | None] = mapped_column(Text)


class DaySignoff(Base):
    """The supervisor's sign-off: locks the business date, anchored in the audit chain."""

    __tablename__ = "day_signoff"
    __table_args__ = (UniqueConstraint("hall_id", "business_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(UID, unique=True, default=new_uid)
    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    business_date: Mapped[date] = mapped_column(Date)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    summary_hash: Mapped[str] = mapped_column(String(64))
    audit_seq: Mapped[int] = mapped_column(Integer)  # the sign-off's own audit event
    audit_hash: Mapped[str] = mapped_column(String(64))
    notes: Mapped[str | None] = mapped_column(Text)


class Correction(Base):
    """A correction to a signed-off day: a new entry linked to the sign-off, never an edit."""

    __tablename__ = "correction"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(UID, unique=True, default=new_uid)
    signoff_id: Mapped[int] = mapped_column(ForeignKey("day_signoff.id"), index=True)
    business_date: Mapped[date] = mapped_column(Date)  # the locked day it corrects
    kind: Mapped[str] = mapped_column(String(12))  # order | stock | money | note
    order_no: Mapped[str | None] = mapped_column(String(40))
    item: Mapped[str | None] = mapped_column(String(60))
    quantity: Mapped[int] = mapped_column(Integer, default=0)
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    explanation: Mapped[str] = mapped_column(Text)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    authorized_by: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Complaint(Base):
    """The complaint register (投诉登记): first-ask owner, promised answer, follow-up visit."""

    __tablename__ = "complaint"
    __table_args__ = (Index("ix_complaint_status_due", "status", "promised_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(UID, unique=True, default=new_uid)
    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("service_order.id"), unique=True)
    business_date: Mapped[date] = mapped_column(Date, index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    customer_name: Mapped[str] = mapped_column(String(100))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    line_number: Mapped[str | None] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    owner_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    promised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # open -> answered -> closed (after the follow-up visit)
    status: Mapped[str] = mapped_column(String(10), default="open")
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    callback_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    callback_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    callback_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    callback_result: Mapped[str | None] = mapped_column(String(16))  # satisfied | ...
    callback_note: Mapped[str | None] = mapped_column(Text)


class FaultTicket(Base):
    """A fault report's clock: from the report until service is restored (12 h / 24 h)."""

    __tablename__ = "fault_ticket"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(UID, unique=True, default=new_uid)
    order_id: Mapped[int] = mapped_column(ForeignKey("service_order.id"), unique=True)
    business_date: Mapped[date] = mapped_column(Date, index=True)
    line_number: Mapped[str | None] = mapped_column(String(20))
    fault_type: Mapped[str] = mapped_column(String(16))  # ordinary | cable_cut
    description: Mapped[str] = mapped_column(Text, default="")
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime)
    owner_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | restored
    restored_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    restored_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    note: Mapped[str | None] = mapped_column(Text)


class Handover(Base):
    """A request, follow-up, complaint or fault handed from one clerk to another (首问负责)."""

    __tablename__ = "handover"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(UID, unique=True, default=new_uid)
    subject: Mapped[str] = mapped_column(String(12))  # follow_up | complaint | fault
    subject_id: Mapped[int] = mapped_column(Integer)
    from_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    to_staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
