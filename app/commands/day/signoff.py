"""`counter day checklist|approve|signoff`: the supervisor's end of the day
(`app.services.day.signoff`), with their own account (`COUNTER_STAFF` /
`COUNTER_STAFF_PASSWORD`, or asked on a terminal).

    counter day checklist [--date D] [--json]        what must be settled before the sign-off
    counter day approve SHIFT --note TEXT            a closed shift's differences, approved
    counter day signoff [--date D] [--ack KEY]...    lock the day (warnings acknowledged by key)

Blocking items (an open shift, orders not synced, a difference not approved) refuse the
sign-off until settled; each warning (an overdue complaint, a void after a shift's close) until
acknowledged with `--ack KEY` (the keys `checklist` prints). A refusal exits 1 naming each item.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from app.commands.day import acting


def _day(a: acting.Acting, given: date | None) -> date:
    return given or a.today()


def _item_json(i: Any) -> dict[str, Any]:
    return {"key": i.key, "kind": i.kind, "blocking": i.blocking, "shift": i.shift_id,
            "ref": i.ref, "zh": i.zh, "en": i.en}


def run_checklist(args: argparse.Namespace) -> int:
    from app.services.day.signoff import checklist

    with acting.session(args, acting.supervisor(args.staff)) as a:
        day = _day(a, args.date)
        found = checklist(a.db, a.actor, day)
    if args.json:
        print(json.dumps({"business_date": day.isoformat(), "clear": found.clear,
                          "items": [_item_json(i) for i in found.items]}, ensure_ascii=False))
        return 0
    print(f"日结签核检查 / sign-off checklist {day.isoformat()}: "
          + ("无待处理事项 / nothing to settle" if found.clear else
             f"{len(found.blocking)} 项须处理 / blocking, {len(found.warnings)} 项须确认 / "
             "to acknowledge"))
    for i in found.items:
        what = "须处理 / blocking" if i.blocking else "须确认 / acknowledge"
        shift = f" (班次 / shift {i.shift_id})" if i.shift_id else ""
        print(f"  [{what}] {i.key}{shift}: {i.zh}")
    return 0


def run_approve(args: argparse.Namespace) -> int:
    """The differences are shown, then approved with the supervisor's own credentials (checked
    again at approval, as the window asks for them again at that screen)."""
    from app.services.day.items import describe_quantity
    from app.services.day.shifts import Approval
    from app.services.day.signoff import approve_difference, shift_differences

    with acting.session(args, acting.supervisor(args.staff)) as a:
        diffs = shift_differences(a.db, a.actor, args.shift)
        info = approve_difference(a.db, a.actor, args.shift,
                                  Approval(a.who.staff_no, a.who.password, args.note))
    print(f"差异已审批 / differences approved: 班次 / shift {info.id} {info.counter_code} "
          f"{info.staff_no} {info.staff_name} ({info.status})")
    for ln in diffs.lines:
        sign = "+" if ln.difference > 0 else ""
        print(f"  {ln.label} [{ln.item}]: {sign}{describe_quantity(ln.item, ln.difference)}"
              f"  # {ln.explanation}")
    return 0


def run_signoff(args: argparse.Namespace) -> int:
    from app.cli import CliError
    from app.services.day.signoff import SignoffRefused, sign_off_day

    with acting.session(args, acting.supervisor(args.staff)) as a:
        day = _day(a, args.date)
        try:
            signed = sign_off_day(a.db, a.actor, day, notes=args.notes, acknowledged=args.ack)
        except SignoffRefused as exc:
            keys = " ".join(f"--ack {w.key}" for w in exc.unacknowledged)
            hint = f"（确认后重试 / acknowledge with: {keys}）" if keys and not \
                exc.checklist.blocking else ""
            raise CliError(f"{exc}{hint}") from None
    print(f"已日结签核 / day signed off: {day.isoformat()} {signed.supervisor} "
          f"(摘要 / summary {signed.summary_hash[:16]}, 审计 / audit #{signed.audit_seq})")
    return 0
