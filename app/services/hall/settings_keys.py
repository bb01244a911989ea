"""The hall's settings by key: what each one is, how its value is read from text (`counter hall
set KEY VALUE`) and checked, with a message naming the key in Chinese and English.

The checks are those of `app.core.config` (the same ones the default file goes through), so
a value accepted here is a value the engine and the services accept when they read it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Final
from zoneinfo import available_timezones

from app.core import domain
from app.core.config import ConfigError, check_setting, text_length, whole_number_bounds
from app.security import SecurityError

TOLERANCE: Final = "difference_tolerance_fen"
TOLERANCE_PARTS: Final = ("cash", "stock", "money")
MAX_TOLERANCE: Final = 10**8
_ITEM_CODE = re.compile(r"[a-z][a-z0-9_]{0,30}(:[a-z0-9_]{1,30})?")
COUNTER_CODE = re.compile(r"[A-Z0-9]{1,8}")


class SettingsError(SecurityError):
    """A setting refused: the message names the key and what is wrong (exit status 2)."""

    code = 2

    def __init__(self, key: str, zh: str, en: str) -> None:
        super().__init__(f"{key}：{zh}", f"{key}: {en}")
        self.key, self.zh, self.en = key, self.message_zh, self.message_en
        self.problem_zh, self.problem_en = zh, en  # without the key, for a form's field


@dataclass(frozen=True)
class SettingSpec:
    key: str
    group: str  # hall | rules | tolerances | security
    kind: str  # text | choice | int | fen | bool | rate | list | zone
    zh: str
    en: str
    column: bool = False  # a column of the hall row (else the hall's `config`)
    choices: tuple[str, ...] = ()
    editable: bool = True


SPECS: Final = {s.key: s for s in (
    SettingSpec("code", "hall", "text", "营业厅编码", "hall code", column=True, editable=False),
    SettingSpec("name", "hall", "text", "营业厅名称", "hall name", column=True),
    SettingSpec("carrier", "hall", "choice", "运营商", "carrier", column=True,
                choices=domain.CARRIERS),
    SettingSpec("star", "hall", "int", "星级", "star rating", column=True),
    SettingSpec("own_hall", "hall", "bool", "自有营业厅", "operator-owned hall"),
    SettingSpec("timezone", "hall", "zone", "营业时区", "business time zone"),
    SettingSpec("complaint_answer_hours", "rules", "int", "投诉答复时限（小时）",
                "complaint answer within (hours)"),
    SettingSpec("non_local_advance_fen", "rules", "fen", "外地证件预存款",
                "advance for a non-local ID"),
    SettingSpec("late_fee_rate_per_day", "rules", "rate", "滞纳金日费率",
                "late fee rate per day"),
    SettingSpec("resume_billing", "rules", "choice", "复机当月计费", "billing in the month of "
                "resumption", choices=("whole_month", "by_day")),
    SettingSpec("suspend_barred_statuses", "rules", "list", "不能办理停机保号的状态",
                "statuses that bar suspension", choices=domain.LINE_STATUSES),
    SettingSpec("roaming_no_service", "rules", "list", "未开通国际漫游的目的地",
                "destinations without roaming service"),
    SettingSpec(f"{TOLERANCE}.cash", "tolerances", "fen", "现金长短款容差",
                "cash difference tolerance"),
    SettingSpec(f"{TOLERANCE}.stock", "tolerances", "int", "库存差异容差（件）",
                "stock difference tolerance (pieces)"),
    SettingSpec(f"{TOLERANCE}.money", "tolerances", "fen", "非现金收款容差",
                "other payments tolerance"),
    SettingSpec("refund_tolerance_fen", "tolerances", "fen", "退款容差", "refund tolerance"),
    SettingSpec("max_failed_logins", "security", "int", "登录失败锁定次数",
                "failed log-ins before lockout"),
    SettingSpec("lockout_minutes", "security", "int", "账号锁定分钟数", "lockout (minutes)"),
    SettingSpec("idle_lock_minutes", "security", "int", "无操作锁屏分钟数",
                "idle lock (minutes)"),
    SettingSpec("authorization_minutes", "security", "int", "值班长授权有效分钟数",
                "supervisor's authorization holds (minutes)"),
)}

GROUPS: Final = {"hall": ("营业厅", "Hall"), "rules": ("业务规则", "Rules"),
                 "tolerances": ("容差", "Tolerances"), "security": ("安全", "Security")}


def spec_of(key: str) -> SettingSpec:
    """The spec of a key; a per-item tolerance (`difference_tolerance_fen.sim_card`) too."""
    spec = SPECS.get(key)
    if spec is not None:
        return spec
    head, _, item = key.partition(".")
    if head == TOLERANCE and _ITEM_CODE.fullmatch(item):
        kind = "fen" if item.startswith(("cash:", "money:")) else "int"
        return SettingSpec(key, "tolerances", kind, f"{item} 差异容差", f"{item} tolerance")
    raise SettingsError(str(key)[:60], "没有这个设置项（counter hall show 列出全部设置项）",
                        "no such setting (counter hall show lists them)")


_TRUE, _FALSE = ("true", "yes", "1", "是", "y"), ("false", "no", "0", "否", "n")


def parse_value(spec: SettingSpec, raw: object) -> Any:
    """The value of `raw` for `spec`: text as typed on a command line, or a typed value from a
    form; refused with `SettingsError` naming the key."""
    key = spec.key
    if isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip()
        if spec.kind in ("int", "fen"):
            if not re.fullmatch(r"-?\d{1,12}", text):
                raise SettingsError(key, f"{spec.zh}应为整数，不是“{text[:20]}”",
                                    f"expected a whole number, not {text[:20]!r}")
            raw = int(text)
        elif spec.kind == "bool":
            if text.lower() not in (*_TRUE, *_FALSE):
                raise SettingsError(key, f"{spec.zh}应为 true 或 false",
                                    "expected true or false")
            raw = text.lower() in _TRUE
        elif spec.kind == "list":
            raw = [part.strip() for part in re.split(r"[,，、]", text) if part.strip()]
        else:
            raw = text
    return check_value(spec, raw)


def check_value(spec: SettingSpec, value: Any) -> Any:
    """The value to store for `spec` (JSON: a rate as text), or `SettingsError`."""
    key = spec.key
    if not spec.editable:
        raise SettingsError(key, "营业厅编码用于订单编号、审计和同步，不能修改",
                            "the hall code is part of order numbers, the audit and sync: it "
                            "cannot change")
    if key.startswith(f"{TOLERANCE}."):
        if isinstance(value, bool) or not isinstance(value, int) \
                or not 0 <= value <= MAX_TOLERANCE:
            raise SettingsError(key, f"{spec.zh}应为 0 至 {MAX_TOLERANCE} 之间的整数",
                                f"must be a whole number from 0 to {MAX_TOLERANCE}")
        return value
    zones = _zones()  # empty where the system has no zone list: ZoneInfo() still checks
    if spec.kind == "zone" and isinstance(value, str) and zones and value not in zones:
        raise SettingsError(key, f"不是有效的时区名称（IANA，如 Asia/Shanghai）：{value[:40]}",
                            f"not an IANA time zone (e.g. Asia/Shanghai): {value[:40]!r}")
    if spec.kind == "list" and isinstance(value, list | tuple):
        value = list(dict.fromkeys(value))  # a status named twice is named once
    try:
        checked = check_setting(key, value)
    except ConfigError as exc:
        raise SettingsError(key, _problem_zh(spec), exc.problem) from None
    if isinstance(checked, Decimal):
        return rate_text(checked)
    if isinstance(checked, tuple):
        return list(checked)
    if isinstance(checked, str):
        return checked.strip()
    return checked


def _problem_zh(spec: SettingSpec) -> str:
    bounds = whole_number_bounds(spec.key)
    if bounds:
        return f"{spec.zh}应为 {bounds[0]} 至 {bounds[1]} 之间的整数"
    if spec.kind == "choice":
        return f"{spec.zh}应为以下之一：{'、'.join(spec.choices)}"
    if spec.kind == "list" and spec.choices:
        return f"{spec.zh}只能包含：{'、'.join(spec.choices)}"
    if spec.kind == "list":
        return f"{spec.zh}应为以逗号分隔的名称"
    if spec.kind == "bool":
        return f"{spec.zh}应为 true 或 false"
    if spec.kind == "rate":
        return f"{spec.zh}应为 0 至 1 之间的费率，例如 0.003"
    if spec.kind == "zone":
        return "不是有效的时区名称（IANA，如 Asia/Shanghai）"
    return f"{spec.zh}应为 1 至 {text_length(spec.key) or 100} 个字符的文字"


def _zones() -> set[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = set(available_timezones()) - {"localtime", "posixrules", "Factory"}
    return _ZONES


_ZONES: set[str] | None = None


def counter_code(raw: object) -> str:
    code = unicodedata.normalize("NFKC", raw).strip().upper() if isinstance(raw, str) else ""
    if not COUNTER_CODE.fullmatch(code):
        raise SettingsError(f"counter.{code[:8]}", "柜台编码应为1至8位字母或数字",
                            "a counter code is 1 to 8 letters or digits")
    return code


def counter_name(code: str, raw: object) -> str:
    name = unicodedata.normalize("NFKC", raw).strip() if isinstance(raw, str) else ""
    if not name or len(name) > 50 or not name.isprintable():
        raise SettingsError(f"counter.{code}", "柜台名称应为1至50个字符，不能含控制字符",
                            "a counter name is 1 to 50 printable characters")
    return name


def rate_text(value: Any) -> str:
    """A rate as plain text without trailing zeros ("0.003"), as it is stored and shown."""
    try:
        return format(Decimal(str(value)).normalize(), "f")
    except InvalidOperation:
        return str(value)
