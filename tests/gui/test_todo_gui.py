"""我的待办 driven as a clerk drives it: Ctrl+T opens the list, the overdue complaint is first
and in red, the status bar counts it; Enter on it asks for the result (refused empty, in the
form), OK closes it and the status bar's overdue count drops; a follow-up is handed over to a
colleague with the reason and leaves the list. The supervisor's menu shows everyone's items,
overdue first, with the owner; both screens fit 1366 x 768. `TODO_SCREENSHOTS=1` also writes
docs/screenshots/todo_*.png."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from app.core.request import parse_request
from app.services.day import registers, todo
from app.services.orders.service import Submission
from app.ui.counter.todo_forms import CloseForm, HandoverForm
from app.ui.counter.todo_view import OVERDUE_TEXT, TodoView
from app.ui.counter.window import CounterWindow
from app.ui.kit.op_runner import OpRunner
from app.ui.settings.store import UiSettings
from app.ui.shell.context import AppContext
from app.ui.shell.errors import install_error_messages
from tests.builders import NOW, OWNER, PERSON
from tests.builders import counter_line as line

from .counter_driver import WAIT_MS, log_in, make_context, settle
from .ui_fixtures import no_thread_leak, op_runner, translators, ui_settings

__all__ = ["no_thread_leak", "op_runner", "translators", "ui_settings"]

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("no_thread_leak")]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = os.environ.get("TODO_SCREENSHOTS") == "1"


def shot(widget: QWidget, name: str) -> None:
    if SHOTS:
        from app.ui.kit.screenshots import grab_to_png

        QApplication.processEvents()
        grab_to_png(widget, ROOT / "docs" / "screenshots" / f"todo_{name}.png")


@pytest.fixture
def ctx(demo_db: Any, op_runner: OpRunner, ui_settings: UiSettings, translators: None,
        qapp: QApplication) -> Iterator[AppContext]:
    from app.ui.kit import i18n

    if SHOTS:
        from app.ui.kit import fonts
        from app.ui.kit.theme import apply_theme

        fonts.install_cjk_font(qapp)
        apply_theme(qapp)
    i18n.install_translators("zh_CN")
    install_error_messages()
    context = make_context(demo_db, op_runner, ui_settings)
    yield context
    op_runner.wait_idle(60)


def items_for_c001(ctx: AppContext) -> None:
    """Clerk C001 (on shift at C01): a roaming refund, a complaint from an order (48 h), and a
    complaint entered three hours ago whose promised answer passed an hour ago."""
    clerk = log_in(ctx, "C001", "C01")
    for service, details, with_line in (
            ("intl_roaming_close", {},
             line("18612340001", intl_roaming={"open": True, "prepayment": 500})),
            ("complaint", {"subject": "乱扣费", "description": "本月多扣 10 元"}, None)):
        raw: dict[str, Any] = {"service": service, "customer": PERSON, "presenter": OWNER,
                               "documents": [], "details": details, "signature": True}
        if with_line:
            raw["line"] = with_line
        order = ctx.orders.submit(Submission(parse_request(raw)), clerk)
        assert order.order_no
    registers.register_complaint(ctx.db, clerk, customer_name="张三", subject="服务态度",
                                 description="排队时被插队", now=NOW - timedelta(hours=3),
                                 promised_at=NOW - timedelta(hours=1))


def open_window(ctx: AppContext, qtbot: Any) -> CounterWindow:
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    return window


def close_all(ctx: AppContext, window: CounterWindow) -> None:
    for view in (window.todo.view, window.todo.all_view):
        if view is not None:
            view.close()
    window.close()
    settle(ctx)


def red(view: TodoView, row: int) -> bool:
    item = view.table.item(row, 0)
    return item is not None and item.foreground().color() == QColor(OVERDUE_TEXT)


def test_the_clerk_works_through_my_todo_list(ctx: AppContext, qtbot: Any) -> None:
    items_for_c001(ctx)
    window = open_window(ctx, qtbot)
    entry = window.todo
    assert entry.action in window.menu_work.actions()
    qtbot.waitUntil(lambda: entry.counts == todo.TodoCounts(3, 1), timeout=WAIT_MS)
    assert "1" in entry.status.text() and "#c62828" in entry.status.styleSheet()
    shot(window, "status_bar")

    QTest.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: entry.view is not None and entry.view.isVisible()
                    and len(entry.view.items) == 3, timeout=WAIT_MS)
    view = entry.view
    assert view is not None and view.table.rowCount() == 3
    first = view.items[0]
    assert (first.kind, first.stage, first.overdue) == ("complaint", "answer", True)
    assert red(view, 0) and not red(view, 1) and not red(view, 2)
    assert [i.kind for i in view.items] == ["complaint", "complaint", "follow_up"]
    hint = view.sizeHint()
    assert view.width() <= 1366 and view.height() <= 740 and hint.width() <= 1366, hint
    view.table.selectRow(2)  # (a selected row shows in the selection's colours)
    shot(view, "mine")
    view.table.selectRow(0)

    # Enter on the selected (first, overdue) row asks for the result; empty is refused.
    assert view.selected() == first
    view.table.setFocus()
    QTest.keyClick(view.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(view.form, CloseForm) and view.form.isVisible(),
                    timeout=WAIT_MS)
    form = view.form
    assert isinstance(form, CloseForm) and form.verdict is None
    qtbot.mouseClick(form.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.error.isVisible(), timeout=WAIT_MS)
    assert "请填写办理结果" in form.error.text() and form.isVisible()
    form.result_text.insertPlainText("已当面致歉，客户接受")  # (keyClicks types ASCII only)
    with qtbot.waitSignal(form.accepted, timeout=WAIT_MS):
        qtbot.mouseClick(form.ok, Qt.MouseButton.LeftButton)
    # Answered: its follow-up visit is next (in seven days), so nothing is overdue now.
    qtbot.waitUntil(lambda: entry.counts == todo.TodoCounts(3, 0), timeout=WAIT_MS)
    assert "#c62828" not in entry.status.styleSheet()
    qtbot.waitUntil(lambda: not any(i.overdue for i in view.items), timeout=WAIT_MS)
    assert not red(view, 0)

    # Hand the refund over to 赵敏 with the reason: it leaves the list and the count drops.
    refund_row = next(r for r, i in enumerate(view.items) if i.kind == "follow_up")
    refund = view.items[refund_row]
    view.table.selectRow(refund_row)
    hand = view.hand_over_selected()
    assert isinstance(hand, HandoverForm)
    qtbot.waitUntil(lambda: hand.to.count() > 0 and hand.ok.isEnabled(), timeout=WAIT_MS)
    hand.to.setCurrentIndex(hand.to.findData("C002"))
    hand.reason.insert("客户改到二号柜台办理")
    with qtbot.waitSignal(hand.accepted, timeout=WAIT_MS):
        qtbot.mouseClick(hand.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: entry.counts == todo.TodoCounts(2, 0), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: refund.key not in [i.key for i in view.items], timeout=WAIT_MS)
    (step,) = todo.history(ctx.db, "follow_up", refund.id)
    assert (step.from_name, step.to_name, step.by_name, step.reason) == (
        "李明", "赵敏", "李明", "客户改到二号柜台办理")
    close_all(ctx, window)


def test_the_supervisor_sees_everyones_items(ctx: AppContext, qtbot: Any) -> None:
    items_for_c001(ctx)
    clerk2 = log_in(ctx, "C002", "C02", open_shift=False)
    registers.register_complaint(ctx.db, clerk2, customer_name="王五", subject="宽带报装慢",
                                 description="预约三天未上门",
                                 promised_at=NOW + timedelta(hours=20))
    log_in(ctx, "S001", "C03", open_shift=False)
    window = open_window(ctx, qtbot)
    entry = window.todo
    assert entry.all_action in window.menu_supervisor.actions() and entry.all_action.isVisible()
    entry.all_action.trigger()
    view = entry.all_view
    assert view is not None
    qtbot.waitUntil(lambda: len(view.items) == 4, timeout=WAIT_MS)
    assert view.items[0].overdue and red(view, 0) and not red(view, 1)
    owner_col = view.table.columnCount() - 2
    assert [view.table.item(r, owner_col).text() for r in range(4)] == [
        "李明 (C001)", "赵敏 (C002)", "李明 (C001)", "李明 (C001)"]
    assert view.width() <= 1366 and view.height() <= 740
    view.table.selectRow(3)
    shot(view, "all")
    view.table.selectRow(0)
    # The supervisor may close the clerk's item.
    form = view.close_selected()
    assert isinstance(form, CloseForm)
    form.result_text.insertPlainText("值班长已回电致歉")
    with qtbot.waitSignal(form.accepted, timeout=WAIT_MS):
        qtbot.mouseClick(form.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not any(i.overdue for i in view.items), timeout=WAIT_MS)
    close_all(ctx, window)


def test_a_clerk_has_no_view_of_everyones_items(ctx: AppContext, qtbot: Any) -> None:
    log_in(ctx, "C002", "C02", open_shift=False)
    window = open_window(ctx, qtbot)
    assert not window.todo.all_action.isVisible()
    qtbot.waitUntil(lambda: window.todo.counts == todo.TodoCounts(0, 0), timeout=WAIT_MS)
    close_all(ctx, window)
