"""The two-person rule of staff administration: rights beyond a clerk's are given only with a
second supervisor's confirmation, in the same call.

What needs it (`needs_second`): creating an account with a role above clerk, changing a role
so that it grants a right beyond a clerk's that the account did not hold, and — because the
one who sets a password knows it until it is changed — resetting the password of, or
reactivating, an account whose role is above clerk. Otherwise one administrator could make
themselves a supervisor's account in one step.

Who confirms: another active staff member holding `exception.authorize` (a supervisor or a
manager, as for the supervisor's authorization at a counter), neither the acting
administrator nor the account changed, whose own password is not one an administrator set.
Their password is checked like a log-in (a failure is recorded and counts towards their
lockout); the change's audit event names them in `authorized_by`.

A new hall has one account (its manager or administrator), and a hall whose only other
supervisor has left has nobody to confirm either: while no other active account could confirm,
the change is allowed alone and recorded as such (`no_second_supervisor`) — otherwise the hall
could never have a supervisor again. (Deactivating or demoting every other supervisor first
is then the way round the rule; each of those steps is audited with its actor and reason.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Staff
from app.security import Permission, PermissionDenied, Role, has_permission
from app.security.roles import ROLE_LABELS
from app.services.audit import events as audit
from app.services.hall.registry import Actor
from app.services.staff.auth import (
    AuthError,
    _check_credentials,  # the one credential check (lockout, audit, equal answers)
    normalize_staff_no,
    security_policy,
)
from app.services.staff.errors import AdminError, SecondPersonRequired

CONFIRMER = Permission.EXCEPTION_AUTHORIZE


@dataclass(frozen=True)
class SecondPerson:
    """The confirming supervisor's staff number and password, as typed."""

    staff_no: str
    password: str

    def __repr__(self) -> str:  # never the password in a log or a traceback
        return f"SecondPerson({self.staff_no!r}, password=***)"


@dataclass(frozen=True)
class Confirmation:
    """Who confirmed (None: nobody else could, so it was allowed alone; see above)."""

    by: Staff | None

    @property
    def audit_data(self) -> dict[str, object]:
        if self.by is None:
            return {"confirmed_by": None, "no_second_supervisor": True}
        return {"confirmed_by": self.by.staff_no}

    @property
    def staff_no(self) -> str | None:
        return self.by.staff_no if self.by is not None else None


def _grants(role: str | None) -> set[Permission]:
    return {p for p in Permission if role is not None and has_permission(role, p)}


def above_clerk(role: str | None) -> bool:
    """Whether `role` holds a right a clerk does not."""
    return bool(_grants(role) - _grants(Role.CLERK.value))


def needs_second(before: str | None, after: str) -> bool:
    """Whether an account going from role `before` (None: no rights, a new or closed account)
    to `after` needs a second supervisor: it gains a right beyond a clerk's."""
    beyond_clerk = _grants(after) - _grants(Role.CLERK.value)
    return bool(beyond_clerk - _grants(before))


def _nobody_else_can_confirm(s: Session, actor: Actor, target: str) -> bool:
    """No active account but the acting one and the one changed holds the confirming right
    (one whose password change is pending or who is locked out counts: they can, soon)."""
    involved = {normalize_staff_no(actor.staff_no), normalize_staff_no(target)}
    rows = s.execute(select(Staff.staff_no, Staff.role).where(Staff.active.is_(True))).all()
    return not any(has_permission(role, CONFIRMER) for staff_no, role in rows
                   if normalize_staff_no(staff_no) not in involved)


def confirm(s: Session, actor: Actor, target: str, role: str, second: SecondPerson | None,
            now: datetime) -> Confirmation | Exception:
    """Check the second supervisor for giving `target` the role `role`, in the caller's
    transaction (before it changes anything).

    Returns the confirmation, or the error to raise *after* the caller's commit (a wrong
    password or a refusal is recorded and must stay). Raises at once, with nothing recorded,
    for what is only bad input: no second person given, or the wrong person.
    """
    if second is None or not second.staff_no.strip():
        if _nobody_else_can_confirm(s, actor, target):
            return Confirmation(None)
        zh, en = ROLE_LABELS[Role(role)]
        raise SecondPersonRequired(target, zh, en)
    typed = normalize_staff_no(second.staff_no)
    if typed == normalize_staff_no(actor.staff_no):
        raise AdminError("确认人须是另一位值班长，不能是操作人本人",
                         "the confirming supervisor must be someone other than you")
    if typed == normalize_staff_no(target):
        raise AdminError("不能由被授权的员工本人确认", "the staff concerned cannot confirm it")
    result = _check_credentials(s, typed, second.password, actor.counter_code, now,
                                "two_person", security_policy(s))
    if isinstance(result, AuthError):
        return result
    if not has_permission(result.role, CONFIRMER):
        audit.record(s, "permission.denied", actor=result.staff_no, actor_staff_id=result.id,
                     counter=actor.counter_code, target=str(CONFIRMER), at=now,
                     data={"permission": str(CONFIRMER), "role": result.role,
                           "purpose": "two_person"})
        return PermissionDenied(result.role, CONFIRMER)
    if result.must_change_password:
        audit.record(s, "permission.denied", actor=result.staff_no, actor_staff_id=result.id,
                     counter=actor.counter_code, target="two_person", at=now,
                     data={"reason": "password_change_required", "purpose": "two_person"})
        return AuthError(f"{result.staff_no} 须先修改自己的密码，才能确认",
                         f"{result.staff_no} must change their own password before confirming")
    return Confirmation(result)
