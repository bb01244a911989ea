"""Staff log-in with lockout, supervisor authorization, and the permission checks of the core.

Every protected action calls `require(db, actor, permission)` *in the core*, so a button that
the GUI forgot to grey out still cannot do what the role may not. The role is read from the
database at each check (an `Actor` held by a window keeps working after a demotion otherwise).

Security settings are keys of the hall's configuration (`HallConfig`: `hall.toml`, overridden by
`hall.config`): `max_failed_logins` (default 5) failed log-ins lock the account for
`lockout_minutes` (default 15); a supervisor's authorization at a clerk's counter holds for
`authorization_minutes` (default 10) and for that one permission only; a supervisor's
authorization of a `counter process` run holds for `BATCH_AUTHORIZATION_MINUTES`, as long as
the longest batch takes.

Every log-in, failure, lock, unlock, authorization and refusal is an audit event. A failure is
recorded in its own committed transaction *before* the error is raised: raising inside the
transaction would roll the failure count back and the lockout would never trigger. Attempts at
one account queue on a lock of its row (`SELECT ... FOR UPDATE` on PostgreSQL; SQLite's write
transactions are serial already), so parallel guesses are each counted and the account locks
after exactly `max_failed_logins` failures.

The answer to a failed attempt tells nothing about the account (see `_check_credentials`):
unknown, wrong and locked get the same words and take the same time.

Call `require` (and `authorize`) before opening your own write transaction: a refusal is
recorded in a transaction of its own, which would wait for yours on SQLite.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import Database
from app.models import AuditEvent, Hall, Staff
from app.security import (
    Permission,
    PermissionDenied,
    SecurityError,
    has_permission,
    hash_password,
    needs_rehash,
    verify_password,
)
from app.security.roles import PERMISSION_LABELS
from app.services.audit import events as audit
from app.services.hall.registry import (
    Actor,
    ensure_counter,
    ensure_hall,
    get_hall,
    hall_config,
    staff_actor,
)

MAX_FAILED: Final = 5
LOCK_MINUTES: Final = 15
AUTHORIZATION_MINUTES: Final = 10
IDLE_LOCK_MINUTES: Final = 5
BATCH_AUTHORIZATION_MINUTES: Final = 120  # a batch run (at most 10,000 requests)

_COUNTER_RE: Final = re.compile(r"[A-Z0-9]{1,8}")
_STAFF_NO_RE: Final = re.compile(r"[^\s\x00-\x1f\x7f]{1,20}")


class AuthError(SecurityError):
    """A refused log-in, unlock or authorization, in the clerk's language (`zh`) and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh, en)
        self.zh, self.en = zh, en


class PasswordChangeRequired(AuthError):
    """The account's password was set by an administrator and has not been changed yet: the
    staff may log in and change it, nothing else (`require` refuses every permission)."""

    def __init__(self) -> None:
        super().__init__("请先修改密码：管理员设置的密码须在登录后立即改为自己的密码",
                         "change your password first: a password set by an administrator "
                         "must be replaced by your own after logging in")


@dataclass(frozen=True)
class SecurityPolicy:
    """The hall's security settings (typed and bounded by `HallConfig`)."""

    max_failed: int = MAX_FAILED
    lock_minutes: int = LOCK_MINUTES
    authorization_minutes: int = AUTHORIZATION_MINUTES
    idle_lock_minutes: int = IDLE_LOCK_MINUTES

    @classmethod
    def of(cls, hall: Hall | None) -> SecurityPolicy:
        """From the hall's configuration; a bad setting raises `ConfigError` naming it
        (falling back to a default would hide a typo that weakens the protection)."""
        if hall is None:
            return cls()
        cfg = hall_config(hall)
        return cls(cfg.max_failed_logins, cfg.lockout_minutes, cfg.authorization_minutes,
                   cfg.idle_lock_minutes)


def security_policy(session: Session) -> SecurityPolicy:
    return SecurityPolicy.of(ensure_hall(session))


def load_policy(db: Database) -> SecurityPolicy:
    with db.read() as s:
        return SecurityPolicy.of(get_hall(s))


# --------------------------------------------------------------------------- input hygiene


def normalize_staff_no(staff_no: object) -> str:
    """Staff numbers as typed with a Chinese IME (full-width, lower case) match the stored form."""
    if not isinstance(staff_no, str):
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", staff_no)).upper()


def find_staff(s: Session, staff_no: str, *, for_update: bool = False) -> Staff | None:
    """The staff with this number, whatever case it was stored or typed in.

    `for_update` locks the row until the transaction ends and reads it afresh (an instance
    already in the session would otherwise keep the values it was loaded with).
    """
    typed = normalize_staff_no(staff_no)
    if not _STAFF_NO_RE.fullmatch(typed):
        return None
    query = select(Staff).where(func.upper(Staff.staff_no) == typed)
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    return s.execute(query).scalars().first()


def _audit_name(typed: str) -> str:
    """How an unknown staff number is recorded: its first two characters, the rest masked.

    People type their password into the staff number field; the audit log must not keep it.
    """
    clean = "".join(c for c in typed if c.isprintable())[:20]
    return (clean[:2] + "*" * (len(clean) - 2)) if len(clean) > 2 else (clean or "?")


def _counter_code(code: object) -> str:
    text = normalize_staff_no(code)
    if not _COUNTER_RE.fullmatch(text):
        raise AuthError("柜台编号无效（1 至 8 位字母或数字）",
                        "invalid counter code (1 to 8 letters or digits)")
    return text


def _now(db: Database, now: datetime | None) -> datetime:
    """The time of a check: the one given (tests, replays), else the database's clock."""
    if now is None:
        return db.clock.now()
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now


# --------------------------------------------------------------------------- credentials

_WRONG: Final = ("工号或密码错误", "wrong staff number or password")
_WRONG_PASSWORD: Final = ("密码错误", "wrong password")  # where no staff number is typed


def _wrong(purpose: str) -> AuthError:
    return AuthError(*(_WRONG_PASSWORD if purpose == "unlock" else _WRONG))


def _check_credentials(s: Session, staff_no: str, password: str, counter: str, now: datetime,
                       purpose: str, policy: SecurityPolicy) -> Staff | AuthError:
    """Check one attempt and record it; returns the staff, or the error to raise after commit.

    The answer, and the time it takes, are the same for an unknown or inactive staff number, a
    wrong password, and a locked account: each costs one full password check, and each gets the
    ordinary wrong-password answer, without the attempts left. A locked account is told so
    only after its correct password. What really happened (and the failure count) is in the
    audit log.

    The staff row stays locked until the caller commits: a parallel attempt at the same
    account waits here, then sees this one's count and lock (a read-increment-write without
    the lock loses counts under PostgreSQL's READ COMMITTED).
    """
    staff = find_staff(s, staff_no, for_update=True)
    if staff is None or not staff.active:
        verify_password(None, password)
        audit.record(s, "login.fail", actor=staff.staff_no if staff else _audit_name(staff_no),
                     actor_staff_id=staff.id if staff else None, counter=counter, at=now,
                     data={"reason": "inactive" if staff else "unknown", "purpose": purpose})
        return _wrong(purpose)
    right = verify_password(staff.password_hash, password)
    if staff.locked_until is not None and staff.locked_until > now:
        audit.record(s, "login.locked", actor=staff.staff_no, actor_staff_id=staff.id,
                     counter=counter, at=now, data={"purpose": purpose, "password_ok": right})
        if not right:
            return _wrong(purpose)
        minutes = max(1, math.ceil((staff.locked_until - now).total_seconds() / 60))
        return AuthError(f"账户已锁定，请 {minutes} 分钟后再试，或请管理员解锁",
                         f"account locked; try again in {minutes} min or ask an administrator")
    if not right:
        staff.failed_logins = (staff.failed_logins or 0) + 1
        data: dict[str, Any] = {"failed": staff.failed_logins, "purpose": purpose}
        locked = staff.failed_logins >= policy.max_failed
        if locked:
            staff.locked_until = now + timedelta(minutes=policy.lock_minutes)
            staff.failed_logins = 0
            data["locked_minutes"] = policy.lock_minutes
        audit.record(s, "login.fail", actor=staff.staff_no, actor_staff_id=staff.id,
                     counter=counter, at=now, data=data)
        if locked:
            audit.record(s, "account.lock", actor=staff.staff_no, actor_staff_id=staff.id,
                         counter=counter, target=staff.staff_no, at=now,
                         data={"minutes": policy.lock_minutes, "after_failures": policy.max_failed})
        return _wrong(purpose)
    staff.failed_logins = 0
    staff.locked_until = None
    if needs_rehash(staff.password_hash):
        staff.password_hash = hash_password(password)
    return staff


def login(db: Database, staff_no: str, password: str, counter_code: str,
          *, now: datetime | None = None) -> Actor:
    """Check the password and return the acting staff at that counter, or raise `AuthError`."""
    now = _now(db, now)
    counter = _counter_code(counter_code)
    typed = normalize_staff_no(staff_no)
    with db.session() as s:
        result = _check_credentials(s, typed, password, counter, now, "login", security_policy(s))
        if isinstance(result, Staff):
            hall = ensure_hall(s)
            if result.hall_id != hall.id:  # an account of another hall's database
                audit.record(s, "login.fail", actor=result.staff_no, actor_staff_id=result.id,
                             counter=counter, at=now, data={"reason": "other_hall"})
                result = _wrong("login")
            else:
                row = ensure_counter(s, hall, counter)
                if row.batch:
                    result = AuthError("批量通道不能用于柜台登录",
                                       "the batch channel is not a counter to log in at")
                else:
                    # Accepted, but until the password is changed `require` refuses everything.
                    pending = {"must_change_password": True} if result.must_change_password \
                        else None
                    audit.record(s, "login.ok", actor=result.staff_no, actor_staff_id=result.id,
                                 counter=counter, at=now, data=pending)
                    return staff_actor(s, result, row)
    raise result  # after the commit: the failure and its count stay recorded


def logout(db: Database, actor: Actor, *, reason: str = "logout") -> None:
    with db.session() as s:
        audit.record(s, "logout", actor=actor.staff_no, actor_staff_id=actor.staff_id,
                     counter=actor.counter_code, data={"reason": reason[:40]})


def verify_unlock(db: Database, actor: Actor, password: str,
                  *, now: datetime | None = None) -> None:
    """Unlock an idle-locked screen: only the same staff's password will do.

    Failures count toward the account lockout like log-in failures (someone guessing at an
    unattended counter), and every attempt is audited.
    """
    now = _now(db, now)
    if actor.staff_id is None:
        raise AuthError("该会话没有登录员工，不能解锁", "no staff is logged in on this session")
    with db.session() as s:
        staff = s.get(Staff, actor.staff_id)
        typed = staff.staff_no if staff is not None else actor.staff_no
        result = _check_credentials(s, typed, password, actor.counter_code, now, "unlock",
                                    security_policy(s))
        if isinstance(result, Staff):
            audit.record(s, "session.unlock", actor=actor.staff_no, actor_staff_id=actor.staff_id,
                         counter=actor.counter_code, target=actor.staff_no, at=now)
            return
    raise result


def unlock_by_supervisor(db: Database, actor: Actor, staff_no: str, password: str,
                         *, now: datetime | None = None) -> str:
    """A supervisor unlocks a clerk's locked screen with their own credentials.

    The supervisor must hold `exception.authorize`; the event names both people. Returns the
    supervisor's staff number.
    """
    now = _now(db, now)
    typed = normalize_staff_no(staff_no)
    denied: tuple[Actor, Permission] | None = None
    with db.session() as s:
        result = _check_credentials(s, typed, password, actor.counter_code, now,
                                    "supervisor_unlock", security_policy(s))
        if isinstance(result, Staff) and result.must_change_password:
            result = _pending_refusal(s, result, actor, "supervisor_unlock", now)
        if isinstance(result, Staff):
            if not has_permission(result.role, Permission.EXCEPTION_AUTHORIZE):
                denied = (_as_actor(result, actor), Permission.EXCEPTION_AUTHORIZE)
            else:
                audit.record(s, "session.unlock", actor=actor.staff_no,
                             actor_staff_id=actor.staff_id, counter=actor.counter_code,
                             target=actor.staff_no, authorized_by=result.staff_no, at=now,
                             data={"by": "supervisor", "supervisor_staff_id": result.id})
                return result.staff_no
    if denied is not None:
        deny(db, *denied)
    assert isinstance(result, AuthError)
    raise result


def _pending_refusal(s: Session, staff: Staff, at: Actor, purpose: str,
                     now: datetime) -> AuthError:
    """A supervisor whose password an administrator set (and so may know) vouches for nothing
    until they have changed it: recorded, and the error to raise after the commit."""
    audit.record(s, "permission.denied", actor=staff.staff_no, actor_staff_id=staff.id,
                 counter=at.counter_code, target=purpose, at=now,
                 data={"reason": "password_change_required", "purpose": purpose})
    return AuthError(f"{staff.staff_no} 须先修改自己的密码，才能为他人授权或确认",
                     f"{staff.staff_no} must change their own password before vouching for "
                     "anyone")


def _as_actor(staff: Staff, at: Actor) -> Actor:
    """`staff` acting at the counter of `at` (for the records of a supervisor's action)."""
    return Actor(staff.id, staff.staff_no, staff.name, staff.role, staff.hall_id, at.counter_id,
                 at.counter_code, at.channel)


# --------------------------------------------------------------------------- authorization


def authorize(db: Database, actor: Actor, staff_no: str, password: str,
              permission: Permission, reason: str, *, now: datetime | None = None) -> Actor:
    """A supervisor authorizes one exception at a clerk's counter with their own credentials.

    Returns the clerk's actor marked with the supervisor (`authorized_by`): `require` accepts it
    for this `permission` only, at this counter, for `authorization_minutes`, and only while the
    supervisor still holds the permission. The audit event names both people; an order
    submitted with this actor records the supervisor in `ServiceOrder.authorized_by`.
    """
    now = _now(db, now)
    permission = Permission(permission)
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise AuthError("授权必须填写原因", "a reason is required for an authorization")
    typed = normalize_staff_no(staff_no)
    if typed == normalize_staff_no(actor.staff_no):
        raise AuthError("不能为自己授权，请由另一位值班长授权",
                        "you cannot authorize yourself: another supervisor must do it")
    denied: tuple[Actor, Permission] | None = None
    with db.session() as s:
        policy = security_policy(s)
        result = _check_credentials(s, typed, password, actor.counter_code, now, "authorize",
                                    policy)
        if isinstance(result, Staff) and result.must_change_password:
            result = _pending_refusal(s, result, actor, "authorize", now)
        if isinstance(result, Staff):
            missing = next((p for p in (Permission.EXCEPTION_AUTHORIZE, permission)
                            if not has_permission(result.role, p)), None)
            if missing is not None:
                denied = (_as_actor(result, actor), missing)
            else:
                audit.record(s, "exception.authorize", actor=actor.staff_no,
                             actor_staff_id=actor.staff_id, counter=actor.counter_code,
                             target=str(permission), authorized_by=result.staff_no, at=now,
                             data={"reason": reason[:200], "supervisor_staff_id": result.id,
                                   "minutes": policy.authorization_minutes})
                return replace(actor, authorized_by=result.staff_no)
    if denied is not None:
        deny(db, *denied)
    assert isinstance(result, AuthError)
    raise result


def _current_role(db: Database, actor: Actor) -> tuple[str | None, bool]:
    """The role to check and whether a password change is pending: from the database for
    staff (demotions, deactivations and resets apply at once); the batch channel acts as the
    clerk role it was given."""
    if actor.staff_id is None:
        return (actor.role if actor.channel == "batch" else None), False
    with db.read() as s:
        row = s.execute(select(Staff.role, Staff.active, Staff.must_change_password)
                        .where(Staff.id == actor.staff_id)).first()
    if row is None or not row.active:
        return None, False
    return str(row.role), bool(row.must_change_password)


def password_change_pending(db: Database, actor: Actor) -> bool:
    """Whether the actor must change the password an administrator set before anything else."""
    return _current_role(db, actor)[1]


def _authorization_holds(db: Database, actor: Actor, permission: Permission,
                         now: datetime) -> bool:
    """Is there a recorded, recent authorization of exactly this by a supervisor still able?"""
    if not actor.authorized_by:
        return False
    with db.read() as s:
        minutes = (BATCH_AUTHORIZATION_MINUTES if actor.channel == "batch"
                   else SecurityPolicy.of(get_hall(s)).authorization_minutes)
        granted = s.execute(
            select(AuditEvent.id).where(
                AuditEvent.action == "exception.authorize",
                AuditEvent.actor == actor.staff_no,
                AuditEvent.authorized_by == actor.authorized_by,
                AuditEvent.counter == actor.counter_code,
                AuditEvent.target == str(permission),
                AuditEvent.at >= now - timedelta(minutes=minutes),
                AuditEvent.at <= now + timedelta(minutes=1),
            ).limit(1)
        ).first()
        if granted is None:
            return False
        supervisor = find_staff(s, actor.authorized_by)
    return (supervisor is not None and supervisor.active
            and has_permission(supervisor.role, Permission.EXCEPTION_AUTHORIZE)
            and has_permission(supervisor.role, permission))


def allowed(db: Database, actor: Actor, permission: Permission,
            *, now: datetime | None = None) -> bool:
    """Whether `require` would pass (for greying out buttons); records nothing."""
    permission = Permission(permission)
    role, pending = _current_role(db, actor)
    if pending:
        return False
    if has_permission(role, permission):
        return True
    return _authorization_holds(db, actor, permission, _now(db, now))


def require(db: Database, actor: Actor, permission: Permission,
            *, now: datetime | None = None) -> None:
    """Pass, or record the refusal and raise `PermissionDenied` (the core's only gate).

    Passes when the actor's current role holds `permission`, or when a supervisor authorized
    exactly this permission for this actor at this counter within the last
    `authorization_minutes` (see `authorize`). Refuses everything, with
    `PasswordChangeRequired`, while the actor's password set by an administrator is unchanged.
    """
    if allowed(db, actor, permission, now=now):
        return
    if password_change_pending(db, actor):
        permission = Permission(permission)
        with db.session() as s:
            audit.record(s, "permission.denied", actor=actor.staff_no,
                         actor_staff_id=actor.staff_id, counter=actor.counter_code,
                         target=str(permission), authorized_by=actor.authorized_by,
                         data={"permission": str(permission), "role": actor.role,
                               "reason": "password_change_required"})
        raise PasswordChangeRequired()
    deny(db, actor, permission)


def deny(db: Database, actor: Actor, permission: Permission) -> None:
    """Record the refusal (its own transaction, so it stays) and raise `PermissionDenied`."""
    permission = Permission(permission)
    with db.session() as s:
        audit.record(s, "permission.denied", actor=actor.staff_no, actor_staff_id=actor.staff_id,
                     counter=actor.counter_code, target=str(permission),
                     authorized_by=actor.authorized_by,
                     data={"permission": str(permission), "role": actor.role,
                           "action": PERMISSION_LABELS[permission][1]})
    raise PermissionDenied(actor.role, permission)


def staff_id_of(session: Session, staff_no: str | None) -> int | None:
    """The id of a staff number (e.g. the supervisor in `Actor.authorized_by`), or None."""
    staff = find_staff(session, staff_no) if staff_no else None
    return staff.id if staff is not None else None
