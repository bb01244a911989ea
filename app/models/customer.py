"""Customers: a person, or a unit (group customer) with its contact and key persons.

ID numbers and addresses are stored encrypted (`*_enc`, AES-GCM); `id_lookup` is a keyed hash
for exact lookups and `id_masked` what lists and papers show.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import UID, Base, UTCDateTime, new_uid, utcnow


class Customer(Base):
    __tablename__ = "customer"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(UID, unique=True, default=new_uid)
    kind: Mapped[str] = mapped_column(String(10))  # personal | group
    name: Mapped[str] = mapped_column(String(100), index=True)
    id_type: Mapped[str | None] = mapped_column(String(32))
    id_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    id_lookup: Mapped[str | None] = mapped_column(String(64), index=True)
    id_masked: Mapped[str | None] = mapped_column(String(40))
    address_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone: Mapped[str | None] = mapped_column(String(20))
    # Group customers: the unit's registration document.
    unit_name: Mapped[str | None] = mapped_column(String(100))
    reg_type: Mapped[str | None] = mapped_column(String(32))
    reg_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    reg_lookup: Mapped[str | None] = mapped_column(String(64), index=True)
    reg_masked: Mapped[str | None] = mapped_column(String(40))
    contact_name: Mapped[str | None] = mapped_column(String(50))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    # Sync: the later version wins, both are kept in the history.
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    origin: Mapped[str] = mapped_column(String(40), default="")  # hall/counter that wrote it

    key_persons: Mapped[list["KeyPerson"]] = relationship(back_populates="customer",
                                                         cascade="all, delete-orphan")


class KeyPerson(Base):
    """A group customer's contact (联系人) or key person (关键人)."""

    __tablename__ = "key_person"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # contact | key
    name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(20))
    title: Mapped[str | None] = mapped_column(String(50))

    customer: Mapped[Customer] = relationship(back_populates="key_persons")
