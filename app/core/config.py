"""The hall's configuration: who it is, its tariff table and the choices domain.md leaves open.

Defaults live in `resources/config/hall.toml` (example tariff values are marked there as
examples); a hall's own values are stored with the hall in the database and override them.
Tariff amounts change from a date (`TariffChange`): the configuration carries the whole
schedule and `as_of(day)` gives the table that applies on a business date, so the engine stays
a pure function of what the caller passes.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.core import domain
from app.core.money import MoneyError, yuan_to_fen


class ConfigError(ValueError):
    def __init__(self, source: str, key: str, problem: str) -> None:
        super().__init__(f"{source}: {key}: {problem}")
        self.source, self.key, self.problem = source, key, problem


@dataclass(frozen=True, order=True)
class TariffChange:
    """A tariff amount that applies from `valid_from` (a business date) on; `seq` orders two
    changes of one item from the same date (the later one wins)."""

    valid_from: date
    seq: int
    item: str
    amount_fen: int


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
    authorization_minutes: int = 10  # a supervisor's authorization at a clerk's counter
    # Dated changes over `tariff_fen` (the table before any of them); `as_of` applies them.
    tariff_changes: tuple[TariffChange, ...] = ()

    def as_of(self, day: date) -> HallConfig:
        """This configuration with the tariff table that applies on `day` (the changes from
        dates after it are left out; an order of an earlier day keeps the old amount)."""
        if not self.tariff_changes:
            return self
        table = dict(self.tariff_fen)
        for change in sorted(self.tariff_changes):
            if change.valid_from <= day:
                table[change.item] = change.amount_fen
        return replace(self, tariff_fen=table, tariff_changes=())

    def tariff(self, key: str) -> int:
        if key not in self.tariff_fen:
            raise ConfigError("tariff", key, "not in the hall's tariff table")
        return self.tariff_fen[key]

    def with_overrides(self, overrides: dict[str, Any], source: str = "hall") -> HallConfig:
        return replace(self, **_coerce(overrides, source))


# key: (lowest, highest). Bounds keep a typo from switching a protection off or a fee away.
_WHOLE_NUMBERS: dict[str, tuple[int, int]] = {
    "star": (1, 5), "non_local_advance_fen": (0, 10**10), "complaint_answer_hours": (1, 24 * 365),
    "refund_tolerance_fen": (0, 10**8), "max_failed_logins": (1, 100),
    "lockout_minutes": (1, 24 * 60), "idle_lock_minutes": (1, 8 * 60),
    "authorization_minutes": (1, 8 * 60)}
_TEXTS: dict[str, int] = {"code": 16, "name": 100, "timezone": 64}  # key: longest


def whole_number_bounds(key: str) -> tuple[int, int] | None:
    """(lowest, highest) of a whole-number setting, for messages and spin boxes."""
    return _WHOLE_NUMBERS.get(key)


def text_length(key: str) -> int | None:
    return _TEXTS.get(key)

_TEXT_LISTS = ("suspend_barred_statuses", "roaming_no_service")
_TARIFF_ITEM = re.compile(r"[a-z][a-z0-9_]{0,39}")


def _tariff(value: Any, source: str) -> dict[str, int]:
    if not isinstance(value, dict):
        raise ConfigError(source, "tariff", "expected a table of amounts in yuan")
    tariff = {}
    for item, amount in value.items():
        if not isinstance(item, str) or not _TARIFF_ITEM.fullmatch(item):
            raise ConfigError(source, f"tariff.{str(item)[:40]}", "not a tariff item name")
        if item.endswith("_note"):
            continue
        try:
            if isinstance(amount, bool) or not isinstance(amount, int | float | str | Decimal):
                raise MoneyError("not an amount")
            tariff[item] = yuan_to_fen(str(amount))
        except MoneyError:
            raise ConfigError(source, f"tariff.{item}", "not an amount in yuan") from None
        if tariff[item] < 0:
            raise ConfigError(source, f"tariff.{item}", "must not be negative")
    return tariff


def check_setting(key: str, value: Any, source: str = "hall") -> Any:
    """One setting (not the tariff), type-checked: the value to use, or `ConfigError`."""
    if key not in {f.name for f in fields(HallConfig)} - {"tariff_fen", "tariff_changes"}:
        raise ConfigError(source, str(key)[:40], "unknown setting")
    return _check(key, value, source)


def tariff_amount_fen(item: str, value: Any, source: str = "hall") -> int:
    """One tariff amount in yuan, as fen, or `ConfigError` naming `tariff.<item>`."""
    return _tariff({item: value}, source)[item]


def _check(key: str, value: Any, source: str) -> Any:
    """One setting, type-checked: the value to use, or `ConfigError` naming the key."""
    if key == "carrier" and value not in domain.CARRIERS:
        raise ConfigError(source, key, f"must be one of {', '.join(domain.CARRIERS)}")
    if key in _TEXT_LISTS:
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ConfigError(source, key, "must be a list of texts")
        if key == "suspend_barred_statuses":
            bad = [v for v in value if v not in domain.LINE_STATUSES]
            if bad:
                raise ConfigError(source, key, f"unknown status {', '.join(bad)}")
        return tuple(value)
    if key == "resume_billing" and value not in ("whole_month", "by_day"):
        raise ConfigError(source, key, "must be whole_month or by_day")
    if key == "late_fee_rate_per_day":
        try:
            if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
                raise InvalidOperation
            rate = Decimal(str(value))
            if not rate.is_finite() or not 0 <= rate <= 1:
                raise InvalidOperation
        except InvalidOperation:
            raise ConfigError(source, key, "must be a rate from 0 to 1, e.g. 0.003") from None
        return rate
    if key in _WHOLE_NUMBERS:
        low, high = _WHOLE_NUMBERS[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ConfigError(source, key, f"must be a whole number from {low} to {high}")
    if key == "difference_tolerance_fen" and value is not None:
        ok = (isinstance(value, int) and not isinstance(value, bool) and value >= 0) or (
            isinstance(value, dict) and all(
                isinstance(v, int) and not isinstance(v, bool) and v >= 0
                for v in value.values()))
        if not ok:
            raise ConfigError(source, key, "must be fen, or a table of fen per item")
    if key == "own_hall" and not isinstance(value, bool):
        raise ConfigError(source, key, "must be true or false")
    if key in _TEXTS:
        if not isinstance(value, str) or not value.strip() or len(value) > _TEXTS[key]:
            raise ConfigError(source, key, f"must be a text of 1 to {_TEXTS[key]} characters")
        if key == "timezone":
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ConfigError(source, key, f"unknown time zone {value!r}") from None
    return value


def _coerce(raw: dict[str, Any], source: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ConfigError(source, "file", "expected a table of settings")
    known = {f.name for f in fields(HallConfig)} - {"tariff_fen", "tariff_changes"}
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "tariff":
            out["tariff_fen"] = _tariff(value, source)
        elif not isinstance(key, str) or key not in known:
            raise ConfigError(source, str(key)[:40], "unknown setting")
        else:
            out[key] = _check(key, value, source)
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
    except UnicodeDecodeError:
        raise ConfigError(path.name, "file", "not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(str(path), "file", f"cannot be read: {exc.strerror}") from None
    return HallConfig().with_overrides(raw, path.name)
