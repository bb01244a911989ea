"""The rows an accepted order is written with besides itself: its documents, fees, payments,
signature and follow-ups, one INSERT (or executemany) per table on the driver's cursor
(`app.services.audit.driver_sql`, past the ORM's unit of work).

Called by `OrderService` inside its write transaction, once the order has its id. The order's
audit event seals them with the order (they are read back for its seal).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.core.catalog import Catalog
from app.core.engine import Evaluation
from app.models import (
    FollowUpTask,
    OrderDocument,
    OrderFee,
    OrderPayment,
    SignatureRecord,
)
from app.models.base import new_uid
from app.services.audit.driver_sql import connection_of, run
from app.services.customers.pii import PersonalData
from app.services.hall.registry import Actor
from app.services.orders.id_expiry import shown_with_expiry, take_expiry

if TYPE_CHECKING:
    from app.services.orders.service import PaymentIn, Submission


@cache
def insert_into(table: Any) -> Any:
    """One INSERT statement object per table: SQLAlchemy memoises its cache key on it."""
    return insert(table)


def _document_row(order_id: int, code: str, original_seen: bool, copy_retained: bool, *,
                  scan_enc: bytes | None = None, scan_sha256: str | None = None,
                  scan_name: str | None = None, number_masked: str | None = None,
                  valid_until: date | None = None) -> dict[str, Any]:
    """An `order_document` row with every column named (one multi-row INSERT needs the same
    columns in each row)."""
    return {"order_id": order_id, "code": code, "original_seen": original_seen,
            "copy_retained": copy_retained, "scan_enc": scan_enc, "scan_sha256": scan_sha256,
            "scan_name": scan_name, "number_masked": number_masked, "valid_until": valid_until}


def write_order_rows(s: Session, sub: Submission, ev: Evaluation, actor: Actor, order_id: int,
                     digest: str, payments: list[PaymentIn], *, pd: PersonalData,
                     catalog: Catalog) -> dict[str, list[dict[str, Any]]]:
    """Insert the order's child rows (`payments` as settled by the service); returns them by
    table (every table, empty when none), as written."""
    req = sub.request
    extra = {d.code: d for d in sub.documents}
    shown = shown_with_expiry(req)  # ID documents with their expiry dates (`id_expiry`)
    docs: list[dict[str, Any]] = []
    for code in dict.fromkeys(req.documents):
        d = extra.get(code)
        seen = take_expiry(shown, code)
        scan = d.scan if d else None
        docs.append(_document_row(
            order_id, code, d.original_seen if d else True, d.copy_retained if d else True,
            scan_enc=pd.encrypt_bytes(scan, "order_document.scan") if scan else None,
            scan_sha256=hashlib.sha256(scan).hexdigest() if scan else None,
            scan_name=d.scan_name if d else None,
            number_masked=seen.number_masked if seen else None,
            valid_until=(d.valid_until if d else None) or (seen.valid_until if seen else None)))
    for seen in shown:  # an ID shown with its expiry but not on the list of papers
        docs.append(_document_row(
            order_id, seen.type, True, catalog.services[req.service].copies_retained,
            number_masked=seen.number_masked, valid_until=seen.valid_until))
    rows: list[tuple[Any, list[dict[str, Any]]]] = [
        (OrderDocument, docs),
        (OrderFee, [{"order_id": order_id, "item": f.item, "name": f.name.zh,
                     "amount_fen": f.amount_fen} for f in ev.fees]),
        (OrderPayment, [{"order_id": order_id, "method": pay.method,
                         "amount_fen": pay.amount_fen, "tendered_fen": pay.tendered_fen,
                         "change_fen": max(0, (pay.tendered_fen or pay.amount_fen)
                                           - pay.amount_fen),
                         "reference": pay.reference} for pay in payments])]
    if sub.signature is not None:
        sig = sub.signature
        rows.append((SignatureRecord, [{
            "order_id": order_id, "on_paper": sig.on_paper, "png": sig.png,
            "strokes": sig.strokes_json, "content_hash": digest,
            "scan_enc": pd.encrypt_bytes(sig.scan, "signature.scan") if sig.scan else None}]))
    elif req.signature:
        rows.append((SignatureRecord, [{"order_id": order_id, "on_paper": True, "png": None,
                                        "strokes": None, "content_hash": digest,
                                        "scan_enc": None}]))
    rows.append((FollowUpTask, [{"uid": new_uid(), "order_id": order_id, "task": fu.task,
                                 "name": fu.name.zh, "due_at": fu.due.astimezone(UTC),
                                 "owner_staff_id": actor.staff_id}
                                for fu in ev.follow_ups]))
    conn = connection_of(s)  # on the driver's cursor: no ORM or Core execution layer
    for model, values in rows:
        if values:
            run(conn, insert_into(model.__table__), values)
    return {model.__tablename__: values for model, values in rows}
