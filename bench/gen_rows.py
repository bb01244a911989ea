"""The generator's rows: a customer's attributes as functions of its index, and the sealed
forms of the generated customers, lines and orders (what `app.models.sealed` covers)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Final

DUMMY_BLOB: Final = b"\x01" + b"\x00" * 12 + b"generated-not-a-real-ciphertext"
DUMMY_SHA: Final = hashlib.sha256(DUMMY_BLOB).hexdigest()
SERVICES: Final = (("report_loss", 0), ("bill_payment", 5000), ("sim_replacement", 1000))
FEE_NAMES: Final = {"bill_payment": "缴费", "sim_replacement": "USIM卡费"}
SURNAMES: Final = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
GIVEN: Final = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉鹏宇浩然晨阳欣怡子涵思远"
REGIONS: Final = ("110105", "310104", "440106", "320102")
PACKAGE: Final = "畅爽套餐59元"
LINE_STATE: Final = json.dumps({"number": "", "status": "active"})
# The demo staff's password hash (`hash_password(DEMO_PASSWORD)`, argon2id with the app's
# parameters; tests/test_bench_generator_fast.py checks it verifies and needs no rehash). The
# demo password is public, so a fresh salt per generated database would protect nothing: the
# generator writes this one instead of spending an argon2 hash (0.2 s of CPU) on every run.
DEMO_STAFF_HASH: Final = ("$argon2id$v=19$m=65536,t=3,p=4$Nw8rdMdkJf8kEZ9250H+aw$"
                          "87/LosZIdt7ZCUH+A/luETgpK9jgoe56o2qRQkc4C3k")


def customer_id_number(k: int) -> str:
    """The resident ID number of the k-th customer a run makes: check-digit valid, born
    1950-1999, distinct for k below 73 million."""
    region, born, serial, check = id_parts(k)
    return f"{region}{born}{serial}{check}"


def id_masked(number: str) -> str:
    """`mask_id` of a generated resident ID number (18 plain characters), as it masks one:
    region and the last four kept (checked against `mask_id` in tests/test_bench.py)."""
    return f"{number[:6]}********{number[14:]}"


def customer_id_masked(k: int) -> str:
    """`id_masked(customer_id_number(k))` without writing the birth date out."""
    region, _born_text, serial, check = id_parts(k)
    return f"{region}********{serial}{check}"


# `resident_id_check_char`'s sum, in parts: region, birth date and serial are each one of a
# few thousand texts, so each part's text and weighted sum is kept (bounded by those counts).
_ID_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK: Final = "10X98765432"


def _weighted(digits: str, offset: int) -> int:
    return sum(int(c) * _ID_WEIGHTS[offset + i] for i, c in enumerate(digits))


_REGION_PARTS: Final = tuple((r, _weighted(r, 0)) for r in REGIONS)
_SERIAL_PARTS: Final = tuple((f"{s:03d}", _weighted(f"{s:03d}", 14)) for s in range(1000))
_BORN_PARTS: dict[int, tuple[str, int]] = {}  # at most 18,250 birth dates


def id_parts(k: int) -> tuple[str, str, str, str]:
    """Region, birth date, serial and check character of the k-th customer's ID number."""
    region, rw = _REGION_PARTS[k & 3]
    days = (k >> 2) % 18250
    born = _BORN_PARTS.get(days)
    if born is None:
        text = f"{date(1950, 1, 1) + timedelta(days=days):%Y%m%d}"
        born = _BORN_PARTS[days] = (text, _weighted(text, 6))
    serial, sw = _SERIAL_PARTS[(k // 73000) % 1000]
    return region, born[0], serial, _ID_CHECK[(rw + born[1] + sw) % 11]


def customer_name(k: int) -> str:
    return (SURNAMES[k % len(SURNAMES)] + GIVEN[(k // 47) % len(GIVEN)]
            + (GIVEN[(k // 7) % len(GIVEN)] if k % 3 else ""))


def line_number(line_id: int) -> str:
    # 17x: a range the demo hall and the free-number pool (186) never use
    return f"17{(line_id - 1) % 10**9:09d}"


def uid_of(nonce: bytes, table: str, row_id: int) -> str:
    """A version-4-shaped uid, a function of the run's nonce, the table and the row's id (so
    an order can name its customer's uid without the generator keeping it): a prefix drawn
    from the nonce per table, the id in its last 12 hex digits. Unique per run and table,
    and in id order, so the uid indexes grow at their end as the ids' do."""
    return f"{uid_prefix(nonce, table)}{row_id:012x}"


@lru_cache(maxsize=64)
def uid_prefix(nonce: bytes, table: str) -> str:
    h = hashlib.blake2b(nonce + table.encode(), digest_size=16).hexdigest()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-"


def fees_json(service: str, fee: int) -> str:
    return f'[{{"item": "{service}", "amount": {fee / 100:.2f}}}]' if fee else "[]"


def outcome_json(order_no: str, service: str, fee: int) -> str:
    fees = fees_json(service, fee)
    return f'{{"decision": "accepted", "order_no": "{order_no}", "fees": {fees}}}'


def _pick(spec_columns: tuple[str, ...], values: Mapping[str, Any], table: str
          ) -> dict[str, Any]:
    missing = [c for c in spec_columns if c not in values]
    if missing:
        raise RuntimeError(f"the generator does not know the sealed columns {missing} of {table}")
    return {"table": table, **{c: values[c] for c in spec_columns}}


def customer_form(v: Mapping[str, Any]) -> dict[str, Any]:
    from app.models.sealed import SEALED

    return _pick(SEALED["customer"].columns, {
        "uid": v["uid"], "kind": "personal", "name": v["name"], "id_type": "resident_id",
        "id_enc": DUMMY_SHA, "id_lookup": v["id_lookup"], "id_masked": v["id_masked"],
        "unit_name": None, "reg_type": None, "reg_enc": None, "reg_lookup": None,
        "reg_masked": None}, "customer")


def line_form(v: Mapping[str, Any], opened_on: date) -> dict[str, Any]:
    from app.models.sealed import SEALED

    return _pick(SEALED["line"].columns, {
        "uid": v["uid"], "number": v["number"], "customer_id": v["customer"], "kind": "mobile",
        "payment": "postpaid", "status": "active", "status_before_loss": None,
        "arrears_fen": 0, "balance_fen": 0, "points": v["points"], "contract_end": None,
        "nice_number_until": None, "subsidy_until": None, "campaign_until": None,
        "relocated_keep_number": "none", "prepaid_phase": None, "lock_expired": False,
        "blacklisted": False, "vip": False, "collection_exempt": False, "roaming_open": False,
        "roaming_prepayment_fen": 0, "realname": "complete", "package": PACKAGE,
        "sim_serial": None, "opened_on": opened_on, "version": 1}, "line")


def order_form(v: Mapping[str, Any], *, hall: str, counter: str, staff: str | None,
               service: str, fee: int, day: date, stamp: datetime) -> dict[str, Any]:
    from app.models.sealed import SEALED

    spec = SEALED["service_order"]
    form = _pick(spec.columns, {
        "uid": v["uid"], "order_no": v["order_no"], "hall_id": hall, "counter_id": counter,
        "staff_id": staff, "channel": "counter", "service": service, "carrier": "unicom",
        "business_date": day, "status": "accepted", "customer_id": v["customer"],
        "line_id": v["line"], "line_number": v["line_number"], "presenter_role": "owner",
        "presenter_name": v["presenter_name"], "presenter_id_type": "resident_id",
        "presenter_id_enc": DUMMY_SHA, "presenter_id_masked": v["presenter_id_masked"],
        "details": {},
        # (strict=False: the template's placeholders are control characters)
        "outcome": json.loads(outcome_json(v["order_no"], service, fee), strict=False),
        "line_before": json.loads(LINE_STATE), "line_after": json.loads(LINE_STATE),
        "total_fen": fee, "effective": "immediate", "content_hash": v["content_hash"],
        "started_at": stamp, "created_at": stamp, "voided_at": None, "voided_by": None,
        "void_reason": None, "authorized_by": None, "idempotency_key": None},
        "service_order")
    children = {
        "order_fee": [{"item": service, "name": FEE_NAMES[service], "amount_fen": fee}]
        if fee else [],
        "order_payment": [{"method": "cash", "amount_fen": fee, "tendered_fen": fee,
                           "change_fen": 0, "reference": None}] if fee else [],
        "order_document": []}
    for child in spec.children:
        if child.table not in children:
            raise RuntimeError(f"the generator does not know the sealed child {child.table}")
        form[child.table] = children[child.table]
    return form
