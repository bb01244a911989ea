"""From a stored order to its printed papers: the masked `OrderPaper`, printing, reprints.

Reprints say "补打" with their count; every print and reprint is recorded (PrintedDocument
with the file's SHA-256, and an audit event).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core import domain
from app.core.catalog import Catalog, get_catalog
from app.db import Database
from app.models import (
    Counter,
    Customer,
    FollowUpTask,
    Hall,
    PrintedDocument,
    ServiceOrder,
    Staff,
)
from app.printing import (
    DocumentRow,
    FeeRow,
    FollowUpRow,
    OrderPaper,
    PaymentRow,
    SignatureInfo,
    write_order_papers,
)
from app.services.audit import events as audit
from app.services.hall.registry import Actor, hall_config
from app.services.orders import campaigns as campaign_paper
from app.services.orders.service import OrderError


def detail_rows(catalog: Catalog, order: ServiceOrder) -> list[tuple[str, str]]:
    svc = catalog.services.get(order.service)
    rows: list[tuple[str, str]] = []
    for key, value in (order.details or {}).items():
        if key in campaign_paper.CHOICE_KEYS:
            continue  # the campaign, its tier and gift: by name in their own section
        spec = svc.detail(key) if svc else None
        label = spec.label.zh if spec else {"note": "备注", "payment_method": "付款方式"}.get(
            key) or campaign_paper.detail_label(key) or key
        value = campaign_paper.detail_value(key, value)
        if spec and spec.choices:
            value = next((c.label.zh for c in spec.choices if c.value == value), value)
        if isinstance(value, bool):
            value = "是" if value else "否"
        elif isinstance(value, dict):
            value = f"{catalog.document_name(value.get('type', ''))} {value.get('number', '')}"
        elif spec and spec.type == "money" and isinstance(value, int):
            value = f"{value / 100:.2f} 元"
        rows.append((label, str(value)))
    return rows


def effective_text(code: str | None) -> str:
    if not code:
        return ""
    kind, _, rest = code.partition(":")
    return {"immediate": "立即生效", "within_24h": "24小时内生效"}.get(kind) or (
        f"预约生效 {rest}" if kind == "scheduled" else f"按时限生效（{rest}）")


def build_paper(s: Session, order: ServiceOrder, catalog: Catalog | None = None,
                reprint_count: int = 0) -> OrderPaper:
    catalog = catalog or get_catalog()
    hall = s.get(Hall, order.hall_id)
    counter = s.get(Counter, order.counter_id)
    staff = s.get(Staff, order.staff_id) if order.staff_id else None
    cust = s.get(Customer, order.customer_id) if order.customer_id else None
    assert hall is not None and counter is not None
    tz = ZoneInfo(hall_config(hall).timezone)
    svc = catalog.services.get(order.service)
    outcome = order.outcome or {}
    notices = list(outcome.get("notices", []))
    if order.status == "voided" and order.void_reason:
        notices.append(f"本单已作废：{order.void_reason}")
    follow_ups = s.execute(select(FollowUpTask).where(FollowUpTask.order_id == order.id)
                           ).scalars().all()
    sig = order.signature
    return OrderPaper(
        order_no=order.order_no, hall_name=hall.name, hall_code=hall.code,
        counter_no=counter.code, clerk_name=staff.name if staff else "批量受理",
        clerk_no=staff.staff_no if staff else "batch",
        created_at=order.created_at.astimezone(tz),
        business_date=order.business_date.isoformat(), service_code=order.service,
        service_name=svc.name.zh if svc else order.service,
        customer_kind=cust.kind if cust else "personal",
        customer_name=cust.name if cust else "",
        customer_id_type=catalog.document_name(cust.id_type or cust.reg_type or "") if cust else "",
        customer_id_masked=(cust.id_masked or cust.reg_masked or "") if cust else "",
        presenter_role=order.presenter_role, presenter_name=order.presenter_name,
        presenter_id_type=catalog.document_name(order.presenter_id_type or ""),
        presenter_id_masked=order.presenter_id_masked or "",
        line_number=order.line_number,
        unit_name=cust.unit_name if cust and cust.kind == "group" else None,
        unit_registration_masked=cust.reg_masked if cust and cust.kind == "group" else None,
        details=detail_rows(catalog, order),
        documents=[DocumentRow(catalog.document_name(d.code), d.original_seen, d.copy_retained)
                   for d in order.documents],
        fees=[FeeRow(f.name, f.amount_fen) for f in order.fees],
        payments=[PaymentRow(domain.PAYMENT_METHOD_ZH.get(p.method, p.method), p.amount_fen,
                             p.tendered_fen) for p in order.payments],  # 收款 as tendered
        change_fen=sum(p.change_fen for p in order.payments),
        notices=notices,
        follow_ups=[FollowUpRow(f.name, f.due_at.astimezone(tz)) for f in follow_ups],
        effective=effective_text(outcome.get("effective") or order.effective),
        signature=SignatureInfo(sig.png, sig.signed_at.astimezone(tz), sig.content_hash,
                                sig.on_paper) if sig else None,
        reprint_count=reprint_count, voided=order.status == "voided",
        campaign=campaign_paper.campaign_row(catalog, order),
    )


@dataclass(frozen=True)
class PreparedPapers:
    """An order's papers written as PDF, not yet recorded as printed (`record_printed`)."""

    order_id: int
    paper: OrderPaper
    copy_no: int  # 0 the first print, n: 补打 n
    paths: list[Path]


def prepare_order_papers(db: Database, order_id: int, out_dir: Path, *, reprint: bool = False
                         ) -> PreparedPapers:
    """Render and write the papers; records nothing (a counter with a printer records each
    paper once the printer accepted it)."""
    with db.read() as s:
        order = s.get(ServiceOrder, order_id)
        if order is None:
            raise OrderError("订单不存在", "no such order")
        done = s.execute(select(func.max(PrintedDocument.copy_no)).where(
            PrintedDocument.order_id == order_id)).scalar()
        if reprint and done is None:
            reprint = False  # never printed: this is the first print
        copy_no = (done or 0) + 1 if reprint else 0
        paper = build_paper(s, order, reprint_count=copy_no)
    paths = write_order_papers(paper, out_dir)  # rendered outside any transaction
    return PreparedPapers(order_id, paper, copy_no, paths)


def record_printed(db: Database, prepared: PreparedPapers, printed: list[Path], actor: Actor
                   ) -> None:
    """Record the papers of `prepared` that were printed (PrintedDocument + an audit event)."""
    if not printed:
        return
    paper, copy_no = prepared.paper, prepared.copy_no
    with db.session() as s:
        for path in printed:
            kind = path.stem.removeprefix(paper.order_no.replace("/", "_") + "_").split("_")[0]
            s.add(PrintedDocument(order_id=prepared.order_id, kind=kind, copy_no=copy_no,
                                  path=str(path),
                                  sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                                  staff_id=actor.staff_id))
        audit.record(s, "order.reprint" if copy_no else "order.print", actor=actor.staff_no,
                     actor_staff_id=actor.staff_id, counter=actor.counter_code,
                     target=paper.order_no, data={"copy": copy_no,
                                                  "files": [p.name for p in printed]})


def _print(db: Database, order_id: int, out_dir: Path, actor: Actor, reprint: bool
           ) -> list[Path]:
    prepared = prepare_order_papers(db, order_id, out_dir, reprint=reprint)
    record_printed(db, prepared, prepared.paths, actor)
    return prepared.paths


def is_printed(db: Database, order_id: int) -> bool:
    """Whether the order's papers were printed (a rerun batch prints only those never were)."""
    with db.read() as s:
        return s.execute(select(PrintedDocument.id).where(
            PrintedDocument.order_id == order_id).limit(1)).first() is not None


def print_order(db: Database, order_id: int, out_dir: Path, actor: Actor) -> list[Path]:
    """The first print of an order's papers (slip, and receipt/ticket/cover as it needs)."""
    return _print(db, order_id, out_dir, actor, reprint=False)


def reprint_order(db: Database, order_no: str, out_dir: Path, actor: Actor) -> list[Path]:
    """Print again, marked 补打 with its count, and recorded."""
    with db.read() as s:
        order_id = s.execute(select(ServiceOrder.id).where(ServiceOrder.order_no == order_no)
                             ).scalar()
    if order_id is None:
        raise OrderError(f"订单 {order_no} 不存在", f"no order {order_no}")
    return _print(db, order_id, out_dir, actor, reprint=True)


def order_id_by_no(db: Database, order_no: str) -> int:
    """The id of order `order_no` (OrderError when there is none): for a reprint that sends
    some papers to the receipt printer (`prepare_order_papers` + `record_printed`)."""
    with db.read() as s:
        order_id = s.execute(select(ServiceOrder.id).where(ServiceOrder.order_no == order_no)
                             ).scalar()
    if order_id is None:
        raise OrderError(f"订单 {order_no} 不存在", f"no order {order_no}")
    return int(order_id)


__all__ = [
    "PreparedPapers",
    "build_paper",
    "is_printed",
    "order_id_by_no",
    "prepare_order_papers",
    "print_order",
    "record_printed",
    "reprint_order",
]
