"""Viewing a retained copy again (复印留存): who may, the copy checked, and always audited.

A scanned paper is personal data at its fullest (an ID card copy shows the whole number, the
address and the face), so viewing one is the same right as revealing a full ID number:
`pii.view_full`, which supervisors and managers hold by default (a hall may change the table,
see app/security/roles.py). Besides them, the clerk who recorded the order may look at its
copies on the order's own business day, while the customer may still be at the counter; not
on a later day, and no other clerk. Everyone else is refused in the core, and the refusal is
audited like every other (`permission.denied`).

A copy is decrypted, then checked against the SHA-256 stored when it was attached: a copy
that does not match was altered (or swapped for another order's) and is not shown; that is
audited too (`scan.altered`). A copy shown is audited before it is returned (`scan.viewed`:
order number, document code, who; never the file name, which may hold a name).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Final

from sqlalchemy import select

from app.db import Database
from app.devices.scanner.formats import sniff_mime
from app.models import OrderDocument, ServiceOrder, SignatureRecord
from app.security import DecryptionError, Permission, PermissionDenied, SecurityError
from app.services.audit import events as audit
from app.services.customers.pii import PersonalData, default_personal_data
from app.services.day.hooks import local_today
from app.services.hall.registry import Actor
from app.services.staff.auth import allowed, deny

__all__ = [
    "SCAN_VIEW",
    "SIGNATURE",
    "ScanAccessError",
    "ScanAltered",
    "ScanViewDenied",
    "StoredScan",
    "may_view_scans",
    "view_scan",
]

#: The permission that lets anyone view any order's copies (else: the clerk's own, same day).
SCAN_VIEW: Final = Permission.PII_VIEW_FULL
#: The "document code" of the scan of a signature given on paper.
SIGNATURE: Final = "signature"


@dataclass(frozen=True)
class StoredScan:
    order_no: str
    document: str  # the document's code, or SIGNATURE
    name: str
    mime: str  # from the bytes; application/octet-stream if not a known kind
    data: bytes = field(repr=False)
    sha256: str | None  # as stored and checked; None for a signature scan (none is stored)


class ScanAccessError(SecurityError):
    """Nothing to show: no such order, no copy kept for it, or it cannot be decrypted."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh, en)
        self.zh, self.en = zh, en


class ScanAltered(ScanAccessError):
    def __init__(self, order_no: str, document: str) -> None:
        super().__init__(
            f"留存复印件已被改动（SHA-256 与受理时不符），不予显示：订单 {order_no} {document}",
            f"The retained copy was altered (its SHA-256 differs from the one recorded): "
            f"order {order_no}, {document}; not shown")


class ScanViewDenied(PermissionDenied):
    """Refused: says who may view copies, rather than only which role holds the permission."""

    def __init__(self, role: str | None) -> None:
        super().__init__(role, SCAN_VIEW)
        self.message_zh = "权限不足：只有值班长、营业厅经理和当天受理本单的营业员可以查看留存复印件"
        self.message_en = ("Permission denied: only supervisors, the hall manager and the clerk "
                           "who recorded the order, on its day, may view its retained copies")
        self.args = (f"{self.message_zh} / {self.message_en}",)


def _own_order_today(db: Database, actor: Actor, order: ServiceOrder) -> bool:
    if actor.staff_id is None or order.staff_id != actor.staff_id or actor.channel != "counter":
        return False
    with db.read() as s:
        return order.business_date == local_today(s, order.hall_id)


def _order(db: Database, order_no: str) -> ServiceOrder:
    with db.read() as s:
        order = s.execute(select(ServiceOrder).where(ServiceOrder.order_no == order_no)
                          ).scalar_one_or_none()
    if order is None:
        raise ScanAccessError(f"没有订单 {order_no}", f"no order {order_no}")
    return order


def _audit(db: Database, actor: Actor, action: str, order_no: str,
           data: dict[str, object]) -> None:
    with db.session() as s:
        audit.record(s, action, actor=actor.staff_no, actor_staff_id=actor.staff_id,
                     counter=actor.counter_code, target=order_no,
                     authorized_by=actor.authorized_by, data=data)


def may_view_scans(db: Database, actor: Actor, order_no: str) -> bool:
    """Whether `view_scan` would let `actor` in (to show or hide the button); records nothing."""
    try:
        order = _order(db, order_no)
    except ScanAccessError:
        return False
    return allowed(db, actor, SCAN_VIEW) or _own_order_today(db, actor, order)


def view_scan(db: Database, actor: Actor, order_no: str, document: str, *,
              personal_data: PersonalData | None = None) -> StoredScan:
    """The retained copy of one document of an order (or SIGNATURE), checked and audited."""
    order = _order(db, order_no)
    if not (allowed(db, actor, SCAN_VIEW) or _own_order_today(db, actor, order)):
        try:
            deny(db, actor, SCAN_VIEW)  # the refusal is audited, as every refusal is
        except PermissionDenied:
            raise ScanViewDenied(actor.role) from None
    pd = personal_data or default_personal_data()
    with db.read() as s:
        if document == SIGNATURE:
            sig = s.execute(select(SignatureRecord).where(SignatureRecord.order_id == order.id)
                            ).scalar_one_or_none()
            blob, expected, name, context = (sig.scan_enc if sig else None), None, \
                "signature", "signature.scan"
        else:
            doc = s.execute(select(OrderDocument).where(
                OrderDocument.order_id == order.id, OrderDocument.code == document)
                .order_by(OrderDocument.id).limit(1)).scalar_one_or_none()
            blob = doc.scan_enc if doc else None
            expected, name = (doc.scan_sha256, doc.scan_name or document) if doc else (None, "")
            context = "order_document.scan"
    if blob is None:
        raise ScanAccessError(f"订单 {order_no} 的 {document} 没有留存扫描件",
                              f"order {order_no} keeps no scan of {document}")
    try:
        data = pd.cipher.decrypt_bytes(blob, aad=context)
    except DecryptionError as exc:
        raise ScanAccessError(exc.message_zh, exc.message_en) from None
    digest = hashlib.sha256(data).hexdigest()
    if expected is not None and digest != expected:
        _audit(db, actor, "scan.altered", order_no, {
            "document": document, "stored_sha256": expected, "found_sha256": digest})
        raise ScanAltered(order_no, document)
    _audit(db, actor, "scan.viewed", order_no,
           {"document": document, "sha256": digest, "role": actor.role})
    return StoredScan(order_no, document, name, sniff_mime(data) or "application/octet-stream",
                      data, expected)
