"""The end of the visit: the recorded order (or the intake-log entry) and its papers, with
preview, print and reprint; the arrears receipt of the same visit too.

"Finish: next customer" is not where a double click on Submit lands: it is enabled only once
the papers' printing has reported (and never sooner than `FINISH_DELAY_MS`). A chained visit
offers the service to go back to (解挂 done: now 补卡) as what Enter does.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.core.money import format_yuan
from app.ui.kit import labels
from app.ui.kit.theme import set_role
from app.ui.wizard.base import DONE, VisitPage, esc
from app.ui.wizard.pages_verdict import banner_style

if TYPE_CHECKING:
    from app.services.orders.service import SubmitResult
    from app.ui.devices.paper_set import PaperOutcome
    from app.ui.wizard.controller import Printed, VisitController

FINISH_DELAY_MS = 800


class DonePage(VisitPage):
    page_id = DONE

    def snapshot(self) -> None:
        pass

    def __init__(self, controller: VisitController) -> None:
        super().__init__(controller)
        self.setTitle(self.tr("Done"))
        self.banner = QLabel()
        self.banner.setObjectName("doneBanner")
        self.banner.setWordWrap(True)
        self.body = QLabel()
        self.body.setObjectName("doneBody")
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.print_status = QLabel()
        self.print_status.setObjectName("printStatus")
        self.print_status.setWordWrap(True)
        self.preview = QPushButton(self.tr("Preview"))
        self.preview.setObjectName("previewButton")
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.setObjectName("printButton")
        self.print_button.setShortcut(QKeySequence.StandardKey.Print)
        self.print_button.setToolTip(self.tr("Print the papers not printed yet, choosing the "
                                             "printer (Ctrl+P)"))
        self.reprint = QPushButton(self.tr("Reprint"))
        self.reprint.setObjectName("reprintButton")
        row = QHBoxLayout()
        row.addWidget(self.preview)
        row.addWidget(self.print_button)
        row.addWidget(self.reprint)
        row.addStretch(1)
        self.print_row = QWidget()
        self.print_row.setLayout(row)
        # the arrears paid in this visit: its receipt, printed when paid, and 补打
        self.receipts = QLabel()
        self.receipts.setObjectName("visitReceipts")
        self.receipts.setWordWrap(True)
        self.receipt_reprint = QPushButton(self.tr("Reprint the arrears receipt"))
        self.receipt_reprint.setObjectName("receiptReprintButton")
        self.receipt_reprint.clicked.connect(self._reprint_receipts)
        # the same customer goes on: the service waiting (chained), or another one
        self.then_button = QPushButton()
        self.then_button.setObjectName("thenButton")
        set_role(self.then_button, "primary")
        self.then_button.clicked.connect(self._then)
        self.same_button = QPushButton(self.tr("Another service for this customer"))
        self.same_button.setObjectName("sameCustomerButton")
        self.same_button.clicked.connect(
            lambda: self.visit_wizard.leave_for("same_customer"))
        for b in (self.preview, self.print_button, self.reprint, self.receipt_reprint,
                  self.then_button, self.same_button):
            b.setAutoDefault(False)  # Enter is the page's `enter`, never a stray default
        go_on = QHBoxLayout()
        go_on.addWidget(self.then_button)
        go_on.addWidget(self.same_button)
        go_on.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.body)
        layout.addWidget(self.print_status)
        layout.addWidget(self.print_row)
        layout.addWidget(self.receipts)
        layout.addWidget(self.receipt_reprint)
        layout.addLayout(go_on)
        layout.addStretch(1)
        self._may_finish = False
        self._awaiting_print = False  # the first print has not reported yet
        self._delay = QTimer(self)
        self._delay.setSingleShot(True)
        self._delay.setInterval(FINISH_DELAY_MS)
        self._delay.timeout.connect(self._update_finish)
        self.preview.clicked.connect(self._preview)
        self.print_button.clicked.connect(self._print)
        self.reprint.clicked.connect(self._reprint)
        controller.printed.connect(self._printed)
        controller.print_failed.connect(self._print_failed)
        self.setFinalPage(True)
        self._busy = False  # a print of this page's papers is running
        # The cursor rests on the page itself: Enter is `enter` (no button under it).
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def initializePage(self) -> None:
        result = self.controller.result
        assert result is not None
        ev = result.evaluation
        self.setButtonText(self.wizard().WizardButton.FinishButton,
                           self.tr("Finish: next customer"))
        self._may_finish = False
        self._delay.start()
        self.aim(self)
        self._show_go_on()
        self._show_receipts()
        if result.order_no:
            self.banner.setText(self.tr("Order {order_no} recorded").format(
                order_no=result.order_no))
            self.banner.setStyleSheet(banner_style("accepted"))
            lines = [self.tr("Total paid: {amount} yuan").format(
                amount=format_yuan(ev.total_fen))]
            if ev.effective:
                lines.append(self.tr("Takes effect: {when}").format(
                    when=labels.text(ev.effective.text)))
            lines += [labels.text(n) for n in ev.notices]
            lines += [self.tr("Follow-up: {task}, due {due}").format(
                task=labels.text(f.name), due=f.due.strftime("%Y-%m-%d %H:%M"))
                for f in ev.follow_ups]
            self.body.setText("<br/>".join(esc(x) for x in lines))
            self.print_row.show()
            self._set_print_buttons(False)
            self.print_status.setText(self.tr("Printing the papers..."))
            self._awaiting_print = True
            assert result.order_id is not None
            self.controller.print_papers(result.order_id, result.order_no)
        else:
            self.banner.setText(self.tr("Recorded in the intake log: {decision}").format(
                decision=labels.decision_name(ev.decision)))
            self.banner.setStyleSheet(banner_style(ev.decision))
            catalog = self.controller.ctx.catalog
            reasons = [v.message for v in ev.violations]
            reasons += [labels.missing_name(catalog, ev.service, m) for m in ev.missing]
            self.body.setText("<br/>".join(esc(r) for r in reasons))
            self.print_row.hide()
            self.print_status.clear()
        self.completeChanged.emit()

    # -- finishing ------------------------------------------------------------------------------

    def isComplete(self) -> bool:
        return self._may_finish

    def _update_finish(self) -> None:
        self._may_finish = not self._delay.isActive() and not self._printing()
        self.completeChanged.emit()
        self.then_button.setEnabled(self._may_finish)

    def _printing(self) -> bool:
        return self._awaiting_print

    def enter(self) -> None:
        """Enter on this page: go on with the service waiting, else finish (once allowed)."""
        if not self._may_finish:
            return
        if not self.then_button.isHidden():
            self.then_button.click()
        else:
            self.wizard().button(self.wizard().WizardButton.FinishButton).click()

    def _then_code(self) -> str | None:
        visit = self.visit_wizard.visit
        result = self.controller.result
        if visit is None or not visit.then or result is None or not result.order_no:
            return None
        return visit.then if visit.then != self.controller.state.service else None

    def _show_go_on(self) -> None:
        code = self._then_code()
        self.then_button.setVisible(code is not None)
        self.then_button.setEnabled(False)
        if code is not None:
            name = labels.text(self.controller.ctx.catalog.services[code].name)
            self.then_button.setText(self.tr("Go on: {service} (Enter)").format(service=name))
        result = self.controller.result
        self.same_button.setVisible(bool(result and result.order_no and
                                         self.visit_wizard.visit is not None))

    def _then(self) -> None:
        code = self._then_code()
        if code is not None and self._may_finish:
            self.visit_wizard.leave_for("then_requested", code)

    # -- the arrears receipts of this visit -----------------------------------------------------

    def _bills(self) -> list[SubmitResult]:
        return [b for b in self.controller.bill_payments if b.order_no and b.order_id]

    def _show_receipts(self) -> None:
        lang = self.controller.ctx.lang
        lines = []
        for bill in self._bills():
            run = self.controller.print_runs.get(bill.order_no or "")
            head = self.tr("Arrears payment {order_no}, {amount} yuan").format(
                order_no=bill.order_no, amount=format_yuan(bill.evaluation.total_fen))
            outcome = "; ".join(o.line(lang) for o in run.outcomes) if run else self.tr(
                "printing...")
            lines.append(f"{head}: {outcome}")
        self.receipts.setText("\n".join(lines))
        self.receipts.setVisible(bool(lines))
        self.receipt_reprint.setVisible(bool(lines))

    def _reprint_receipts(self) -> None:
        for bill in self._bills():
            assert bill.order_id is not None and bill.order_no is not None
            self.controller.print_papers(bill.order_id, bill.order_no, reprint=True)

    def _set_print_buttons(self, enabled: bool) -> None:
        if enabled:
            self._busy = False
        for b in (self.preview, self.print_button, self.reprint):
            b.setEnabled(enabled)
        if enabled:  # Print… is for the papers not printed yet; another copy is a reprint
            self.print_button.setEnabled(bool(self.unprinted()))

    def _printed(self, printed: Printed) -> None:
        result = self.controller.result
        if result is None:
            return
        if printed.order_no != result.order_no:  # the receipt of the arrears paid
            self._show_receipts()
            return
        self._set_print_buttons(True)
        self._awaiting_print = False
        self._update_finish()
        lang = self.controller.ctx.lang
        lines = [o.line(lang) for o in printed.outcomes]
        self.print_status.setText("\n".join(lines) if lines else self.tr(
            "Papers saved: {files}").format(files=", ".join(p.name for p in printed.paths)))

    def _print_failed(self, message: str) -> None:
        self.print_status.setText(message)
        self._set_print_buttons(bool(self.papers()))  # papers written earlier stay usable
        self._busy = False
        self._awaiting_print = False
        self._update_finish()

    def papers(self) -> list[Path]:
        result = self.controller.result
        return self.controller.printed_paths.get(result.order_no or "", []) if result else []

    def outcomes(self) -> dict[Path, PaperOutcome]:
        result = self.controller.result
        run = self.controller.print_runs.get(result.order_no or "") if result else None
        return {o.path: o for o in run.outcomes} if run else {}

    def unprinted(self) -> list[Path]:
        done = self.outcomes()
        return [p for p in self.papers() if not (p in done and done[p].printed)]

    def _preview(self) -> None:
        from app.ui.devices.preview import PreviewDialog, PreviewPaper
        from app.ui.devices.printer import PAPER_TITLES, paper_kind

        pending, english = set(self.unprinted()), self.controller.ctx.lang == "en"
        papers = []
        for path in self.papers():
            kind = paper_kind(path)
            zh, en = PAPER_TITLES.get(kind, (kind, kind))
            papers.append(PreviewPaper(en if english else zh, path, kind, path in pending,
                                       path.name))
        if not papers:
            return
        dialog = PreviewDialog(papers, self, runner=self.controller.ctx.runner,
                               handle_print=False, settings=self.controller.ctx.settings)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.print_requested.connect(lambda i: self._print_paths([papers[i].source], dialog))
        self.preview_dialog = dialog
        dialog.open()

    def _print(self) -> None:
        self._print_paths(self.unprinted(), self)

    def _print_paths(self, paths: list[Any], parent: QWidget) -> None:
        """Print papers not printed yet: the print dialog for each kind printed through Qt
        (the printer picked is remembered for that kind); receipts go to the receipt printer
        without one. A kind whose dialog is cancelled stays unprinted."""
        from app.ui.devices import a4_print
        from app.ui.devices.printer import PAPER_TITLES, paper_kind, remember_printer, routes_from

        result = self.controller.result
        if result is None or not result.order_no or self._busy:
            return
        pending = set(self.unprinted())  # never a second first print of a printed paper
        paths = [p for p in paths if Path(p) in pending]
        routes = routes_from(self.controller.ctx.settings)
        english = self.controller.ctx.lang == "en"
        choices: dict[str, a4_print.PrintChoice] = {}
        todo, notes = [], []
        for path in [Path(p) for p in paths]:
            kind = paper_kind(path)
            if routes.escpos_url(kind) or kind in choices:
                todo.append(path)
                continue
            zh, en = PAPER_TITLES.get(kind, (kind, kind))
            title = en if english else zh
            asked = a4_print.ask_choice(parent, routes.printer_for(kind) or None,
                                        title=self.tr("Print: {paper}").format(paper=title))
            if isinstance(asked, a4_print.PrintOutcome):
                notes.append(f"{title}: {asked.en}" if english else f"{title}：{asked.zh}")
                continue
            if asked.printer_name:
                remember_printer(kind, asked.printer_name)
            choices[kind] = asked
            todo.append(path)
        if not todo:
            self.print_status.setText("\n".join(notes))
            return
        self._set_print_buttons(False)
        self._busy = True
        self.print_status.setText("\n".join([*notes, self.tr("Printing...")]))
        self.controller.print_again(result.order_no, todo, dict(choices))

    def _reprint(self) -> None:
        result = self.controller.result
        if result is None or result.order_id is None or result.order_no is None:
            return
        self._set_print_buttons(False)
        self.print_status.setText(self.tr("Printing again (marked as reprint)..."))
        self.controller.print_papers(result.order_id, result.order_no, reprint=True)

    def validatePage(self) -> bool:
        return True

    def nextId(self) -> int:
        return -1
