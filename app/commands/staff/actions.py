"""What each `counter staff` action does: credentials first, then the key, then the database;
the core checks the role, the two-person rule and the password policy."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from app.commands.staff import prompts

if TYPE_CHECKING:
    from app.db import Database
    from app.services.hall.registry import Actor
    from app.services.staff.accounts import SecondPerson, StaffInfo

T = TypeVar("T")


@dataclass
class Session:
    db: Database
    actor: Actor
    new_password: str  # "" unless asked for


@contextmanager
def _session(args: argparse.Namespace, *, own: bool = False,
             new_for: str | None = None) -> Iterator[Session]:
    """The database and the acting staff logged in at `--counter` (the attempt is audited
    and a wrong password counts towards the lockout like any log-in). Everything is asked
    before the database is opened: the acting staff, then a new password for `new_for`
    (`own`: the acting staff's own, which then replaces their current one)."""
    from app.db import open_database
    from app.services.exchange.gate import check_key
    from app.services.staff.auth import login

    who = prompts.own(args.staff) if own else prompts.acting(args.staff)
    new_for = who.staff_no if own else new_for
    new = prompts.new_password(new_for) if new_for else ""
    check_key()  # the audit events are signed with the hall's key: no key, nothing happens
    db = open_database(args.db, must_exist=True)
    try:
        actor = login(db, who.staff_no, who.password, args.counter)
        if own:
            from app.services.staff.accounts import change_own_password

            change_own_password(db, actor, who.password, new)
        yield Session(db, actor, new)
    finally:
        db.dispose()


def _with_second(change: Callable[[SecondPerson | None], T]) -> T:
    """Try alone; when the core says a second supervisor must confirm, ask for one."""
    from app.services.staff.accounts import SecondPerson, SecondPersonRequired

    try:
        return change(None)
    except SecondPersonRequired as exc:
        print(f"{exc.zh} / {exc.en}")
        second = prompts.second()
        return change(SecondPerson(second.staff_no, second.password))


def _done(what_zh: str, what_en: str, info: StaffInfo) -> int:
    from app.security import Role
    from app.security.roles import ROLE_LABELS

    zh, en = ROLE_LABELS[Role(info.role)]
    must = "；须在下次登录时修改密码 / must change the password at the next log-in" \
        if info.must_change_password else ""
    state = "" if info.active else "（已停用 / inactive）"
    print(f"{what_zh} / {what_en}: {info.staff_no} {info.name} {zh} / {en}{state}{must}")
    return 0


# --------------------------------------------------------------------------- the actions


def run_list(args: argparse.Namespace) -> int:
    from app import clock
    from app.services.hall.registry import ensure_hall, hall_config
    from app.services.staff.accounts import list_staff

    with _session(args) as session:
        db = session.db
        rows = list_staff(db, session.actor)
        now = db.clock.now()
        with db.read() as s:
            zone = hall_config(ensure_hall(s)).timezone
    if args.json:
        for r in rows:
            print(json.dumps({
                "staff_no": r.staff_no, "name": r.name, "role": r.role, "active": r.active,
                "locked": r.locked(now),
                "locked_until": r.locked_until.isoformat() if r.locked(now) and r.locked_until
                else None, "must_change_password": r.must_change_password},
                ensure_ascii=False))
        return 0
    print("工号 staff_no | 姓名 name | 角色 role | 状态 state | 锁定 locked | 须改密码 must change")
    for r in rows:
        until = r.locked_until.astimezone(clock.zone_of(zone)).strftime("%H:%M") \
            if r.locked(now) and r.locked_until else ""
        print(" | ".join([
            r.staff_no, r.name, r.role,
            "在用 active" if r.active else "停用 inactive",
            f"锁定至 locked until {until}" if until else "-",
            "是 yes" if r.must_change_password else "-"]))
    return 0


def run_add(args: argparse.Namespace) -> int:
    from app.services.staff.accounts import create_staff

    with _session(args, new_for=args.staff_no) as s:
        info = _with_second(lambda second: create_staff(
            s.db, s.actor, args.staff_no, args.name, args.role, s.new_password, second=second))
    return _done("已添加", "added", info)


def run_deactivate(args: argparse.Namespace) -> int:
    from app.services.staff.accounts import deactivate

    with _session(args) as s:
        info = deactivate(s.db, s.actor, args.staff_no, args.reason)
    return _done("已停用", "deactivated", info)


def run_reactivate(args: argparse.Namespace) -> int:
    from app.services.staff.accounts import reactivate

    with _session(args, new_for=args.staff_no) as s:
        info = _with_second(lambda second: reactivate(s.db, s.actor, args.staff_no,
                                                      s.new_password, second=second))
    return _done("已重新启用", "reactivated", info)


def run_reset(args: argparse.Namespace) -> int:
    from app.services.staff.accounts import reset_password

    with _session(args, new_for=args.staff_no) as s:
        info = _with_second(lambda second: reset_password(s.db, s.actor, args.staff_no,
                                                          s.new_password, second=second))
    return _done("密码已重置", "password reset", info)


def run_unlock(args: argparse.Namespace) -> int:
    from app.services.staff.accounts import unlock_account

    with _session(args) as s:
        info = unlock_account(s.db, s.actor, args.staff_no)
    return _done("已解锁", "unlocked", info)


def run_set_role(args: argparse.Namespace) -> int:
    from app.services.staff.accounts import change_role

    with _session(args) as s:
        info = _with_second(lambda second: change_role(s.db, s.actor, args.staff_no, args.role,
                                                       second=second))
    return _done("角色已修改", "role changed", info)


def run_passwd(args: argparse.Namespace) -> int:
    with _session(args, own=True) as s:
        print(f"密码已修改 / password changed: {s.actor.staff_no}")
    return 0
