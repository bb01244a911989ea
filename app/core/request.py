"""The service request of `request-format.md`, parsed strictly.

Anything malformed (wrong type, unknown field, impossible date, bad amount) raises
`RequestError` naming the field, e.g. `line.arrears: expected a number`. Parsing never
touches the database, so a malformed request writes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from app.core import domain
from app.core.money import MoneyError, yuan_to_fen

MAX_TEXT = 500  # longest free text a field may hold
MAX_LIST = 64


class RequestError(ValueError):
    """A malformed request: `field` is a dotted path, `problem` what is wrong."""

    def __init__(self, field: str, problem: str, problem_zh: str = "") -> None:
        field = _printable_field(field)
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem
        self.problem_zh = problem_zh or problem


def _printable_field(field: object) -> str:
    """A field path fit for a one-line message: a hostile key (empty, huge, with control
    characters or a newline) is shown escaped and cut short, never as it came."""
    text = str(field)
    if not text:
        return '""'
    if len(text) > 80:
        text = text[:80] + "…"
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


@dataclass(frozen=True)
class IdDocument:
    type: str
    number: str


@dataclass(frozen=True)
class Unit:
    name: str
    registration: IdDocument | None


@dataclass(frozen=True)
class Customer:
    kind: str
    name: str
    id_document: IdDocument | None
    unit: Unit | None = None
    non_local_id: bool = False


@dataclass(frozen=True)
class Presenter:
    role: str
    name: str
    id_document: IdDocument | None


@dataclass(frozen=True)
class LineState:
    number: str
    payment: str = "postpaid"
    status: str = "active"
    arrears_fen: int = 0
    balance_fen: int = 0
    points: int = 0
    contract_end: date | None = None
    nice_number_until: date | None = None
    subsidy_until: date | None = None
    campaign_until: date | None = None
    relocated_keep_number: str = "none"
    prepaid_phase: str | None = None
    lock_expired: bool = False
    blacklisted: bool = False
    vip: bool = False
    collection_exempt: bool = False
    roaming_open: bool = False
    roaming_prepayment_fen: int = 0
    realname: str = "complete"

    def with_changes(self, **changes: Any) -> LineState:
        return replace(self, **changes)


@dataclass(frozen=True)
class Request:
    service: str
    carrier: str | None
    business_date: date | None
    customer: Customer
    presenter: Presenter | None
    line: LineState | None
    documents: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)
    signature: bool = False


# --- strict readers -----------------------------------------------------------------------

_TOP = {"service", "carrier", "business_date", "customer", "presenter", "line", "documents",
        "details", "signature"}
_CUSTOMER = {"kind", "name", "id_document", "unit", "non_local_id"}
_PRESENTER = {"role", "name", "id_document"}
_DOC = {"type", "number"}
_UNIT = {"name", "registration"}
_LINE = {"number", "payment", "status", "arrears", "balance", "points", "contract_end",
         "nice_number_until", "subsidy_until", "campaign_until", "relocated_keep_number",
         "prepaid_phase", "lock_expired", "blacklisted", "vip", "collection_exempt",
         "intl_roaming", "realname"}
_ROAMING = {"open", "prepayment"}


def _obj(value: Any, path: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RequestError(path or "request", "expected an object", "应为对象")
    for key in value:
        if key not in allowed:
            where = f"{path}.{key}" if path else key
            raise RequestError(where, "unknown field", "未知字段")
    return value


def _str(value: Any, path: str, *, optional: bool = False, max_len: int = MAX_TEXT) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise RequestError(path, "expected a string", "应为文本")
    if len(value) > max_len:
        raise RequestError(path, f"longer than {max_len} characters", f"超过{max_len}个字符")
    if any(ord(c) < 32 and c not in "\t" for c in value) or "\x7f" in value:
        raise RequestError(path, "contains control characters", "含有控制字符")
    if any("\ud800" <= c <= "\udfff" for c in value):  # a lone surrogate cannot be stored
        raise RequestError(path, "contains invalid characters", "含有无效字符")
    return value.strip()


def _req_str(value: Any, path: str, max_len: int = MAX_TEXT) -> str:
    s = _str(value, path, max_len=max_len)
    assert s is not None
    if not s:
        raise RequestError(path, "must not be empty", "不能为空")
    return s


def _choice(value: Any, path: str, choices: tuple[str, ...], optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or value not in choices:
        raise RequestError(path, f"expected one of {', '.join(choices)}",
                           f"应为以下之一：{'、'.join(choices)}")
    return value


def _bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise RequestError(path, "expected true or false", "应为 true 或 false")
    return value


def _date(value: Any, path: str) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) != 10:
        raise RequestError(path, "expected a date YYYY-MM-DD", "应为日期 YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RequestError(path, f"not a real date ({value})", f"日期不存在（{value}）") from None


def _money(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise RequestError(path, "expected a number", "应为数字")
    try:
        # An int goes to Decimal directly: str() of a 5000-digit int raises ValueError.
        fen = yuan_to_fen(Decimal(value) if isinstance(value, int) else Decimal(str(value)))
    except MoneyError as exc:
        raise RequestError(path, str(exc), "金额最多两位小数") from None
    if fen < 0:
        raise RequestError(path, "must not be negative", "不能为负数")
    if fen > 10**11:
        raise RequestError(path, "amount too large", "金额过大")
    return fen


def _int(value: Any, path: str, minimum: int = 0, maximum: int = 10**9) -> int:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise RequestError(path, "expected a whole number", "应为整数")
    if isinstance(value, Decimal) and (not value.is_finite()
                                       or value != value.to_integral_value()):
        raise RequestError(path, "expected a whole number", "应为整数")
    # Compare before int(): int(Decimal("1e999999")) builds a million-digit number.
    if not minimum <= value <= maximum:
        raise RequestError(path, f"must be between {minimum} and {maximum}",
                           f"应在 {minimum} 至 {maximum} 之间")
    return int(value)


def _doc(value: Any, path: str) -> IdDocument | None:
    if value is None:
        return None
    d = _obj(value, path, _DOC)
    for key in _DOC:
        if key not in d:
            raise RequestError(f"{path}.{key}", "required", "必填")
    return IdDocument(type=_req_str(d["type"], f"{path}.type", 40),
                      number=_req_str(d["number"], f"{path}.number", 64))


def _customer(value: Any) -> Customer:
    c = _obj(value, "customer", _CUSTOMER)
    kind = _choice(c.get("kind"), "customer.kind", domain.CUSTOMER_KINDS)
    unit = None
    if c.get("unit") is not None:
        u = _obj(c["unit"], "customer.unit", _UNIT)
        unit = Unit(name=_req_str(u.get("name"), "customer.unit.name", 100),
                    registration=_doc(u.get("registration"), "customer.unit.registration"))
    if kind == "group" and unit is None:
        raise RequestError("customer.unit", "required for a group customer", "集团客户必须填写单位")
    return Customer(
        kind=kind or "personal",
        name=_req_str(c.get("name"), "customer.name", 100),
        id_document=_doc(c.get("id_document"), "customer.id_document"),
        unit=unit,
        non_local_id=_bool(c.get("non_local_id", False), "customer.non_local_id"),
    )


def _presenter(value: Any) -> Presenter | None:
    if value is None:
        return None
    p = _obj(value, "presenter", _PRESENTER)
    return Presenter(
        role=_choice(p.get("role"), "presenter.role", domain.PRESENTER_ROLES) or "owner",
        name=_str(p.get("name", ""), "presenter.name", max_len=100) or "",
        id_document=_doc(p.get("id_document"), "presenter.id_document"),
    )


def parse_line(value: Any, path: str = "line") -> LineState:
    ln = _obj(value, path, _LINE)
    if "number" not in ln:
        raise RequestError(f"{path}.number", "required", "必填")
    roaming = _obj(ln.get("intl_roaming") or {}, f"{path}.intl_roaming", _ROAMING)
    return LineState(
        number=_req_str(ln["number"], f"{path}.number", 20),
        payment=_choice(ln.get("payment", "postpaid"), f"{path}.payment", domain.PAYMENT_KINDS)
        or "postpaid",
        status=_choice(ln.get("status", "active"), f"{path}.status", domain.LINE_STATUSES)
        or "active",
        arrears_fen=_money(ln.get("arrears", 0), f"{path}.arrears"),
        balance_fen=_money(ln.get("balance", 0), f"{path}.balance"),
        points=_int(ln.get("points", 0), f"{path}.points"),
        contract_end=_date(ln.get("contract_end"), f"{path}.contract_end"),
        nice_number_until=_date(ln.get("nice_number_until"), f"{path}.nice_number_until"),
        subsidy_until=_date(ln.get("subsidy_until"), f"{path}.subsidy_until"),
        campaign_until=_date(ln.get("campaign_until"), f"{path}.campaign_until"),
        relocated_keep_number=_choice(ln.get("relocated_keep_number", "none"),
                                      f"{path}.relocated_keep_number", domain.RELOCATED)
        or "none",
        prepaid_phase=_choice(ln.get("prepaid_phase"), f"{path}.prepaid_phase",
                              domain.PREPAID_PHASES, optional=True),
        lock_expired=_bool(ln.get("lock_expired", False), f"{path}.lock_expired"),
        blacklisted=_bool(ln.get("blacklisted", False), f"{path}.blacklisted"),
        vip=_bool(ln.get("vip", False), f"{path}.vip"),
        collection_exempt=_bool(ln.get("collection_exempt", False), f"{path}.collection_exempt"),
        roaming_open=_bool(roaming.get("open", False), f"{path}.intl_roaming.open"),
        roaming_prepayment_fen=_money(roaming.get("prepayment", 0),
                                      f"{path}.intl_roaming.prepayment"),
        realname=_choice(ln.get("realname", "complete"), f"{path}.realname", domain.REALNAME)
        or "complete",
    )


def _depth(value: Any, limit: int = 8) -> int:
    stack = [(value, 1)]
    deepest = 0
    while stack:
        item, d = stack.pop()
        deepest = max(deepest, d)
        if d > limit:
            return d
        if isinstance(item, dict):
            stack.extend((v, d + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, d + 1) for v in item)
    return deepest


def _details(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    d = _obj(value, "details", set(value) if isinstance(value, dict) else set())
    if len(d) > MAX_LIST:
        raise RequestError("details", "too many entries", "条目过多")
    for key, v in d.items():
        if not isinstance(key, str) or len(key) > 40:
            raise RequestError("details", "field names must be short strings", "字段名无效")
        if _depth(v, 3) > 3:
            raise RequestError(f"details.{key}", "nested too deeply", "嵌套过深")
    return dict(d)


def parse_request(data: Any) -> Request:
    """Turn decoded JSON into a `Request`, or raise `RequestError` naming the field."""
    if _depth(data) > 8:
        raise RequestError("request", "nested too deeply", "嵌套过深")
    r = _obj(data, "", _TOP)
    if "service" not in r:
        raise RequestError("service", "required", "必填")
    if "customer" not in r:
        raise RequestError("customer", "required", "必填")
    documents = r.get("documents", [])
    if not isinstance(documents, list):
        raise RequestError("documents", "expected a list", "应为列表")
    if len(documents) > MAX_LIST:
        raise RequestError("documents", "too many entries", "条目过多")
    docs = tuple(_req_str(d, f"documents[{i}]", 40) for i, d in enumerate(documents))
    return Request(
        service=_req_str(r["service"], "service", 60),
        carrier=_choice(r.get("carrier"), "carrier", domain.CARRIERS, optional=True),
        business_date=_date(r.get("business_date"), "business_date"),
        customer=_customer(r["customer"]),
        presenter=_presenter(r.get("presenter")),
        line=parse_line(r["line"]) if r.get("line") is not None else None,
        documents=docs,
        details=_details(r.get("details")),
        signature=_bool(r.get("signature", False), "signature"),
    )


def load_json(text: str | bytes) -> Any:
    """Decode JSON with exact decimals; `RequestError` for text that is not JSON."""
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_no_constant)
    except RecursionError:
        raise RequestError("request", "nested too deeply", "嵌套过深") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = f"line {exc.lineno} column {exc.colno}" if isinstance(
            exc, json.JSONDecodeError) else "encoding"
        raise RequestError("request", f"not valid JSON ({where}: {exc.args[0].split(':')[0]})",
                           "不是有效的JSON") from None
    except RequestError:
        raise
    except ValueError:  # an integer of thousands of digits (Python's conversion limit)
        raise RequestError("request", "not valid JSON (a number is too long)",
                           "不是有效的JSON（数字过长）") from None


def _no_constant(name: str) -> Any:
    raise RequestError("request", f"{name} is not a number", f"{name} 不是数字")
