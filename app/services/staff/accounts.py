"""Staff administration, with the permission checked here in the core.

Staff accounts (`staff.admin`): create, change role, reset password, unlock, deactivate,
reactivate (the tariff moved to `app.services.hall.settings`). Every change is an audit event
naming who did it; passwords never appear in one.

Nobody changes their own role or deactivates themselves: a right is widened, or the hall's
last administrator removed, only by a second person (who is then on record). Rights beyond a
clerk's need a second supervisor in the same call (`two_person`). A password set here (a new
account, a reset, a reactivation) must be changed by its owner at the next log-in: until then
`auth.require` refuses them everything (`Staff.must_change_password`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import select

from app.db import Database, clock_of
from app.models import Staff
from app.models.base import new_uid
from app.security import (
    Permission,
    Role,
    check_password_policy,
    hash_password,
    verify_password,
)
from app.security.roles import ROLE_LABELS
from app.services.audit import events as audit
from app.services.hall.registry import Actor, ensure_hall
from app.services.staff import two_person
from app.services.staff.auth import AuthError, find_staff, normalize_staff_no, require
from app.services.staff.errors import AdminError, SecondPersonRequired
from app.services.staff.two_person import Confirmation, SecondPerson

__all__ = ["AdminError", "SecondPerson", "SecondPersonRequired", "StaffInfo"]

_STAFF_NO_RE: Final = re.compile(r"[A-Z0-9]{2,20}")


@dataclass(frozen=True)
class StaffInfo:
    """An account as administration screens show it (never the password hash)."""

    id: int
    staff_no: str
    name: str
    role: str
    active: bool
    locked_until: datetime | None
    must_change_password: bool = False

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now


def _info(st: Staff) -> StaffInfo:
    return StaffInfo(st.id, st.staff_no, st.name, st.role, st.active, st.locked_until,
                     bool(st.must_change_password))


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


def _record(s: Any, actor: Actor, action: str, target: str, data: dict[str, Any],
            confirmed: Confirmation | None = None) -> None:
    by = actor.authorized_by
    if confirmed is not None:
        data = {**data, **confirmed.audit_data}
        by = confirmed.staff_no
    audit.record(s, action, actor=actor.staff_no, actor_staff_id=actor.staff_id,
                 counter=actor.counter_code, target=target, authorized_by=by, data=data)


def _second(s: Any, actor: Actor, target: str, before: str | None, after: str,
            second: SecondPerson | None) -> Confirmation | Exception | None:
    """None when no second supervisor is needed; else their confirmation, or the error to
    raise after the commit (see `two_person.confirm`)."""
    if not two_person.needs_second(before, after):
        return None
    return two_person.confirm(s, actor, target, after, second, clock_of(s).now())


# --------------------------------------------------------------------------- staff accounts


def list_staff(db: Database, actor: Actor) -> list[StaffInfo]:
    require(db, actor, Permission.STAFF_ADMIN)
    with db.read() as s:
        return [_info(st) for st in s.execute(select(Staff).order_by(Staff.staff_no)).scalars()]


def create_staff(db: Database, actor: Actor, staff_no: str, name: str, role: str,
                 password: str, *, second: SecondPerson | None = None) -> StaffInfo:
    """A new account whose first password (given here) must be changed at its first log-in.
    A role above clerk needs `second` (a second supervisor; `SecondPersonRequired`)."""
    number, person, rank = _staff_no(staff_no), _name(name), _role(role)
    secret = _password(password, number)
    require(db, actor, Permission.STAFF_ADMIN)
    with db.session() as s:
        if find_staff(s, number) is not None:
            raise AdminError(f"工号 {number} 已存在", f"staff number {number} already exists")
        confirmed = _second(s, actor, number, None, rank.value, second)
        if not isinstance(confirmed, Exception):
            hall = ensure_hall(s)
            staff = Staff(uid=new_uid(), hall_id=hall.id, staff_no=number, name=person,
                          role=rank.value, password_hash=hash_password(secret),
                          must_change_password=True)
            s.add(staff)
            s.flush()
            _record(s, actor, "staff.create", number, {"role": rank.value, "name": person},
                    confirmed)
            return _info(staff)
    raise confirmed  # after the commit: a failed confirmation stays recorded


def change_role(db: Database, actor: Actor, staff_no: str, role: str,
                *, second: SecondPerson | None = None) -> StaffInfo:
    """A new role; one that gains a right beyond a clerk's needs `second`."""
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
        confirmed = _second(s, actor, staff.staff_no, before, rank.value, second)
        if not isinstance(confirmed, Exception):
            staff.role = rank.value
            _record(s, actor, "staff.role", staff.staff_no, {"from": before, "to": rank.value},
                    confirmed)
            return _info(staff)
    raise confirmed


def reset_password(db: Database, actor: Actor, staff_no: str, new_password: str,
                   *, second: SecondPerson | None = None) -> StaffInfo:
    """Set a new password, to be changed at the next log-in, and lift any lockout.

    Whoever sets a password knows it: for an account above clerk that is a supervisor's
    rights in the administrator's hands until the owner logs in, so it needs `second`.
    """
    require(db, actor, Permission.STAFF_ADMIN)
    with db.session() as s:
        staff = _target(s, staff_no)
        if staff.id == actor.staff_id:
            raise AdminError("不能重置自己的密码，请用“修改密码”",
                             "you cannot reset your own password: change it instead")
        secret = _password(new_password, staff.staff_no)
        confirmed = _second(s, actor, staff.staff_no, None, staff.role, second)
        if not isinstance(confirmed, Exception):
            staff.password_hash = hash_password(secret)
            staff.failed_logins, staff.locked_until = 0, None
            staff.must_change_password = True
            _record(s, actor, "staff.password_reset", staff.staff_no, {}, confirmed)
            return _info(staff)
    raise confirmed


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


def reactivate(db: Database, actor: Actor, staff_no: str, new_password: str,
               *, second: SecondPerson | None = None) -> StaffInfo:
    """Open a closed account again, with a new password (the old one may have been shared),
    to be changed at the next log-in; a role above clerk needs `second`."""
    require(db, actor, Permission.STAFF_ADMIN)
    with db.session() as s:
        staff = _target(s, staff_no)
        if staff.id == actor.staff_id:
            raise AdminError("不能重新启用自己的账号", "you cannot reactivate your own account")
        secret = _password(new_password, staff.staff_no)
        confirmed = _second(s, actor, staff.staff_no, None, staff.role, second)
        if not isinstance(confirmed, Exception):
            staff.password_hash = hash_password(secret)
            staff.active, staff.failed_logins, staff.locked_until = True, 0, None
            staff.must_change_password = True
            _record(s, actor, "staff.reactivate", staff.staff_no, {"role": staff.role},
                    confirmed)
            return _info(staff)
    raise confirmed


def change_own_password(db: Database, actor: Actor, old_password: str,
                        new_password: str) -> None:
    """Any logged-in staff changes their own password, proving the old one first; this ends
    a pending change (a password set by an administrator)."""
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
            forced = bool(staff.must_change_password)
            staff.must_change_password = False
            _record(s, actor, "staff.password_change", staff.staff_no,
                    {"forced": True} if forced else {})
            return
        audit.record(s, "login.fail", actor=staff.staff_no, actor_staff_id=staff.id,
                     counter=actor.counter_code, data={"purpose": "password_change"})
    raise AuthError("原密码错误", "the current password is wrong")
