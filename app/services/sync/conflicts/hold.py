"""A line with a conflict waiting for the supervisor takes no further change.

Another change on top of two that cannot both hold would be built on a version the
supervisor may yet throw away, so the order service refuses it, as a rule of the engine would
(a rejected evaluation naming the conflict, recorded in the intake log like any refusal).
Orders that leave the line as it is (queries, bill details, complaints) still go through.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
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


def conflict_hold(s: Session, req: Request) -> Hold | None:
    """The open conflict on the request's line, when the request would change that line."""
    if req.line is None or kind_of([req.service]) == "record":
        return None
    found = s.execute(select(LineConflict.uid).where(
        LineConflict.line_number == req.line.number, LineConflict.status == OPEN)
        .limit(1)).scalar()
    return Hold(found[:8], req.line.number) if found else None


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
