"""The acceptance slip of a visit before it is recorded: what the customer reads and signs.

The slip is laid out by the very renderer that prints it after submit (`render_slip`), from an
`OrderPaper` built here the way `app.services.orders.papers.build_paper` builds it from the
stored order: the same customer record (found by its keyed ID hash, as recording finds it),
the same masked numbers, detail rows, fees, notices, follow-ups and campaign terms, and the
content hash the signature is bound to. What cannot be known before recording is the order
number (the counter's next serial is shown; recording takes it unless another order of this
counter is recorded first) and the signature itself.

Qt-free: it runs on a worker. It reads the database (the customer, the counter's serial) but
writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.core import domain
from app.core.catalog import Catalog
from app.core.engine import Evaluation
from app.core.request import IdDocument, Request
from app.db import Database
from app.models import Customer, OrderSequence, ServiceOrder
from app.printing import (
    DocumentRow,
    FeeRow,
    FollowUpRow,
    OrderPaper,
    PaymentRow,
    SignatureInfo,
    render_slip,
)
from app.security import mask_id
from app.services.customers.pii import PersonalData
from app.services.hall.registry import Actor
from app.services.orders import campaigns as campaign_paper
from app.services.orders.customer_line import free_number
from app.services.orders.id_expiry import shown_with_expiry, take_expiry
from app.services.orders.numbering import format_order_no
from app.services.orders.order_content import public_details
from app.services.orders.papers import detail_rows, effective_text
from app.services.orders.service import PaymentIn

__all__ = ["DocumentShown", "ProofInput", "build_proof_paper", "render_proof_slip"]


@dataclass(frozen=True)
class DocumentShown:
    """A checklist row the clerk ticked: the paper chosen and what was done with it."""

    code: str
    original_seen: bool = True
    copy_retained: bool = True


@dataclass(frozen=True)
class ProofInput:
    """Everything the slip shows, taken on the GUI thread when the signature page opens."""

    request: Request
    evaluation: Evaluation
    content_hash: str
    actor: Actor
    now: datetime  # aware; the slip's 受理时间
    hall_name: str
    hall_code: str
    timezone: str
    documents: tuple[DocumentShown, ...] = ()
    payments: tuple[PaymentIn, ...] = ()
    copies_retained: bool = True  # the service's default for an ID shown but not listed


def _expected_order_no(db: Database, proof: ProofInput, day: date) -> str:
    """The number recording will most likely take: the counter's next serial of the day."""
    actor = proof.actor
    with db.read() as s:
        last = s.execute(select(OrderSequence.last).where(
            OrderSequence.counter_id == actor.counter_id,
            OrderSequence.business_date == day)).scalar()
    return format_order_no(proof.hall_code, actor.counter_code, day, (last or 0) + 1)


@dataclass(frozen=True)
class _CustomerFields:
    kind: str
    name: str
    id_type: str
    id_masked: str
    unit_name: str | None = None
    unit_registration_masked: str | None = None


def _stored_customer(db: Database, pd: PersonalData, catalog: Catalog, req: Request
                     ) -> _CustomerFields | None:
    """The slip's customer fields from the record recording will use (found the way
    `customer_line.customer_of` finds it), or None for a customer recording will add."""
    c = req.customer
    if c.kind == "group" and c.unit and c.unit.registration:
        query = select(Customer).where(
            Customer.reg_lookup == pd.lookup_unit(c.unit.registration.number))
    elif c.id_document is not None:
        query = select(Customer).where(Customer.id_lookup == pd.lookup_id(c.id_document.number))
    else:
        return None
    with db.read() as s:
        found = s.execute(query).scalars().first()
        if found is None:
            return None
        group = found.kind == "group"
        return _CustomerFields(
            found.kind, found.name, catalog.document_name(found.id_type or found.reg_type or ""),
            found.id_masked or found.reg_masked or "", found.unit_name if group else None,
            found.reg_masked if group else None)


def _masked(doc: IdDocument | None) -> str:
    return mask_id(doc.number.strip().upper()) if doc is not None else ""


def _new_customer(catalog: Catalog, req: Request) -> _CustomerFields:
    """The slip's customer fields of the record recording will add from the request."""
    c = req.customer
    reg = c.unit.registration if c.unit else None
    doc = c.id_document or reg
    group = c.kind == "group"
    return _CustomerFields(
        c.kind, c.name, catalog.document_name(doc.type if doc else ""), _masked(doc),
        c.unit.name if c.unit and group else None, _masked(reg) if reg and group else None)


def _document_rows(catalog: Catalog, proof: ProofInput) -> list[DocumentRow]:
    """The papers as recording stores them: those listed, then an ID shown with its expiry
    but not listed (`OrderService._record_order`)."""
    req = proof.request
    extra = {d.code: d for d in proof.documents}
    shown = shown_with_expiry(req)
    rows: list[DocumentRow] = []
    for code in dict.fromkeys(req.documents):
        d = extra.get(code, DocumentShown(code))
        take_expiry(shown, code)
        rows.append(DocumentRow(catalog.document_name(code), d.original_seen, d.copy_retained))
    rows += [DocumentRow(catalog.document_name(seen.type), True, proof.copies_retained)
             for seen in shown]
    return rows


def _line_number(db: Database, req: Request, ev: Evaluation, order_no: str) -> str | None:
    """The line's number; a new line's number as recording will take it (the one chosen,
    else the pool's pick for this order number, `customer_line.change_line`)."""
    if req.service != "new_activation":
        if req.line is None:
            return None
        return str(ev.line_changes.get("number") or req.line.number)  # after a change
    chosen = ev.details.get("number")
    if chosen:
        return str(chosen)
    with db.read() as s:
        return free_number(s, order_no)


def build_proof_paper(db: Database, pd: PersonalData, catalog: Catalog, proof: ProofInput
                      ) -> OrderPaper:
    req, ev = proof.request, proof.evaluation
    tz = ZoneInfo(proof.timezone)
    day = ev.business_date or proof.now.astimezone(tz).date()
    svc = catalog.services.get(req.service)
    details = public_details(ev.details)
    # A transient order (never added to a session) for the helpers that lay out its details
    # and campaign exactly as the printed slip does.
    shadow = ServiceOrder(service=req.service, details=details, business_date=day,
                          outcome={"campaign": ev.campaign.to_json()} if ev.campaign else {})
    presenter = req.presenter
    presenter_doc = presenter.id_document if presenter else None
    payments = list(proof.payments)
    customer = _stored_customer(db, pd, catalog, req) or _new_customer(catalog, req)
    order_no = _expected_order_no(db, proof, day)
    return OrderPaper(
        order_no=order_no, hall_name=proof.hall_name,
        hall_code=proof.hall_code, counter_no=proof.actor.counter_code,
        clerk_name=proof.actor.name, clerk_no=proof.actor.staff_no,
        created_at=proof.now.astimezone(tz), business_date=day.isoformat(),
        service_code=req.service, service_name=svc.name.zh if svc else req.service,
        customer_kind=customer.kind, customer_name=customer.name,
        customer_id_type=customer.id_type, customer_id_masked=customer.id_masked,
        unit_name=customer.unit_name, unit_registration_masked=customer.unit_registration_masked,
        presenter_role=presenter.role if presenter else "owner",
        presenter_name=presenter.name if presenter else "",
        presenter_id_type=catalog.document_name(presenter_doc.type if presenter_doc else ""),
        presenter_id_masked=_masked(presenter_doc),
        line_number=_line_number(db, req, ev, order_no),
        details=detail_rows(catalog, shadow),
        documents=_document_rows(catalog, proof),
        fees=[FeeRow(f.name.zh, f.amount_fen) for f in ev.fees],
        payments=[PaymentRow(domain.PAYMENT_METHOD_ZH.get(p.method, p.method), p.amount_fen,
                             p.tendered_fen) for p in payments],  # 收款 as tendered
        change_fen=sum(max(0, (p.tendered_fen or p.amount_fen) - p.amount_fen)
                       for p in payments),
        notices=[n.zh for n in ev.notices],
        follow_ups=[FollowUpRow(f.name.zh, f.due.astimezone(tz)) for f in ev.follow_ups],
        effective=effective_text(ev.effective.code() if ev.effective else None),
        signature=SignatureInfo(None, None, proof.content_hash),
        campaign=campaign_paper.campaign_row(catalog, shadow),
    )


def render_proof_slip(db: Database, pd: PersonalData, catalog: Catalog, proof: ProofInput
                      ) -> bytes:
    """The slip as PDF bytes (A4), for the customer to read before signing."""
    return render_slip(build_proof_paper(db, pd, catalog, proof))
