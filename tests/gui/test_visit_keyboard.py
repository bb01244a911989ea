"""The four visits of issue #12, through the real counter window with key events only (a few
clicks where a clerk would click, counted), asserting what the database holds afterwards and
printing `visit <name>: actions N, typed N, screens N` (run with -s to see the lines).

Actions are keys that are not typing (Enter, Tab, F-keys, arrows, Space) plus clicks; the
customer's signature on the pad is the customer's, not counted.

`VISIT_SCREENSHOTS=1` also writes docs/screenshots/visit_*.png (the counter at 1366x768, and
1920x1080 for the blockers), in the program's own font and theme.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select, update

from app.models import Line, OrderDocument, OrderPayment, ServiceOrder
from app.ui.counter.window import CounterWindow
from app.ui.shell.context import AppContext
from app.ui.wizard.base import (
    CUSTOMER,
    DETAILS,
    DOCUMENTS,
    DONE,
    PAYMENT,
    PRESENTER,
    SIGNATURE,
    VERDICT,
)

from .counter_driver import (
    WAIT_MS,
    adult_personal_active,
    ctx,
    draw_signature,
    group_active,
    make_resident_id,
    pick_line,
    settle,
    window,
)
from .test_visit_flow import Clerk
from .ui_fixtures import app_look, no_thread_leak, op_runner, translators, ui_settings

__all__ = ["app_look", "ctx", "no_thread_leak", "op_runner", "translators", "ui_settings",
           "window"]

SERIAL = "8986011234567890123"
SHOTS = bool(os.environ.get("VISIT_SCREENSHOTS"))
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def look(app_look, window: CounterWindow):  # type: ignore[no-untyped-def]
    if SHOTS:  # the look of the real program: its CJK font and theme, a counter screen
        from app.ui.kit.fonts import install_cjk_font
        from app.ui.kit.theme import apply_theme

        install_cjk_font(app_look)
        apply_theme(app_look)
        window.resize(1366, 768)
    return app_look


def shot(window: CounterWindow, name: str, size: tuple[int, int] = (1366, 768)) -> None:
    """The counter screen as the clerk sees it: the window, the wizard over it (and a dialog
    over that, if one is open), composed at `size`."""
    if not SHOTS:
        return
    from PySide6.QtGui import QPainter, QPixmap
    from PySide6.QtWidgets import QApplication

    window.resize(*size)
    wizard = window.wizard
    if wizard is not None:
        wizard.resize(min(1000, size[0] - 80), min(700, size[1] - 60))
    QTest.qWait(30)
    canvas = QPixmap(*size)
    painter = QPainter(canvas)
    painter.drawPixmap(0, 0, window.grab())
    on_top = [w for w in (wizard, QApplication.activeModalWidget()) if w is not None]
    for w in dict.fromkeys(on_top):
        if w.isVisible():
            image = w.grab()
            painter.drawPixmap((size[0] - image.width()) // 2, (size[1] - image.height()) // 2,
                               image)
    painter.end()
    path = ROOT / "docs" / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    assert canvas.save(str(path), "PNG")


@pytest.fixture(autouse=True)
def no_printer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.ui.devices.a4_print.available_printers", lambda: [])


class CountingClerk(Clerk):
    def __init__(self, qtbot, window: CounterWindow) -> None:  # type: ignore[no-untyped-def]
        super().__init__(qtbot, window)
        self.screens = 1  # the counter window

    def on(self, page: int):  # type: ignore[no-untyped-def]
        wizard = self.wizard_on(page)
        self.screens += 1
        return wizard

    def verdict(self) -> None:
        wizard = self.on(VERDICT)
        page = wizard.pages[VERDICT]
        self.qtbot.waitUntil(lambda: page.evaluation() is not None, timeout=WAIT_MS)
        assert page.evaluation().decision == "accepted", page.reasons.text()
        self.next_enabled()

    def sign_and_submit(self) -> None:
        wizard = self.on(SIGNATURE)
        draw_signature(wizard.pages[SIGNATURE].pad)  # the customer's hand
        self.next_enabled()
        self.enter()  # 提交

    def finish(self) -> None:
        done = self.on(DONE).pages[DONE]
        self.qtbot.waitUntil(done.isComplete, timeout=WAIT_MS)
        self.enter()  # 完成，接待下一位
        self.qtbot.waitUntil(lambda: self.window.wizard is None, timeout=WAIT_MS)

    def report(self, name: str) -> str:
        line = f"visit {name}: actions {self.actions}, typed {self.typed}, screens {self.screens}"
        print(line)
        return line


def _order(ctx: AppContext, service: str) -> ServiceOrder:
    with ctx.db.read() as s:
        return s.execute(select(ServiceOrder).where(ServiceOrder.service == service)
                         .order_by(ServiceOrder.id.desc())).scalars().first()


def test_damaged_sim_replacement_personal(qtbot, window: CounterWindow, ctx: AppContext) -> None:
    """Found by the owner's ID number: the presenter page opens filled in (the ID typed once),
    the damaged card's paper ticked once answers "damaged card" too."""
    pick = pick_line(ctx, adult_personal_active)
    clerk = CountingClerk(qtbot, window)
    clerk.find(pick.detail.id_number)
    clerk.key(Qt.Key.Key_F4, to=window)
    wizard = clerk.on(PRESENTER)  # line and owner known: the customer page is passed
    assert wizard.pages[PRESENTER].id_field.text() == pick.detail.id_number
    clerk.enter()
    docs = clerk.on(DOCUMENTS).pages[DOCUMENTS]
    assert clerk.focus() is docs.row("damaged_sim").seen
    clerk.key(Qt.Key.Key_Space)  # the damaged card, taken back
    clerk.enter()
    details = clerk.on(DETAILS).pages[DETAILS]
    assert details.editor("damaged_card").value() is True  # answered by the paper
    clerk.key(Qt.Key.Key_Tab)
    assert clerk.focus() is details.editor("new_sim_serial").editor
    clerk.type(SERIAL)
    clerk.enter()
    clerk.verdict()
    clerk.enter()
    clerk.on(PAYMENT)
    clerk.type("20")
    clerk.enter()
    clerk.sign_and_submit()
    clerk.finish()
    clerk.report("sim_replacement")
    assert clerk.typed == len(pick.detail.id_number) + len(SERIAL) + 2  # the ID once
    assert clerk.actions <= 11
    settle(ctx)
    order = _order(ctx, "sim_replacement")
    assert order.details.get("damaged_card") is True and order.details["new_sim_serial"] == SERIAL
    with ctx.db.read() as s:
        docs_rows = s.execute(select(OrderDocument.code).where(
            OrderDocument.order_id == order.id)).scalars().all()
        pay = s.execute(select(OrderPayment).where(OrderPayment.order_id == order.id)).scalar_one()
    assert "damaged_sim" in docs_rows
    assert (pay.amount_fen, pay.tendered_fen, pay.change_fen) == (1000, 2000, 1000)


def test_roaming_refused_for_arrears_paid_then_done(qtbot, window: CounterWindow,
                                                   ctx: AppContext) -> None:
    """The arrears show with the pay button before any typing; once paid, the service goes on
    by itself; the arrears receipt is listed on the done page."""
    pick = pick_line(ctx, adult_personal_active)
    with ctx.db.session() as s:
        s.execute(update(Line).where(Line.number == pick.number).values(
            arrears_fen=5800, roaming_open=False))
    clerk = CountingClerk(qtbot, window)
    clerk.find(pick.detail.id_number)
    clerk.click(window.launcher.buttons["intl_roaming_open"])
    wizard = clerk.on(CUSTOMER)
    page = wizard.pages[CUSTOMER]
    qtbot.waitUntil(lambda: page.blockers.pay.isVisible(), timeout=WAIT_MS)
    QTest.qWait(20)
    assert clerk.focus() is page.blockers.pay and "58.00" in page.blockers.pay.text()
    shot(window, "visit_blockers_arrears_1366x768")
    shot(window, "visit_blockers_arrears_1920x1080", (1920, 1080))
    clerk.enter()  # pay first
    qtbot.waitUntil(lambda: page.pay_dialog is not None and page.pay_dialog.isVisible(),
                    timeout=WAIT_MS)
    clerk.screens += 1
    assert clerk.focus() is page.pay_dialog.form.tendered
    clerk.type("100")
    clerk.enter()  # record the payment
    wizard = clerk.on(PRESENTER)  # paid, checked again: nothing blocks, on it goes
    assert len(wizard.controller.bill_payments) == 1
    clerk.enter()
    clerk.on(DOCUMENTS)
    clerk.enter()
    clerk.on(DETAILS)
    clerk.type("JP")
    clerk.enter()
    clerk.verdict()
    clerk.enter()
    clerk.on(PAYMENT)
    clerk.type("500")
    clerk.enter()
    clerk.sign_and_submit()
    done = wizard.pages[DONE]
    clerk.on(DONE)
    bill_no = wizard.controller.bill_payments[0].order_no
    qtbot.waitUntil(lambda: "打印" in done.receipts.text() or "print" in done.receipts.text(),
                    timeout=WAIT_MS)
    assert bill_no in done.receipts.text() and done.receipt_reprint.isVisible()
    qtbot.waitUntil(done.isComplete, timeout=WAIT_MS)
    shot(window, "visit_done_with_arrears_receipt_1366x768")
    clerk.screens -= 1
    clerk.finish()
    clerk.report("arrears_pay_roaming")
    assert clerk.actions <= 12
    settle(ctx)
    with ctx.db.read() as s:
        bill = s.execute(select(ServiceOrder).where(ServiceOrder.order_no == bill_no)
                         ).scalar_one()
        assert (bill.service, bill.total_fen) == ("bill_payment", 5800)
        line = s.execute(select(Line).where(Line.number == pick.number)).scalar_one()
        assert line.arrears_fen == 0 and line.roaming_open
    assert _order(ctx, "intl_roaming_open").details["destination"] == "JP"


def test_unit_agent_cancel_loss_then_sim_replacement(qtbot, window: CounterWindow,
                                                     ctx: AppContext) -> None:
    """Refused "先办理解挂": the way out runs 解挂 first, then comes back to 补卡 with the agent
    and the unit's letter carried over: the agent is typed once."""
    pick = pick_line(ctx, group_active)
    with ctx.db.session() as s:
        s.execute(update(Line).where(Line.number == pick.number).values(
            status="loss_reported", status_before_loss="active"))
    agent_id = make_resident_id(date(1979, 6, 1))
    clerk = CountingClerk(qtbot, window)
    clerk.find(pick.number)
    if window.panel.selected_line != pick.number:
        card = next(c for c in window.panel.cards if c.number == pick.number)
        clerk.click(card)
    clerk.key(Qt.Key.Key_F4, to=window)  # 补卡
    wizard = clerk.on(CUSTOMER)
    banner = wizard.pages[CUSTOMER].blockers
    qtbot.waitUntil(banner.first.isVisible, timeout=WAIT_MS)
    QTest.qWait(20)
    assert "解挂" in banner.first.text() and clerk.focus() is banner.first
    shot(window, "visit_blockers_loss_reported_1366x768")
    clerk.enter()  # 解挂 first
    qtbot.waitUntil(lambda: window.wizard is not None and window.wizard is not wizard
                    and window.wizard.controller.state.service == "cancel_loss",
                    timeout=WAIT_MS)
    first = clerk.on(PRESENTER)  # chained: the line is known, straight to who presents
    page = first.pages[PRESENTER]
    assert clerk.focus() is page.name
    clerk.type("经办人张三")
    clerk.key(Qt.Key.Key_Tab)
    clerk.type(agent_id)
    clerk.enter()
    docs = clerk.on(DOCUMENTS).pages[DOCUMENTS]
    assert clerk.focus() is docs.row("introduction_letter").seen
    clerk.key(Qt.Key.Key_Space)
    clerk.enter()
    clerk.on(DETAILS)
    clerk.enter()
    clerk.verdict()
    clerk.enter()
    clerk.sign_and_submit()
    done = clerk.on(DONE).pages[DONE]
    qtbot.waitUntil(done.isComplete, timeout=WAIT_MS)
    assert done.then_button.isVisible() and "补" in done.then_button.text()
    shot(window, "visit_chain_go_on_1366x768")
    typed_agent = clerk.typed
    clerk.enter()  # go on: 补卡
    qtbot.waitUntil(lambda: window.wizard is not None and window.wizard is not first
                    and window.wizard.controller.state.service == "sim_replacement",
                    timeout=WAIT_MS)
    second = clerk.on(DOCUMENTS)  # the agent and the letter are known: the papers, ticked
    state = second.controller.state
    assert (state.presenter_name, state.presenter_id_number) == ("经办人张三", agent_id)
    assert second.pages[DOCUMENTS].row("introduction_letter").seen.isChecked()
    shot(window, "visit_chain_papers_carried_1366x768")
    clerk.enter()
    clerk.on(DETAILS)
    clerk.key(Qt.Key.Key_Tab)
    clerk.type(SERIAL)
    clerk.enter()
    clerk.verdict()
    clerk.enter()
    clerk.on(PAYMENT)
    clerk.type("10")
    clerk.enter()
    clerk.sign_and_submit()
    clerk.finish()
    clerk.report("agent_cancel_loss_then_sim")
    assert clerk.typed - typed_agent == len(SERIAL) + 2  # nobody typed again
    assert clerk.actions <= 20
    assert window.visit is None and window.customer is None
    settle(ctx)
    first_order, second_order = _order(ctx, "cancel_loss"), _order(ctx, "sim_replacement")
    for order in (first_order, second_order):
        assert (order.presenter_role, order.presenter_name) == ("agent", "经办人张三")
        with ctx.db.read() as s:
            codes = s.execute(select(OrderDocument.code).where(
                OrderDocument.order_id == order.id)).scalars().all()
        assert "introduction_letter" in codes
    with ctx.db.read() as s:
        assert s.execute(select(Line.status).where(Line.number == pick.number)
                         ).scalar() == "active"


def _quiet_line(c, ln) -> bool:  # type: ignore[no-untyped-def]
    return adult_personal_active(c, ln) and ln.balance_fen == 0 and ln.contract_end is None \
        and ln.nice_number_until is None and ln.subsidy_until is None \
        and ln.campaign_until is None and ln.roaming_prepayment_fen == 0


def test_cancellation_asks_before_closing(qtbot, window: CounterWindow, ctx: AppContext) -> None:
    """销户 with a reason and the retention tried: "cannot be undone" is asked, No (and Esc)
    being the default; Esc leaves the line open, Y closes it."""
    pick = pick_line(ctx, _quiet_line)
    clerk = CountingClerk(qtbot, window)
    clerk.find(pick.detail.id_number)
    clerk.click(window.launcher.buttons["cancellation"])
    wizard = clerk.on(PRESENTER)
    clerk.enter()
    clerk.on(DOCUMENTS)
    clerk.enter()
    details = clerk.on(DETAILS).pages[DETAILS]
    assert clerk.focus() is details.editor("reason").editor
    clerk.type("moving abroad")
    clerk.key(Qt.Key.Key_Tab)
    clerk.key(Qt.Key.Key_Down)  # tried, the customer leaves
    assert details.editor("retention").value() == "attempted_failed"
    clerk.enter()
    clerk.verdict()
    clerk.enter()
    clerk.on(SIGNATURE)
    draw_signature(wizard.pages[SIGNATURE].pad)
    clerk.next_enabled()
    clerk.enter()  # 提交: asked first
    qtbot.waitUntil(lambda: wizard.confirm_box is not None and wizard.confirm_box.isVisible(),
                    timeout=WAIT_MS)
    box = wizard.confirm_box
    clerk.screens += 1
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    shot(window, "visit_cancellation_confirm_1366x768")
    QTest.keyClick(box, Qt.Key.Key_Escape)  # a slip: nothing happens (not counted)
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=WAIT_MS)
    settle(ctx)
    assert wizard.currentId() == SIGNATURE and wizard.controller.result is None
    with ctx.db.read() as s:
        assert s.execute(select(Line.status).where(Line.number == pick.number)
                         ).scalar() == "active"
    clerk.enter()  # 提交 again
    qtbot.waitUntil(lambda: wizard.confirm_box is not box and wizard.confirm_box.isVisible(),
                    timeout=WAIT_MS)
    clerk.actions -= 1  # the slip and its second 提交 are not part of the visit
    clerk.key(Qt.Key.Key_Y, to=wizard.confirm_box)  # 是，销户 (&Yes)
    clerk.screens -= 1
    clerk.finish()
    clerk.report("cancellation")
    assert clerk.actions <= 11
    settle(ctx)
    order = _order(ctx, "cancellation")
    assert order.details["reason"] == "moving abroad"
    with ctx.db.read() as s:
        assert s.execute(select(Line.status).where(Line.number == pick.number)
                         ).scalar() == "cancelled"
