"""The stock screen from the counter window's Work menu: a supervisor receives SIM cards with
the supplier's note and transfers some to another counter, the on-hand table following; a
transfer of more than the counter holds refused in words with nothing written; a clerk may
look but the buttons are greyed; the screen fits 1366 x 768. `STOCK_SCREENSHOTS=1` also
writes docs/screenshots/stock.png."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from app.services.day.items import SIM_CARD
from app.services.stock.vouchers import stock_view
from app.ui.counter.window import CounterWindow
from app.ui.day.stock_dialog import StockDialog
from app.ui.kit.op_runner import OpRunner
from app.ui.settings.store import UiSettings
from tests.security_fixtures import events, row_counts

from .counter_driver import WAIT_MS, log_in, make_context, settle
from .ui_fixtures import no_thread_leak, op_runner, translators, ui_settings

__all__ = ["no_thread_leak", "op_runner", "translators", "ui_settings"]

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("no_thread_leak")]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = os.environ.get("STOCK_SCREENSHOTS") == "1"


def shot(widget: QWidget, name: str) -> None:
    if SHOTS:
        from app.ui.kit.screenshots import grab_to_png

        QApplication.processEvents()
        grab_to_png(widget, ROOT / "docs" / "screenshots" / f"{name}.png")


@pytest.fixture
def ctx(demo_db: Any, op_runner: OpRunner, ui_settings: UiSettings, translators: None,
        qapp: QApplication) -> Iterator[Any]:
    from app.ui.kit import i18n

    if SHOTS:
        from app.ui.kit import fonts
        from app.ui.kit.theme import apply_theme

        fonts.install_cjk_font(qapp)
        apply_theme(qapp)
    i18n.install_translators("zh_CN")
    context = make_context(demo_db, op_runner, ui_settings)
    yield context
    op_runner.wait_idle(60)


def open_screen(ctx: Any, qtbot: Any, staff_no: str, counter: str = "C01",
                shift: bool = False) -> tuple[CounterWindow, StockDialog]:
    log_in(ctx, staff_no, counter, open_shift=shift)
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    assert window.stock.action in window.menu_work.actions()
    dialog = window.stock.open()
    qtbot.waitUntil(lambda: dialog.view is not None, timeout=WAIT_MS)
    return window, dialog


def close(ctx: Any, window: CounterWindow, dialog: StockDialog) -> None:
    dialog.close()
    window.close()
    settle(ctx)


def cell(dialog: StockDialog, item: str, counter: str) -> str:
    assert dialog.view is not None
    row = dialog.view.items.index(item)
    col = 1 + [c.code for c in dialog.view.counters].index(counter)
    found = dialog.on_hand.item(row, col)
    return found.text() if found else ""


def test_a_supervisor_receives_and_transfers(ctx: Any, qtbot: Any) -> None:
    window, dialog = open_screen(ctx, qtbot, "S001", "C03")
    assert dialog.rec_button.isEnabled() and dialog.tra_button.isEnabled()
    assert cell(dialog, SIM_CARD, "C01") == "0 张"
    dialog.rec_counter.setCurrentIndex(dialog.rec_counter.findData("C01"))
    dialog.rec_item.setCurrentIndex(dialog.rec_item.findData(SIM_CARD))
    dialog.rec_quantity.setValue(40)
    dialog.rec_supplier.setText("市公司物流中心 出库单 1122-07")
    dialog.rec_button.click()
    qtbot.waitUntil(lambda: cell(dialog, SIM_CARD, "C01") == "40 张", timeout=WAIT_MS)
    assert "C01" in dialog.done_label.text() and not dialog.error.isVisible()
    assert dialog.rec_supplier.text() == ""  # ready for the next delivery

    dialog.tra_from.setCurrentIndex(dialog.tra_from.findData("C01"))
    dialog.tra_to.setCurrentIndex(dialog.tra_to.findData("C02"))
    dialog.tra_item.setCurrentIndex(dialog.tra_item.findData(SIM_CARD))
    dialog.tra_quantity.setValue(15)
    dialog.tra_note.setText("C02 缺卡")
    dialog.tra_button.click()
    qtbot.waitUntil(lambda: cell(dialog, SIM_CARD, "C02") == "15 张", timeout=WAIT_MS)
    assert cell(dialog, SIM_CARD, "C01") == "25 张"
    assert dialog.vouchers.rowCount() == 2
    assert "市公司物流中心" in dialog.vouchers.item(1, 4).text()
    shot(dialog, "stock")
    settle(ctx)
    assert [e.target.split(":")[0] for e in events(ctx.db, "stock.receive")] == ["stock_voucher"]
    assert len(events(ctx.db, "stock.transfer")) == 1
    close(ctx, window, dialog)


def test_too_many_out_is_refused_in_words(ctx: Any, qtbot: Any) -> None:
    window, dialog = open_screen(ctx, qtbot, "S001", "C03")
    before = row_counts(ctx.db)
    dialog.tra_from.setCurrentIndex(dialog.tra_from.findData("C01"))
    dialog.tra_to.setCurrentIndex(dialog.tra_to.findData("C02"))
    dialog.tra_item.setCurrentIndex(dialog.tra_item.findData(SIM_CARD))
    dialog.tra_quantity.setValue(3)
    dialog.tra_button.click()
    qtbot.waitUntil(dialog.error.isVisible, timeout=WAIT_MS)
    assert "调出柜台库存不足" in dialog.error.text()
    assert dialog.tra_button.isEnabled()  # may try again
    settle(ctx)
    assert row_counts(ctx.db) == before
    close(ctx, window, dialog)


def test_a_clerk_may_look_but_not_receive(ctx: Any, qtbot: Any) -> None:
    window, dialog = open_screen(ctx, qtbot, "C001", "C01", shift=True)
    assert not dialog.rec_button.isEnabled() and not dialog.tra_button.isEnabled()
    assert cell(dialog, SIM_CARD, "C01") == "20 张"  # counted at the shift's opening
    view = stock_view(ctx.db, ctx.actor)
    assert {c.code: c.shift_open for c in view.counters}["C01"] is True
    close(ctx, window, dialog)


def test_the_screen_fits_1366_by_768(ctx: Any, qtbot: Any) -> None:
    window, dialog = open_screen(ctx, qtbot, "S001", "C03")
    hint = dialog.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 740, hint
    assert dialog.width() <= 1366 and dialog.height() <= 740
    close(ctx, window, dialog)
