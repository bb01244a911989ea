"""Staff and tariff administration, with the permission checked here in the core.

Staff accounts (`staff.admin`): create, change role, reset password, unlock, deactivate,
reactivate. Tariffs (`tariff.admin`): change amounts of the hall's tariff table
(`hall.config["tariff"]`), validated by `HallConfig.with_overrides` exactly as the engine will
read them. Every change is an audit event naming who did it; passwords never appear in one.

Nobody changes their own role or deactivates themselves: a right is widened, or the hall's
last administrator removed, only by a second person (who is then on record).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from sqlalchemy import select

from app.core.config import ConfigError, HallConfig
from app.db import Database
from app.models import Staff
from app.models.base import new_uid
from app.security import (
    Permission,
    Role,
    SecurityError,
    check_password_policy,
    hash_password,
    verify_password,
)
from app.security.roles import ROLE_LABELS
from app.services.audit import events as audit
from app.services.hall.registry import Actor, ensure_hall, hall_config
from app.services.staff.auth import AuthError, find_staff, normalize_staff_no, require

_STAFF_NO_RE: Final = re.compile(r"[A-Z0-9]{2,20}")
_TARIFF_ITEM_RE: Final = re.compile(r"[a-z][a-z0-9_]{0,39}")
MAX_TARIFF_FEN: Final = 10**9  # ten million yuan: a typo guard, not a business limit


class AdminError(SecurityError):
    """Bad input to an administration action (exit status 2 on the command line)."""

    code = 2

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh, en)
        self.zh, self.en = zh, en



@dataclass(frozen=True)
class StaffInfo:
    """An account as administration screens show it (never the password hash)."""

    id: int
    staff_no: str
    name: str
    role: str
    active: bool
    locked_until: datetime | None


def _info(st: Staff) -> StaffInfo:
    return StaffInfo(st.id, st.staff_no, st.name, st.role, st.active, st.locked_until)


# --------------------------------------------------------------------------- input checks


def _staff_no(value: object) -> str:
    text = normalize_staff_no(value)
    if not _STAFF_NO_RE.fullmatch(text):
        raise AdminError("工号应为2至20位字母或数字", "a staff number is 2 to 20 letters or digits")
    return text


def _name(value: object) -> str:
    text = unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else ""
    if not text or len(text) > 50 or not text.isprintable():
        raise AdminError("姓名不能为空，最多50个字符，不能含控制字符",
                         "a name is 1 to 50 printable characters")
    return text


def _role(value: object) -> Role:
    try:
        return Role(str(value))
    except ValueError:
        names = "、".join(f"{r.value}（{ROLE_LABELS[r][0]}）" for r in Role)
        raise AdminError(f"角色无效，应为：{names}", f"unknown role {value!r}") from None


def _password(password: object, staff_no: str) -> str:
    problem = check_password_policy(password, username=staff_no)  # type: ignore[arg-type]
    if problem:
        raise AdminError(problem, "the password does not meet the policy")
    assert isinstance(password, str)
    return password


def _target(s: Any, staff_no: object) -> Staff:
    staff = find_staff(s, normalize_staff_no(staff_no))
    if staff is None:
        raise AdminError(f"没有工号为 {normalize_staff_no(staff_no)[:20]} 的员工",
                         "no such staff number")
    return staff


def _record(s: Any, actor: Actor, action: str, target: str, data: dict[str, Any]) -> None:
    audit.record(s, action, actor=actor.staff_no, actor_staff_id=actor.staff_id,
                 counter=actor.counter_code, target=target, authorized_by=actor.authorized_by,
                 data=data)


# --------------------------------------------------------------------------- staff accounts


def list_staff(db: Database, actor: Actor) -> list[StaffInfo]:
    require(db, actor, Permission.STAFF_ADMIN)
    with db.read() as s:
        return [_info(st) for st in s.execute(select(Staff).order_by(Staff.staff_no)).scalars()]


def create_staff(db: Database, actor: Actor, staff_no: str, name: str, role: str,
                 password: str) -> StaffInfo:
    number, person, rank = _staff_no(staff_no), _name(name), _role(role)
    secret = _password(password, number)
    require(db, actor, Permission.STAFF_ADMIN)
    with db.session() as s:
        if find_staff(s, number) is not None:
            raise AdminError(f"工号 {number} 已存在", f"staff number {number} already exists")
        hall = ensure_hall(s)
        staff = Staff(uid=new_uid(), hall_id=hall.id, staff_no=number, name=person,
                      role=rank.value, password_hash=hash_password(secret))
        s.add(staff)
        s.flush()
        _record(s, actor, "staff.create", number, {"role": rank.value, "name": person})
        return _info(staff)


def change_role(db: Database, actor: Actor, staff_no: str, role: str) -> StaffInfo:
    rank = _role(role)
    require(db, actor, Permission.STAFF_ADMIN)
    with db.session() as s:
        staff = _target(s, staff_no)
        if staff.id == actor.staff_id:
            raise AdminError("不能修改自己的角色，请由另一位管理员办理",
                             "you cannot change your own role")
        before = staff.role
        if before == rank.value:
            return _info(staff)
        staff.role = rank.value
        _record(s, actor, "staff.role", staff.staff_no, {"from": before, "to": rank.value})
        return _info(staff)


def reset_password(db: Database, actor: Actor, staff_no: str, new_password: str) -> StaffInfo:
    """Set a new password (the staff should change it at once) and lift any lockout."""
    require(db, actor, Permission.STAFF_ADMIN)
    with db.session() as s:
        staff = _target(s, staff_no)
        staff.password_hash = hash_password(_password(new_password, staff.staff_no))
        staff.failed_logins, staff.locked_until = 0, None
        _record(s, actor, "staff.password_reset", staff.staff_no, {})
        return _info(staff)


def unlock_account(db: Database, actor: Actor, staff_no: str) -> StaffInfo:
    """Lift a lockout before its time (e.g. the clerk proved who they are in person)."""
    require(db, actor, Permission.STAFF_ADMIN)
    with db.session() as s:
        staff = _target(s, staff_no)
        staff.failed_logins, staff.locked_until = 0, None
        _record(s, actor, "staff.unlock", staff.staff_no, {})
        return _info(staff)


def deactivate(db: Database, actor: Actor, staff_no: str, reason: str) -> StaffInfo:
    """Close an account (staff leave; the row stays so old orders keep their clerk)."""
    why = " ".join(str(reason or "").split())[:200]
    if not why:
        raise AdminError("停用账号必须填写原因", "a reason is required to deactivate an account")
    require(db, actor, Permission.STAFF_ADMIN)
    with db.session() as s:
        staff = _target(s, staff_no)
        if staff.id == actor.staff_id:
            raise AdminError("不能停用自己的账号", "you cannot deactivate your own account")
        if not staff.active:
            return _info(staff)
        staff.active = False
        _record(s, actor, "staff.deactivate", staff.staff_no, {"reason": why})
        return _info(staff)


def reactivate(db: Database, actor: Actor, staff_no: str, new_password: str) -> StaffInfo:
    """Open a closed account again, with a new password (the old one may have been shared)."""
    require(db, actor, Permission.STAFF_ADMIN)
    with db.session() as s:
        staff = _target(s, staff_no)
        staff.password_hash = hash_password(_password(new_password, staff.staff_no))
        staff.active, staff.failed_logins, staff.locked_until = True, 0, None
        _record(s, actor, "staff.reactivate", staff.staff_no, {})
        return _info(staff)


def change_own_password(db: Database, actor: Actor, old_password: str,
                        new_password: str) -> None:
    """Any logged-in staff changes their own password, proving the old one first."""
    if actor.staff_id is None:
        raise AuthError("该会话没有登录员工", "no staff is logged in on this session")
    with db.session() as s:
        staff = s.get(Staff, actor.staff_id)
        if staff is None or not staff.active:
            raise AuthError("账号已停用", "the account is inactive")
        ok = verify_password(staff.password_hash, old_password)
        if ok:
            secret = _password(new_password, staff.staff_no)
            if verify_password(staff.password_hash, secret):
                raise AdminError("新密码不能与旧密码相同", "the new password equals the old one")
            staff.password_hash = hash_password(secret)
            _record(s, actor, "staff.password_change", staff.staff_no, {})
            return
        audit.record(s, "login.fail", actor=staff.staff_no, actor_staff_id=staff.id,
                     counter=actor.counter_code, data={"purpose": "password_change"})
    raise AuthError("原密码错误", "the current password is wrong")


# --------------------------------------------------------------------------- tariff


def _tariff_amount(item: str, value: object) -> str:
    """A tariff amount in yuan as text ("10.00"); the strings survive JSON exactly."""
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal | float):
        raise AdminError(f"资费 {item} 应为金额（元）", f"tariff.{item}: expected an amount")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise AdminError(f"资费 {item} 不是有效金额：{str(value)[:20]}",
                         f"tariff.{item}: not an amount") from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise AdminError(f"资费 {item} 应为不小于0、最多两位小数的金额",
                         f"tariff.{item}: a non-negative amount with at most 2 decimals")
    if amount * 100 > MAX_TARIFF_FEN:
        raise AdminError(f"资费 {item} 金额过大", f"tariff.{item}: amount too large")
    return f"{amount:.2f}"


def update_tariff(db: Database, actor: Actor, changes: Mapping[str, object],
                  *, reason: str = "") -> HallConfig:
    """Change tariff amounts (yuan) of items the hall's tariff table already has.

    All or nothing: one bad amount refuses the whole change. Returns the effective
    configuration. New items come with a new catalog version, not from this screen: an item
    no fee refers to would only hide a typo.
    """
    if not isinstance(changes, Mapping) or not changes:
        raise AdminError("没有要修改的资费", "no tariff change given")
    require(db, actor, Permission.TARIFF_ADMIN)
    with db.session() as s:
        hall = ensure_hall(s)
        current = hall_config(hall)
        # The hall's table replaces the default one as a whole, so store every item.
        table = {item: f"{Decimal(fen) / 100:.2f}" for item, fen in current.tariff_fen.items()}
        diff: dict[str, dict[str, Any]] = {}
        for item, value in changes.items():
            if not isinstance(item, str) or not _TARIFF_ITEM_RE.fullmatch(item) \
                    or item not in current.tariff_fen:
                raise AdminError(f"资费表中没有项目 {str(item)[:40]}",
                                 f"unknown tariff item {str(item)[:40]!r}")
            table[item] = _tariff_amount(item, value)
            diff[item] = {"from_fen": current.tariff_fen[item],
                          "to_fen": int(Decimal(table[item]) * 100)}
        try:
            effective = current.with_overrides({"tariff": table}, "tariff")
        except (ConfigError, ValueError, TypeError) as exc:
            raise AdminError(f"资费设置无效：{exc}", f"invalid tariff: {exc}") from None
        hall.config = {**(hall.config or {}), "tariff": table}  # a new dict: the column is written
        _record(s, actor, "tariff.update", hall.code,
                {"changes": diff, "reason": " ".join(reason.split())[:200]})
        return effective
