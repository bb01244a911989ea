"""Who acts in `counter day`, and the database they act on: credentials first (from
`COUNTER_STAFF` / `COUNTER_STAFF_PASSWORD`, or asked on a terminal), then the hall's key, then
the database and the log-in (audited; a wrong password counts towards the lockout)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from app.commands.credentials import ENV_PASSWORD, ENV_STAFF, Credentials
from app.commands.staff.prompts import ENV_SECOND_PASSWORD, ENV_SECOND_STAFF, credentials

if TYPE_CHECKING:
    from app.db import Database
    from app.services.hall.registry import Actor


@dataclass
class Acting:
    db: Database
    actor: Actor
    who: Credentials  # the typed credentials: a supervisor's approval checks them again

    def today(self) -> date:
        """The hall's business date now."""
        from app.services.day.hooks import local_today

        with self.db.read() as s:
            return local_today(s, self.actor.hall_id)


def clerk(staff_no: str | None) -> Credentials:
    return credentials(staff_no, ENV_STAFF, ENV_PASSWORD, "营业员", "the clerk")


def supervisor(staff_no: str | None) -> Credentials:
    return credentials(staff_no, ENV_STAFF, ENV_PASSWORD, "值班长", "a supervisor")


def approver() -> Credentials:
    """The supervisor who approves a difference beyond tolerance at the clerk's counter."""
    return credentials(None, ENV_SECOND_STAFF, ENV_SECOND_PASSWORD, "审批差异的值班长",
                       "the approving supervisor")


@contextmanager
def session(args: argparse.Namespace, who: Credentials) -> Iterator[Acting]:
    from app.db import open_database
    from app.services.exchange.gate import check_key
    from app.services.staff.auth import login

    check_key()  # the log-in and every step are audit events, signed with the hall's key
    db = open_database(args.db, must_exist=True)
    try:
        yield Acting(db, login(db, who.staff_no, who.password, args.counter), who)
    finally:
        db.dispose()
