"""The supervisor's gate of the data commands: `counter export`, `import` and `restore` take a
hall's data out of, into or over a database outside the counter window, so each one needs a
supervisor's own log-in (never the batch channel) and the hall's key, checked before anything
is written.

Order of the checks: the key first (it signs the audit events that record the command and the
log-in: with a wrong passphrase nothing could be recorded, so nothing may happen), then the
staff number and password through `auth.login` (a failure is recorded and counts towards the
lockout like any log-in), then the role. A supervisor here is whoever may authorize an
exception at a counter (`exception.authorize`: supervisors and managers by default).
"""

from __future__ import annotations

from typing import Final

from app.db import Database
from app.security import Permission, PermissionDenied, SecurityError
from app.services.hall.registry import Actor

SUPERVISOR: Final = Permission.EXCEPTION_AUTHORIZE
DEFAULT_COUNTER: Final = "C01"


class NotASupervisor(SecurityError):
    """A correct log-in of someone who may not run the data commands."""


def check_key(*, personal_data: bool = False) -> None:
    """Load the hall's key (and the personal-data cipher when the command decrypts or
    encrypts ID numbers), or raise `KeyUnavailable` with its plain message."""
    from app.services.audit.events import chain_key

    chain_key()
    if personal_data:
        from app.services.customers.pii import default_personal_data

        default_personal_data()


def supervisor_login(db: Database, staff_no: str, password: str,
                     counter: str = DEFAULT_COUNTER) -> Actor:
    """The supervisor acting at `counter` of `db`, or `AuthError` (wrong or locked account,
    recorded) / `NotASupervisor` (the refusal recorded as `permission.denied`)."""
    from app.services.staff.auth import login, require

    actor = login(db, staff_no, password, counter)
    try:
        require(db, actor, SUPERVISOR)
    except PermissionDenied:
        raise NotASupervisor(
            "权限不足：命令行导出、导入和恢复数据需要值班长或经理的账号",
            "Permission denied: exporting, importing or restoring data from the command "
            "line needs a supervisor's or manager's account") from None
    return actor
