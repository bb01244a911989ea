"""A refund at the counter, driven through the real wizard: the clerk's refund needs a
supervisor's authorization (值班长授权) typed in at the counter; wrong credentials are shown
in the dialog, cancelling writes nothing, and the recorded order names both people."""

from __future__ import annotations

from dataclasses import replace
from typing import cast

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QWizard
from sqlalchemy import select, update

from app.models import AuditEvent, Customer, Line, ServiceOrder, Staff
from app.models.day import CashEntry
from app.services.hall.demo import DEMO_PASSWORD
from app.ui.counter.window import CounterWindow
from app.ui.shell.context import AppContext
from app.ui.wizard.base import CUSTOMER, DETAILS, DOCUMENTS, DONE, PRESENTER, SIGNATURE
from app.ui.wizard.pages_done import DonePage
from app.ui.wizard.pages_input import DetailsPage, DocumentsPage
from app.ui.wizard.pages_signature import SignaturePage
from app.ui.wizard.pages_start import PresenterPage
from app.ui.wizard.refund_approval import RefundApprovalDialog
from app.ui.wizard.wizard import ServiceWizard
from tests.builders import DAY

from .counter_driver import (
    WAIT_MS,
    adult_personal_active,
    click_next,
    ctx,
    draw_signature,
    pick_line,
    settle,
    wait_page,
    wait_verdict,
    window,
)
from .ui_fixtures import no_thread_leak, op_runner, translators, ui_settings

__all__ = ["ctx", "no_thread_leak", "op_runner", "translators", "ui_settings", "window"]

pytestmark = pytest.mark.gui


def out_of_contract(c: Customer, ln: Line) -> bool:
    return adult_personal_active(c, ln) and (ln.contract_end is None
                                             or ln.contract_end < DAY)


def refund_at_signature(qtbot, window: CounterWindow,  # type: ignore[no-untyped-def]
                        ctx: AppContext) -> tuple[ServiceWizard, str]:
    """The clerk takes a 20-yuan cash prepayment refund up to the signed slip."""
    pick = pick_line(ctx, out_of_contract)
    with ctx.db.session() as s:  # 50 yuan paid in advance on the line
        s.execute(update(Line).where(Line.number == pick.number).values(balance_fen=5000))
    window.search.box.setFocus()
    QTest.keyClicks(window.search.box, pick.number)
    qtbot.waitUntil(lambda: window.search.model.rowCount() > 0, timeout=WAIT_MS)
    with qtbot.waitSignal(window.customer_loaded, timeout=WAIT_MS):
        QTest.keyClick(window.search.box, Qt.Key.Key_Return)
    window.panel.select_line(pick.number)
    window.launcher.buttons["prepayment_refund"].click()
    qtbot.waitUntil(lambda: window.wizard is not None and window.wizard.currentId() == CUSTOMER,
                    timeout=WAIT_MS)
    wizard = window.wizard
    assert wizard is not None
    click_next(qtbot, wizard, PRESENTER)
    presenter = cast(PresenterPage, wizard.pages[PRESENTER])
    QTest.keyClicks(presenter.id_field.number, pick.detail.id_number or "")
    click_next(qtbot, wizard, DOCUMENTS)
    invoice = cast(DocumentsPage, wizard.pages[DOCUMENTS]).row("payment_invoice")
    assert invoice is not None
    invoice.seen.setChecked(True)
    click_next(qtbot, wizard, DETAILS)
    details = cast(DetailsPage, wizard.pages[DETAILS])
    amount, paid_by = details.editor("amount"), details.editor("paid_by")
    assert amount is not None and paid_by is not None
    QTest.keyClicks(amount.editor, "20")
    combo = cast(QComboBox, paid_by.editor)
    combo.setCurrentIndex(combo.findData("cash"))
    click_next(qtbot, wizard)
    ev = wait_verdict(qtbot, wizard)
    assert ev.decision == "accepted", ev
    assert [(f.item, f.amount_fen) for f in ev.fees] == [("prepayment_refund", -2000)]
    wait_page(qtbot, wizard, SIGNATURE)  # money goes out: no payment page
    draw_signature(cast(SignaturePage, wizard.pages[SIGNATURE]).pad)
    return wizard, pick.number


def submit_and_get_dialog(qtbot, wizard: ServiceWizard) -> RefundApprovalDialog:  # type: ignore[no-untyped-def]
    click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.approval_dialog is not None
                    and wizard.approval_dialog.isVisible(), timeout=WAIT_MS)
    dialog = wizard.approval_dialog
    assert dialog is not None
    return dialog


def type_credentials(qtbot, dialog: RefundApprovalDialog, staff_no: str,  # type: ignore[no-untyped-def]
                     password: str) -> None:
    dialog.staff_no.clear()
    QTest.keyClicks(dialog.staff_no, staff_no)
    QTest.keyClicks(dialog.password, password)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)


def refunds_of(ctx: AppContext, number: str) -> list[ServiceOrder]:
    with ctx.db.read() as s:
        return list(s.execute(select(ServiceOrder).where(
            ServiceOrder.service == "prepayment_refund",
            ServiceOrder.line_number == number)).scalars())


def audit(ctx: AppContext, action: str) -> list[AuditEvent]:
    with ctx.db.read() as s:
        return list(s.execute(select(AuditEvent).where(AuditEvent.action == action)
                              .order_by(AuditEvent.seq)).scalars())


def test_a_clerks_refund_is_authorized_by_the_supervisor(qtbot, window: CounterWindow,  # type: ignore[no-untyped-def]
                                                         ctx: AppContext) -> None:
    wizard, number = refund_at_signature(qtbot, window, ctx)
    dialog = submit_and_get_dialog(qtbot, wizard)
    assert dialog.windowTitle() == "值班长授权"
    assert "20.00" in dialog.heading.text()
    assert dialog.reason.text() == "退款 20.00 元"
    assert wizard.currentId() == SIGNATURE

    # Wrong password: told in the dialog, which stays; nothing recorded.
    type_credentials(qtbot, dialog, "S001", "wrong-password")
    qtbot.waitUntil(lambda: dialog.error.isVisible() and dialog.ok.isEnabled(), timeout=WAIT_MS)
    assert "工号或密码错误" in dialog.error.text()
    assert dialog.isVisible() and dialog.password.text() == ""
    assert refunds_of(ctx, number) == [] and audit(ctx, "exception.authorize") == []

    # The supervisor's own credentials: authorized, and the order is recorded under them.
    type_credentials(qtbot, dialog, "S001", DEMO_PASSWORD)
    qtbot.waitUntil(lambda: wizard.currentId() == DONE, timeout=WAIT_MS)
    settle(ctx)
    assert not dialog.isVisible()
    result = wizard.controller.result
    assert result is not None and result.order_no
    done = cast(DonePage, wizard.pages[DONE])
    assert result.order_no in done.banner.text() and "-20.00" in done.body.text()
    [order] = refunds_of(ctx, number)
    with ctx.db.read() as s:
        supervisor_id = s.execute(select(Staff.id).where(Staff.staff_no == "S001")).scalar()
        cash = s.execute(select(CashEntry.kind, CashEntry.method, CashEntry.amount_fen)
                         .where(CashEntry.order_id == order.id)).all()
    assert (order.order_no, order.staff_id, order.authorized_by, order.total_fen) == (
        result.order_no, ctx.require_actor().staff_id, supervisor_id, -2000)
    assert [tuple(row) for row in cash] == [("refund", "cash", -2000)]
    [grant] = audit(ctx, "exception.authorize")
    assert (grant.actor, grant.authorized_by, grant.target, grant.data["reason"]) == (
        "C001", "S001", "refund.approve", "退款 20.00 元")
    accept = [e for e in audit(ctx, "order.accept") if e.target == result.order_no]
    assert [(e.actor, e.authorized_by) for e in accept] == [("C001", "S001")]
    # The session stays the clerk's own: the authorization covered this order only.
    assert ctx.require_actor().authorized_by is None


def test_cancelling_the_authorization_writes_nothing(qtbot, window: CounterWindow,  # type: ignore[no-untyped-def]
                                                     ctx: AppContext) -> None:
    wizard, number = refund_at_signature(qtbot, window, ctx)
    dialog = submit_and_get_dialog(qtbot, wizard)
    QTest.keyClicks(dialog.staff_no, "S001")
    qtbot.mouseClick(dialog.cancel, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.waitUntil(next_button.isEnabled, timeout=WAIT_MS)  # back on the page, signed
    assert wizard.currentId() == SIGNATURE and not wizard.busy
    settle(ctx)
    assert refunds_of(ctx, number) == [] and wizard.controller.result is None
    assert audit(ctx, "exception.authorize") == [] and audit(ctx, "permission.denied") == []
    # Submitting again asks again.
    again = submit_and_get_dialog(qtbot, wizard)
    assert again is not dialog and again.staff_no.text() == ""
    qtbot.mouseClick(again.cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(next_button.isEnabled, timeout=WAIT_MS)


def test_the_cores_refusal_also_asks_for_the_supervisor(qtbot, window: CounterWindow,  # type: ignore[no-untyped-def]
                                                        ctx: AppContext) -> None:
    """The window believes the clerk may refund (a stale role), the core reads the database
    and refuses: the refusal opens the same dialog with the core's message."""
    wizard, number = refund_at_signature(qtbot, window, ctx)
    ctx.actor = replace(ctx.require_actor(), role="supervisor")
    click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.approval_dialog is not None
                    and wizard.approval_dialog.isVisible(), timeout=WAIT_MS)
    dialog = wizard.approval_dialog
    assert dialog is not None and "审批退款需要值班长权限" in dialog.error.text()
    assert [e.target for e in audit(ctx, "permission.denied")] == ["refund.approve"]
    assert refunds_of(ctx, number) == []
    type_credentials(qtbot, dialog, "S001", DEMO_PASSWORD)
    qtbot.waitUntil(lambda: wizard.currentId() == DONE, timeout=WAIT_MS)
    settle(ctx)
    [order] = refunds_of(ctx, number)
    assert order.authorized_by is not None and order.total_fen == -2000
