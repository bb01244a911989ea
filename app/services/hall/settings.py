"""The hall's settings: shown with where each value comes from (the default file
`resources/config/hall.toml`, or the hall's own in the database), and changed, checked and
audited, with the permission checked here in the core.

Who: reading needs a supervisor's rank (`exception.authorize`) or a setting right; changing a
setting or a counter needs `hall.settings`, changing the tariff `tariff.admin` (both: hall
managers and system administrators by default, `app.security.roles`).

Effective without a restart: the services read the hall's configuration per operation; the
one cache (`OrderService`) compares the hall's `settings_rev`, which every change raises, and
reloads when it moved (`current_config`, `settings_revision`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import business_date
from app.core.config import ConfigError, HallConfig
from app.db import Database
from app.models import Counter, Hall
from app.security import Permission
from app.services.audit import events as audit
from app.services.hall import tariffs
from app.services.hall.registry import Actor, ensure_hall, hall_config
from app.services.hall.settings_keys import (
    SPECS,
    TOLERANCE,
    TOLERANCE_PARTS,
    SettingsError,
    SettingSpec,
    counter_code,
    counter_name,
    parse_value,
    rate_text,
    spec_of,
)
from app.services.hall.tariffs import TariffEntry
from app.services.staff.auth import allowed, deny, require

VIEW_RIGHTS = (Permission.HALL_SETTINGS, Permission.TARIFF_ADMIN,
               Permission.EXCEPTION_AUTHORIZE)


def current_config(session: Session, hall: Hall) -> HallConfig:
    """The hall's configuration with its dated tariff changes (`HallConfig.as_of` applies
    them for a business date)."""
    return replace(hall_config(hall), tariff_changes=tariffs.tariff_changes(session, hall.id))


# The revision a cached configuration is compared with (built once: every recording reads
# it, inside its own write transaction, as a subquery of `OrderService`'s first read).
REVISION = select(Hall.settings_rev).order_by(Hall.id).limit(1)


def settings_revision(session: Session) -> int | None:
    """The hall's settings revision (one small read), or None when there is no hall yet."""
    return session.connection().execute(REVISION).scalar()


@dataclass(frozen=True)
class SettingValue:
    spec: SettingSpec
    value: Any
    source: str  # "default" (hall.toml) | "hall" (the hall's own)

    @property
    def key(self) -> str:
        return self.spec.key


@dataclass(frozen=True)
class TariffItem:
    item: str
    amount_fen: int  # what applies today
    source: str  # "default" | "hall" (the hall's table) | "dated" (a change from `since`)
    since: date | None
    scheduled: tuple[tuple[date, int], ...]  # later changes: (from, fen)


@dataclass(frozen=True)
class CounterInfo:
    code: str
    name: str
    batch: bool


@dataclass(frozen=True)
class HallSettings:
    hall_code: str
    hall_name: str
    today: date
    settings: tuple[SettingValue, ...]
    tariffs: tuple[TariffItem, ...]
    history: tuple[TariffEntry, ...]
    counters: tuple[CounterInfo, ...]
    can_change: bool  # settings and counters
    can_change_tariff: bool

    def value(self, key: str) -> Any:
        return next(s.value for s in self.settings if s.key == key)

    def source(self, key: str) -> str:
        return next(s.source for s in self.settings if s.key == key)


@dataclass(frozen=True)
class HallChanges:
    """One save: settings by key, counters (code -> name; a new code adds the counter) and
    tariff amounts in yuan from `tariff_from` (default: today)."""

    settings: Mapping[str, object] = field(default_factory=dict)
    counters: Mapping[str, object] = field(default_factory=dict)
    tariffs: Mapping[str, object] = field(default_factory=dict)
    tariff_from: date | None = None
    reason: str = ""


# --------------------------------------------------------------------------- reading


def show_settings(db: Database, actor: Actor) -> HallSettings:
    if not any(allowed(db, actor, right) for right in VIEW_RIGHTS):
        deny(db, actor, Permission.HALL_SETTINGS)
    can_change = allowed(db, actor, Permission.HALL_SETTINGS)
    can_tariff = allowed(db, actor, Permission.TARIFF_ADMIN)
    with db.read() as s:
        hall = ensure_hall(s)
        return _view(s, hall, business_date(db.clock, hall_config(hall).timezone),
                     can_change, can_tariff)


def _view(s: Session, hall: Hall, today: date, can_change: bool,
          can_tariff: bool) -> HallSettings:
    cfg = current_config(s, hall)
    own = dict(hall.config or {})
    values = [SettingValue(spec, _effective(spec, cfg, own), _source(spec, own))
              for spec in SPECS.values()]
    raw_tolerance = own.get(TOLERANCE)
    if isinstance(raw_tolerance, dict):
        values += [SettingValue(spec_of(f"{TOLERANCE}.{item}"), fen, "hall")
                   for item, fen in sorted(raw_tolerance.items())
                   if item not in TOLERANCE_PARTS]
    counters = s.execute(select(Counter).where(Counter.hall_id == hall.id)
                         .order_by(Counter.batch, Counter.code)).scalars()
    return HallSettings(
        hall.code, hall.name, today, tuple(values), _tariff_items(cfg, own, today),
        tuple(tariffs.tariff_history(s, hall.id)),
        tuple(CounterInfo(c.code, c.name, c.batch) for c in counters), can_change, can_tariff)


def _effective(spec: SettingSpec, cfg: HallConfig, own: dict[str, Any]) -> Any:
    head, _, part = spec.key.partition(".")
    if head == TOLERANCE:
        from app.services.day.counts import tolerances  # (day imports the order service)

        t = tolerances(own.get(TOLERANCE))  # as the shift close reads it
        return {"cash": t.cash_fen, "stock": t.stock, "money": t.other_money_fen}.get(
            part, t.items.get(part, 0))
    value = getattr(cfg, spec.key)
    if isinstance(value, Decimal):
        return rate_text(value)
    return list(value) if isinstance(value, tuple) else value


def _source(spec: SettingSpec, own: dict[str, Any]) -> str:
    if spec.column:
        return "hall"  # a column of the hall's row, set at its first start
    head, _, part = spec.key.partition(".")
    if head == TOLERANCE:
        raw = own.get(TOLERANCE)
        mine = (isinstance(raw, dict) and part in raw) or (isinstance(raw, int)
                                                          and part == "cash")
        return "hall" if mine else "default"
    return "hall" if spec.key in own else "default"


def _tariff_items(cfg: HallConfig, own: dict[str, Any], today: date) -> tuple[TariffItem, ...]:
    now = cfg.as_of(today).tariff_fen
    raw = own.get("tariff")
    hall_table: dict[str, Any] = raw if isinstance(raw, dict) else {}
    out = []
    for item in cfg.tariff_fen:
        dated = sorted(c for c in cfg.tariff_changes if c.item == item)
        past = [c for c in dated if c.valid_from <= today]
        source = "dated" if past else ("hall" if item in hall_table else "default")
        out.append(TariffItem(item, now[item], source, past[-1].valid_from if past else None,
                              tuple((c.valid_from, c.amount_fen) for c in dated
                                    if c.valid_from > today)))
    return tuple(out)


# --------------------------------------------------------------------------- changing


def save(db: Database, actor: Actor, changes: HallChanges) -> HallSettings:
    """Apply one save, all or nothing: every value is checked before anything is written, a
    refused one names its key. Each change is an audit event; unchanged values are skipped."""
    if not (changes.settings or changes.counters or changes.tariffs):
        raise SettingsError("hall", "没有要保存的修改", "nothing to change")
    if changes.settings or changes.counters:
        require(db, actor, Permission.HALL_SETTINGS)
    if changes.tariffs:
        require(db, actor, Permission.TARIFF_ADMIN)
    reason = " ".join(str(changes.reason or "").split())[:200]
    rights = (allowed(db, actor, Permission.HALL_SETTINGS),
              allowed(db, actor, Permission.TARIFF_ADMIN))
    with db.session() as s:
        # Locked until the commit: two saves at once (PostgreSQL) must not each write the JSON
        # column from the same old copy, losing the other's keys.
        hall = s.execute(select(Hall).where(Hall.id == ensure_hall(s).id).with_for_update()
                         .execution_options(populate_existing=True)).scalar_one()
        before = current_config(s, hall)
        today = business_date(db.clock, before.timezone)
        changed = _apply_settings(s, hall, actor, changes.settings, reason)
        changed += _apply_counters(s, hall, actor, changes.counters)
        if changes.tariffs:
            valid_from = tariffs.check_from(changes.tariff_from or today, today)
            diff = tariffs.schedule(s, hall, actor, before, changes.tariffs, valid_from, reason)
            if diff:
                _record(s, actor, "tariff.update", hall.code,
                        {"changes": diff, "valid_from": valid_from.isoformat(),
                         "reason": reason})
                changed += 1
        if changed:
            hall.settings_rev = (hall.settings_rev or 0) + 1
        return _view(s, hall, business_date(db.clock, hall_config(hall).timezone), *rights)


def _apply_settings(s: Session, hall: Hall, actor: Actor, raw: Mapping[str, object],
                    reason: str) -> int:
    if not raw:
        return 0
    values = {spec_of(key).key: parse_value(spec_of(key), value) for key, value in raw.items()}
    own = dict(hall.config or {})
    old = {key: _effective(spec_of(key), hall_config(hall), own) for key in values}
    for key, value in values.items():
        spec = spec_of(key)
        head, _, part = key.partition(".")
        if spec.column:
            setattr(hall, key, value)
            own.pop(key, None)  # else the hall's config would still override the column
        elif head == TOLERANCE:
            table = own.get(TOLERANCE)
            table = {"cash": table} if isinstance(table, int) else dict(table or {})
            own[TOLERANCE] = {**table, part: value}
        else:
            own[key] = value
    hall.config = own  # a new dict: the JSON column is written
    try:
        after = hall_config(hall)  # the whole configuration must still load
    except ConfigError as exc:
        raise SettingsError(exc.key, f"设置无效：{exc.problem}", exc.problem) from None
    count = 0
    for key in values:
        new = _effective(spec_of(key), after, own)
        if new != old[key]:
            data = {"from": old[key], "to": new, **({"reason": reason} if reason else {})}
            _record(s, actor, "hall.setting", key, data)
            count += 1
    return count


def _apply_counters(s: Session, hall: Hall, actor: Actor, raw: Mapping[str, object]) -> int:
    wanted = {}
    for code, name in raw.items():
        c = counter_code(code)
        wanted[c] = counter_name(c, name)
    count = 0
    for code, name in wanted.items():
        row = s.execute(select(Counter).where(Counter.hall_id == hall.id,
                                              Counter.code == code)).scalar_one_or_none()
        if row is not None and row.batch:
            raise SettingsError(f"counter.{code}", "这是批量受理通道，不是柜台",
                                "this is the batch channel, not a counter")
        if row is None:
            s.add(Counter(hall_id=hall.id, code=code, name=name, batch=False))
            _record(s, actor, "hall.counter", code, {"name": name, "from": None})
        elif row.name != name:
            _record(s, actor, "hall.counter", code, {"name": name, "from": row.name})
            row.name = name
        else:
            continue
        count += 1
    s.flush()
    return count


def _record(s: Session, actor: Actor, action: str, target: str, data: dict[str, Any]) -> None:
    audit.record(s, action, actor=actor.staff_no, actor_staff_id=actor.staff_id,
                 counter=actor.counter_code, target=target, authorized_by=actor.authorized_by,
                 data=data)


def set_from_text(db: Database, actor: Actor, key: str, value: str, *,
                  valid_from: date | None = None, reason: str = "") -> HallSettings:
    """`counter hall set KEY VALUE [--from DATE]`: `tariff.<item>` (yuan, from a date),
    `counter.<CODE>` (a counter's name; a new code adds it), or any other setting."""
    head, dot, rest = key.partition(".")
    if head == "tariff" and dot:
        return save(db, actor, HallChanges(tariffs={rest: value}, tariff_from=valid_from,
                                           reason=reason))
    if valid_from is not None:
        raise SettingsError("from", "只有资费可以指定生效日期", "only a tariff takes --from")
    if head == "counter" and dot:
        return save(db, actor, HallChanges(counters={rest: value}, reason=reason))
    return save(db, actor, HallChanges(settings={key: value}, reason=reason))


def update_tariff(db: Database, actor: Actor, changes: Mapping[str, object], *,
                  reason: str = "", valid_from: date | None = None) -> HallConfig:
    """Change tariff amounts (yuan) from `valid_from` (default: today), all or nothing; the
    configuration that applies today."""
    if not changes:
        raise SettingsError("tariff", "没有要修改的资费", "no tariff change given")
    save(db, actor, HallChanges(tariffs=changes, tariff_from=valid_from, reason=reason))
    with db.read() as s:
        cfg = current_config(s, ensure_hall(s))
    return cfg.as_of(business_date(db.clock, cfg.timezone))
