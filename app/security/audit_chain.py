"""Tamper-evident hash chain for audit events (database-agnostic).

Why: an audit log that a DBA or a clerk with SQL access can quietly edit proves
nothing. Each event stores ``hash = H(prev_hash, canonical(fields))``, so
altering, deleting, inserting or reordering an event breaks every later link.

Two limits, and how to close them:

* With plain SHA-256, someone with write access can recompute the whole chain
  after editing it. Pass ``key`` (e.g. ``derive_subkeys(master).audit_key``)
  to use HMAC-SHA256 instead: forging then needs the key, not just the database.
* Deleting the *newest* events leaves a valid shorter chain. Record anchors
  (``(seq, hash)`` of the head, e.g. on the day sign-off / printed Z report)
  and pass them to :func:`verify_chain` as ``anchors``.

Include ``seq`` (and the event time, actor, etc.) in ``fields`` so they are covered too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any, Final
from uuid import UUID

__all__ = [
    "GENESIS_HASH",
    "VerifyResult",
    "canonical_event_bytes",
    "chain_hash",
    "verify_chain",
]

GENESIS_HASH: Final = "0" * 64
_DOMAIN: Final = b"hall-counter/audit/v1\x00"
_HASH_RE: Final = re.compile(r"[0-9a-f]{64}")
_MAX_DEPTH: Final = 32
_MAX_EXPONENT: Final = 1000


# --------------------------------------------------------------------------- canonical form


def _decimal_text(value: Decimal) -> str:
    """Exact, exponent-free text of a finite Decimal with no trailing zeros.

    ``Decimal("1.50")``, ``Decimal("1.5")`` and ``1.5`` all give ``1.5``; ``Decimal("2.00")``
    and ``2`` give ``2``: a Numeric column read back from the database must hash
    like the value the application wrote, whatever its scale.
    """
    if not value.is_finite():
        raise ValueError(f"non-finite number in audit event: {value}")
    if value.is_zero():
        return "0"
    sign, digit_tuple, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    digits = list(digit_tuple)
    while len(digits) > 1 and digits[-1] == 0:
        digits.pop()
        exponent += 1
    if abs(exponent) > _MAX_EXPONENT:
        raise ValueError("number magnitude out of range for an audit event")
    text = "".join(map(str, digits))
    if exponent >= 0:
        text += "0" * exponent
    elif len(text) > -exponent:
        text = f"{text[:exponent]}.{text[exponent:]}"
    else:
        text = "0." + "0" * (-exponent - len(text)) + text
    return ("-" if sign else "") + text


def _datetime_text(value: datetime) -> str:
    # Naive datetimes are taken as UTC: SQLite hands back naive values even for
    # timezone-aware columns, and the chain must verify after a round trip.
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def _encode(value: Any, out: list[str], depth: int) -> None:
    if depth > _MAX_DEPTH:
        raise ValueError("audit event nested too deeply")
    if isinstance(value, Enum):
        _encode(value.value, out, depth + 1)
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(json.dumps(str(value), ensure_ascii=False))
    elif isinstance(value, int):
        out.append(_decimal_text(Decimal(int(value))))
    elif isinstance(value, Decimal):
        out.append(_decimal_text(value))
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"non-finite number in audit event: {value}")
        out.append(_decimal_text(Decimal(repr(value))))
    elif isinstance(value, datetime):
        out.append(json.dumps(_datetime_text(value)))
    elif isinstance(value, date):
        out.append(json.dumps(value.isoformat()))
    elif isinstance(value, time):
        raise TypeError("audit events must use full datetimes, not bare times")
    elif isinstance(value, UUID):
        out.append(json.dumps(str(value)))
    elif isinstance(value, Mapping):
        out.append("{")
        items: list[tuple[str, Any]] = []
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"audit event keys must be str, got {type(key).__name__}")
            items.append((str(key), item))
        items.sort(key=lambda kv: kv[0])
        for i, (key, item) in enumerate(items):
            if i:
                out.append(",")
            out.append(json.dumps(key, ensure_ascii=False))
            out.append(":")
            _encode(item, out, depth + 1)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _encode(item, out, depth + 1)
        out.append("]")
    else:
        raise TypeError(f"cannot put {type(value).__name__} into an audit event")


def _reference_event_bytes(fields: Mapping[str, Any]) -> bytes:
    """The canonical form written out value by value: the definition the fast encoder below
    must match byte for byte (`tests/test_canonical_encoder.py`), and what it falls back to
    for anything unusual."""
    if not isinstance(fields, Mapping):
        raise TypeError("audit event fields must be a mapping")
    out: list[str] = []
    _encode(fields, out, 0)
    try:
        return "".join(out).encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("audit event contains an unpaired surrogate") from None


class _Unusual(Exception):
    """A value the fast encoder leaves to the reference one (which also raises its errors)."""


# Ints whose text the reference writes exactly like json (it refuses > 1000 trailing zeros).
_BIG: Final = 10**900
_PLAIN_FLOAT: Final = (1e-4, 1e16)  # where repr(float) has no exponent


def _plain(value: Any, depth: int) -> Any:
    """`value` as JSON-native data that `json.dumps` writes exactly as `_encode` would."""
    kind = type(value)
    if kind is str or value is None or kind is bool:
        return value
    if kind is int:
        if -_BIG < value < _BIG:
            return value
        raise _Unusual
    if kind is dict:
        if depth >= _MAX_DEPTH and value:
            raise _Unusual
        out: dict[str, Any] = {}
        for key, item in value.items():
            if type(key) is not str:
                raise _Unusual
            # Most leaves of a seal form are str/None/bool: kept without a call (#17).
            leaf = type(item)
            out[key] = item if leaf is str or item is None or leaf is bool \
                else _plain(item, depth + 1)
        return out
    if kind is list or kind is tuple:
        if depth >= _MAX_DEPTH and value:
            raise _Unusual
        return [item if type(item) is str else _plain(item, depth + 1) for item in value]
    if kind is datetime:
        return _datetime_text(value)
    if kind is date:
        return value.isoformat()
    if kind is float:
        # The reference writes the digits of repr(value): the same as json's where repr has no
        # exponent; an integral value there is its int (json would add ".0").
        if -_PLAIN_FLOAT[1] < value < _PLAIN_FLOAT[1]:
            if value.is_integer():
                return int(value)
            if abs(value) >= _PLAIN_FLOAT[0]:
                return value
        raise _Unusual
    if kind is Decimal:
        if value.is_finite() and value == value.to_integral_value() and -_BIG < value < _BIG:
            return int(value)
        raise _Unusual
    if kind is UUID:
        return str(value)
    if isinstance(value, str | int) and not isinstance(value, Enum):
        # A str or int subclass (a table's `quoted_name`): the reference writes its plain value.
        return _plain(str(value) if isinstance(value, str) else int(value), depth)
    raise _Unusual  # Enum, other mappings, bad types: the reference decides


def canonical_event_bytes(fields: Mapping[str, Any]) -> bytes:
    """Deterministic UTF-8 JSON of an event: sorted keys, no whitespace.

    Supported values: None, bool, int, Decimal, finite float, str, datetime
    (→ ``"YYYY-MM-DDTHH:MM:SS.ffffffZ"`` in UTC), date, UUID, Enum (its value),
    and nested mappings/lists/tuples. Numbers are written by value (``2`` ==
    ``2.00``). Anything else raises ``TypeError``/``ValueError`` rather than
    being stringified in some version-dependent way.
    """
    # One pass turns the values into JSON-native ones, then the C encoder writes them: the
    # same bytes as `_reference_event_bytes`, several times faster (seals are made per order).
    if type(fields) is not dict:
        return _reference_event_bytes(fields)
    try:
        plain = _plain(fields, 0)
    except _Unusual:
        return _reference_event_bytes(fields)
    try:
        return _DUMPS(plain).encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("audit event contains an unpaired surrogate") from None


_DUMPS: Final = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                                 allow_nan=False).encode


# --------------------------------------------------------------------------- chain


def chain_hash(prev_hash: str, fields: Mapping[str, Any], *, key: bytes | None = None) -> str:
    """Hex hash of an event linked to its predecessor (``GENESIS_HASH`` for the first).

    SHA-256 over ``domain || prev_hash || 0x00 || canonical(fields)``; with ``key``,
    HMAC-SHA256 over the same message.
    """
    if not isinstance(prev_hash, str) or not _HASH_RE.fullmatch(prev_hash):
        raise ValueError("prev_hash must be 64 lowercase hex digits")
    message = _DOMAIN + prev_hash.encode("ascii") + b"\x00" + canonical_event_bytes(fields)
    if key is not None:
        if len(key) < 16:
            raise ValueError("chain key too short")
        return hmac.new(bytes(key), message, hashlib.sha256).hexdigest()
    return hashlib.sha256(message).hexdigest()


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """Outcome of :func:`verify_chain`; truthy iff ``ok``.

    ``first_bad_seq`` is the seq of the first event that fails, or -- for a gap or a
    truncation -- the first *missing* seq. ``head_hash``/``last_seq`` describe the
    verified prefix and can be recorded as the next anchor.
    """

    ok: bool
    first_bad_seq: int | None
    reason: str
    checked: int = 0
    last_seq: int | None = None
    head_hash: str = GENESIS_HASH

    def __bool__(self) -> bool:
        return self.ok


def verify_chain(
    events: Iterable[tuple[int, Mapping[str, Any], str]],
    *,
    key: bytes | None = None,
    start_seq: int = 1,
    start_prev_hash: str = GENESIS_HASH,
    anchors: Mapping[int, str] | None = None,
) -> VerifyResult:
    """Check ``(seq, fields, stored_hash)`` triples, ordered by seq, streaming.

    Detects: an altered event (hash mismatch at that seq), a removed event (gap
    in seq -> the missing seq), an inserted/duplicated event (repeated or
    decreasing seq, or a hash mismatch), reordering, and -- given ``anchors``
    ``{seq: hash}`` -- a truncated or rewritten tail. ``start_seq`` and
    ``start_prev_hash`` allow verifying from a checkpoint instead of genesis.
    Never raises for bad data; it is reported in the result.
    """
    pending = {s: h for s, h in (anchors or {}).items() if s >= start_seq}
    expected = start_seq
    prev = start_prev_hash
    checked = 0
    last: int | None = None

    def bad(seq: int | None, zh: str, en: str) -> VerifyResult:
        return VerifyResult(False, seq, f"{zh} / {en}", checked, last, prev)

    for item in events:
        try:
            seq, fields, stored = item
        except (TypeError, ValueError):
            return bad(
                expected, f"第 {expected} 条记录格式错误", f"malformed entry at seq {expected}"
            )
        if type(seq) is not int:
            return bad(expected, f"第 {expected} 条序号无效", f"invalid seq value {seq!r}")
        if seq < expected:
            return bad(
                seq,
                f"序号 {seq} 重复或顺序错误（应为 {expected}）",
                f"duplicate or out-of-order seq {seq} (expected {expected})",
            )
        if seq > expected:
            return bad(
                expected,
                f"缺少序号 {expected}–{seq - 1} 的事件（已被删除）",
                f"missing event(s) seq {expected}..{seq - 1} (deleted)",
            )
        try:
            computed = chain_hash(prev, fields, key=key)
        except (TypeError, ValueError) as exc:
            return bad(
                seq, f"第 {seq} 条事件内容无法校验", f"seq {seq}: unverifiable fields ({exc})"
            )
        if not isinstance(stored, str) or not hmac.compare_digest(
            computed.encode(), stored.encode("utf-8", "replace")
        ):
            return bad(
                seq,
                f"第 {seq} 条事件哈希不符（被修改、插入或调换，或链密钥不对）",
                f"hash mismatch at seq {seq}: event altered, inserted or reordered (or wrong key)",
            )
        anchor = pending.pop(seq, None)
        if anchor is not None and not hmac.compare_digest(
            stored.encode(), str(anchor).lower().encode("utf-8", "replace")
        ):
            return bad(
                seq,
                f"第 {seq} 条事件与签核锚点不符（日志被重写）",
                f"seq {seq} does not match its recorded anchor (chain rewritten)",
            )
        prev, expected, last = stored, seq + 1, seq
        checked += 1

    if pending:
        missing_from = expected
        return bad(
            missing_from,
            f"日志在序号 {missing_from} 处被截断（锚点 {min(pending)} 不存在）",
            f"chain truncated at seq {missing_from} (anchored seq {min(pending)} missing)",
        )
    return VerifyResult(True, None, "链完整 / chain intact", checked, last, prev)
