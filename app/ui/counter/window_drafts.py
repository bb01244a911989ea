"""Drafts left half-done at this counter: offered after log-in, resumed or given up (moved out
of `window.py`; the texts keep the window's translation context)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

from app.ui.kit import labels
from app.ui.kit.operations import QueryOp

if TYPE_CHECKING:
    from app.services.customers.queries import CustomerDetail
    from app.services.orders.drafts import Draft
    from app.ui.counter.window import CounterWindow


def offer_drafts(w: CounterWindow) -> None:
    """After log-in: offer to resume a request left half-done at this counter."""
    from app.services.orders.drafts import drafts_at_counter

    ctx, counter = w.ctx, w.actor.counter_id
    (QueryOp(ctx.runner, lambda _c: drafts_at_counter(ctx.db, counter, ctx.pd))
     .success(lambda drafts: _drafts_found(w, drafts)).failure(w._failed).run_in_background())


def _drafts_found(w: CounterWindow, drafts: list[Draft]) -> None:
    if not drafts:
        return
    draft = drafts[0]
    s = draft.state
    service = labels.service_name(w.ctx.catalog, str(s.get("service", "")))
    who = s.get("customer_name") or s.get("unit_name") or QCoreApplication.translate(
        "CounterWindow", "a new customer")
    when = labels.local_time(draft.updated_at, w.ctx.timezone, "%Y-%m-%d %H:%M")
    box = QMessageBox(QMessageBox.Icon.Question,
                      QCoreApplication.translate("CounterWindow", "Unfinished request"),
                      QCoreApplication.translate(
                          "CounterWindow",
                          "A request was left unfinished at this counter: {service} for {who}, "
                          "by {clerk} at {when}. Resume it?").format(
                          service=service, who=who, clerk=draft.staff_name, when=when),
                      QMessageBox.StandardButton.NoButton, w)
    box.setObjectName("resumeBox")
    resume = box.addButton(QCoreApplication.translate("CounterWindow", "Resume"),
                           QMessageBox.ButtonRole.AcceptRole)
    resume.setObjectName("resumeButton")
    drop = box.addButton(QCoreApplication.translate("CounterWindow", "Customer gave up"),
                         QMessageBox.ButtonRole.DestructiveRole)
    drop.setObjectName("abandonDraftButton")
    later = box.addButton(QCoreApplication.translate("CounterWindow", "Later"),
                          QMessageBox.ButtonRole.RejectRole)
    later.setObjectName("laterButton")
    box.setDefaultButton(resume)
    w.resume_box = box

    def answered() -> None:
        clicked = box.clickedButton()
        if clicked is resume:
            w.resume_draft(draft)
        elif clicked is drop:
            w.abandon_draft(draft)

    box.finished.connect(lambda _r: answered())
    box.open()


def resume_draft(w: CounterWindow, draft: Draft) -> None:
    from app.services.customers.queries import customer_detail
    from app.ui.wizard.state import VisitState
    from app.ui.wizard.wizard import ServiceWizard

    ctx = w.ctx
    state = VisitState.from_dict(draft.state)

    def done(c: CustomerDetail | None) -> None:
        if c is not None:
            w.customer = c
            w.panel.show_customer(c)
        wizard = ServiceWizard(ctx, customer=c, state=state, draft_id=draft.id, parent=w)
        if c is not None:
            wizard.controller.customer = c
            wizard.controller.select_line(state.line_number)
        w._open_wizard(wizard, draft.page)

    cid = state.customer_id
    (QueryOp(ctx.runner, lambda _c: customer_detail(ctx.db, cid, ctx.pd) if cid else None)
     .success(done).failure(w._failed).run_in_background())


def abandon_draft(w: CounterWindow, draft: Draft) -> None:
    from app.ui.wizard.controller import VisitController
    from app.ui.wizard.state import VisitState

    controller = VisitController(w.ctx, VisitState.from_dict(draft.state),
                                 draft_id=draft.id, parent=w)
    controller.abandoned.connect(controller.deleteLater)
    controller.abandoned.connect(w.today.refresh)
    controller.abandon()
