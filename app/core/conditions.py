"""A tiny condition language for the catalog: `details.damaged_card`, `!line.vip`,
`details.fault_type == cable_cut`, `line.intl_roaming.prepayment > 0`.

Conditions are parsed when the catalog loads (so a typo stops start-up with the file and
entry named) and evaluated against a plain mapping of request facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

ROOTS = ("details", "line", "customer", "presenter", "hall", "request", "documents")
_EXPR = re.compile(r"^\s*(!)?\s*([a-z_][a-z0-9_.]*)\s*(?:(==|!=|>=|<=|>|<)\s*(.+?))?\s*$")


class ConditionError(ValueError):
    pass


def _literal(text: str) -> Any:
    t = text.strip()
    if t in ("true", "false"):
        return t == "true"
    if t == "null":
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", t):
        return date.fromisoformat(t)
    if re.fullmatch(r"-?\d+(\.\d+)?", t):
        return Decimal(t)
    return t


@dataclass(frozen=True)
class Condition:
    source: str
    negate: bool
    path: tuple[str, ...]
    op: str | None
    value: Any

    def evaluate(self, facts: dict[str, Any]) -> bool:
        current: Any = facts
        for part in self.path:
            current = current.get(part) if isinstance(current, dict) else None
        result = bool(current) if self.op is None else _compare(current, self.op, self.value)
        return not result if self.negate else result


def _compare(left: Any, op: str, right: Any) -> bool:
    if op == "==":
        return left == right
    if op == "!=":
        return left != right
    if left is None or right is None:
        return False
    try:
        if op == ">":
            return bool(left > right)
        if op == "<":
            return bool(left < right)
        if op == ">=":
            return bool(left >= right)
        return bool(left <= right)
    except TypeError:
        return False


def parse(source: str) -> Condition:
    m = _EXPR.match(source)
    if not m:
        raise ConditionError(f"cannot read condition {source!r}")
    negate, path, op, value = m.groups()
    parts = tuple(path.split("."))
    if parts[0] not in ROOTS:
        raise ConditionError(f"condition {source!r} must start with one of {', '.join(ROOTS)}")
    if negate and op:
        raise ConditionError(f"condition {source!r}: use != instead of ! with a comparison")
    return Condition(source, bool(negate), parts, op, _literal(value) if op else None)


def all_hold(conditions: tuple[Condition, ...], facts: dict[str, Any]) -> bool:
    return all(c.evaluate(facts) for c in conditions)
