"""Printing an order's papers, each to its printer, with one outcome line per paper.

Runs on a worker thread (it never opens a window): receipts and tickets go to the ESC/POS
printer when one is set, every other paper through `QPrinter`. A fault on one paper never stops
the others, and never raises: it becomes that paper's outcome sentence. Nothing is recorded
here; the caller records as printed only the papers whose outcome is `printed`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.ui.devices.a4_print import (
    PrintChoice,
    PrintOutcome,
    new_printer,
    paint_pdf,
    resolve_printer,
)
from app.ui.devices.printer import PAPER_TITLES, PrintRoutes, paper_kind

if TYPE_CHECKING:
    from app.printing import OrderPaper

__all__ = ["PaperOutcome", "print_one", "print_paper_set"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PaperOutcome:
    """One paper's line on the done page: "业务受理单：已送打印机“HP”（1 页）"."""

    path: Path
    kind: str
    ok: bool
    zh: str
    en: str
    printer: str = ""
    on_paper: bool = True

    @property
    def printed(self) -> bool:
        """Accepted by a printer (a PDF written on request is not a printed paper)."""
        return self.ok and self.on_paper

    def line(self, lang: str = "zh") -> str:
        zh_title, en_title = PAPER_TITLES.get(self.kind, (self.kind, self.kind))
        if lang.startswith("en"):
            return f"{en_title}: {self.en}"
        return f"{zh_title}：{self.zh}"


def _escpos(path: Path, kind: str, paper: OrderPaper | None, routes: PrintRoutes,
            url: str) -> PaperOutcome:
    if paper is None:  # a paper file without its order's data (e.g. a report)
        return PaperOutcome(path, kind, False, "没有单据数据，无法在小票打印机上打印。",
                            "The paper's data is missing; it cannot go to the receipt printer.")
    try:
        from app.devices.receipt_printer import ReceiptPrinterError, print_paper
    except ImportError:
        return PaperOutcome(path, kind, False, "本机未安装小票打印机驱动。",
                            "The receipt printer driver is not installed.", url)
    assert routes.config is not None  # an ESC/POS url comes from devices.ini
    try:
        result = print_paper(paper, kind, routes.config)
    except ReceiptPrinterError as exc:
        return PaperOutcome(path, kind, False, exc.zh, exc.en, url)
    return PaperOutcome(path, kind, True, result.zh, result.en, result.printer_url)


def _through_qt(path: Path, kind: str, routes: PrintRoutes,
                choice: PrintChoice | None) -> PaperOutcome:
    if choice is None:
        resolved = resolve_printer(routes.printer_for(kind))
        if isinstance(resolved, PrintOutcome):
            return PaperOutcome(path, kind, False, resolved.zh, resolved.en, resolved.printer)
        choice = PrintChoice(resolved)
    outcome = paint_pdf(path, new_printer(choice), doc_name=path.stem)
    return PaperOutcome(path, kind, outcome.ok, outcome.zh, outcome.en, outcome.printer,
                        outcome.on_paper)


def print_one(path: Path, routes: PrintRoutes, *, paper: OrderPaper | None = None,
              choice: PrintChoice | None = None) -> PaperOutcome:
    """Print one paper file; `choice` (from the print dialog) overrides the remembered
    printer of a paper printed through Qt. Never raises."""
    kind = paper_kind(path)
    try:
        url = routes.escpos_url(kind)
        if url:
            return _escpos(path, kind, paper, routes, url)
        return _through_qt(path, kind, routes, choice)
    except Exception:  # a bug in a driver must not lose the other papers' outcomes
        logger.exception("Printing a %s failed", kind)
        return PaperOutcome(path, kind, False, "打印时出现意外错误，未打印；请重试或联系管理员。",
                            "An unexpected error stopped the print; try again or call the "
                            "administrator.")


def print_paper_set(paths: Sequence[Path], routes: PrintRoutes, *,
                    paper: OrderPaper | None = None,
                    choices: Mapping[str, PrintChoice] | None = None) -> list[PaperOutcome]:
    """Print every paper, in order; one outcome each. `choices` maps a kind to the clerk's
    pick in the print dialog."""
    choices = choices or {}
    return [print_one(path, routes, paper=paper, choice=choices.get(paper_kind(path)))
            for path in paths]
