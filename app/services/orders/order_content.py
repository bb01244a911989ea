"""What an order says: its outcome as printed and stored, the hash of what the customer signs,
its details as stored (ID numbers and addresses masked). Pure: no database."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from app.core.engine import Evaluation
from app.core.money import fen_to_json
from app.core.request import IdDocument, Request
from app.security import mask_address


def outcome_json(ev: Evaluation, order_no: str | None = None,
                 printed: list[str] | None = None) -> dict[str, Any]:
    """The outcome exactly as request-format.md describes it."""
    show_fees = ev.decision != "rejected"
    return {
        "decision": ev.decision,
        "order_no": order_no,
        "violations": [{"rule": v.rule, "message": v.message} for v in ev.violations],
        "missing": list(ev.missing),
        "fees": [{"item": f.item, "amount": fen_to_json(f.amount_fen)}
                 for f in ev.fees] if show_fees else [],
        "follow_ups": [{"task": f.task, "due": f.due.isoformat(timespec="minutes")}
                       for f in ev.follow_ups],
        "effective": ev.effective.code() if ev.effective else None,
        "documents_printed": list(printed or []),
    }


def _masked_doc(doc: IdDocument | None) -> dict[str, Any] | None:
    if doc is None:
        return None
    from app.security import mask_id

    return {"type": doc.type, "number": mask_id(doc.number)}


def content_hash(req: Request, ev: Evaluation) -> str:
    """SHA-256 of what the customer signs: bound to the order at signing (never a full ID)."""
    c, p = req.customer, req.presenter
    body = {
        "service": req.service, "carrier": ev.carrier,
        "business_date": ev.business_date.isoformat() if ev.business_date else None,
        "customer": {"kind": c.kind, "name": c.name, "id": _masked_doc(c.id_document),
                     "unit": c.unit.name if c.unit else None},
        "presenter": {"role": p.role, "name": p.name,
                      "id": _masked_doc(p.id_document)} if p else None,
        "line": req.line.number if req.line else None,
        "documents": sorted(req.documents),
        "details": public_details(ev.details),
        "fees": [[f.item, f.amount_fen] for f in ev.fees],
    }
    if ev.campaign is not None:  # the customer signs the campaign's terms too
        body["campaign"] = ev.campaign.to_json()
    raw = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                     default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def public_details(details: dict[str, Any]) -> dict[str, Any]:
    """Details as stored and printed: ID numbers and addresses masked."""
    out: dict[str, Any] = {}
    for key, value in details.items():
        if key.startswith("_"):
            continue
        if isinstance(value, IdDocument):
            out[key] = _masked_doc(value)
        elif isinstance(value, str) and "address" in key:
            out[key] = mask_address(value)
        elif isinstance(value, date):
            out[key] = value.isoformat()
        else:
            out[key] = value
    return out
