"""`counter day record REQUEST.json`: service requests recorded at the clerk's own counter,
in their open shift, as the counter window records them: the same engine and JSON as
`counter process` (request-format.md), but on the counter channel, so that the counter's
stock is checked and taken (a SIM card, a campaign's gift: refused when the counter has none),
the money goes into the shift's drawer, and a complaint is owned by the clerk (首问负责).

Every request is parsed and checked against the catalog before the database is opened. Each
outcome is printed as soon as its order is committed; a run that stops half-way names what was
committed (exit 1). The same file run again the same day at the same counter records nothing
twice: the orders it made come back marked `"replay": true`. Money paid out (a refund) needs a
supervisor at the counter: use the window, or `counter process` with a supervisor.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from datetime import date
from typing import TYPE_CHECKING

from app.commands.day import acting

if TYPE_CHECKING:
    from app.core.request import Request


def request_id(req: Request, counter: str, day: date, occurrence: int) -> str:
    """The request's own id at this counter and day: a run again finds the orders it made."""
    from app.services.orders.idempotency import canonical_request

    digest = hashlib.sha256(canonical_request(req)).hexdigest()
    return f"day-record:{counter}:{day.isoformat()}:{digest}:{occurrence}"


def run_record(args: argparse.Namespace) -> int:
    from app.cli import CliError, describe_error
    from app.commands.process import (
        BatchProgress,
        OutcomeStream,
        check_forms,
        papers_folder,
        print_papers,
        read_requests,
        submit,
    )
    from app.services.audit.events import anchor_head
    from app.services.customers.pii import default_personal_data
    from app.services.orders.idempotency import occurrences
    from app.services.orders.service import OrderService, Submission

    requests, is_list = read_requests(args.request)
    check_forms(requests, is_list)
    who = acting.clerk(args.staff)
    personal_data = default_personal_data()  # no key: refused before the database is opened
    out_dir = papers_folder(args.out)
    stream = OutcomeStream(sys.stdout, jsonl=args.jsonl, as_list=is_list)
    progress = BatchProgress(len(requests))
    with acting.session(args, who) as a:
        service = OrderService(a.db, personal_data=personal_data)
        today = a.today()
        try:
            for req, nth in zip(requests, occurrences(requests), strict=True):
                rid = request_id(req, a.actor.counter_code, req.business_date or today, nth)
                result = submit(service, Submission(req, request_id=rid), a.actor, args.lang)
                progress.committed(result.order_no)
                if out_dir is not None and result.order_id is not None:
                    result.documents_printed = print_papers(a.db, result, out_dir, a.actor)
                outcome = result.outcome()
                if result.replay:
                    outcome["replay"] = True
                stream.write(outcome)
            stream.close()
            anchor_head(a.db)
        except Exception as exc:
            if not progress.count:
                raise  # nothing was committed: the ordinary one-line error says so
            stream.close_quietly()
            message, code = describe_error(exc, partial=True)
            print(f"counter: {message}", file=sys.stderr)
            raise CliError(progress.summary(), code) from None
    return 0
