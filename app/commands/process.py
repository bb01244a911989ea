"""`counter process REQUEST.json [--db URL] [--out DIR]` (request-format.md).

The input is bounded (`MAX_BATCH_BYTES`, `MAX_BATCH_REQUESTS` in app/core/request.py) and
every request is parsed and checked against the catalog before the database is opened: a
malformed input exits 2 and creates no database.

Outcomes are never lost: each is printed (and flushed) as soon as its request is committed,
before the next request is tried, so a kill loses at most the one in flight. A batch that
stops half-way (a full disk, a database error) ends with a line naming what was committed and
what was not, exit 1; an order whose papers could not be written still gets its outcome, which
says how to print them (`counter reprint`). Run again, the same batch records nothing twice:
the orders an earlier run recorded come back as replays (idempotency key, OrderService.submit).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shlex
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from app.cli import CliError, describe_error, start_up_done
from app.core.catalog import get_catalog
from app.core.engine import check_form
from app.core.request import (
    MAX_BATCH_BYTES,
    Request,
    RequestError,
    load_batch,
    parse_request,
)

if TYPE_CHECKING:
    from app.db import Database
    from app.services.hall.registry import Actor
    from app.services.orders.service import OrderService, Submission, SubmitResult


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("process", help="evaluate and record service requests from JSON")
    p.add_argument("request", help="a JSON file with one request or a list ('-' reads stdin)")
    p.add_argument("--db", help="database URL (default: SQLite in the user's data folder)")
    p.add_argument("--out", help="folder for the printed papers (PDF)")
    p.add_argument("--lang", default="zh", choices=["zh", "en"], help="language of messages")
    p.add_argument("--jsonl", action="store_true",
                   help="print each outcome as one JSON line as soon as it is stored")
    p.set_defaults(handler=run, quick_start=True)  # says when its start-up is done


def read_bounded(source: str, limit: int = MAX_BATCH_BYTES) -> bytes:
    """The bytes of `source` (a path, or "-" for stdin), at most `limit` + 1 of them: one
    byte past the limit is enough to refuse, so /dev/zero or an endless pipe ends at once."""
    try:
        if source == "-":
            if sys.stdin is None:  # a windowed build started without a console
                raise RequestError("request", "no standard input", "没有标准输入")
            return sys.stdin.buffer.read(limit + 1)
        with open(source, "rb") as stream:
            return stream.read(limit + 1)
    except OSError as exc:
        raise RequestError("request", f"cannot read {source}: {exc.strerror}",
                           f"无法读取 {source}") from None


def read_requests(source: str) -> tuple[list[Request], bool]:
    """Parse every request before anything is written: one bad request stops them all."""
    items, is_list = load_batch(read_bounded(source))
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


def check_forms(requests: list[Request], is_list: bool) -> None:
    """What the engine would refuse as malformed (details, a missing line), checked with the
    catalog alone: a malformed request is refused before the database is opened or made."""
    catalog = get_catalog()
    for i, req in enumerate(requests):
        try:
            check_form(req, catalog)
        except RequestError as exc:
            field = f"[{i}].{exc.field}" if is_list else exc.field
            raise RequestError(field, exc.problem, exc.problem_zh) from None


def run(args: argparse.Namespace) -> int:
    from app.security.keys import start_loading_master_key

    start_loading_master_key()  # the key file's slow derivation runs beside these imports
    from app.db import open_database
    from app.services.audit.events import anchor_head
    from app.services.customers.pii import default_personal_data
    from app.services.orders.batch_approval import batch_actor_for_run, supervisor_from_env
    from app.services.orders.idempotency import occurrences
    from app.services.orders.service import OrderService, Submission

    requests, is_list = read_requests(args.request)
    check_forms(requests, is_list)
    personal_data = default_personal_data()  # no key, no database: refused before it is made
    out_dir = papers_folder(args.out)  # a folder that cannot be made: refused before, too
    db = open_database(args.db)
    stream = OutcomeStream(sys.stdout, jsonl=args.jsonl, as_list=is_list)
    progress = BatchProgress(len(requests))
    try:
        service = OrderService(db, personal_data=personal_data)
        # Paying money out needs a supervisor for the run (checked before anything is written).
        actor = batch_actor_for_run(db, service, requests, credentials=supervisor_from_env(),
                                    ask=ask_supervisor if sys.stdin and sys.stdin.isatty() else None)
        start_up_done()  # what is loaded so far lives to the end: the requests collect as usual
        # The n-th of identical requests is its own order, and maps onto it again on a rerun.
        for req, occurrence in zip(requests, occurrences(requests), strict=True):
            result = submit(service, Submission(req, occurrence=occurrence), actor, args.lang)
            progress.committed(result.order_no)
            papers_error = None
            if out_dir is not None and result.order_id is not None:
                try:
                    result.documents_printed = print_papers(db, result, out_dir, actor)
                except Exception as exc:  # the order stands; its outcome says how to reprint
                    papers_error = papers_failed(result.order_no or "", out_dir, args.db, exc)
            outcome = result.outcome()
            if result.replay:  # recorded before (an earlier run of the batch): not again
                outcome["replay"] = True
            if papers_error:
                outcome["papers_error"] = papers_error
            stream.write(outcome)  # only once its order is committed; flushed at once
            if papers_error:
                raise CliError(papers_error)
        stream.close()
        anchor_head(db)  # the run's last event, kept in the key store (audit anchors)
    except KeyboardInterrupt:
        if progress.count:
            stream.close_quietly()
            print(f"counter: {progress.summary()}", file=sys.stderr)
        raise
    except Exception as exc:
        if not progress.count:
            raise  # nothing was committed: the ordinary one-line error says so
        stream.close_quietly()
        message, code = describe_error(exc, partial=True)
        print(f"counter: {message}", file=sys.stderr)
        raise CliError(progress.summary(), code) from None
    finally:
        db.dispose()
    return 0


def ask_supervisor() -> tuple[str, str] | None:
    """A supervisor's staff number and password, typed at the terminal (stdout is the JSON)."""
    import getpass

    sys.stderr.write("本批有退款，需要值班长授权 / refunds in this batch need a supervisor\n"
                     "值班长工号 / supervisor staff number: ")
    sys.stderr.flush()
    staff_no = sys.stdin.readline().strip()
    password = getpass.getpass("密码 / password: ", stream=sys.stderr) if staff_no else ""
    return (staff_no, password) if staff_no and password else None


def submit(service: OrderService, sub: Submission, actor: Actor, lang: str) -> SubmitResult:
    """Submit one request; after a fault of the machine, once more. A commit that went through
    before the fault was reported (a step after the commit failing) then comes back as the
    order recorded under the request's key, instead of being told as not committed; a request
    not recorded is tried again, and a lasting fault (a full disk) fails again."""
    from sqlalchemy.exc import SQLAlchemyError

    from app.db import DatabaseError

    try:
        return service.submit(sub, actor, lang)
    except (SQLAlchemyError, DatabaseError, OSError):
        return service.submit(sub, actor, lang)


def papers_folder(out: str | None) -> Path | None:
    if not out:
        return None
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def print_papers(db: Database, result: SubmitResult, out_dir: Path, actor: Actor) -> list[str]:
    """The order's papers; for a replay of an order recorded by an earlier run, only if that
    run stopped before printing them (a rerun never prints the same order twice)."""
    from app.services.orders.papers import is_printed, print_order

    assert result.order_id is not None
    if result.replay and is_printed(db, result.order_id):
        return []
    return [str(p) for p in print_order(db, result.order_id, out_dir, actor)]


def papers_failed(order_no: str, out_dir: Path, db_url: str | None, exc: Exception) -> str:
    """What the outcome and the error line say when an order is committed but its papers
    could not be written (a full disk): that it stands, and the command that prints them."""
    cause = (exc.strerror or str(exc)) if isinstance(exc, OSError) else \
        describe_error(exc, partial=True)[0]
    command = f"counter reprint {order_no} --out {shlex.quote(str(out_dir))}"
    if db_url:
        from sqlalchemy.engine import make_url

        command += " --db " + shlex.quote(make_url(db_url).render_as_string(hide_password=True))
    return (f"订单 {order_no} 已提交，但单据未能写入（{cause}）；补打：{command} / order "
            f"{order_no} is committed but its papers could not be written ({cause}); print "
            f"them with: {command}")


class OutcomeStream:
    """Each outcome goes out the moment its request is committed, flushed, so a batch that
    stops later (a full disk, a database error, a kill) has told every outcome it recorded but
    at most the one in flight. One JSON line each with --jsonl; otherwise the JSON of
    request-format.md, a list written element by element (and closed if the batch stops)."""

    def __init__(self, out: TextIO, *, jsonl: bool, as_list: bool) -> None:
        self.out, self.jsonl, self.as_list = out, jsonl, as_list and not jsonl
        self.written = 0
        self.closed = False

    def write(self, outcome: dict[str, Any]) -> None:
        if self.jsonl:
            text = json.dumps(outcome, ensure_ascii=False) + "\n"
        elif self.as_list:  # exactly as json.dump(outcomes, indent=2) lays a list out
            item = textwrap.indent(json.dumps(outcome, ensure_ascii=False, indent=2), "  ")
            text = ("[\n" if self.written == 0 else ",\n") + item
        else:
            text = json.dumps(outcome, ensure_ascii=False, indent=2) + "\n"
        self._put(text)
        self.written += 1

    def close(self) -> None:
        if self.as_list and self.written and not self.closed:
            self.closed = True
            self._put("\n]\n")

    def close_quietly(self) -> None:
        """Close the list of a batch that stopped, if the output still takes it."""
        with contextlib.suppress(OSError, CliError):
            self.close()

    def _put(self, text: str) -> None:
        try:
            self.out.write(text)
            self.out.flush()
        except OSError as exc:  # a full disk under a redirected output, a closed pipe
            raise CliError(f"结果无法输出（{exc.strerror or exc}） / the outcome could not be "
                           f"written out ({exc.strerror or exc})") from None


@dataclass
class BatchProgress:
    """What a batch has committed so far, to name it when the batch stops half-way."""

    total: int
    count: int = 0
    order_nos: list[str] = field(default_factory=list)

    def committed(self, order_no: str | None) -> None:
        """One more request recorded: an order, or an entry of the intake log (no number)."""
        self.count += 1
        if order_no:
            self.order_nos.append(order_no)

    def summary(self) -> str:
        shown, more = self.order_nos[:NAMED_ORDERS], len(self.order_nos) - NAMED_ORDERS
        if not shown:
            zh, en = "无受理订单", "no order accepted"
        else:
            zh = "订单 " + "、".join(shown) + (f" 等共 {len(self.order_nos)} 个" if more > 0 else "")
            en = "orders " + ", ".join(shown) + (f" and {more} more" if more > 0 else "")
        done, left = self.count, self.total - self.count
        if not left:
            return f"已提交全部 {done} 条（{zh}） / committed all {done} ({en})"
        return (f"已提交 {done} 条（{zh}），未提交 {left} 条（从第 {done + 1} 条起） / committed "
                f"{done} ({en}), not committed {left} (from #{done + 1})")


NAMED_ORDERS = 10  # the stop line names this many; every outcome above names its own order
