"""`counter process REQUEST.json [--db URL] [--out DIR]` (request-format.md)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from app.core.request import Request, RequestError, load_json, parse_request


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("process", help="evaluate and record service requests from JSON")
    p.add_argument("request", help="a JSON file with one request or a list ('-' reads stdin)")
    p.add_argument("--db", help="database URL (default: SQLite in the user's data folder)")
    p.add_argument("--out", help="folder for the printed papers (PDF)")
    p.add_argument("--lang", default="zh", choices=["zh", "en"], help="language of messages")
    p.add_argument("--jsonl", action="store_true",
                   help="print each outcome as one JSON line as soon as it is stored")
    p.set_defaults(handler=run)


def read_requests(source: str) -> tuple[list[Request], bool]:
    """Parse every request before anything is written: one bad request stops them all."""
    try:
        raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as exc:
        raise RequestError("request", f"cannot read {source}: {exc.strerror}",
                           f"无法读取 {source}") from None
    data = load_json(raw)
    is_list = isinstance(data, list)
    items: list[Any] = data if is_list else [data]
    if is_list and not items:
        raise RequestError("request", "the list is empty", "列表为空")
    requests = []
    for i, item in enumerate(items):
        try:
            requests.append(parse_request(item))
        except RequestError as exc:
            if is_list:
                raise RequestError(f"[{i}].{exc.field}", exc.problem, exc.problem_zh) from None
            raise
    return requests, is_list


def run(args: argparse.Namespace) -> int:
    from app.db import open_database
    from app.services.hall.registry import batch_actor
    from app.services.orders.service import OrderService, Submission

    requests, is_list = read_requests(args.request)
    db = open_database(args.db)
    try:
        actor = batch_actor(db)  # also sets up the hall of a new database
        service = OrderService(db)
        # Check details and line presence of every request (pure) before writing any.
        for i, req in enumerate(requests):
            try:
                service.evaluate(req, args.lang)
            except RequestError as exc:
                field = f"[{i}].{exc.field}" if is_list else exc.field
                raise RequestError(field, exc.problem, exc.problem_zh) from None
        out_dir = Path(args.out) if args.out else None
        outcomes = []
        for req in requests:
            result = service.submit(Submission(req), actor, args.lang)
            if out_dir is not None and result.order_id is not None:
                from app.services.orders.papers import print_order

                result.documents_printed = [str(p) for p in
                                            print_order(db, result.order_id, out_dir, actor)]
            outcomes.append(result.outcome())
            if args.jsonl:  # the line is out only once its order is committed
                sys.stdout.write(json.dumps(outcomes[-1], ensure_ascii=False) + "\n")
                sys.stdout.flush()
    finally:
        db.dispose()
    if not args.jsonl:
        json.dump(outcomes if is_list else outcomes[0], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    return 0
