"""How `counter hall show` prints the hall's settings: grouped lines (key, where the value
comes from, the value, what it is), the tariff with its dated changes and history, the
counters; or one JSON document (`--json`)."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

from app.core.money import format_yuan

if TYPE_CHECKING:  # the command line imports every command module at start: keep this light
    from app.services.hall.settings import HallSettings, TariffItem

SOURCES = {"default": "默认/default", "hall": "本厅/hall"}  # hall.toml, or the hall's own


def shown_after(view: HallSettings, key: str, typed: str) -> str:
    head, _, rest = key.partition(".")
    if head == "tariff":
        t = next((t for t in view.tariffs if t.item == rest), None)
        if t is not None:
            return _tariff_text(t)
    try:
        return _value_text(view.value(key))
    except StopIteration:
        return typed


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(value) if value else "-"
    return str(value)


def _tariff_text(t: TariffItem) -> str:
    text = f"{format_yuan(t.amount_fen)}"
    for day, fen in t.scheduled:
        text += f"; 自 {day.isoformat()} 起 / from {day.isoformat()}: {format_yuan(fen)}"
    return text


def _pad(text: str, width: int) -> str:
    """`text` padded to `width` terminal columns (a Chinese character takes two)."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - used)


def as_text(view: HallSettings) -> str:
    lines = [f"营业厅设置 / hall settings: {view.hall_code} {view.hall_name} "
             f"(营业日 / business date {view.today.isoformat()}); 默认 = resources/config/"
             "hall.toml, 本厅 = the hall's own"]
    from app.services.hall.settings_keys import GROUPS

    for group, (zh, en) in GROUPS.items():
        lines.append(f"\n[{zh} / {en}]")
        for s in (s for s in view.settings if s.spec.group == group):
            value = _value_text(s.value)
            if s.spec.kind == "fen" and isinstance(s.value, int):
                value += f" ({format_yuan(s.value)} 元)"
            fixed = "" if s.spec.editable else "，不可修改 / read-only"
            lines.append(f"  {s.key:<36} {_pad(SOURCES[s.source], 15)}{value}  "
                         f"# {s.spec.zh}{fixed}")
    lines.append("\n[资费（元） / tariff (yuan)]")
    for t in view.tariffs:
        source = SOURCES["hall" if t.source == "dated" else t.source]
        since = f"  # 自 {t.since.isoformat()} 起 / since {t.since.isoformat()}" if t.since else ""
        lines.append(f"  tariff.{t.item:<29} {_pad(source, 15)}{_tariff_text(t)}{since}")
    if view.history:
        lines.append("\n[资费变更记录 / tariff history]")
        for h in view.history:
            lines.append(f"  {h.valid_from.isoformat()}  tariff.{h.item:<29} "
                         f"{format_yuan(h.amount_fen):>10}  {h.set_by}  {h.reason}")
    lines.append("\n[柜台 / counters]")
    for c in view.counters:
        batch = "  # 批量受理通道 / batch channel" if c.batch else ""
        lines.append(f"  counter.{c.code:<28} {c.name}{batch}")
    return "\n".join(lines)


def as_json(view: HallSettings) -> dict[str, Any]:
    return {
        "hall": view.hall_code, "name": view.hall_name, "business_date": view.today.isoformat(),
        "settings": [{"key": s.key, "group": s.spec.group, "value": s.value,
                      "source": s.source, "editable": s.spec.editable} for s in view.settings],
        "tariff": [{"item": t.item, "amount_fen": t.amount_fen, "source": t.source,
                    "since": t.since.isoformat() if t.since else None,
                    "scheduled": [{"from": d.isoformat(), "amount_fen": fen}
                                  for d, fen in t.scheduled]} for t in view.tariffs],
        "tariff_history": [{"item": h.item, "amount_fen": h.amount_fen,
                            "from": h.valid_from.isoformat(), "set_by": h.set_by,
                            "reason": h.reason} for h in view.history],
        "counters": [{"code": c.code, "name": c.name, "batch": c.batch}
                     for c in view.counters],
    }
