"""The service request of `request-format.md`, parsed strictly.

Anything malformed (wrong type, unknown field, impossible date, bad amount) raises
`RequestError` naming the field, e.g. `line.arrears: expected a number`. Parsing never
touches the database, so a malformed request writes nothing. Every document number comes out
in its canonical form (`validators.normalize_id_number`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from app.core import domain
from app.core.money import MoneyError, yuan_to_fen
from app.core.validators import normalize_id_number

MAX_TEXT = 500  # longest free text a field may hold
MAX_LIST = 64
# The limits of one `counter process` input (README, command line): a bigger input is refused
# whole, before anything is parsed or written. The reader stops one byte past the size, so an
# endless input (/dev/zero, a pipe) costs no more memory or time than a file at the limit.
MAX_BATCH_BYTES = 20 * 1024 * 1024  # 20 MB
MAX_BATCH_REQUESTS = 10_000
# The business date of a request: the counter's own century.
FIRST_BUSINESS_DATE = date(2000, 1, 1)
LAST_BUSINESS_DATE = date(2099, 12, 31)
# Any other date (a contract's end, a join date, a scheduled effect): wider, still far from
# the ends of the calendar where adding a month or a year would overflow.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)
_CALENDAR_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CALENDAR_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")


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
    # The last day the document is valid (its 有效期限 end), when known; None: long-term
    # (长期) or not given. A document past it is refused (`document_not_accepted`).
    valid_until: date | None = None


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
_DOC = {"type", "number", "valid_until"}
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


def _date(value: Any, path: str, earliest: date = EARLIEST_DATE,
          latest: date = LATEST_DATE) -> date | None:
    """A calendar date written YYYY-MM-DD, within [earliest, latest].

    Only that form: `date.fromisoformat` also takes week dates (2026-W47-7), 20261122 and
    others a clerk never means; the bounds keep date arithmetic far from year 9999.
    """
    if value is None:
        return None
    if not isinstance(value, str) or not _CALENDAR_DATE.fullmatch(value):
        raise RequestError(path, "expected a date YYYY-MM-DD", "应为日期 YYYY-MM-DD")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise RequestError(path, f"not a real date ({value})", f"日期不存在（{value}）") from None
    if not earliest <= day <= latest:
        raise RequestError(path, f"must be between {earliest} and {latest}",
                           f"应在 {earliest} 至 {latest} 之间")
    return day


def _business_date(value: Any, path: str = "business_date") -> date | None:
    return _date(value, path, FIRST_BUSINESS_DATE, LAST_BUSINESS_DATE)


def parse_business_date(text: str, field: str = "business_date") -> date:
    """A business date typed anywhere (a request, a command's --date): YYYY-MM-DD, 2000-2099;
    `RequestError` naming `field` otherwise."""
    day = _business_date(text, field)
    if day is None:
        raise RequestError(field, "required", "必填")
    return day


def _month(value: Any, path: str) -> str:
    """A month written YYYY-MM (a billing period), kept as that text."""
    text = _req_str(value, path, 7)
    if not _CALENDAR_MONTH.fullmatch(text):
        raise RequestError(path, "expected a month YYYY-MM", "应为年月 YYYY-MM")
    try:
        _date(text + "-01", path)
    except RequestError:
        raise RequestError(path, "expected a month YYYY-MM", "应为年月 YYYY-MM") from None
    return text


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
    for key in ("type", "number"):
        if key not in d:
            raise RequestError(f"{path}.{key}", "required", "必填")
    doc_type = _req_str(d["type"], f"{path}.type", 40)
    number = normalize_id_number(doc_type, _req_str(d["number"], f"{path}.number", 64))
    if not number:  # e.g. only dashes
        raise RequestError(f"{path}.number", "must not be empty", "不能为空")
    if len(number) > 64:  # ... or more: one NFKC character can stand for many
        raise RequestError(f"{path}.number", "longer than 64 characters", "超过64个字符")
    return IdDocument(type=doc_type, number=number,
                      valid_until=_date(d.get("valid_until"), f"{path}.valid_until"))


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
        business_date=_business_date(r.get("business_date")),
        customer=_customer(r["customer"]),
        presenter=_presenter(r.get("presenter")),
        line=parse_line(r["line"]) if r.get("line") is not None else None,
        documents=docs,
        details=_details(r.get("details")),
        signature=_bool(r.get("signature", False), "signature"),
    )


def load_json(text: str | bytes) -> Any:
    """Decode JSON with exact decimals; `RequestError` for text that is not JSON."""
    with _json_errors():
        return _DECODER.decode(_text(text))


def load_batch(raw: bytes) -> tuple[list[Any], bool]:
    """The decoded requests of a `counter process` input, and whether it was a JSON list.

    Refuses an input over `MAX_BATCH_BYTES` and a list of over `MAX_BATCH_REQUESTS` items.
    A list is decoded item by item and refused at its first item too many, so a list of
    millions of tiny items never fills the memory.
    """
    if len(raw) > MAX_BATCH_BYTES:
        mb = MAX_BATCH_BYTES // 2**20
        raise RequestError("request", f"larger than the limit of {mb} MB ({MAX_BATCH_BYTES} "
                           "bytes)", f"超过 {mb} MB 的上限")
    if not raw.strip():
        raise RequestError("request", "the input is empty", "输入为空")
    with _json_errors():
        text = _text(raw)
        start = _skip_space(text, 0)
        if not text.startswith("[", start):
            return [_DECODER.decode(text)], False
        items, end = _list_items(text, start)
        if end != len(text):
            raise json.JSONDecodeError("Extra data", text, end)
        return items, True


def _text(data: str | bytes) -> str:
    # As json.loads decodes bytes: UTF-8, -16 or -32 by the first bytes, a BOM allowed.
    if isinstance(data, str):
        return data
    return data.decode(json.detect_encoding(data), "surrogatepass")


def _skip_space(text: str, at: int) -> int:
    found = _NOT_SPACE.search(text, at)
    return found.start() if found else len(text)


def _list_items(text: str, start: int) -> tuple[list[Any], int]:
    """The items of the JSON list at `text[start]` ("[") and the index past its end."""
    items: list[Any] = []
    at = _skip_space(text, start + 1)
    if text.startswith("]", at):
        return items, _skip_space(text, at + 1)
    while True:
        if len(items) == MAX_BATCH_REQUESTS:
            raise RequestError("request", f"more than {MAX_BATCH_REQUESTS} requests (the limit "
                               "of one input)", f"请求超过 {MAX_BATCH_REQUESTS} 个的上限")
        item, at = _DECODER.raw_decode(text, at)
        items.append(item)
        at = _skip_space(text, at)
        if text.startswith("]", at):
            return items, _skip_space(text, at + 1)
        if not text.startswith(",", at):
            raise json.JSONDecodeError("Expecting ',' delimiter", text, at)
        at = _skip_space(text, at + 1)


@contextmanager
def _json_errors() -> Iterator[None]:
    """JSON that cannot be decoded, as a `RequestError`."""
    try:
        yield
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


_DECODER = json.JSONDecoder(parse_float=Decimal, parse_constant=_no_constant)
_NOT_SPACE = re.compile(r"[^ \t\n\r]")  # JSON's whitespace is these four
