"""Helpers that drive the counter window and the service wizard the way a clerk does.

Used by `test_counter_gui.py` (and nothing in the program). Everything goes through the real
widgets: typing into fields, clicking buttons, waiting for the worker operations to come back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWizard
from sqlalchemy import select

from app.core.catalog import get_catalog
from app.db import Database
from app.models import Customer, Line
from app.services.customers.pii import default_personal_data
from app.services.customers.queries import CustomerDetail, customer_detail
from app.services.hall.demo import DEMO_PASSWORD
from app.services.hall.registry import Actor
from app.services.orders.service import OrderService
from app.services.staff.auth import login
from app.ui.counter.window import CounterWindow
from app.ui.kit import i18n
from app.ui.kit.op_runner import OpRunner
from app.ui.kit.signature_pad import SignaturePad
from app.ui.settings.store import UiSettings
from app.ui.shell.context import AppContext
from app.ui.shell.errors import install_error_messages
from app.ui.wizard.base import PAYMENT, SIGNATURE, VERDICT
from app.ui.wizard.wizard import ServiceWizard

WAIT_MS = 60_000  # generous: a loaded machine is slow, a passing test does not wait it


def make_context(db: Database, runner: OpRunner, settings: UiSettings) -> AppContext:
    pd = default_personal_data()
    orders = OrderService(db, catalog=get_catalog(), personal_data=pd)
    orders.hall_config()
    return AppContext(db=db, runner=runner, settings=settings, pd=pd, orders=orders,
                      catalog=get_catalog())


def log_in(ctx: AppContext, staff_no: str, counter: str = "C01", *,
           open_shift: bool = True) -> Actor:
    actor = login(ctx.db, staff_no, DEMO_PASSWORD, counter)
    ctx.actor = actor
    if open_shift:
        from app.services.day.counts import Counts
        from app.services.day.items import CHECKLIST_CODES
        from app.services.day.shifts import current_shift
        from app.services.day.shifts import open_shift as open_

        if current_shift(ctx.db, actor) is None:  # blank SIM cards counted: they are issued
            open_(ctx.db, actor, dict.fromkeys(CHECKLIST_CODES, True),
                  Counts(stock={"sim_card": 20}))
    return actor


def settle(ctx: AppContext) -> None:
    assert ctx.runner.wait_idle(60), "background operations did not finish"
    QApplication.processEvents()


@dataclass
class Pick:
    customer_id: int
    number: str
    detail: CustomerDetail


def pick_line(ctx: AppContext, where: Callable[[Customer, Line], bool]) -> Pick:
    """The first demo line (and its customer) that satisfies `where`."""
    with ctx.db.read() as s:
        rows = s.execute(select(Customer, Line).join(Line, Line.customer_id == Customer.id)
                         .order_by(Line.id)).all()
        for c, ln in rows:
            if where(c, ln):
                detail = customer_detail(ctx.db, c.id, ctx.pd)
                assert detail is not None
                return Pick(c.id, ln.number, detail)
    raise AssertionError("no demo line fits")


def adult_personal_active(c: Customer, ln: Line) -> bool:
    return (c.kind == "personal" and c.id_type == "resident_id" and ln.status == "active"
            and ln.payment == "postpaid" and ln.arrears_fen == 0 and not ln.vip
            and not ln.blacklisted and ln.realname == "complete")


def group_active(c: Customer, ln: Line) -> bool:
    return (c.kind == "group" and ln.status == "active" and ln.arrears_fen == 0
            and not ln.vip and not ln.blacklisted and ln.payment == "postpaid")


def make_resident_id(born: date, region: str = "110105", serial: int = 123) -> str:
    from app.core.validators import resident_id_check_char

    body = f"{region}{born:%Y%m%d}{serial:03d}"
    return body + resident_id_check_char(body)


# --- the wizard ----------------------------------------------------------------------------

def click_next(qtbot, wizard: ServiceWizard, expect: int | None = None) -> None:  # type: ignore[no-untyped-def]
    button = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.waitUntil(button.isEnabled, timeout=WAIT_MS)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    if expect is not None:
        qtbot.waitUntil(lambda: wizard.currentId() == expect, timeout=WAIT_MS)


def wait_verdict(qtbot, wizard: ServiceWizard):  # type: ignore[no-untyped-def]
    """The engine's verdict, wherever the flow shows it: on the verdict page (a refusal, an
    incomplete request, one with nothing to pay or sign), or at the top of the payment or
    signature page an accepted request goes straight on to."""
    page = wizard.pages[VERDICT]

    def shown() -> bool:
        pid = wizard.currentId()
        if pid == VERDICT:
            return page.evaluation() is not None
        return pid in (PAYMENT, SIGNATURE) and wizard.controller.evaluation is not None

    qtbot.waitUntil(shown, timeout=WAIT_MS)
    return page.evaluation() if wizard.currentId() == VERDICT else wizard.controller.evaluation


def wait_page(qtbot, wizard: ServiceWizard, page: int) -> None:  # type: ignore[no-untyped-def]
    """The wizard is on `page` (an accepted verdict goes on to payment or signing by itself)."""
    qtbot.waitUntil(lambda: wizard.currentId() == page, timeout=WAIT_MS)


def draw_signature(pad: SignaturePad, strokes: int = 2) -> None:
    """Sign with simulated pointer strokes (press, moves, release) on the pad."""
    h = pad.height()
    for k in range(strokes):
        x0, y0 = 30 + 140 * k, h // 2
        QTest.mousePress(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(x0, y0))
        for i in range(1, 16):
            QTest.mouseMove(pad, QPoint(x0 + 7 * i, y0 + (12 if i % 2 else -12)))
        QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                           QPoint(x0 + 112, y0))


@pytest.fixture
def ctx(no_thread_leak: None, demo_db, op_runner: OpRunner,  # type: ignore[no-untyped-def]
        ui_settings: UiSettings, translators: None) -> Iterator[AppContext]:
    """A logged-out application context on the demo hall, in Chinese."""
    i18n.install_translators("zh_CN")
    install_error_messages()
    context = make_context(demo_db, op_runner, ui_settings)
    yield context
    settle(context)


@pytest.fixture
def window(qtbot, ctx: AppContext) -> Iterator[CounterWindow]:  # type: ignore[no-untyped-def]
    """The counter window of clerk C001 at counter C01, shown and settled."""
    log_in(ctx, "C001")
    w = CounterWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.after_login()
    settle(ctx)
    yield w
    # What the test left running first: a wizard busy submitting refuses to close (as it does
    # for a clerk) and would stay on screen, modal, in front of the next test's window.
    settle(ctx)
    if w.wizard is not None:
        w.wizard._done = True
        w.wizard.close()
    settle(ctx)
