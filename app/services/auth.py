"""Staff log-in with lockout, and permission checks made in the core.

Five failed log-ins lock an account for 15 minutes (both configurable in the hall's
settings). Every log-in, failure and refusal is an audit event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.models import Staff
from app.security import (
    Permission,
    PermissionDenied,
    hash_password,
    has_permission,
    needs_rehash,
    verify_password,
)
from app.services import audit
from app.services.hall import Actor, ensure_counter, ensure_hall, staff_actor

MAX_FAILED = 5
LOCK_MINUTES = 15


class AuthError(RuntimeError):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


@dataclass(frozen=True)
class LockoutPolicy:
    max_failed: int = MAX_FAILED
    lock_minutes: int = LOCK_MINUTES


def _policy(session: Session) -> LockoutPolicy:
    hall = ensure_hall(session)
    cfg = hall.config or {}
    return LockoutPolicy(int(cfg.get("max_failed_logins", MAX_FAILED)),
                         int(cfg.get("lockout_minutes", LOCK_MINUTES)))


def login(db: Database, staff_no: str, password: str, counter_code: str,
          *, now: datetime | None = None) -> Actor:
    """Check the password and return the acting staff at that counter, or raise `AuthError`."""
    now = now or datetime.now(UTC)
    with db.session() as s:
        policy = _policy(s)
        staff = s.execute(select(Staff).where(Staff.staff_no == staff_no.strip())).scalar_one_or_none()
        if staff is None or not staff.active:
            verify_password(None, password)  # same time as a real check
            audit.record(s, "login.fail", actor=staff_no.strip()[:40] or "?",
                         counter=counter_code, data={"reason": "unknown"})
            raise AuthError("工号或密码错误", "wrong staff number or password")
        if staff.locked_until and staff.locked_until > now:
            audit.record(s, "login.locked", actor=staff.staff_no, actor_staff_id=staff.id,
                         counter=counter_code)
            minutes = int((staff.locked_until - now).total_seconds() // 60) + 1
            raise AuthError(f"账户已锁定，请 {minutes} 分钟后再试",
                            f"account locked; try again in {minutes} min")
        if not verify_password(staff.password_hash, password):
            staff.failed_logins += 1
            data: dict[str, object] = {"failed": staff.failed_logins}
            if staff.failed_logins >= policy.max_failed:
                staff.locked_until = now + timedelta(minutes=policy.lock_minutes)
                staff.failed_logins = 0
                data["locked_minutes"] = policy.lock_minutes
            audit.record(s, "login.fail", actor=staff.staff_no, actor_staff_id=staff.id,
                         counter=counter_code, data=data)
            if "locked_minutes" in data:
                raise AuthError(f"连续 {policy.max_failed} 次密码错误，账户锁定 "
                                f"{policy.lock_minutes} 分钟",
                                f"{policy.max_failed} failed log-ins: locked for "
                                f"{policy.lock_minutes} min")
            raise AuthError("工号或密码错误", "wrong staff number or password")
        staff.failed_logins = 0
        staff.locked_until = None
        if needs_rehash(staff.password_hash):
            staff.password_hash = hash_password(password)
        hall = ensure_hall(s)
        counter = ensure_counter(s, hall, counter_code)
        audit.record(s, "login.ok", actor=staff.staff_no, actor_staff_id=staff.id,
                     counter=counter_code)
        return staff_actor(s, staff, counter)


def authorize(db: Database, actor: Actor, staff_no: str, password: str,
              permission: Permission, reason: str) -> Actor:
    """A supervisor authorizes an exception at a clerk's counter with their own credentials.

    Returns the clerk's actor marked with the supervisor, so the record shows both people.
    """
    supervisor = login(db, staff_no, password, actor.counter_code)
    if not has_permission(supervisor.role, permission):
        deny(db, supervisor, permission)
    with db.session() as s:
        audit.record(s, "exception.authorize", actor=supervisor.staff_no,
                     actor_staff_id=supervisor.staff_id, counter=actor.counter_code,
                     target=actor.staff_no, data={"permission": str(permission),
                                                  "reason": reason[:200]})
    return Actor(actor.staff_id, actor.staff_no, actor.name, actor.role, actor.hall_id,
                 actor.counter_id, actor.counter_code, actor.channel,
                 authorized_by=supervisor.staff_no)


def deny(db: Database, actor: Actor, permission: Permission) -> None:
    """Record the refusal (its own transaction, so it stays) and raise `PermissionDenied`."""
    with db.session() as s:
        audit.record(s, "permission.denied", actor=actor.staff_no, actor_staff_id=actor.staff_id,
                     counter=actor.counter_code, data={"permission": str(permission)})
    raise PermissionDenied(actor.role, permission)


def require(db: Database, actor: Actor, permission: Permission) -> None:
    if has_permission(actor.role, permission):
        return
    if actor.authorized_by and _authorizer_may(db, actor.authorized_by, permission):
        return
    deny(db, actor, permission)


def _authorizer_may(db: Database, staff_no: str, permission: Permission) -> bool:
    with db.read() as s:
        role = s.execute(select(Staff.role).where(Staff.staff_no == staff_no)).scalar()
    return role is not None and has_permission(role, permission)
