"""The wizard's controller: builds the request from the visit, asks the core, keeps the draft.

Every call into the core runs on the worker runner; results come back as signals. The pages
never decide anything themselves: the verdict, the fees and what is missing are the engine's
(`OrderService.evaluate`), recording is `OrderService.submit`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Signal

from app.core.catalog import Service
from app.core.request import LineState, Request
from app.ui.devices.order_print import PrintingUnavailable, PrintRun
from app.ui.devices.paper_set import PaperOutcome
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.operations import CollectionOp, OpContext, QueryOp
from app.ui.shell.context import AppContext
from app.ui.wizard.state import PAGES, VisitState, build_request, checklist

if TYPE_CHECKING:
    from app.core.engine import Evaluation
    from app.services.customers.queries import CustomerDetail
    from app.services.hall.registry import Actor
    from app.services.orders.service import PaymentIn, SignatureIn, SubmitResult
    from app.ui.wizard.visit_blockers import PreCheck


@dataclass(frozen=True)
class Printed:
    order_no: str
    paths: list[Path]
    outcomes: tuple[PaperOutcome, ...] = ()  # one per paper printed (or not) this time


class VisitController(QObject):
    evaluated = Signal(object)  # Evaluation
    evaluation_failed = Signal(str)
    submitted = Signal(object)  # SubmitResult
    submit_failed = Signal(str)
    refund_refused = Signal(str)  # the core wants a supervisor's refund approval first
    refund_authorized = Signal(object)  # Actor carrying the supervisor's authorization
    refund_authorization_failed = Signal(str)
    arrears_paid = Signal(object)  # SubmitResult of the bill payment
    arrears_failed = Signal(str)
    printed = Signal(object)  # Printed
    print_failed = Signal(str)
    draft_saved = Signal(int)
    abandoned = Signal()
    prechecked = Signal(object)  # PreCheck: the blockers known before any typing

    def __init__(self, ctx: AppContext, state: VisitState | None = None,
                 customer: CustomerDetail | None = None, draft_id: int | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.state = state or VisitState(started_at=ctx.now().isoformat())
        self.customer = customer
        self.draft_id = draft_id
        self.line_state: LineState | None = None
        self.evaluation: Evaluation | None = None
        self.check: PreCheck | None = None
        self._check_seq = 0
        self.result: SubmitResult | None = None
        self.bill_payments: list[SubmitResult] = []
        self.printed_paths: dict[str, list[Path]] = {}  # order number -> its papers
        self.print_runs: dict[str, PrintRun] = {}  # order number -> its last print's outcomes
        self._eval_seq = 0
        self._saving = False
        self._save_again: str | None = None
        self.closed = False  # abandoned: no draft may be left behind
        if customer is not None and self.state.customer_id is None:
            self.use_customer(customer)
        self._refresh_line()

    def _emit(self, signal: str, *args: object) -> None:
        """Emit unless the wizard (and this controller) went away while a worker ran."""
        if shiboken6.isValid(self):
            getattr(self, signal).emit(*args)

    # -- the visit ------------------------------------------------------------------------------

    @property
    def service(self) -> Service | None:
        return self.ctx.catalog.services.get(self.state.service)

    @property
    def carrier(self) -> str:
        return self.ctx.orders.hall_config().carrier

    def use_customer(self, c: CustomerDetail) -> None:
        """Take the customer's identity from the record found at the counter."""
        s = self.state
        self.customer = c
        s.customer_id, s.new_customer, s.kind = c.customer_id, False, c.kind
        s.customer_name = c.name
        s.customer_id_type = c.id_type or "resident_id"
        s.customer_id_number = c.id_number or ""
        s.unit_name = c.unit_name or (c.name if c.kind == "group" else "")
        s.unit_reg_type = c.reg_type or "business_license"
        s.unit_reg_id_number = c.reg_number or ""
        if c.kind == "group":
            s.presenter_role = "agent"
        if s.line_number is None and len(c.lines) == 1:
            s.line_number = c.lines[0].number
        self._refresh_line()

    def new_customer(self) -> None:
        s = self.state
        self.customer = None
        s.customer_id, s.new_customer, s.line_number = None, True, None
        self.line_state = None

    def select_line(self, number: str | None) -> None:
        self.state.line_number = number
        self._refresh_line()

    def _refresh_line(self) -> None:
        info = self.customer.line(self.state.line_number) if (
            self.customer and self.state.line_number) else None
        self.line_state = info.state if info else None

    def checklist(self) -> list[Any]:
        svc = self.service
        return checklist(svc, self.state, self.carrier) if svc else []

    def request(self, *, signature: bool | None = None) -> Request:
        """The request as it stands. `signature` defaults to what the service will collect:
        the verdict is asked as if the customer signs, since signing comes after it."""
        svc = self.service
        assert svc is not None
        sign = svc.signature if signature is None else signature
        return build_request(self.ctx.catalog, self.state, self.line_state, signature=sign)

    # -- blockers before typing ----------------------------------------------------------------

    def precheck(self) -> None:
        """The shift and the engine's refusals on what is known now (`visit_blockers`), on the
        worker; emits `prechecked`."""
        from app.ui.wizard.visit_blockers import PreCheck, precheck

        svc = self.service
        if svc is None:
            return
        self._check_seq += 1
        seq = self._check_seq
        req: Request | None = None
        if not svc.needs_line or self.line_state is not None:
            try:
                req = self.request()
            except ValueError:
                req = None
        ctx, actor = self.ctx, self.ctx.require_actor()

        def done(check: PreCheck) -> None:
            if seq == self._check_seq:
                self.check = check
                self._emit("prechecked", check)

        (QueryOp(ctx.runner, lambda _c: precheck(ctx.db, ctx.orders, ctx.catalog, actor, req,
                                                 ctx.lang))
         .success(done).failure(lambda _f: done(PreCheck(()))).run_in_background())

    # -- evaluation ----------------------------------------------------------------------------

    def evaluate(self) -> None:
        self._eval_seq += 1
        seq = self._eval_seq
        try:
            req = self.request()
        except ValueError as exc:
            self._emit("evaluation_failed", getattr(exc, "problem_zh", str(exc)))
            return
        orders, lang = self.ctx.orders, self.ctx.lang

        def done(ev: Evaluation) -> None:
            if seq == self._eval_seq:
                self.evaluation = ev
                self._emit("evaluated", ev)

        def failed(f: OpFailure) -> None:
            if seq == self._eval_seq:
                self.evaluation = None
                self._emit("evaluation_failed", f.message)

        (QueryOp(self.ctx.runner, lambda _c: orders.evaluate(req, lang))
         .success(done).failure(failed).run_in_background())

    def content_hash(self) -> str:
        """What the customer signs, bound to the order (`orders.content_hash`)."""
        from app.services.orders.service import content_hash

        assert self.evaluation is not None
        return content_hash(self.request(), self.evaluation)

    # -- paying arrears in the same visit -------------------------------------------------------

    def arrears_fen(self) -> int:
        ln = self.line_state
        return ln.arrears_fen if ln is not None else 0

    def pay_arrears(self, payment: PaymentIn) -> None:
        """Record a `bill_payment` of the line's arrears, then re-read the line and evaluate
        the original request again against its new state."""
        from app.services.orders.service import Submission

        assert self.line_state is not None
        amount = self.arrears_fen()
        base = replace(self.state, service="bill_payment",
                       details={"amount": f"{amount / 100:.2f}"}, documents={})
        req = build_request(self.ctx.catalog, base, self.line_state, signature=False)
        sub = Submission(req, payments=[payment], started_at=self.state.started())
        ctx, actor, number = self.ctx, self.ctx.require_actor(), self.line_state.number

        def work(_c: OpContext) -> tuple[SubmitResult, LineState | None]:
            from app.services.customers.queries import line_state

            result = ctx.orders.submit(sub, actor, ctx.lang)
            return result, line_state(ctx.db, number)

        def done(out: tuple[SubmitResult, LineState | None]) -> None:
            result, state = out
            if result.order_no is None:  # the payment itself was refused
                reasons = "；".join(v.message for v in result.evaluation.violations) or \
                    "、".join(result.evaluation.missing)
                self._emit("arrears_failed", reasons)
                return
            self.bill_payments.append(result)
            if state is not None:
                self.line_state = state
                self._replace_line_in_customer(state)
            self._emit("arrears_paid", result)
            if result.order_id is not None:  # the receipt, listed on the done page
                self.print_papers(result.order_id, result.order_no)
            self.evaluate()
            self.precheck()

        (CollectionOp(ctx.runner, work, changes={"order", "line"})
         .success(done).failure(lambda f: self._emit("arrears_failed", f.message))
         .run_in_background())

    def _replace_line_in_customer(self, state: LineState) -> None:
        c = self.customer
        if c is None:
            return
        lines = tuple(replace(ln, state=state) if ln.number == state.number else ln
                      for ln in c.lines)
        self.customer = replace(c, lines=lines)

    # -- refunds: a supervisor's approval -------------------------------------------------------

    def refund_fen(self) -> int:
        """What recording the verdict pays back to the customer (fen, 0 for none)."""
        from app.services.orders.service import refunds_money

        ev = self.evaluation
        if ev is None or not refunds_money(ev):
            return 0
        return -sum(f.amount_fen for f in ev.fees if f.amount_fen < 0)

    def closes_line(self) -> bool:
        """Whether recording the verdict closes the line for good (销户): asked once more."""
        ev = self.evaluation
        return ev is not None and ev.line_changes.get("status") == "cancelled"

    def needs_refund_approval(self) -> bool:
        """Whether the clerk's own role cannot approve the refund: ask a supervisor before
        submitting. The core decides in the end (`OrderService.submit`); this only spares the
        clerk a refusal."""
        from app.security import Permission, has_permission

        actor = self.ctx.require_actor()
        return (actor.channel == "counter" and self.refund_fen() > 0
                and not has_permission(actor.role, Permission.REFUND_APPROVE))

    def authorize_refund(self, staff_no: str, password: str, reason: str) -> None:
        """A supervisor approves this refund at the counter with their own credentials
        (`auth.authorize`, on the worker); emits `refund_authorized(actor)` or
        `refund_authorization_failed(message)`."""
        from app.security import Permission
        from app.services.staff.auth import authorize

        ctx, actor = self.ctx, self.ctx.require_actor()

        def work(_c: OpContext) -> Actor:
            return authorize(ctx.db, actor, staff_no, password, Permission.REFUND_APPROVE,
                             reason)

        (CollectionOp(ctx.runner, work, changes={"audit"})
         .success(lambda a: self._emit("refund_authorized", a))
         .failure(lambda f: self._emit("refund_authorization_failed", f.message))
         .run_in_background())

    # -- recording ------------------------------------------------------------------------------

    def submit(self, payments: list[PaymentIn], signature: SignatureIn | None, *,
               record_only: bool = False, actor: Actor | None = None) -> None:
        """Record the visit. `record_only`: a refused or incomplete request goes to the intake
        log with the verdict the clerk saw (asked as if the customer would sign). `actor`: the
        clerk carrying a supervisor's authorization (`authorize_refund`), for this order only."""
        from app.services.orders.service import Submission

        svc = self.service
        assert svc is not None
        try:
            req = self.request(signature=svc.signature and (record_only or signature is not None))
            documents = [self._document_in(d) for d in self.state.documents.values()
                         if d.original_seen]
        except (ValueError, OSError) as exc:
            self._emit("submit_failed", getattr(exc, "problem_zh", str(exc)))
            return
        sub = Submission(req, payments=payments, documents=documents, signature=signature,
                         started_at=self.state.started())
        ctx, draft_id = self.ctx, self.draft_id
        who = actor or ctx.require_actor()

        def work(_c: OpContext) -> SubmitResult:
            from app.services.orders.drafts import delete_draft

            result = ctx.orders.submit(sub, who, ctx.lang)
            if draft_id is not None:
                delete_draft(ctx.db, draft_id)
            return result

        def done(result: SubmitResult) -> None:
            self.result = result
            self.draft_id = None
            self._emit("submitted", result)

        def failed(f: OpFailure) -> None:
            from app.security import Permission, PermissionDenied

            exc = f.exception
            if isinstance(exc, PermissionDenied) and exc.permission == Permission.REFUND_APPROVE:
                self._emit("refund_refused", f.message)
            else:
                self._emit("submit_failed", f.message)

        (CollectionOp(ctx.runner, work, changes={"order", "intake", "line", "customer", "draft"})
         .success(done).failure(failed).run_in_background())

    @staticmethod
    def _document_in(d: Any) -> Any:
        from app.services.orders.service import DocumentIn

        scan = None
        if d.scan_path:
            scan = Path(d.scan_path).read_bytes()
            if d.scan_sha256 and hashlib.sha256(scan).hexdigest() != d.scan_sha256:
                raise ValueError("扫描件在附上后被修改，请重新附上")
        return DocumentIn(d.chosen, d.original_seen, d.copy_retained, scan,
                          Path(d.scan_path).name if d.scan_path else None)

    # -- printing -------------------------------------------------------------------------------

    def papers_dir(self) -> Path:
        from app.db.engine import data_dir

        return data_dir() / "papers" / self.ctx.business_date().isoformat()

    def print_papers(self, order_id: int, order_no: str, *, reprint: bool = False) -> None:
        """Write the order's papers, print them on the remembered printers and record those
        a printer accepted; `printed` then carries one outcome per paper."""
        from app.ui.devices.order_print import start_order_print
        from app.ui.devices.printer import routes_from

        ctx = self.ctx
        start_order_print(ctx.runner, ctx.db, ctx.require_actor(), order_id, self.papers_dir(),
                          routes_from(ctx.settings), reprint=reprint,
                          done=lambda run: self._print_done(order_no, run),
                          failed=self._print_failed)

    def print_again(self, order_no: str, paths: list[Path],
                    choices: dict[str, Any] | None = None) -> None:
        """Print papers of the last print of the order again (those not printed yet), with
        the printers picked in the print dialog (`choices`: kind -> PrintChoice)."""
        from app.ui.devices.order_print import print_prepared
        from app.ui.devices.printer import routes_from

        run = self.print_runs.get(order_no)
        if run is None or not paths:
            return
        ctx = self.ctx
        print_prepared(ctx.runner, ctx.db, ctx.require_actor(), run.prepared, paths,
                       routes_from(ctx.settings), choices=choices,
                       done=lambda again: self._print_done(order_no, again),
                       failed=self._print_failed)

    def _print_done(self, order_no: str, run: PrintRun) -> None:
        before = self.print_runs.get(order_no)
        if before is not None and before.prepared is run.prepared:  # printed again: merge
            latest = {o.path: o for o in before.outcomes} | {o.path: o for o in run.outcomes}
            run = PrintRun(run.prepared, [latest[p] for p in run.prepared.paths if p in latest])
        self.print_runs[order_no] = run
        self.printed_paths[order_no] = run.prepared.paths
        self._emit("printed", Printed(order_no, run.prepared.paths, tuple(run.outcomes)))

    def _print_failed(self, f: OpFailure) -> None:
        if isinstance(f.exception, PrintingUnavailable):
            self._emit("print_failed", self.tr("Printing module unavailable"))
        else:
            self._emit("print_failed", f.message)

    # -- drafts ---------------------------------------------------------------------------------

    def save_draft(self, page: str) -> None:
        """Save the visit as it stands; saves are serialised (one at a time, the last wins)."""
        if page not in PAGES or self.result is not None or self.closed or not self.state.service:
            return
        self.state.page = page
        if self._saving:
            self._save_again = page
            return
        self._saving = True
        ctx, actor = self.ctx, self.ctx.require_actor()
        state, draft_id = self.state.to_dict(), self.draft_id

        def work(_c: OpContext) -> int:
            from app.services.orders.drafts import save_draft

            return save_draft(ctx.db, actor, state, page, ctx.pd, draft_id)

        def done(new_id: int) -> None:
            self._saving = False
            if self.result is not None or self.closed:  # finished meanwhile: leave no draft
                self._drop_late_draft(new_id)
                return
            self.draft_id = new_id
            self._emit("draft_saved", new_id)
            again, self._save_again = self._save_again, None
            if again:
                self.save_draft(again)

        def failed(_f: OpFailure) -> None:
            self._saving = False

        CollectionOp(ctx.runner, work).success(done).failure(failed).run_in_background()

    def _drop_late_draft(self, draft_id: int) -> None:
        ctx = self.ctx

        def work(_c: OpContext) -> None:
            from app.services.orders.drafts import delete_draft

            delete_draft(ctx.db, draft_id)

        CollectionOp(ctx.runner, work).run_in_background()

    def discard(self) -> None:
        """Leave a service never started (to run another first): no draft, no intake entry."""
        self.closed = True
        if self.draft_id is not None:
            self._drop_late_draft(self.draft_id)
            self.draft_id = None

    def abandon(self, reason: str = "") -> None:
        """The customer gave up: the intake log says so and the draft goes."""
        from app.services.orders.drafts import Abandoned

        s = self.state
        self.closed = True
        if not s.service:
            self._emit("abandoned", )
            return
        missing = tuple(self.evaluation.missing) if self.evaluation else ()
        info = Abandoned(s.service, self.ctx.business_date(),
                         (s.customer_name or s.unit_name) or None,
                         (s.customer_id_number or s.unit_reg_id_number) or None,
                         s.line_number, missing, reason)
        ctx, actor, draft_id = self.ctx, self.ctx.require_actor(), self.draft_id

        def work(_c: OpContext) -> int:
            from app.services.orders.drafts import abandon

            return abandon(ctx.db, actor, info, ctx.pd, draft_id)

        def done(_id: int) -> None:
            self.draft_id = None
            self._emit("abandoned", )

        (CollectionOp(ctx.runner, work, changes={"intake", "draft"})
         .success(done).failure(lambda _f: self._emit("abandoned", )).run_in_background())
