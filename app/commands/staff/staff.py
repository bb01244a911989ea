"""`counter staff add|list|deactivate|reactivate|reset-password|unlock|set-role|passwd`: staff
accounts from the command line, on any database (`--db URL`).

Every sub-command but `passwd` runs for an administrator's own account (a hall manager or
system administrator: `staff.admin`, checked in the core); `passwd` is anyone changing their
own password. Credentials and new passwords come from environment variables or the terminal
(`app.commands.staff.prompts`), never from the command line. A change that gives rights
beyond a clerk's asks for a second supervisor (two-person rule). A password set here must be
changed by its owner at the next log-in (in the window, or with `counter staff passwd`).
"""

from __future__ import annotations

import argparse

ROLES = ("clerk", "supervisor", "manager", "admin")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from app.commands.staff import actions

    p = sub.add_parser("staff", help="staff accounts: add, list, deactivate, reset a password...",
                       description=__doc__.split("\n\n")[0])
    commands = p.add_subparsers(dest="staff_command", metavar="ACTION", required=True)

    def action(name: str, help_text: str, handler, *, target: bool = True):  # type: ignore[no-untyped-def]
        q = commands.add_parser(name, help=help_text, description=help_text)
        if target:
            q.add_argument("staff_no", metavar="STAFF_NO", help="the account's staff number")
        q.add_argument("--db", help="database URL (default: SQLite in the user's data folder)")
        q.add_argument("--staff", help="who acts (default: COUNTER_STAFF, or asked); the "
                                       "password: COUNTER_STAFF_PASSWORD, or asked")
        q.add_argument("--counter", default="C01",
                       help="the counter the acting staff logs in at (default C01)")
        q.set_defaults(handler=handler)
        return q

    q = action("list", "list the accounts: role, active, locked, password change pending",
               actions.run_list, target=False)
    q.add_argument("--json", action="store_true", help="one JSON object a line")
    q = action("add", "add an account; its first password (COUNTER_NEW_PASSWORD or asked) "
                      "must be changed at the first log-in", actions.run_add)
    q.add_argument("--name", required=True, help="the staff member's name")
    q.add_argument("--role", choices=ROLES, default="clerk", help="default: clerk")
    q = action("deactivate", "close an account (the row stays for the records)",
               actions.run_deactivate)
    q.add_argument("--reason", required=True, help="why (recorded)")
    action("reactivate", "open a closed account again with a new password",
           actions.run_reactivate)
    action("reset-password", "set a new password, to be changed at the next log-in; lifts "
                             "a lockout", actions.run_reset)
    action("unlock", "lift a lockout before its time", actions.run_unlock)
    q = action("set-role", "change an account's role (to a supervisor's: a second supervisor "
                           "confirms)", actions.run_set_role)
    q.add_argument("role", choices=ROLES, metavar="ROLE", help="one of: " + ", ".join(ROLES))
    action("passwd", "change your own password (COUNTER_STAFF / COUNTER_STAFF_PASSWORD: you "
                     "and your current password; COUNTER_NEW_PASSWORD: the new one)",
           actions.run_passwd, target=False)
