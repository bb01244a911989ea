"""A line with a conflict waiting for the supervisor takes no further change.

Another change on top of two that cannot both hold would be built on a version the
supervisor may yet throw away, so the order service refuses it, as a rule of the engine would
(a rejected evaluation naming the conflict, recorded in the intake log like any refusal).
Orders that leave the line as it is (queries, bill details, complaints) still go through.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import String, bindparam, select
from sqlalchemy.orm import Session

from app.core.engine import Evaluation, RuleMessage
from app.core.request import Request
from app.models import LineConflict
from app.models.conflict import OPEN
from app.services.sync.conflicts.rule import kind_of

RULE = "line_conflict"


@dataclass(frozen=True)
class Hold:
    conflict: str  # the conflict's short id
    number: str


# The open conflict on a line (`number`; NULL matches nothing): one indexed read (`status`),
# built once; recording reads it as a subquery of its first statement.
OPEN_CONFLICT = (select(LineConflict.uid)
                 .where(LineConflict.status == OPEN,
                        LineConflict.line_number == bindparam("number", type_=String))
                 .limit(1))


def held_number(req: Request) -> str | None:
    """The line whose open conflict would hold the request: None when it changes no line."""
    if req.line is None or kind_of([req.service]) == "record":
        return None
    return req.line.number


def hold_of(conflict_uid: str | None, number: str | None) -> Hold | None:
    """The hold that an open conflict's uid (as `OPEN_CONFLICT` read it) puts on the line."""
    return Hold(conflict_uid[:8], number) if conflict_uid and number else None


def conflict_hold(s: Session, req: Request) -> Hold | None:
    """The open conflict on the request's line, when the request would change that line."""
    number = held_number(req)
    if number is None:
        return None
    return hold_of(s.connection().execute(OPEN_CONFLICT, {"number": number}).scalar(), number)


def held_by_conflict(ev: Evaluation, hold: Hold | None, lang: str = "zh") -> Evaluation:
    """The evaluation, refused when the line waits for a supervisor's decision."""
    if hold is None:
        return ev
    if lang == "en":
        message = (f"Line {hold.number} has a sync conflict ({hold.conflict}) awaiting the "
                   "supervisor: no further change until it is decided")
        step = "Ask the supervisor to decide it (Supervisor → Sync conflicts)"
    else:
        message = f"线路 {hold.number} 有同步冲突（{hold.conflict}）冲突待主管处理，处理前不能再办理变更"
        step = "请主管在“主管 → 同步冲突”中处理后再办理"
    ev.violations = [*ev.violations, RuleMessage(RULE, message, step)]
    ev.decision = "rejected"
    ev.fees = []
    return ev
