"""The service wizard: one QWizard for every service, its pages generated from the catalog.

Branching lives in `next_id_after`: the verdict decides whether payment and signature follow
or the request goes to the intake log. The page before the last one submits: its
`validatePage` starts the write on the worker and returns False; when the order (or intake
entry) is recorded, the wizard moves on by itself. The visit is saved as a draft each time a
page is entered, so a crash or a closed window loses nothing; cancelling asks whether the
customer gave up, which goes to the intake log as ``abandoned``.

Keyboard: Enter is exactly one 下一步 (`EnterIsNext`). A service picked at the counter (or on
the first page) opens on the first page that needs the clerk: the blockers known before typing
(`precheck`) stop it on the customer page; otherwise it goes on past what the visit already
knows (`Visit`). A page with nothing to do is passed: the papers when none is asked for beyond
the presenter's own ID, and the verdict when the engine accepts and payment or signing
follows (leaving the details asks the engine first; the payment and signature pages then show
the acceptance, its fees and notices, at their top). Refusals and incompletes stop on the
verdict page, which is also where a request with nothing to pay or sign is submitted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QHideEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget, QWizard

from app.ui.kit import labels
from app.ui.shell.context import AppContext
from app.ui.wizard.base import (
    CUSTOMER,
    DETAILS,
    DOCUMENTS,
    DONE,
    PAGE_NAMES,
    PAYMENT,
    PRESENTER,
    SERVICE,
    SIGNATURE,
    VERDICT,
    EnterIsNext,
)
from app.ui.wizard.controller import VisitController
from app.ui.wizard.pages_done import DonePage
from app.ui.wizard.pages_input import DetailsPage, DocumentsPage
from app.ui.wizard.pages_payment import PaymentPage
from app.ui.wizard.pages_signature import SignaturePage
from app.ui.wizard.pages_start import CustomerPage, PresenterPage, ServicePage
from app.ui.wizard.pages_verdict import VerdictPage
from app.ui.wizard.state import VisitState, implied_details
from app.ui.wizard.verdict_summary import VerdictFirst

if TYPE_CHECKING:
    from app.services.customers.queries import CustomerDetail
    from app.services.hall.registry import Actor
    from app.services.orders.service import PaymentIn, SignatureIn
    from app.ui.counter.visit import Visit
    from app.ui.wizard.refund_approval import RefundApprovalDialog
    from app.ui.wizard.visit_blockers import PreCheck


AUTOSAVE_MS = 700


class ServiceWizard(QWizard):
    finished_visit = Signal()  # recorded, abandoned or closed: the counter is free again
    first_requested = Signal(str)  # run this service first (解挂 before 补卡), then come back
    then_requested = Signal(str)  # go on with this service of the same visit
    same_customer = Signal()  # another service for the customer of this visit

    def __init__(self, ctx: AppContext, *, service: str | None = None,
                 customer: CustomerDetail | None = None, state: VisitState | None = None,
                 draft_id: int | None = None, visit: Visit | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("serviceWizard")
        self.ctx = ctx
        self.controller = VisitController(ctx, state, customer, draft_id, parent=self)
        self.verdict_first = VerdictFirst(self)  # leaving the details asks the engine first
        self.visit = visit
        self.keep_visit = False  # closed to go on with the same customer (chained services)
        self.presenter_known = False
        if service:
            self.controller.state.service = service
            self._seed()
        self._target: str | None = None  # the page to go on to once no blocker stops it
        self.payments: list[PaymentIn] = []
        self.signature: SignatureIn | None = None
        self.busy = False
        self.error_box: QMessageBox | None = None
        self.abandon_box: QMessageBox | None = None
        self.confirm_box: QMessageBox | None = None
        self.approval_dialog: RefundApprovalDialog | None = None
        self._pending: tuple[list[PaymentIn], SignatureIn | None] = ([], None)
        self.pages = {
            SERVICE: ServicePage(self.controller),
            CUSTOMER: CustomerPage(self.controller),
            PRESENTER: PresenterPage(self.controller),
            DOCUMENTS: DocumentsPage(self.controller),
            DETAILS: DetailsPage(self.controller),
            VERDICT: VerdictPage(self.controller),
            PAYMENT: PaymentPage(self.controller),
            SIGNATURE: SignaturePage(self.controller),
            DONE: DonePage(self.controller),
        }
        self.done_page = cast("DonePage", self.pages[DONE])
        self.details_page = cast("DetailsPage", self.pages[DETAILS])
        for pid, page in self.pages.items():
            self.setPage(pid, page)
        self.setStartId(SERVICE)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        # No default button: Enter is one 下一步 (`enter_pressed`), and 完成 never inherits
        # the place and the default of 下一步 (a double click would skip the printing).
        self.setOption(QWizard.WizardOption.NoDefaultButton, True)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Next"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("Back"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Customer gave up"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Finish"))
        self.setWindowTitle(self.tr("Service"))
        self.setMinimumSize(860, 640)
        self.currentIdChanged.connect(self._entered)
        self.controller.submitted.connect(self._submitted)
        self.controller.submit_failed.connect(self._submit_failed)
        self.controller.refund_refused.connect(self._refund_refused)
        self.controller.abandoned.connect(self._abandoned)
        self._done = False
        # Typing is saved too, a moment after it stops (not only when a page is entered).
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self._save_now)
        for page in self.pages.values():
            page.completeChanged.connect(self._autosave.start)
        self.controller.prechecked.connect(self._prechecked)
        self.enter_filter = EnterIsNext(self, self.enter_pressed)
        ctx.settings.restore_geometry("service_wizard", self)

    # -- navigation -----------------------------------------------------------------------------

    def next_id_after(self, pid: int) -> int:
        c = self.controller
        svc = c.service
        if pid == PRESENTER and svc is not None and not c.checklist():
            return DETAILS  # no paper to tick beyond the presenter's own ID
        if pid == DETAILS:
            return self.verdict_first.next_page()
        if pid < VERDICT:
            return pid + 1
        if svc is None:
            return -1
        if pid == VERDICT:
            ev = c.evaluation
            if ev is None or ev.decision != "accepted":
                return DONE
            if ev.total_fen > 0:
                return PAYMENT
            return SIGNATURE if svc.signature else DONE
        if pid == PAYMENT:
            return SIGNATURE if svc.signature else DONE
        if pid == SIGNATURE:
            return DONE
        return -1

    def advance_to(self, page: str) -> None:
        """Go forward through the pages (as the clerk would) up to `page`, stopping early where
        a page is not complete. Used to resume a draft and to open on a chosen service."""
        target = min(PAGE_NAMES.index(page) if page in PAGE_NAMES else SERVICE, VERDICT)
        while self.currentId() < target:
            before = self.currentId()
            current = self.currentPage()  # None once the wizard was closed before this ran
            if current is None or not current.isComplete():
                break
            self.next()
            if self.currentId() == before:
                break

    def _save_now(self) -> None:
        pid = self.currentId()
        if pid < 0 or pid == DONE or self.busy or self._done:
            return
        self.pages[pid].snapshot()
        self.controller.save_draft(PAGE_NAMES[pid])

    def _seed(self) -> None:
        """The visit's presenter and papers into this service (`Visit.seed`)."""
        if self.visit is not None:
            self.presenter_known = self.visit.seed(self.controller.state, self.ctx.catalog,
                                                   self.controller.carrier)

    def service_picked(self) -> None:
        """A service chosen on the first page (Ctrl+N, a few letters, Enter) goes on as one
        picked at the counter: seeded from the visit, checked at once, past what is known."""
        self._seed()
        self._target = self.first_target()
        self.controller.precheck()

    def first_target(self) -> str | None:
        """Where a service picked at the counter goes on to by itself once no blocker stops it
        (the line being chosen already): the papers when this visit confirmed the presenter in
        a service before; the presenter page, pre-filled, when the search was the owner's own
        ID (card or number) or the service runs first in a chain; else the customer page."""
        c, visit = self.controller, self.visit
        svc = c.service
        if svc is None or not svc.needs_line or c.customer is None or not c.state.line_number:
            return None
        if self.presenter_known:
            return "documents"
        if visit is not None and (visit.hint is not None or visit.then):
            return "presenter"
        return None

    def initializePage(self, pid: int) -> None:
        page = self.pages.get(pid)
        if page is not None:
            page.aim(None)
        super().initializePage(pid)
        if page is not None:
            page.remember_focus()

    def _focus(self, pid: int) -> None:
        if self.currentId() == pid:
            self.pages[pid].focus_first()

    def _prechecked(self, _check: PreCheck) -> None:
        self._maybe_go_on()

    def _maybe_go_on(self) -> None:
        check = self.controller.check
        if self._target is None or check is None or self.currentId() != CUSTOMER:
            return
        if check.blockers:
            return  # the clerk sees them first; paying the arrears checks again
        target, self._target = self._target, None
        self.advance_to(target)

    def _entered(self, pid: int) -> None:
        if pid < 0:
            return
        QTimer.singleShot(0, lambda: self._focus(pid))  # once the page switch is over
        if pid == CUSTOMER:
            QTimer.singleShot(0, self._maybe_go_on)
        svc = self.controller.service
        self.setWindowTitle(self.tr("Service: {name}").format(name=labels.text(svc.name))
                            if svc else self.tr("Service"))
        if pid != DONE:
            self.controller.save_draft(PAGE_NAMES[pid])

    # -- submitting -----------------------------------------------------------------------------

    def guard_submit(self, pid: int) -> bool:
        """Let the page go on, or start recording when the next page is the last."""
        svc = self.controller.service
        if pid == DOCUMENTS and svc is not None:
            implied_details(svc, self.controller.state)
        if pid == PRESENTER and self.next_id_after(pid) == DETAILS:
            self.controller.state.documents = {}  # none asked for (the role may have changed)
        if pid == DETAILS and not self.verdict_first.may_leave():
            return False
        if self.next_id_after(pid) != DONE:
            return True
        if self.controller.result is not None:
            return True
        if not self.busy:
            record_only = pid == VERDICT and (
                self.controller.evaluation is None
                or self.controller.evaluation.decision != "accepted")
            payments = [] if record_only else self.payments
            signature = None if record_only or pid != SIGNATURE else self.signature
            if not record_only and self.controller.needs_refund_approval():
                self.ask_refund_approval(payments, signature)
            elif not record_only and self.controller.closes_line():
                self.confirm_closing(payments, signature)
            else:
                self._start_submit(payments, signature, record_only=record_only)
        return False

    def confirm_closing(self, payments: list[PaymentIn], signature: SignatureIn | None) -> None:
        """销户 cannot be undone: asked once more, No (and Esc) being the default."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Cancel the line?"), self.tr(
            "Line {line} will be closed. This cannot be undone. Submit the cancellation?").format(
            line=self.controller.state.line_number or ""),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("confirmClosingBox")
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("&Yes, close the line"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("&No, go back"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        self.confirm_box = box

        def answered(answer: int) -> None:
            if answer == QMessageBox.StandardButton.Yes:
                self._start_submit(payments, signature)

        box.finished.connect(answered)
        box.open()

    def _start_submit(self, payments: list[PaymentIn], signature: SignatureIn | None, *,
                      record_only: bool = False, actor: Actor | None = None) -> None:
        self.busy = True
        self.refresh_complete()
        self._pending = (payments, signature)
        self.controller.submit(payments, signature, record_only=record_only, actor=actor)

    def ask_refund_approval(self, payments: list[PaymentIn], signature: SignatureIn | None,
                            message: str = "") -> None:
        """Money goes back to the customer: a supervisor authorizes it (值班长授权), then the
        order is recorded under that authorization. Cancelling stays on this page, unwritten."""
        from app.ui.wizard.refund_approval import RefundApprovalDialog

        self.busy = True  # nothing else is submitted while the supervisor is asked
        self.refresh_complete()
        dialog = RefundApprovalDialog(self.controller, self.controller.refund_fen(), self)
        dialog.show_error(message)
        self.approval_dialog = dialog
        dialog.finished.connect(lambda result: self._approval_done(dialog, result, payments,
                                                                    signature))
        dialog.open()

    def _approval_done(self, dialog: RefundApprovalDialog, result: int,
                       payments: list[PaymentIn], signature: SignatureIn | None) -> None:
        self.busy = False
        if result == QDialog.DialogCode.Accepted and dialog.actor is not None:
            self._start_submit(payments, signature, actor=dialog.actor)
        else:
            self.refresh_complete()

    def _refund_refused(self, message: str) -> None:
        """The core refused the refund (the role changed, or the authorization lapsed): ask
        for a supervisor's authorization, showing why."""
        self.busy = False
        self.ask_refund_approval(*self._pending, message=message)

    def _submitted(self) -> None:
        self.busy = False
        self._done = True
        self._into_visit(recorded=True)
        self.next()

    def _into_visit(self, *, recorded: bool) -> None:
        """What this service recorded stays with the visit: the presenter and the papers it
        confirmed, and its orders (the arrears paid included)."""
        visit, c = self.visit, self.controller
        if visit is None:
            return
        if recorded:
            visit.absorb(c.state)
        for bill in c.bill_payments:
            visit.add_order(bill.order_no, bill.order_id, "bill_payment")
        if c.result is not None:
            visit.add_order(c.result.order_no, c.result.order_id, c.state.service)

    def _submit_failed(self, message: str) -> None:
        self.busy = False
        self.refresh_complete()
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Not recorded"), message,
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("submitFailedBox")
        self.error_box = box
        box.open()

    @property
    def checking(self) -> bool:
        """下一步 on the details waits for the engine (`VerdictFirst`)."""
        return self.verdict_first.checking

    def refresh_complete(self) -> None:
        page = self.currentPage()
        if page is not None:
            page.completeChanged.emit()

    # -- leaving --------------------------------------------------------------------------------

    def accept(self) -> None:
        self._remember()
        super().accept()
        self.finished_visit.emit()

    def reject(self) -> None:
        """Cancel: if the request was started, ask whether the customer gave up."""
        if self._done or not self.controller.state.service or self.busy:
            if self.busy:
                return
            self.controller.closed = True
            self._remember()
            super().reject()
            self.finished_visit.emit()
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Customer gave up?"),
                          self.tr("End this request? It is recorded in the intake log as "
                                  "abandoned."),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("abandonBox")
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Yes, record as abandoned"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("No, go on"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        self.abandon_box = box
        box.finished.connect(self._abandon_answer)
        box.open()

    def _abandon_answer(self, answer: int) -> None:
        if answer == QMessageBox.StandardButton.Yes:
            self.controller.abandon()

    def _abandoned(self) -> None:
        self._done = True
        self._remember()
        QWizard.reject(self)
        self.finished_visit.emit()

    def _remember(self) -> None:
        self.ctx.settings.save_geometry("service_wizard", self)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._done:
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)

    def leave_for(self, signal: str, *args: object) -> None:
        """Close, keeping the visit, and ask the counter to go on (`first_requested`,
        `then_requested`, `same_customer`). A service never started leaves no draft."""
        if self.busy:
            return
        self.keep_visit = True
        if self.controller.result is None:
            self._into_visit(recorded=False)  # the arrears paid meanwhile, if any
        if self.controller.result is None:
            self.controller.discard()
        self._done = True
        getattr(self, signal).emit(*args)
        self._remember()
        QWizard.reject(self)  # not "accepted": the customer is not served yet (queue)
        self.finished_visit.emit()

    def enter_pressed(self) -> None:
        """Enter: exactly one 下一步 (on the last page: what the done page offers)."""
        page = self.pages.get(self.currentId())
        if page is None or self.busy:
            return
        page.before_enter()
        if self.currentId() == DONE:
            self.done_page.enter()
            return
        button = self.button(QWizard.WizardButton.NextButton)
        if button.isEnabled() and button.isVisible():
            button.click()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # An Enter that reached the wizard itself (EnterIsNext takes those of its widgets).
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                      Qt.KeyboardModifier.KeypadModifier):
            if not event.isAutoRepeat():
                self.enter_pressed()
            return
        super().keyPressEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        self.enter_filter.install()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self.enter_filter.remove()
        super().hideEvent(event)

    def start(self, page: str | None = None) -> None:
        """Show the wizard; with a service chosen already (or a draft), go to `page`. A service
        picked at the counter is checked at once (`precheck`) and opens past what is known."""
        self.show()
        target = page or ("customer" if self.controller.state.service else "service")
        if target == "service":
            return
        if page is None:
            self._target = self.first_target()
            self.controller.precheck()
        QTimer.singleShot(0, lambda: self.advance_to(target))
