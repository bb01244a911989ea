"""Who acts and which passwords, for `counter staff`: from environment variables (scripts) or
asked on the terminal; never a command-line value (it would stay in the shell's history and
the process list).

| variable | meaning |
|---|---|
| `COUNTER_STAFF`, `COUNTER_STAFF_PASSWORD` | the acting staff (an administrator; for `passwd`, yourself and your current password) |
| `COUNTER_NEW_PASSWORD` | the new password (`add`, `reset-password`, `reactivate`, `passwd`) |
| `COUNTER_SECOND_STAFF`, `COUNTER_SECOND_STAFF_PASSWORD` | the second supervisor, when a change needs one (two-person rule) |

On a terminal, a missing value is asked for (a new password twice); without one, a missing
value is refused with exit status 2 naming the variable, before the database is opened.
"""

from __future__ import annotations

import getpass
import os
import sys
from typing import Final

from app.commands.credentials import ENV_PASSWORD, ENV_STAFF, Credentials

ENV_NEW_PASSWORD: Final = "COUNTER_NEW_PASSWORD"
ENV_SECOND_STAFF: Final = "COUNTER_SECOND_STAFF"
ENV_SECOND_PASSWORD: Final = "COUNTER_SECOND_STAFF_PASSWORD"


def _bad(message: str) -> Exception:
    from app.cli import EXIT_BAD_INPUT, CliError

    return CliError(message, EXIT_BAD_INPUT)


def _need_terminal(what_zh: str, what_en: str, *names: str) -> None:
    if not sys.stdin.isatty():
        missing = " / ".join(names)
        raise _bad(f"需要{what_zh}：请设置 {missing} 或在终端上运行 / {what_en} needed: set "
                   f"{missing} or run on a terminal")


def credentials(staff_no: str | None, env_staff: str, env_password: str, who_zh: str,
                who_en: str, password_zh: str = "密码", password_en: str = "password"
                ) -> Credentials:
    """A staff number (`staff_no`, else `env_staff`, else asked) and its password
    (`env_password`, else asked)."""
    staff = (staff_no or os.environ.get(env_staff) or "").strip()
    password = os.environ.get(env_password) or ""
    if not staff or not password:
        missing = [name for name, value in ((env_staff, staff), (env_password, password))
                   if not value]
        _need_terminal(f"{who_zh}的工号和密码", f"{who_en}'s staff number and password",
                       *missing)
    if not staff:
        staff = input(f"{who_zh}工号 / {who_en}'s staff number: ").strip()
    if not password:
        password = getpass.getpass(f"{staff} 的{password_zh} / {password_en}: ")
    if not staff or not password:
        raise _bad("未输入工号或密码 / no staff number or password given")
    return Credentials(staff, password)


def acting(staff_no: str | None) -> Credentials:
    return credentials(staff_no, ENV_STAFF, ENV_PASSWORD, "管理员", "an administrator")


def own(staff_no: str | None) -> Credentials:
    return credentials(staff_no, ENV_STAFF, ENV_PASSWORD, "员工", "your", "当前密码",
                       "current password")


def second() -> Credentials:
    return credentials(None, ENV_SECOND_STAFF, ENV_SECOND_PASSWORD, "第二位值班长",
                       "a second supervisor")


def new_password(for_whom: str) -> str:
    """`COUNTER_NEW_PASSWORD`, else asked twice on the terminal (the two must match)."""
    given = os.environ.get(ENV_NEW_PASSWORD)
    if given:
        return given
    _need_terminal("新密码", "a new password", ENV_NEW_PASSWORD)
    first = getpass.getpass(f"{for_whom} 的新密码 / new password: ")
    again = getpass.getpass("再输入一次 / again: ")
    if not first:
        raise _bad("未输入新密码 / no new password given")
    if first != again:
        raise _bad("两次输入的新密码不一致 / the two new passwords differ")
    return first
