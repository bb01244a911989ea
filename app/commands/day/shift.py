"""`counter day shift open|preview|close`: a clerk's shift at their counter, as the window's
shift dialogs do it (`app.services.day.shifts`): the opening checklist and counts; what the
closing count should find; the close, each difference explained, one beyond the hall's
tolerance approved there and then by a supervisor's own staff number and password
(`COUNTER_SECOND_STAFF` / `COUNTER_SECOND_STAFF_PASSWORD`, or asked on a terminal).

The clerk acts with their own account: `COUNTER_STAFF` / `COUNTER_STAFF_PASSWORD`, or asked.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from app.commands.day import acting


def _checklist(args: argparse.Namespace) -> dict[str, bool]:
    """Every item of the opening checklist answered: passed, unless named with --failed."""
    from app.cli import EXIT_BAD_INPUT, CliError
    from app.services.day.items import CHECKLIST, CHECKLIST_CODES

    if not args.checked:
        raise CliError("开班前须完成开班检查（三清三检）：检查后加 --checked，未通过的项目用 "
                       "--failed 项目 --note 说明 / go through the opening checklist, then give "
                       "--checked (and --failed CHECK --note TEXT for an item that did not "
                       "pass)", EXIT_BAD_INPUT)
    unknown = [code for code in args.failed if code not in CHECKLIST_CODES]
    if unknown:
        raise CliError(f"--failed: 未知的检查项 / unknown check {unknown[0]}（"
                       + ", ".join(f"{c.code}={c.zh}" for c in CHECKLIST) + "）", EXIT_BAD_INPUT)
    return {code: code not in args.failed for code in CHECKLIST_CODES}


def run_open(args: argparse.Namespace) -> int:
    from app.commands.day.counts import counts_of
    from app.services.day.shifts import open_shift

    checks, counts = _checklist(args), counts_of(args)
    with acting.session(args, acting.clerk(args.staff)) as a:
        info = open_shift(a.db, a.actor, checks, counts, note=args.note)
    failed = [code for code, ok in checks.items() if not ok]
    print(f"已开班 / shift opened: {info.counter_code} {info.staff_no} {info.staff_name} "
          f"{info.business_date.isoformat()} (班次 / shift {info.id})"
          + (f"；未通过 / not passed: {', '.join(failed)}" if failed else ""))
    return 0


def _expected_json(preview: Any) -> dict[str, Any]:
    s = preview.shift
    return {"shift": s.id, "counter": s.counter_code, "staff_no": s.staff_no,
            "business_date": s.business_date.isoformat(),
            "invoice_first_expected": preview.invoice_first_expected,
            "lines": [{"item": ln.item, "money": ln.money, "opening": ln.opening,
                       "used": ln.used, "received": ln.received, "sent": ln.sent,
                       "expected": ln.expected, "tolerance": ln.tolerance}
                      for ln in preview.lines]}


def run_preview(args: argparse.Namespace) -> int:
    from app.services.day.items import describe_quantity
    from app.services.day.shifts import preview_close

    with acting.session(args, acting.clerk(args.staff)) as a:
        preview = preview_close(a.db, a.actor)
    if args.json:
        print(json.dumps(_expected_json(preview), ensure_ascii=False))
        return 0
    s = preview.shift
    print(f"交班应有 / expected at closing: {s.counter_code} {s.staff_no} {s.staff_name} "
          f"{s.business_date.isoformat()} (班次 / shift {s.id})")
    for ln in preview.lines:
        print(f"  {ln.label} [{ln.item}]: {describe_quantity(ln.item, ln.expected)}"
              f"  # 容差 / tolerance {describe_quantity(ln.item, ln.tolerance)}")
    if preview.invoice_first_expected:
        print(f"  下一张空白发票 / next blank invoice: {preview.invoice_first_expected}")
    return 0


def run_close(args: argparse.Namespace) -> int:
    from app.cli import EXIT_BAD_INPUT, CliError
    from app.commands.day.counts import counts_of, explanations_of
    from app.services.day.items import describe_quantity
    from app.services.day.shifts import Approval, ApprovalRequired, close_shift

    counts, why = counts_of(args), explanations_of(args)
    with acting.session(args, acting.clerk(args.staff)) as a:
        try:
            result = close_shift(a.db, a.actor, counts, why)
        except ApprovalRequired as exc:
            print(f"{exc.zh} / {exc.en}")
            try:
                who = acting.approver()
            except CliError as missing:
                raise CliError(f"{exc.zh} / {exc.en}；{missing}", EXIT_BAD_INPUT) from None
            result = close_shift(a.db, a.actor, counts, why,
                                 approval=Approval(who.staff_no, who.password, args.note))
    s = result.shift
    print(f"已交班 / shift closed: {s.counter_code} {s.staff_no} {s.staff_name} "
          f"{s.business_date.isoformat()} (班次 / shift {s.id}, {s.status})"
          + (f"，差异由 {result.approved_by} 审批 / approved by {result.approved_by}"
             if result.approved_by else ""))
    for ln in result.lines:
        if ln.difference:
            sign = "+" if ln.difference > 0 else ""
            print(f"  差异 / difference {ln.label} [{ln.item}]: "
                  f"{sign}{describe_quantity(ln.item, ln.difference)}  # {ln.explanation}")
    return 0
