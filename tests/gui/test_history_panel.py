"""The customer's history beside the lines in the counter window, driven from the keyboard:
typed search, Enter, and the history arrives from its worker (orders latest first, open items
with the overdue ones in red, a unit's contact and key persons masked, "use as the unit's
agent"). Screenshots at 1366x768 and 1920x1080 (`HISTORY_SCREENSHOTS=1` also writes
docs/screenshots/counter_history_*.png)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import select

from app.core.request import parse_request
from app.models import Customer, KeyPerson, Line
from app.services.orders.service import Submission
from app.ui.counter.history import AMOUNT_COLUMN, HistoryPanel
from app.ui.counter.window import CounterWindow
from app.ui.kit.screenshots import grab_to_png
from app.ui.shell.context import AppContext
from tests.builders import OWNER, PERSON
from tests.builders import counter_line as line

from .counter_driver import WAIT_MS, ctx, log_in, settle, window
from .test_fit_screens import real_look
from .ui_fixtures import app_look, no_thread_leak, op_runner, translators, ui_settings

__all__ = ["app_look", "ctx", "no_thread_leak", "op_runner", "real_look", "translators",
           "ui_settings", "window"]

SHOTS = os.environ.get("HISTORY_SCREENSHOTS") == "1"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def record(ctx: AppContext, service: str, details: dict[str, Any],
           with_line: dict[str, Any] | None = None) -> str:
    raw: dict[str, Any] = {"service": service, "customer": PERSON, "presenter": OWNER,
                           "documents": [], "details": details, "signature": True}
    if with_line is not None:
        raw["line"] = with_line
    result = ctx.orders.submit(Submission(parse_request(raw)), ctx.require_actor())
    assert result.order_no, result.evaluation
    ctx.db.clock.advance(minutes=7)  # type: ignore[attr-defined]
    return str(result.order_no)


def find(qtbot: Any, w: CounterWindow, typed: str) -> None:
    """Type into the search (F1 first, as a clerk does) and press Enter on the first hit."""
    QTest.keyClick(w, Qt.Key.Key_F1)
    QTest.keyClicks(w.search.box, typed)
    qtbot.waitUntil(lambda: w.search.model.rowCount() > 0, timeout=WAIT_MS)
    history = w.panel.history
    assert history is not None
    with qtbot.waitSignal(history.loaded, timeout=WAIT_MS):
        QTest.keyClick(w.search.box, Qt.Key.Key_Return)


def table_text(panel: HistoryPanel) -> list[list[str]]:
    m = panel.model
    return [[m.data(m.index(r, c)) for c in range(m.columnCount())] for r in range(m.rowCount())]


def test_orders_and_open_items_beside_the_lines(qtbot: Any, window: CounterWindow,
                                                ctx: AppContext, real_look: None) -> None:
    made = [record(ctx, "complaint", {"subject": "乱扣费", "description": "本月多扣 10 元"}),
            record(ctx, "fault_report", {"fault_type": "ordinary", "description": "无信号"},
                   line("18612340001")),
            record(ctx, "bill_payment", {"amount": 123.5}, line("18612340001",
                                                                   arrears=123.5))]
    window.resize(1366, 768 - 80)  # the task bar and the title bar
    find(qtbot, window, PERSON["id_document"]["number"])
    panel = window.panel.history
    assert panel is not None and panel.isVisible()
    rows = table_text(panel)
    assert [r[4] for r in rows] == made[::-1]  # latest first
    assert rows[0][1:3] == ["缴费", "123.50"] and rows[1][1] == "障碍申告"
    # The amount column is never narrower than its text: "123.50", not "123".
    metrics = panel.view.fontMetrics()
    assert panel.view.columnWidth(AMOUNT_COLUMN) >= metrics.horizontalAdvance("123.50") + 6
    open_text = panel.open_list.text()
    assert "乱扣费" in open_text and "无信号" in open_text and "#c62828" not in open_text
    assert panel.open_title.isVisible() and "(2)" in panel.open_title.text()
    assert not panel.people_host.isVisible()  # a person has no contact or key persons
    if SHOTS:
        grab_to_png(window, DOCS / "counter_history_1366x768.png")

    # Thirteen hours later the fault (12 h) is overdue: red, first.
    ctx.db.clock.advance(hours=13)  # type: ignore[attr-defined]
    assert window.customer is not None
    with qtbot.waitSignal(panel.loaded, timeout=WAIT_MS):  # as after an order is written
        window.load_customer(window.customer.customer_id)
    first = panel.open_list.text().split("<br>")[0]
    assert "#c62828" in first and "无信号" in first


def test_a_units_people_masked_and_offered_as_its_agent(qtbot: Any, window: CounterWindow,
                                                        ctx: AppContext, real_look: None
                                                        ) -> None:
    with ctx.db.read() as s:
        unit_id, number = s.execute(select(Customer.id, Line.number).join(Line)
                                    .where(Customer.kind == "group").order_by(Line.id)).first()
        people = s.execute(select(KeyPerson.name).where(KeyPerson.customer_id == unit_id)
                           .order_by(KeyPerson.id)).scalars().all()
    window.resize(1920, 1080 - 80)
    find(qtbot, window, number)
    panel = window.panel.history
    assert panel is not None and panel.people_host.isVisible()
    shown = [b.parent().findChild(type(panel.title), "unitPerson").text()  # type: ignore[union-attr]
             for b in panel.agent_buttons]
    assert len(shown) == 2 and "办公室主任" in shown[0] and "总经理" in shown[1]
    assert not any(name in " ".join(shown) for name in people)  # names masked on screen
    assert "****" in shown[0]  # the contact's phone masked
    assert all(not b.autoDefault() for b in panel.agent_buttons)
    if SHOTS:
        grab_to_png(window, DOCS / "counter_history_unit_1920x1080.png")

    with qtbot.waitSignal(window.panel.agent_chosen, timeout=WAIT_MS) as picked:
        qtbot.mouseClick(panel.agent_buttons[1], Qt.MouseButton.LeftButton)
    assert picked.args[0].name == people[1] and picked.args[0].role == "key"
    assert window.panel.chosen_agent is picked.args[0]
    # The next service opens with that person as the unit's 经办人, typed by no one.
    wizard = window.start_service("sim_replacement")
    assert wizard is not None
    state = wizard.controller.state
    assert (state.presenter_role, state.presenter_name) == ("agent", people[1])
    wizard._done = True  # leave without the "abandon this visit?" question
    wizard.close()
    qtbot.waitUntil(lambda: window.wizard is None, timeout=WAIT_MS)
    # Another customer: the pick does not follow them.
    with ctx.db.read() as s:
        other = s.execute(select(Line.number).join(Customer).where(Customer.kind == "personal")
                          .order_by(Line.id)).scalars().first()
    find(qtbot, window, str(other))
    assert window.panel.chosen_agent is None


def test_a_late_answer_for_the_previous_customer_is_dropped(qtbot: Any, window: CounterWindow,
                                                             ctx: AppContext) -> None:
    with ctx.db.read() as s:
        a, b = s.execute(select(Customer.id).order_by(Customer.id).limit(2)).scalars().all()
    panel = window.panel.history
    assert panel is not None
    panel.show_customer(a)
    panel.show_customer(b)  # before a's answer is in
    settle(ctx)
    assert panel.history is not None and panel.history.customer_id == b


def test_no_history_for_an_administrator(qtbot: Any, ctx: AppContext) -> None:
    """The core refuses: the panel says so in one sentence, and shows nothing."""
    log_in(ctx, "A001", "C02", open_shift=False)
    panel = HistoryPanel(ctx)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.loaded, timeout=WAIT_MS) as got:
        panel.show_customer(1)
    assert got.args == [None] and panel.history is None
    assert "权限" in panel.status.text() and "\n" not in panel.status.text()
    assert panel.model.rowCount() == 0


def test_the_panel_fits_beside_the_lines_at_1366_and_1920(qtbot: Any, window: CounterWindow,
                                                          ctx: AppContext, real_look: None
                                                          ) -> None:
    record(ctx, "fault_report", {"fault_type": "ordinary", "description": "无信号"},
           line("18612340001"))
    for size in ((1366, 768), (1920, 1080)):
        window.resize(size[0], size[1] - 80)
        find(qtbot, window, PERSON["id_document"]["number"])
        panel = window.panel.history
        assert panel is not None
        cards = window.panel.cards
        assert panel.width() >= 250 and cards and cards[0].width() >= 250, size
        assert panel.view.isVisible() and panel.view.height() > 40, size
        if SHOTS and size == (1920, 1080):
            grab_to_png(window, DOCS / "counter_history_1920x1080.png")
        ctx.db.clock.advance(timedelta(minutes=1))  # type: ignore[attr-defined]
