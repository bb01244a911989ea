"""Request builders for the engine and order tests: a valid base request, then overrides.

`NOW` is the instant the tests' clock stands at (tests/conftest.py `clock`), and `DAY` the
hall's business date then: the requests are dated the day the frozen clock is on.
"""

from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from app.core.validators import resident_id_check_char

HALL_ZONE = ZoneInfo("Asia/Shanghai")  # the demo hall's time zone (resources/config/hall.toml)
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=HALL_ZONE)  # 02:00 UTC, a Sunday morning in the hall
DAY = NOW.date()
OWNER_ID = "11010519491231002X"
AGENT_ID = "320102198211096348"
OTHER_ID = "310104199002154578"
USCC = "91310000MA1FL2X37J"
EXAMPLES_FILE = Path(__file__).with_name("examples") / "requests.json"


def examples() -> list[dict[str, Any]]:
    """Our own example requests (made with these builders) and the outcome each must get:
    accepted, rejected and incomplete; personal and group customers; agents. Each is
    `{"title", "request", "outcome": {"decision", "violations": [{"rule"}], "missing",
    "fees": [{"item", "amount"}]}}`; the lines' numbers differ, so they run as one batch."""
    return list(json.loads(EXAMPLES_FILE.read_text(encoding="utf-8")))


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


# A customer and her line for the day's tests (shifts, reports): one person, one postpaid line.
PERSON = {"kind": "personal", "name": "陈静", "unit": None, "non_local_id": False,
          "id_document": {"type": "resident_id", "number": "310104199002154578"}}
OWNER = {"role": "owner", "name": "陈静",
         "id_document": {"type": "resident_id", "number": "310104199002154578"}}


def counter_line(number: str = "18612345678", **state: Any) -> dict[str, Any]:
    base = {"number": number, "payment": "postpaid", "status": "active", "arrears": 0,
            "balance": 50, "points": 0, "contract_end": None, "nice_number_until": None,
            "subsidy_until": None, "campaign_until": None, "relocated_keep_number": "none",
            "prepaid_phase": None, "lock_expired": False, "blacklisted": False, "vip": False,
            "collection_exempt": False, "intl_roaming": {"open": False, "prepayment": 0},
            "realname": "complete"}
    return {**base, **state}


def bill_payment(number: str, amount: int = 10) -> Any:
    """A parsed 缴费 of `amount` yuan for the line `number` at the counter (the sync tests'
    everyday order)."""
    from app.core.request import parse_request

    return parse_request({"service": "bill_payment", "customer": PERSON, "presenter": OWNER,
                          "documents": [], "details": {"amount": amount}, "signature": True,
                          "line": counter_line(number)})
