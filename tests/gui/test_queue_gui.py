"""叫号 at the counter window, against the fake queue server (tests/devices/queue_sim.py):
F12 calls A023, the clerk serves the customer through the wizard, "Finish: next customer"
ends the visit; a server fault is one line and the ticket can still be typed; with no queue
system F12 asks for the ticket. The supervisor's day shows the times."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWizard
from sqlalchemy import select

from app.clock import FixedClock
from app.devices import config as device_config
from app.models import QueueTicket, ServiceOrder
from app.ui.counter.window import CounterWindow
from app.ui.shell.context import AppContext
from app.ui.wizard.base import CUSTOMER, DETAILS, DOCUMENTS, DONE, PAYMENT, PRESENTER, SIGNATURE
from tests.builders import NOW
from tests.devices.queue_sim import QueueServer

from .counter_driver import (
    WAIT_MS,
    adult_personal_active,
    click_next,
    ctx,
    draw_signature,
    log_in,
    pick_line,
    settle,
    wait_page,
    wait_verdict,
    window,
)
from .test_counter_gui import find_and_choose
from .ui_fixtures import no_thread_leak, op_runner, translators, ui_settings

__all__ = ["ctx", "no_thread_leak", "op_runner", "translators", "ui_settings", "window"]


@pytest.fixture
def queue_server(ctx: AppContext) -> Iterator[QueueServer]:
    """The hall's queue system, set up in this workstation's devices.ini (window 3)."""
    with QueueServer() as server:
        cfg = device_config.load()
        cfg.set("queue", "kind", "http")
        cfg.set("queue", "url", server.url)
        cfg.set("queue", "window", "3")
        cfg.set("queue", "timeout", "2")
        device_config.save(cfg)
        yield server
        settle(ctx)


def tr(text: str) -> str:
    return QCoreApplication.translate("QueueCallPanel", text)


def tickets(ctx: AppContext) -> dict[str, QueueTicket]:
    with ctx.db.read() as s:
        return {t.ticket_no: t for t in s.scalars(select(QueueTicket))}


def serve_sim_replacement(qtbot, window: CounterWindow, ctx: AppContext) -> str:  # type: ignore[no-untyped-def]
    """A SIM card replacement walked through the wizard up to its last page."""
    pick = pick_line(ctx, adult_personal_active)
    find_and_choose(qtbot, window, pick.number)
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: window.wizard is not None and window.wizard.currentId() == CUSTOMER,
                    timeout=WAIT_MS)
    wizard = window.wizard
    assert wizard is not None
    click_next(qtbot, wizard, PRESENTER)
    QTest.keyClicks(wizard.pages[PRESENTER].id_field.number, pick.detail.id_number)
    click_next(qtbot, wizard, DOCUMENTS)
    click_next(qtbot, wizard, DETAILS)
    QTest.keyClicks(wizard.pages[DETAILS].editor("new_sim_serial").editor, "8986011234567890")
    click_next(qtbot, wizard)
    assert wait_verdict(qtbot, wizard).decision == "accepted"
    wait_page(qtbot, wizard, PAYMENT)
    QTest.keyClicks(wizard.pages[PAYMENT].form.tendered, "10")
    click_next(qtbot, wizard, SIGNATURE)
    draw_signature(wizard.pages[SIGNATURE].pad)
    click_next(qtbot, wizard, DONE)
    result = wizard.controller.result
    assert result is not None and result.order_no
    return result.order_no


def test_call_serve_and_next_customer(qtbot, window: CounterWindow, ctx: AppContext,  # type: ignore[no-untyped-def]
                                      queue_server: QueueServer) -> None:
    clock = ctx.db.clock
    assert isinstance(clock, FixedClock)
    panel = window.queue
    queue_server.tickets.append(("A023", "2026-11-22T09:41:05+08:00", "补换卡"))
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: panel.ticket.text() == "A023", timeout=WAIT_MS)
    assert "18:55" in panel.info.text()  # waited from 09:41:05 to 10:00:00
    assert "补换卡" in panel.info.text()
    assert queue_server.requests[0] == ("call-next", {"window": 3, "clerk": "C001"})

    order_no = serve_sim_replacement(qtbot, window, ctx)
    clock.set(NOW + timedelta(minutes=7))
    wizard = window.wizard
    assert wizard is not None
    # 完成 is enabled once the papers' printing reported, never at once (a double click)
    qtbot.waitUntil(wizard.button(QWizard.WizardButton.FinishButton).isEnabled,
                    timeout=WAIT_MS)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.wizard is None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: tickets(ctx)["A023"].finished_at is not None, timeout=WAIT_MS)
    a023 = tickets(ctx)["A023"]
    assert (a023.called_at, a023.finished_at) == (NOW, NOW + timedelta(minutes=7))
    assert a023.issued_at == NOW - timedelta(minutes=18, seconds=55)
    with ctx.db.read() as s:
        linked = s.execute(select(ServiceOrder.queue_ticket_id)
                           .where(ServiceOrder.order_no == order_no)).scalar_one()
    assert linked == a023.id

    # Nobody waiting: said so, the visit shown stays.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    QTest.keyClick(window, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: panel.message.text() != "" and not panel.busy, timeout=WAIT_MS)
    assert panel.message.text() == tr("Nobody is waiting.") and panel.ticket.text() == "A023"

    # The queue server fails: one line, and the clerk types the customer's ticket.
    queue_server.mode = "500"
    clock.set(NOW + timedelta(minutes=9))
    panel.call_button.click()
    qtbot.waitUntil(lambda: panel.dialog is not None and panel.dialog.isVisible(),
                    timeout=WAIT_MS)
    dialog = panel.dialog
    assert "HTTP 500" in panel.message.text() and "\n" not in panel.message.text()
    assert "HTTP 500" in dialog.fault.text()
    QTest.keyClicks(dialog.number, "b12")
    QTest.keyClicks(dialog.issued, "10:01")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: panel.ticket.text() == "B12", timeout=WAIT_MS)
    assert "8:00" in panel.info.text()  # from 10:01 to 10:09
    found = tickets(ctx)
    assert (found["A023"].status, found["B12"].status, found["B12"].source) == (
        "done", "serving", "manual")


def test_without_a_queue_system_f12_asks_for_the_ticket(qtbot, window: CounterWindow,  # type: ignore[no-untyped-def]
                                                        ctx: AppContext) -> None:
    panel = window.queue
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: panel.dialog is not None and panel.dialog.isVisible(),
                    timeout=WAIT_MS)
    dialog = panel.dialog
    assert not dialog.fault.isVisible()
    QTest.keyClicks(dialog.number, "A-23")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=WAIT_MS)
    assert "排队号" in dialog.error.text() and dialog.isVisible()
    dialog.number.clear()
    QTest.keyClicks(dialog.number, "A23")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: panel.ticket.text() == "A23", timeout=WAIT_MS)
    assert tr("Waiting time unknown (no time of issue)") in panel.info.text()
    assert not panel.recall_button.isEnabled() and panel.skip_button.isEnabled()
    panel.skip_button.click()
    qtbot.waitUntil(lambda: panel.ticket.text() == "—", timeout=WAIT_MS)
    assert tickets(ctx)["A23"].status == "no_show"


def test_supervisor_day_shows_waiting_and_handling(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    from app.ui.day.day_view import SupervisorDayView
    from tests.test_queue_times import a_morning

    clock = ctx.db.clock
    assert isinstance(clock, FixedClock)
    a_morning(ctx.db, clock)
    supervisor = log_in(ctx, "S001", "C03", open_shift=False)
    view = SupervisorDayView(ctx.runner, ctx.db, supervisor)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    tab = view.queue
    qtbot.waitUntil(lambda: tab.times is not None, timeout=WAIT_MS)
    settle(ctx)
    rows = [[tab.services.item(r, c).text() for c in range(6)]
            for r in range(tab.services.rowCount())]
    assert rows[0] == ["缴费", "3", "10:00", "10:00", "5:00", "7:00"]
    clerks = [[tab.clerks.item(r, c).text() for c in range(6)]
              for r in range(tab.clerks.rowCount())]
    assert clerks == [["李明（C001）", "3", "7:00", "10:00", "5:00", "7:00"],
                      ["赵敏（C002）", "2", "15:00", "15:00", "3:00", "5:00"]]
    assert "9:00" in tab.summary.text() and "15:00" in tab.summary.text()
    view.close()
