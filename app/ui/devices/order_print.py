"""An order's papers from the window: written, printed on a worker, recorded when accepted.

Three steps, none on the GUI thread: the papers are rendered and written (the service's
`prepare_order_papers`, nothing recorded), printed one by one (`print_paper_set`, on the read
pool so that a slow printer never holds up the database writes), and then only the papers a
printer accepted are recorded as printed (`record_printed`, a write). The clerk sees one line
per paper.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.ui.devices.a4_print import PrintChoice
from app.ui.devices.paper_set import PaperOutcome, print_paper_set
from app.ui.devices.printer import PrintRoutes
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.op_runner import OpRunner
from app.ui.kit.operations import CollectionOp, OpContext, QueryOp

if TYPE_CHECKING:
    from app.db import Database
    from app.services.hall.registry import Actor
    from app.services.orders.papers import PreparedPapers

__all__ = ["PrintRun", "PrintingUnavailable", "print_prepared", "start_order_print"]


class PrintingUnavailable(Exception):
    """The papers module is not installed in this build."""


@dataclass(frozen=True)
class PrintRun:
    """The papers of one print (or reprint) and what became of each."""

    prepared: PreparedPapers
    outcomes: list[PaperOutcome]

    @property
    def printed(self) -> list[Path]:
        return [o.path for o in self.outcomes if o.printed]


def _record(runner: OpRunner, db: Database, actor: Actor, run: PrintRun,
            done: Callable[[PrintRun], None], failed: Callable[[OpFailure], None]) -> None:
    def work(_c: OpContext) -> PrintRun:
        from app.services.orders import papers

        papers.record_printed(db, run.prepared, run.printed, actor)
        return run

    if not run.printed:
        done(run)
        return
    (CollectionOp(runner, work, changes={"printed"})
     .success(done).failure(failed).run_in_background())


def print_prepared(runner: OpRunner, db: Database, actor: Actor, prepared: PreparedPapers,
                   paths: Sequence[Path], routes: PrintRoutes, *,
                   choices: Mapping[str, PrintChoice] | None = None,
                   done: Callable[[PrintRun], None],
                   failed: Callable[[OpFailure], None]) -> None:
    """Print `paths` (papers of `prepared`) again, e.g. those a first attempt did not print."""
    picked = dict(choices or {})

    def work(_c: OpContext) -> PrintRun:
        return PrintRun(prepared, print_paper_set(paths, routes, paper=prepared.paper,
                                                  choices=picked))

    (QueryOp(runner, work)
     .success(lambda run: _record(runner, db, actor, run, done, failed))
     .failure(failed).run_in_background())


def start_order_print(runner: OpRunner, db: Database, actor: Actor, order_id: int,
                      out_dir: Path, routes: PrintRoutes, *, reprint: bool = False,
                      done: Callable[[PrintRun], None],
                      failed: Callable[[OpFailure], None]) -> None:
    """Write the order's papers (marked 补打 when `reprint` and it was printed before), print
    them silently on the remembered printers, record those accepted. GUI thread."""

    def work(_c: OpContext) -> PrintRun:
        try:
            from app.services.orders import papers
        except ImportError as exc:
            raise PrintingUnavailable() from exc
        prepared = papers.prepare_order_papers(db, order_id, out_dir, reprint=reprint)
        return PrintRun(prepared, print_paper_set(prepared.paths, routes,
                                                  paper=prepared.paper))

    (QueryOp(runner, work)
     .success(lambda run: _record(runner, db, actor, run, done, failed))
     .failure(failed).run_in_background())
