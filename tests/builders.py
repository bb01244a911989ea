"""Request builders for the engine and order tests: a valid base request, then overrides."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

from app.core.validators import resident_id_check_char

DAY = date(2026, 11, 22)
OWNER_ID = "11010519491231002X"
AGENT_ID = "320102198211096348"
OTHER_ID = "310104199002154578"
USCC = "91310000MA1FL2X37J"


def child_id(age: int = 10) -> str:
    born = DAY - timedelta(days=365 * age + 30)
    body = f"110105{born:%Y%m%d}123"
    return body + resident_id_check_char(body)


def line(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "number": "13012345678", "payment": "postpaid", "status": "active", "arrears": 0,
        "balance": 35.5, "points": 1200, "contract_end": None, "nice_number_until": None,
        "subsidy_until": None, "campaign_until": None, "relocated_keep_number": "none",
        "prepaid_phase": None, "lock_expired": False, "blacklisted": False, "vip": False,
        "collection_exempt": False, "intl_roaming": {"open": False, "prepayment": 0},
        "realname": "complete"}
    base.update(over)
    return base


def personal(service: str, **over: Any) -> dict[str, Any]:
    req: dict[str, Any] = {
        "service": service, "carrier": "unicom", "business_date": DAY.isoformat(),
        "customer": {"kind": "personal", "name": "张三",
                     "id_document": {"type": "resident_id", "number": OWNER_ID},
                     "unit": None, "non_local_id": False},
        "presenter": {"role": "owner", "name": "张三",
                      "id_document": {"type": "resident_id", "number": OWNER_ID}},
        "line": line(), "documents": [], "details": {}, "signature": True}
    return merge(req, over)


def as_agent(req: dict[str, Any], documents: list[str] | None = None) -> dict[str, Any]:
    req = copy.deepcopy(req)
    req["presenter"] = {"role": "agent", "name": "李四",
                        "id_document": {"type": "resident_id", "number": AGENT_ID}}
    if documents is not None:
        req["documents"] = documents
    return req


def group(service: str, **over: Any) -> dict[str, Any]:
    req: dict[str, Any] = {
        "service": service, "carrier": "unicom", "business_date": DAY.isoformat(),
        "customer": {"kind": "group", "name": "上海示例物流有限公司", "id_document": None,
                     "unit": {"name": "上海示例物流有限公司",
                              "registration": {"type": "business_license", "number": USCC}},
                     "non_local_id": False},
        "presenter": {"role": "agent", "name": "周强",
                      "id_document": {"type": "resident_id", "number": AGENT_ID}},
        "line": line(number="18612340001"), "documents": ["introduction_letter"],
        "details": {}, "signature": True}
    return merge(req, over)


def merge(req: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    req = copy.deepcopy(req)
    for key, value in over.items():
        if key == "line" and isinstance(value, dict) and req.get("line") is not None:
            req["line"] = {**req["line"], **value}
        else:
            req[key] = copy.deepcopy(value)
    return req
