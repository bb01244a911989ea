"""`counter hall init`: set up a new hall on an empty database from the command line, as the
window's first-start dialogs do (`app.services.hall.first_run`): the hall's name, code and
carrier, this counter, and the first account (the hall manager, or a system administrator).

    COUNTER_NEW_PASSWORD=... counter hall init --name 人民路营业厅 --code RM01 \\
        --carrier unicom --manager M01 --manager-name 赵敏 [--counter C01] [--db URL]

The first account's password comes from `COUNTER_NEW_PASSWORD`, or is asked twice on a
terminal; never from the command line. It is the manager's own choice, so no change is forced
at the first log-in (the accounts the manager then adds with `counter staff add` must change
theirs). A database that already has staff is refused (exit 1) and left as it was; a form
that is not valid is refused before the database is opened or made (exit 2).

The verb joins `counter hall` (`hall.py`): this module registers after it (modules are
registered in the order of their names).
"""

from __future__ import annotations

import argparse
from dataclasses import replace

from app.core import domain

ROLES = ("manager", "admin")
# Passes the password policy and holds no three letters or digits in a row, so it never
# contains a staff number: checking the form with it finds the form's own problems only.
PLACEHOLDER = "a-1-b-2-c-3"


def _hall_verbs(sub: argparse._SubParsersAction) -> argparse._SubParsersAction:  # type: ignore[type-arg]
    hall = sub.choices.get("hall")
    verbs = next((a for a in hall._actions if isinstance(a, argparse._SubParsersAction)),
                 None) if hall is not None else None
    if verbs is None:  # `hall.py` registers first (sorted by name); a rename must not hide it
        raise RuntimeError("app.commands.hall.init: `counter hall` is not registered yet")
    return verbs


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    verbs = _hall_verbs(sub)
    verbs.metavar = "show|set|init"
    p = verbs.add_parser(
        "init", help="set up a new hall on an empty database: its name, code, carrier, this "
                     "counter and the first (manager's) account",
        description=__doc__.split("\n\n")[0])
    p.add_argument("--name", required=True, help="the hall's name, e.g. 人民路营业厅")
    p.add_argument("--code", required=True, help="the hall's code: 2 to 16 letters or digits")
    p.add_argument("--carrier", required=True, choices=domain.CARRIERS)
    p.add_argument("--counter", default="C01",
                   help="this counter's code (default C01); more with `counter hall set "
                        "counter.<CODE> NAME`")
    p.add_argument("--manager", required=True, metavar="STAFF_NO",
                   help="the first account's staff number")
    p.add_argument("--manager-name", required=True, metavar="NAME",
                   help="the first account's holder")
    p.add_argument("--role", choices=ROLES, default="manager",
                   help="manager (default: runs the hall and signs days off) or admin (sets "
                        "the system up only)")
    p.add_argument("--db", help="database URL (default: SQLite in the user's data folder)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from app.cli import EXIT_BAD_INPUT, CliError
    from app.commands.staff.prompts import new_password
    from app.db import open_database
    from app.services.exchange.gate import check_key
    from app.services.hall.first_run import FirstRun, check_first_run, run_first_setup
    from app.services.hall.registry import BATCH_COUNTER

    staff_no = args.manager.strip()
    form = FirstRun(hall_name=args.name, hall_code=args.code, carrier=args.carrier,
                    counter_code=args.counter, staff_no=staff_no,
                    staff_name=args.manager_name, password="", role=args.role)
    # The form first, then the password: a typo in an option is told before anyone is asked
    # to type a password twice.
    problem = check_first_run(replace(form, password=PLACEHOLDER))
    if not problem and form.counter_code.strip().upper() == BATCH_COUNTER:
        problem = f"{BATCH_COUNTER} 是批量受理通道，不能作为柜台编码"
    if problem:
        raise CliError(f"{problem} / the set-up is not valid", EXIT_BAD_INPUT)
    form = replace(form, password=new_password(staff_no))
    problem = check_first_run(form)
    if problem:
        raise CliError(f"{problem} / the password does not meet the policy", EXIT_BAD_INPUT)
    check_key()  # the set-up is an audit event, signed with the hall's key
    db = open_database(args.db)
    try:
        run_first_setup(db, form)
    finally:
        db.dispose()
    print(f"营业厅已设置 / hall set up: {form.hall_code.strip().upper()} {form.hall_name.strip()}"
          f" ({form.carrier}), 柜台 / counter {form.counter_code.strip().upper()}, "
          f"{args.role} {staff_no} {form.staff_name.strip()}")
    return 0

