"""The fast canonical encoder of audit events and seals writes exactly the bytes of the
reference one: every event hash and row seal already stored must still verify."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.security.audit_chain import _reference_event_bytes, canonical_event_bytes


class Colour(enum.Enum):
    RED = "红"


class Level(enum.IntEnum):
    HIGH = 3


def _nested(levels: int) -> Any:
    value: Any = 1
    for _ in range(levels):
        value = [value]
    return value


def _same(value: dict[str, Any]) -> None:
    try:
        expected: bytes | type[Exception] = _reference_event_bytes(value)
    except (TypeError, ValueError) as exc:
        expected = type(exc)
    if isinstance(expected, bytes):
        assert canonical_event_bytes(value) == expected
    else:
        with pytest.raises(expected):
            canonical_event_bytes(value)


_zones = st.sampled_from([None, UTC, ZoneInfo("Asia/Shanghai"), ZoneInfo("America/New_York"),
                          timezone(timedelta(hours=-3, minutes=-30))])
_leaves = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-10**1100, max_value=10**1100),
    st.floats(allow_nan=True, allow_infinity=True), st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(places=2, min_value=-10**9, max_value=10**9),
    st.text(), st.text(alphabet="营业厅柜台受理张三李四号码\u2028\"\\/\x00\x1f\U0001f600é"),
    st.dates(), st.datetimes(timezones=_zones), st.uuids(),
    st.sampled_from([Colour.RED, Level.HIGH, time(10, 0), b"bytes", 1e16, 9999999999999998.0, 2.462172823832539e+16, 1e-4, 9.9e-5,
                     -0.0, 0.1,
                     Decimal("2.00"), Decimal("1E+2"), Decimal("-0"), Decimal("1.50"), 10**1001,
                     "\ud800"]),
)
_keys = st.one_of(st.text(max_size=8), st.sampled_from(["金额", "a", "A", "é", "", "rows"]))
_values = st.recursive(
    _leaves,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.lists(inner, max_size=4).map(tuple),
                            st.dictionaries(_keys, inner, max_size=5)),
    max_leaves=30)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_keys, _values, max_size=8))
def test_same_bytes_as_the_reference_on_a_wide_sample(value: dict[str, Any]) -> None:
    _same(value)


@pytest.mark.parametrize("value", [
    {"seq": 1, "at": datetime(2026, 11, 22, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")),
     "naive": datetime(2026, 11, 22, 2, 0), "day": date(2026, 11, 22), "who": "张三",
     "fen": 12345, "money": Decimal("12.30"), "rate": 0.5, "big": 1e20, "tiny": 1e-7,
     "none": None, "nested": {"b": [1, (2, 3)], "a": {"深": [{"x": True}]}}},
    {1: "a non-string key"},
    {"k": {"deep": 1}, "d": _nested(31)}, {"d": _nested(32)}, {"d": _nested(33)},
    {"surrogate": "\udc00"}, {"nan": float("nan")}, {"t": time(10, 0)}, {"b": b"x"},
    {"e": Colour.RED, "i": Level.HIGH, "u": UUID(int=7)},
])
def test_same_bytes_or_same_error_on_edge_cases(value: dict[Any, Any]) -> None:
    _same(value)


def test_str_and_int_subclasses_as_their_plain_values() -> None:
    from sqlalchemy.sql.elements import quoted_name

    class Serial(int):
        pass

    _same({"table": quoted_name("service_order", None), "n": Serial(7), "e": Level.HIGH,
           "s": [quoted_name("线路", True)]})


def test_a_mapping_that_is_not_a_dict_is_encoded_as_one() -> None:
    from types import MappingProxyType

    value = {"b": 1, "a": [Decimal("0.10")]}
    assert canonical_event_bytes(MappingProxyType(value)) == _reference_event_bytes(value)
