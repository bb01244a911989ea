"""Everything a rule, fee or effect may look at while one request is evaluated."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from app.core.catalog import Catalog, Service
from app.core.config import HallConfig
from app.core.request import LineState, Request


@dataclass(frozen=True)
class Violation:
    rule: str
    params: dict[str, Any]


@dataclass(frozen=True)
class EvalContext:
    request: Request
    service: Service
    catalog: Catalog
    hall: HallConfig
    business_date: date
    now: datetime  # the hall's local time, aware
    carrier: str
    details: dict[str, Any]  # coerced to their declared types
    facts: dict[str, Any]  # the same, as a plain mapping for catalog conditions

    @property
    def line(self) -> LineState | None:
        return self.request.line


def build_facts(request: Request, details: dict[str, Any], hall: HallConfig, carrier: str,
                business_date: date) -> dict[str, Any]:
    ln = request.line
    line: dict[str, Any] = {}
    if ln is not None:
        line = {
            "number": ln.number, "payment": ln.payment, "status": ln.status,
            "arrears": ln.arrears_fen / 100, "balance": ln.balance_fen / 100,
            "points": ln.points, "contract_end": ln.contract_end,
            "nice_number_until": ln.nice_number_until, "subsidy_until": ln.subsidy_until,
            "campaign_until": ln.campaign_until,
            "relocated_keep_number": ln.relocated_keep_number,
            "prepaid_phase": ln.prepaid_phase, "lock_expired": ln.lock_expired,
            "blacklisted": ln.blacklisted, "vip": ln.vip,
            "collection_exempt": ln.collection_exempt,
            "intl_roaming": {"open": ln.roaming_open, "prepayment": ln.roaming_prepayment_fen / 100},
            "realname": ln.realname,
        }
    c = request.customer
    return {
        "details": details,
        "line": line,
        "customer": {"kind": c.kind, "non_local_id": c.non_local_id,
                     "id_type": c.id_document.type if c.id_document else None,
                     "unit_registration": (c.unit.registration.type
                                           if c.unit and c.unit.registration else None)},
        "presenter": {"role": request.presenter.role if request.presenter else None},
        "hall": {"own_hall": hall.own_hall, "star": hall.star, "carrier": hall.carrier},
        "documents": dict.fromkeys(request.documents, True),
        "request": {"carrier": carrier, "business_date": business_date,
                    "service": request.service},
    }
