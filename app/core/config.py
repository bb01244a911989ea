"""The hall's configuration: who it is, its tariff table and the choices domain.md leaves open.

Defaults live in `resources/config/hall.toml` (example tariff values are marked there as
examples); a hall's own values are stored with the hall in the database and override them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.core import domain
from app.core.money import MoneyError, yuan_to_fen


class ConfigError(ValueError):
    def __init__(self, source: str, key: str, problem: str) -> None:
        super().__init__(f"{source}: {key}: {problem}")
        self.source, self.key, self.problem = source, key, problem


@dataclass(frozen=True)
class HallConfig:
    code: str = "DEMO01"
    name: str = "示例营业厅"
    carrier: str = "unicom"
    star: int = 3
    own_hall: bool = True  # an operator-owned hall (自有营业厅): some services only here
    timezone: str = "Asia/Shanghai"
    tariff_fen: dict[str, int] = field(default_factory=dict)
    suspend_barred_statuses: tuple[str, ...] = (
        "arrears_stop", "single_stop", "double_stop", "loss_reported", "cancelled",
        "suspended_keep_number")
    resume_billing: str = "whole_month"  # or "by_day" (domain.md 4.6)
    late_fee_rate_per_day: Decimal = Decimal("0.003")
    non_local_advance_fen: int = 60000
    complaint_answer_hours: int = 48
    roaming_no_service: tuple[str, ...] = ()
    refund_tolerance_fen: int = 0
    # Shift close: differences within tolerance need an explanation only; beyond it, a
    # supervisor's approval. An int is the cash tolerance; a table may name "cash", "stock",
    # "money" or an item code. None: 0 for stock, 10 yuan for cash.
    difference_tolerance_fen: int | dict[str, int] | None = None
    max_failed_logins: int = 5
    lockout_minutes: int = 15
    idle_lock_minutes: int = 5

    def tariff(self, key: str) -> int:
        if key not in self.tariff_fen:
            raise ConfigError("tariff", key, "not in the hall's tariff table")
        return self.tariff_fen[key]

    def with_overrides(self, overrides: dict[str, Any], source: str = "hall") -> HallConfig:
        return replace(self, **_coerce(overrides, source))


_WHOLE_NUMBERS = ("non_local_advance_fen", "max_failed_logins", "lockout_minutes",
                  "idle_lock_minutes", "refund_tolerance_fen", "complaint_answer_hours", "star")


def _coerce(raw: dict[str, Any], source: str) -> dict[str, Any]:
    known = {f.name for f in fields(HallConfig)}
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "tariff":
            tariff = {}
            for item, amount in value.items():
                if item.endswith("_note"):
                    continue
                try:
                    tariff[item] = yuan_to_fen(str(amount))
                except MoneyError:
                    raise ConfigError(source, f"tariff.{item}", "not an amount in yuan") from None
                if tariff[item] < 0:
                    raise ConfigError(source, f"tariff.{item}", "must not be negative")
            out["tariff_fen"] = tariff
            continue
        if key not in known:
            raise ConfigError(source, key, "unknown setting")
        if key == "carrier" and value not in domain.CARRIERS:
            raise ConfigError(source, key, f"must be one of {', '.join(domain.CARRIERS)}")
        if key == "suspend_barred_statuses":
            bad = [v for v in value if v not in domain.LINE_STATUSES]
            if bad:
                raise ConfigError(source, key, f"unknown status {', '.join(bad)}")
            value = tuple(value)
        if key == "resume_billing" and value not in ("whole_month", "by_day"):
            raise ConfigError(source, key, "must be whole_month or by_day")
        if key == "late_fee_rate_per_day":
            value = Decimal(str(value))
        if key in _WHOLE_NUMBERS and (isinstance(value, bool) or not isinstance(value, int)
                                      or value < 0):
            raise ConfigError(source, key, "must be a whole number, not negative")
        if key == "difference_tolerance_fen" and value is not None:
            ok = isinstance(value, int) or (isinstance(value, dict) and all(
                isinstance(v, int) and not isinstance(v, bool) and v >= 0
                for v in value.values()))
            if not ok:
                raise ConfigError(source, key, "must be fen, or a table of fen per item")
        if key == "roaming_no_service":
            value = tuple(value)
        out[key] = value
    return out


def load_hall_config(path: Path | None = None) -> HallConfig:
    if path is None:
        from app.resources import resource_path

        path = resource_path("config", "hall.toml")
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path.name, "file", f"not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(str(path), "file", f"cannot be read: {exc.strerror}") from None
    return HallConfig().with_overrides(raw, path.name)
