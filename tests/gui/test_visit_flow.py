"""The clerk's visit with the keyboard (#12): Enter is one 下一步, the next customer starts
clean, blockers show before any typing, an impossible ID number stops on its own page.

Everything is driven with key events sent where the focus is, as a clerk's keyboard would
(`Clerk`), which also counts the actions: keys that are not typing, and clicks.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget, QWizard
from sqlalchemy import select, update

from app.models import IntakeEntry, Line, Shift
from app.ui.counter.window import CounterWindow
from app.ui.shell.context import AppContext
from app.ui.wizard.base import CUSTOMER, DETAILS, DOCUMENTS, PAYMENT, PRESENTER, VERDICT

from .counter_driver import (
    WAIT_MS,
    adult_personal_active,
    ctx,
    group_active,
    make_resident_id,
    pick_line,
    settle,
    window,
)
from .ui_fixtures import no_thread_leak, op_runner, translators, ui_settings

__all__ = ["ctx", "no_thread_leak", "op_runner", "translators", "ui_settings", "window"]


class Clerk:
    """A keyboard at the counter: keys go to the widget with the focus; `actions` counts the
    keys that are not typing and the clicks, `typed` the characters."""

    def __init__(self, qtbot, window: CounterWindow) -> None:  # type: ignore[no-untyped-def]
        self.qtbot = qtbot
        self.window = window
        self.actions = 0
        self.typed = 0

    def focus(self) -> QWidget:
        top = QApplication.activeModalWidget() or self.window.wizard or self.window
        if self.window.wizard is not None and top is self.window.wizard:
            top = self.window.wizard
        widget = top.focusWidget() if top is not None else None
        return widget or top

    def type(self, text: str, into: QWidget | None = None) -> None:
        """Typing; a Chinese character arrives as a key event carrying it (what the input
        method commits), since QTest only knows Latin keys."""
        target = into or self.focus()
        for ch in text:
            if ch.isascii():
                QTest.keyClick(target, ch)
            else:
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    QApplication.sendEvent(target, QKeyEvent(
                        kind, 0, Qt.KeyboardModifier.NoModifier, ch))
        self.typed += len(text)

    def key(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
            to: QWidget | None = None) -> None:
        QTest.keyClick(to or self.focus(), key, modifier)
        self.actions += 1

    def enter(self) -> None:
        self.key(Qt.Key.Key_Return)

    def click(self, button: QWidget) -> None:
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        self.actions += 1

    # -- waiting (no action) ---------------------------------------------------------------

    def wizard_on(self, page: int):  # type: ignore[no-untyped-def]
        self.qtbot.waitUntil(lambda: self.window.wizard is not None
                             and self.window.wizard.currentId() == page, timeout=WAIT_MS)
        QTest.qWait(20)  # the page switch is over (the cursor is placed after it)
        return self.window.wizard

    def next_enabled(self) -> None:
        wizard = self.window.wizard
        assert wizard is not None
        button = wizard.button(QWizard.WizardButton.NextButton)
        self.qtbot.waitUntil(button.isEnabled, timeout=WAIT_MS)

    def find(self, typed: str) -> None:
        """F1, type, Enter: the customer is loaded."""
        self.window.activateWindow()
        self.key(Qt.Key.Key_F1, to=self.window)
        assert self.focus() is self.window.search.box
        self.type(typed)
        self.qtbot.waitUntil(lambda: self.window.search.model.rowCount() > 0, timeout=WAIT_MS)
        with self.qtbot.waitSignal(self.window.customer_loaded, timeout=WAIT_MS):
            self.enter()
        self.actions -= 1  # F1 only puts the cursor where it is on a fresh screen
        self.window.activateWindow()


def test_enter_moves_exactly_one_page(qtbot, window: CounterWindow, ctx: AppContext) -> None:
    """Defect 1: Enter in the presenter's ID field went past 办理人 and past 查验资料. Now each
    Enter is one page, and the papers page never claims the ID seen that the verdict misses."""
    pick = pick_line(ctx, adult_personal_active)
    clerk = Clerk(qtbot, window)
    clerk.find(pick.number)
    clerk.key(Qt.Key.Key_F4, to=window)
    wizard = clerk.wizard_on(CUSTOMER)
    clerk.next_enabled()
    clerk.enter()
    clerk.wizard_on(PRESENTER)
    assert clerk.focus() is wizard.pages[PRESENTER].id_field.number
    clerk.type(pick.detail.id_number)
    clerk.enter()  # in the ID field, where returnPressed used to move on a second time
    clerk.wizard_on(DOCUMENTS)
    QTest.qWait(50)
    assert wizard.currentId() == DOCUMENTS
    assert wizard.controller.state.presenter_id_number == pick.detail.id_number
    clerk.enter()
    clerk.wizard_on(DETAILS)
    QTest.qWait(50)
    assert wizard.currentId() == DETAILS
    clerk.enter()  # the engine is asked, accepts: the payment, the verdict at its top
    clerk.wizard_on(PAYMENT)
    QTest.qWait(50)
    assert wizard.currentId() == PAYMENT
    ev = wizard.controller.evaluation
    assert ev.decision == "accepted" and "presenter_id" not in ev.missing


def test_service_filter_enter_picks_and_moves_once(qtbot, window: CounterWindow,
                                                   ctx: AppContext) -> None:
    """The service page's filter: Enter takes the first match and goes on once."""
    pick = pick_line(ctx, adult_personal_active)
    clerk = Clerk(qtbot, window)
    clerk.find(pick.number)
    clerk.key(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier, to=window)  # New service...
    qtbot.waitUntil(lambda: window.wizard is not None and window.wizard.isVisible(),
                    timeout=WAIT_MS)
    wizard = window.wizard
    assert clerk.focus() is wizard.pages[0].filter
    clerk.type("sim_repl")
    clerk.enter()
    clerk.wizard_on(CUSTOMER)
    QTest.qWait(50)
    assert wizard.currentId() == CUSTOMER
    assert wizard.controller.state.service == "sim_replacement"


def test_invalid_id_number_blocks_next_on_its_page(qtbot, window: CounterWindow,
                                                   ctx: AppContext) -> None:
    pick = pick_line(ctx, group_active)
    clerk = Clerk(qtbot, window)
    clerk.find(pick.number)
    window.panel.select_line(pick.number)
    clerk.key(Qt.Key.Key_F5, to=window)  # 挂失
    wizard = clerk.wizard_on(CUSTOMER)
    clerk.next_enabled()
    clerk.enter()
    page = wizard.pages[PRESENTER]
    clerk.wizard_on(PRESENTER)
    assert clerk.focus() is page.name
    clerk.type("经办人")
    clerk.key(Qt.Key.Key_Tab)
    assert clerk.focus() is page.id_field.number  # Tab order follows the page
    good = make_resident_id(date(1979, 6, 1))
    clerk.type(good[:-1] + ("0" if good[-1] != "0" else "1"))  # a wrong check character
    nxt = wizard.button(QWizard.WizardButton.NextButton)
    assert page.id_field.is_ok() is False and not nxt.isEnabled()
    clerk.enter()
    QTest.qWait(50)
    assert wizard.currentId() == PRESENTER  # stays: the number can only be wrong
    page.id_field.number.selectAll()
    clerk.type(good)
    assert nxt.isEnabled()
    clerk.enter()
    clerk.wizard_on(DOCUMENTS)


def test_next_customer_clears_the_visit(qtbot, window: CounterWindow, ctx: AppContext) -> None:
    """Defect 2: after 完成，接待下一位, F5 opened 挂失 for the previous customer and the search
    box still showed their ID number. Now nothing of the visit is left."""
    pick = pick_line(ctx, adult_personal_active)
    clerk = Clerk(qtbot, window)
    clerk.find(pick.detail.id_number)
    assert window.visit is not None and window.visit.hint is not None
    clerk.key(Qt.Key.Key_F7, to=window)  # 障碍申告: no signature, no fee
    wizard = clerk.wizard_on(PRESENTER)  # found by the owner's own ID: line and owner known
    assert wizard.pages[PRESENTER].id_field.text() == pick.detail.id_number
    clerk.enter()  # no paper beyond the owner's own ID: the papers page is passed
    page = wizard.pages[DETAILS]
    clerk.wizard_on(DETAILS)
    for key, editor in page.editors.items():  # the required fields of a fault report
        if editor.spec.required and not editor.is_filled():
            if editor.spec.type == "enum":
                editor.editor.setFocus()
                clerk.key(Qt.Key.Key_Down)
            else:
                clerk.type("无信号" if key != "contact_mobile" else "13800138000",
                           into=editor.editor)
    clerk.next_enabled()
    clerk.enter()
    clerk.wizard_on(VERDICT)
    qtbot.waitUntil(lambda: wizard.pages[VERDICT].evaluation() is not None, timeout=WAIT_MS)
    clerk.next_enabled()
    clerk.enter()  # submit
    done = clerk.wizard_on(8).pages[8]
    qtbot.waitUntil(done.isComplete, timeout=WAIT_MS)
    clerk.enter()  # 完成，接待下一位
    qtbot.waitUntil(lambda: window.wizard is None, timeout=WAIT_MS)
    settle(ctx)
    assert window.search.box.text() == ""
    assert window.search.model.rowCount() == 0
    assert window.customer is None and window.visit is None and window.card is None
    assert window.panel.customer is None and window.panel.selected_line is None
    assert QApplication.focusWidget() in (window.search.box, None)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    clerk.key(Qt.Key.Key_F5, to=window)  # 挂失: no customer any more
    QTest.qWait(100)
    assert window.wizard is None
    assert window.notice is not None and window.notice.isVisible()
    window.notice.close()


def test_blockers_show_before_any_typing(qtbot, window: CounterWindow, ctx: AppContext) -> None:
    """Defect 4: 已挂失, arrears and 已销户 are on the first page, before anything is typed."""
    pick = pick_line(ctx, adult_personal_active)
    with ctx.db.session() as s:
        s.execute(update(Line).where(Line.number == pick.number).values(
            status="loss_reported", arrears_fen=1250))
    clerk = Clerk(qtbot, window)
    clerk.find(pick.number)
    typed_before = clerk.typed
    clerk.key(Qt.Key.Key_F4, to=window)  # 补卡
    wizard = clerk.wizard_on(CUSTOMER)
    banner = wizard.pages[CUSTOMER].blockers
    qtbot.waitUntil(banner.isVisible, timeout=WAIT_MS)
    text = banner.text.text()
    assert "已挂失" in text and "先办理解挂" in text and "12.50" in text
    assert banner.pay.isVisible() and "12.50" in banner.pay.text()
    assert banner.first.isVisible() and "解挂" in banner.first.text()
    assert clerk.typed == typed_before and wizard.controller.state.presenter_id_number == ""
    wizard._done = True
    wizard.close()
    qtbot.waitUntil(lambda: window.wizard is None, timeout=WAIT_MS)
    with ctx.db.session() as s:
        s.execute(update(Line).where(Line.number == pick.number).values(
            status="cancelled", arrears_fen=0))
    clerk.find(pick.number)
    clerk.key(Qt.Key.Key_F4, to=window)
    wizard = clerk.wizard_on(CUSTOMER)
    banner = wizard.pages[CUSTOMER].blockers
    qtbot.waitUntil(banner.isVisible, timeout=WAIT_MS)
    assert "已销户" in banner.text.text()
    assert not banner.pay.isVisible() and not banner.first.isVisible()


def test_shift_not_open_blocks_at_once(qtbot, window: CounterWindow, ctx: AppContext) -> None:
    pick = pick_line(ctx, adult_personal_active)
    with ctx.db.session() as s:
        s.execute(update(Shift).where(Shift.status == "open").values(status="closed"))
    clerk = Clerk(qtbot, window)
    clerk.find(pick.number)
    clerk.key(Qt.Key.Key_F4, to=window)
    wizard = clerk.wizard_on(CUSTOMER)
    banner = wizard.pages[CUSTOMER].blockers
    qtbot.waitUntil(banner.isVisible, timeout=WAIT_MS)
    assert "尚未开班" in banner.text.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    clerk.enter()
    QTest.qWait(50)
    assert wizard.currentId() == CUSTOMER
    with ctx.db.read() as s:
        assert s.execute(select(IntakeEntry)).first() is None
