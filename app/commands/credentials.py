"""A supervisor's staff number and password for the data commands (export, import, restore):
from `COUNTER_STAFF` / `COUNTER_STAFF_PASSWORD`, or asked on the terminal; never a
command-line value (it would stay in the shell's history and the process list).

Not a command: it has no `register`, so `app.cli` skips it.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Final

ENV_STAFF: Final = "COUNTER_STAFF"
ENV_PASSWORD: Final = "COUNTER_STAFF_PASSWORD"


@dataclass(frozen=True)
class Credentials:
    staff_no: str
    password: str

    def __repr__(self) -> str:  # never the password in a log or a traceback
        return f"Credentials({self.staff_no!r}, password=***)"


def supervisor_credentials(staff_no: str | None = None) -> Credentials:
    """`staff_no` (a `--staff` option), else `COUNTER_STAFF`, else asked; the password from
    `COUNTER_STAFF_PASSWORD`, else asked. Without a terminal to ask on, a missing one is
    refused with exit status 2 before anything is opened."""
    from app.cli import EXIT_BAD_INPUT, CliError

    staff = (staff_no or os.environ.get(ENV_STAFF) or "").strip()
    password = os.environ.get(ENV_PASSWORD) or ""
    if (not staff or not password) and not sys.stdin.isatty():
        missing = " / ".join(name for name, value in ((ENV_STAFF, staff),
                                                     (ENV_PASSWORD, password)) if not value)
        raise CliError(f"需要值班长的工号和密码：请设置 {missing} 或在终端上运行 / a "
                       f"supervisor's staff number and password are needed: set {missing} "
                       "or run on a terminal", EXIT_BAD_INPUT)
    if not staff:
        staff = input("值班长工号 / supervisor's staff number: ").strip()
    if not password:
        import getpass

        password = getpass.getpass(f"{staff} 的密码 / password: ")
    if not staff or not password:
        raise CliError("未输入工号或密码 / no staff number or password given", EXIT_BAD_INPUT)
    return Credentials(staff, password)
