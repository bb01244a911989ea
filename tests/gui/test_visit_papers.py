"""The papers of a visit (#12, defect 5): 完成 is not where a double click on 提交 lands; a
complaint whose papers never printed is not recorded as printed; today's list reprints (补打,
recorded and audited only when a printer took the paper)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWizard
from sqlalchemy import select

from app.models import AuditEvent, PrintedDocument, ServiceOrder
from app.ui.counter.window import CounterWindow
from app.ui.devices.paper_set import PaperOutcome
from app.ui.shell.context import AppContext
from app.ui.wizard.base import CUSTOMER, DETAILS, DONE, PRESENTER, VERDICT

from .counter_driver import WAIT_MS, adult_personal_active, ctx, pick_line, settle, window
from .test_visit_flow import Clerk
from .ui_fixtures import no_thread_leak, op_runner, translators, ui_settings

__all__ = ["ctx", "no_thread_leak", "op_runner", "translators", "ui_settings", "window"]


@pytest.fixture(autouse=True)
def no_printer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.ui.devices.a4_print.available_printers", lambda: [])


def _complaint_to_verdict(qtbot, clerk: Clerk, window: CounterWindow,  # type: ignore[no-untyped-def]
                          ctx: AppContext):
    pick = pick_line(ctx, adult_personal_active)
    clerk.find(pick.detail.id_number)
    clerk.key(Qt.Key.Key_F9, to=window)  # 投诉 (not about a line: the customer page first)
    wizard = clerk.wizard_on(CUSTOMER)
    clerk.next_enabled()
    clerk.enter()
    clerk.wizard_on(PRESENTER)
    clerk.enter()  # no papers to tick: the papers page is passed
    page = clerk.wizard_on(DETAILS).pages[DETAILS]
    for editor in page.editors.values():
        if editor.spec.required and not editor.is_filled():
            if editor.spec.type == "enum":
                editor.editor.setFocus()
                clerk.key(Qt.Key.Key_Down)
            else:
                clerk.type("slow network", into=editor.editor)
    clerk.next_enabled()
    clerk.enter()
    clerk.wizard_on(VERDICT)
    qtbot.waitUntil(lambda: wizard.pages[VERDICT].evaluation() is not None, timeout=WAIT_MS)
    assert wizard.pages[VERDICT].evaluation().decision == "accepted"
    clerk.next_enabled()
    return wizard


def test_double_submit_does_not_skip_the_papers(qtbot, window: CounterWindow,
                                                ctx: AppContext) -> None:
    """A double click on 提交 (or Enter twice) records once and stays on the done page: 完成
    comes only after the papers' printing reported; and such a complaint, printed nowhere,
    is not recorded as printed (首次打印)."""
    clerk = Clerk(qtbot, window)
    wizard = _complaint_to_verdict(qtbot, clerk, window, ctx)
    submit = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.mouseDClick(submit, Qt.MouseButton.LeftButton)
    clerk.enter()
    clerk.enter()
    qtbot.waitUntil(lambda: wizard.currentId() == DONE, timeout=WAIT_MS)
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert window.wizard is wizard and wizard.isVisible()
    assert not finish.isEnabled()  # a second click where 提交 was finishes nothing
    qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    clerk.enter()
    QTest.qWait(50)
    assert window.wizard is wizard
    done = wizard.pages[DONE]
    qtbot.waitUntil(finish.isEnabled, timeout=WAIT_MS)
    assert "没有可用的打印机" in done.print_status.text()
    settle(ctx)
    with ctx.db.read() as s:
        orders = s.execute(select(ServiceOrder).where(ServiceOrder.service == "complaint")
                           ).scalars().all()
        assert len(orders) == 1
        assert s.execute(select(PrintedDocument).where(
            PrintedDocument.order_id == orders[0].id)).first() is None
    clerk.enter()
    qtbot.waitUntil(lambda: window.wizard is None, timeout=WAIT_MS)


def test_reprint_from_todays_list(qtbot, window: CounterWindow, ctx: AppContext,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """补打 from today's list: with no printer it says so and records nothing; once a printer
    takes the papers they are recorded (the first time as the first print) and audited."""
    clerk = Clerk(qtbot, window)
    wizard = _complaint_to_verdict(qtbot, clerk, window, ctx)
    clerk.enter()
    done = clerk.wizard_on(DONE).pages[DONE]
    qtbot.waitUntil(done.isComplete, timeout=WAIT_MS)
    order_no = wizard.controller.result.order_no
    clerk.enter()
    qtbot.waitUntil(lambda: window.wizard is None, timeout=WAIT_MS)
    today = window.today
    qtbot.waitUntil(lambda: any(r.order_no == order_no for r in today.model.rows),
                    timeout=WAIT_MS)
    row = next(i for i, r in enumerate(today.model.rows) if r.order_no == order_no)
    assert not today.reprint.isEnabled()
    today.view.selectRow(row)
    assert today.reprint.isEnabled()
    clerk.click(today.reprint)
    qtbot.waitUntil(lambda: "没有可用的打印机" in today.print_status.text(), timeout=WAIT_MS)
    settle(ctx)
    with ctx.db.read() as s:
        assert s.execute(select(PrintedDocument)).first() is None

    def accepted(paths, routes, **_kw):  # type: ignore[no-untyped-def]
        return [PaperOutcome(Path(p), "complaint-ticket", True, "已打印", "printed", "Fake")
                for p in paths]

    monkeypatch.setattr("app.ui.devices.order_print.print_paper_set", accepted)
    for _ in range(2):
        qtbot.waitUntil(today.reprint.isEnabled, timeout=WAIT_MS)
        assert today.selected().order_no == order_no  # still picked after the list refreshed
        clerk.click(today.reprint)
        qtbot.waitUntil(lambda: "已打印" in today.print_status.text(), timeout=WAIT_MS)
        settle(ctx)
        today.print_status.clear()
    with ctx.db.read() as s:
        copies = sorted(set(s.execute(select(PrintedDocument.copy_no)).scalars().all()))
        kinds = s.execute(select(AuditEvent.action).where(AuditEvent.target == order_no)
                          ).scalars().all()
    assert copies == [0, 1]  # the first accepted print, then 补打 1
    assert "order.print" in kinds and "order.reprint" in kinds
