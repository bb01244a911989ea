"""One order's full record for the supervisor (Qt-free): what was recorded with it
(documents, fees, payments, signature, printed papers, follow-ups) and its audit trail."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from app.db import Database
from app.models import (
    AuditEvent,
    Counter,
    Customer,
    FollowUpTask,
    OrderDocument,
    OrderFee,
    OrderPayment,
    PrintedDocument,
    ServiceOrder,
    SignatureRecord,
    Staff,
)
from app.services.customers.day_listings import SUPERVISOR_VIEW
from app.services.hall.registry import Actor
from app.services.staff.auth import require


@dataclass(frozen=True)
class DocumentRec:
    code: str
    original_seen: bool
    copy_retained: bool
    scan_name: str | None
    scan_sha256: str | None


@dataclass(frozen=True)
class PaymentRec:
    method: str
    amount_fen: int
    tendered_fen: int | None
    change_fen: int
    reference: str | None


@dataclass(frozen=True)
class SignatureRec:
    on_paper: bool
    png: bytes | None = field(repr=False)
    content_hash: str
    signed_at: datetime
    has_scan: bool


@dataclass(frozen=True)
class PrintedRec:
    kind: str
    copy_no: int
    path: str | None
    sha256: str
    printed_at: datetime


@dataclass(frozen=True)
class AuditRec:
    seq: int
    at: datetime
    actor: str
    authorized_by: str | None
    counter: str
    action: str
    data: dict[str, Any]


@dataclass(frozen=True)
class OrderRecord:
    order_id: int
    order_no: str
    service: str
    carrier: str
    status: str
    business_date: date
    created_at: datetime
    counter_code: str
    staff_no: str | None
    staff_name: str | None
    customer_name: str | None
    customer_id_masked: str | None
    line_number: str | None
    presenter_role: str
    presenter_name: str
    presenter_id_type: str | None
    presenter_id_masked: str | None
    details: dict[str, Any]
    outcome: dict[str, Any]
    total_fen: int
    effective: str | None
    content_hash: str
    void_reason: str | None
    voided_at: datetime | None
    documents: list[DocumentRec]
    fees: list[tuple[str, str, int]]
    payments: list[PaymentRec]
    signature: SignatureRec | None
    printed: list[PrintedRec]
    follow_ups: list[tuple[str, datetime, str]]
    audit: list[AuditRec]


def order_record(db: Database, actor: Actor, order_no: str) -> OrderRecord | None:
    """Everything recorded about one order, with its audit trail."""
    require(db, actor, SUPERVISOR_VIEW)
    with db.read() as s:
        o = s.execute(select(ServiceOrder).where(ServiceOrder.order_no == order_no)
                      ).scalar_one_or_none()
        if o is None:
            return None
        counter = s.get(Counter, o.counter_id)
        staff = s.get(Staff, o.staff_id) if o.staff_id else None
        cust = s.get(Customer, o.customer_id) if o.customer_id else None
        sig = s.execute(select(SignatureRecord).where(SignatureRecord.order_id == o.id)
                        ).scalar_one_or_none()
        docs = s.execute(select(OrderDocument).where(OrderDocument.order_id == o.id)
                         .order_by(OrderDocument.id)).scalars().all()
        fees = s.execute(select(OrderFee).where(OrderFee.order_id == o.id)
                         .order_by(OrderFee.id)).scalars().all()
        pays = s.execute(select(OrderPayment).where(OrderPayment.order_id == o.id)
                         .order_by(OrderPayment.id)).scalars().all()
        printed = s.execute(select(PrintedDocument).where(PrintedDocument.order_id == o.id)
                            .order_by(PrintedDocument.id)).scalars().all()
        tasks = s.execute(select(FollowUpTask).where(FollowUpTask.order_id == o.id)
                          .order_by(FollowUpTask.due_at)).scalars().all()
        events = s.execute(select(AuditEvent).where(AuditEvent.target == o.order_no)
                           .order_by(AuditEvent.seq)).scalars().all()
        return OrderRecord(
            order_id=o.id, order_no=o.order_no, service=o.service, carrier=o.carrier,
            status=o.status, business_date=o.business_date, created_at=o.created_at,
            counter_code=counter.code if counter else "",
            staff_no=staff.staff_no if staff else None, staff_name=staff.name if staff else None,
            customer_name=cust.name if cust else None,
            customer_id_masked=(cust.id_masked or cust.reg_masked) if cust else None,
            line_number=o.line_number, presenter_role=o.presenter_role,
            presenter_name=o.presenter_name, presenter_id_type=o.presenter_id_type,
            presenter_id_masked=o.presenter_id_masked, details=dict(o.details or {}),
            outcome=dict(o.outcome or {}), total_fen=o.total_fen, effective=o.effective,
            content_hash=o.content_hash, void_reason=o.void_reason, voided_at=o.voided_at,
            documents=[DocumentRec(d.code, d.original_seen, d.copy_retained, d.scan_name,
                                   d.scan_sha256) for d in docs],
            fees=[(f.item, f.name, f.amount_fen) for f in fees],
            payments=[PaymentRec(p.method, p.amount_fen, p.tendered_fen, p.change_fen,
                                 p.reference) for p in pays],
            signature=SignatureRec(sig.on_paper, sig.png, sig.content_hash, sig.signed_at,
                                   sig.scan_enc is not None) if sig else None,
            printed=[PrintedRec(p.kind, p.copy_no, p.path, p.sha256, p.printed_at)
                     for p in printed],
            follow_ups=[(t.name, t.due_at, t.status) for t in tasks],
            audit=[AuditRec(e.seq, e.at, e.actor, e.authorized_by, e.counter, e.action,
                            dict(e.data or {})) for e in events])
