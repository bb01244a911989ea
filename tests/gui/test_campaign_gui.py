"""A campaign at the counter, driven like a clerk (issue #14): the details page shows exactly
the fields the chosen campaign needs, proposes the tier from them, says in words why another
tier is refused, offers the gifts this counter has (none on hand: not choosable) and shows
the terms; the order is recorded with them. `HALL_SCREENSHOTS=1` also writes
docs/screenshots/campaign_details.png (the wizard at 1366 x 768)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWizard
from sqlalchemy import select

from app.core.campaigns import TERM_END_TASK
from app.models import FollowUpTask, ServiceOrder
from app.services.day.items import gift_item
from app.services.hall.demo import DEMO_PASSWORD
from app.services.staff.auth import login
from app.services.stock.ledger import on_hand
from app.services.stock.vouchers import receive
from app.ui.counter.window import CounterWindow
from app.ui.shell.context import AppContext
from app.ui.wizard.base import DETAILS, DONE, PAYMENT, PRESENTER, SIGNATURE
from app.ui.wizard.campaign_box import CampaignBox

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
from .test_counter_gui import find_and_choose, open_service
from .ui_fixtures import app_look, no_thread_leak, op_runner, translators, ui_settings

__all__ = ["app_look", "ctx", "no_thread_leak", "op_runner", "translators", "ui_settings",
           "window"]

pytestmark = [pytest.mark.gui]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = os.environ.get("HALL_SCREENSHOTS") == "1"
RICE = gift_item("rice_5kg")


def choose(combo, data: str) -> None:  # type: ignore[no-untyped-def]
    """Pick an entry as the clerk does (`activated` is sent for a clerk's pick only)."""
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def test_a_tier_chosen_with_its_fields_and_a_gift_from_stock(
        qtbot, window: CounterWindow, ctx: AppContext, app_look,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.ui.devices.a4_print.available_printers", lambda: [])
    if SHOTS:  # the look of the real program: its CJK font and theme
        from app.ui.kit.fonts import install_cjk_font
        from app.ui.kit.theme import apply_theme

        install_cjk_font(app_look)
        apply_theme(app_look)
    supervisor = login(ctx.db, "S001", DEMO_PASSWORD, "C03")
    receive(ctx.db, supervisor, {RICE: 3}, counter="C01", supplier="粮油公司 出库单 3")
    pick = pick_line(ctx, adult_personal_active)
    find_and_choose(qtbot, window, pick.number)
    wizard = open_service(qtbot, window, "product_reservation")
    wizard.resize(1366, 768)
    click_next(qtbot, wizard, PRESENTER)
    QTest.keyClicks(wizard.pages[PRESENTER].id_field.number, pick.detail.id_number)
    click_next(qtbot, wizard, DETAILS)  # no paper beyond the owner's ID: none to tick
    page = wizard.pages[DETAILS]
    page.editor("action").set_value("subscribe")
    page.editor("product").set_value("网龄回馈")
    box: CampaignBox = page.campaign_box
    assert box.isVisible() and "campaign" not in page.editors  # no raw code field any more

    # Exactly the fields each campaign needs.
    choose(box.choice, "mobile_bus_card")
    assert box.editors == {} and box.tier.currentData() == "sticker_card"
    choose(box.choice, "group_tenure_reward")
    assert list(box.editors) == ["bank_card_kind", "joined_on", "group_member", "took_tier1"]
    assert "银讯通" in box.notes.text()

    # The tier follows the answers until the clerk picks one.
    box.editors["joined_on"].set_value("2009-05-01")
    assert box.tier.currentData() == "tier1_new" and box.tier_check.property("ok") is False
    assert "集团成员为“否”，须为“是”" in box.tier_check.text()
    box.editors["group_member"].set_value(True)
    assert box.tier.currentData() == "tier1_old" and box.tier_check.property("ok") is True
    assert "一档（2011年1月1日前入网）" in box.proposal.text()
    assert box.tier.itemText(box.tier.currentIndex()).startswith("✓")
    choose(box.tier, "tier1_new")
    assert box.tier_check.property("ok") is False
    assert "入网日期为 2009-05-01，须不早于 2011-01-01" in box.tier_check.text()
    box.editors["joined_on"].set_value("2015-03-01")  # a picked tier stays picked
    assert box.tier.currentData() == "tier1_new" and box.tier_check.property("ok") is True
    box.editors["joined_on"].set_value("2009-05-01")
    choose(box.tier, "tier1_old")

    # The gifts with this counter's counts: no oil here, so the rice.
    qtbot.waitUntil(lambda: "3" in box.gift.itemText(box.gift.findData("rice_5kg")),
                    timeout=WAIT_MS)
    oil = box.gift.findData("cooking_oil_5l")
    model = box.gift.model()
    assert isinstance(model, QStandardItemModel) and not model.item(oil).isEnabled()
    assert box.gift.currentData() == "rice_5kg" and box.gift_note.text() == ""
    choose(box.tier, "tier2")  # its one gift, none counted here: the clerk is told
    qtbot.waitUntil(lambda: box.gift_note.text() != "", timeout=WAIT_MS)
    choose(box.tier, "tier1_old")
    qtbot.waitUntil(lambda: box.gift.currentData() == "rice_5kg" and not box.gift_note.text(),
                    timeout=WAIT_MS)
    assert box.terms.text() == ("预存 109 元（其中 9 元可即时使用），最低消费每月 19 元，合约期 "
                                "10 个月（2026-11-22 至 2027-09-21），每月返还 10 元，预存款可退")
    box.editors["bank_card_kind"].set_value("debit")
    box.doc_ticks["bank_debit_card"].setChecked(True)
    QApplication.processEvents()
    if SHOTS:
        from app.ui.kit.screenshots import grab_to_png

        grab_to_png(wizard, ROOT / "docs" / "screenshots" / "campaign_details.png")
    hint = wizard.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 740, hint

    click_next(qtbot, wizard)
    ev = wait_verdict(qtbot, wizard)
    assert ev.decision == "accepted", ([v.message for v in ev.violations], ev.missing)
    assert [(f.item, f.amount_fen) for f in ev.fees] == [("campaign_prepayment", 10900)]
    wait_page(qtbot, wizard, PAYMENT)  # accepted: the verdict at the top of the payment
    extra = wizard.pages[PAYMENT].summary.text()  # the terms, before the customer signs
    assert "每月返还 10 元" in extra and "政企集团成员网龄回馈" in extra
    hint = wizard.minimumSizeHint()  # the terms on top still fit a 1366x768 counter
    assert hint.width() <= 1366 and hint.height() <= 740, hint
    QTest.keyClicks(wizard.pages[PAYMENT].form.tendered, "200")
    click_next(qtbot, wizard, SIGNATURE)
    assert "每月返还 10 元" in wizard.pages[SIGNATURE].verdict.text()  # and when signing
    hint = wizard.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 740, hint
    draw_signature(wizard.pages[SIGNATURE].pad)
    click_next(qtbot, wizard, DONE)
    result = wizard.controller.result
    assert result is not None and result.order_no
    settle(ctx)
    with ctx.db.read() as s:
        order = s.execute(select(ServiceOrder).where(ServiceOrder.order_no == result.order_no)
                          ).scalar_one()
        assert {k: order.details.get(k) for k in ("campaign", "tier", "gift", "joined_on",
                                                  "group_member", "bank_card_kind")} == {
            "campaign": "group_tenure_reward", "tier": "tier1_old", "gift": "rice_5kg",
            "joined_on": "2009-05-01", "group_member": True, "bank_card_kind": "debit"}
        assert order.outcome["campaign"]["ends_on"] == "2027-09-21"
        assert [d.code for d in order.documents] == ["bank_debit_card"]
        tasks = s.execute(select(FollowUpTask.task).where(FollowUpTask.order_id == order.id)
                          ).scalars().all()
        assert TERM_END_TASK in tasks
        assert on_hand(s, ctx.require_actor().counter_id)[RICE] == 2
    # 完成 is enabled once the papers' printing reported, never at once (a double click)
    qtbot.waitUntil(wizard.button(QWizard.WizardButton.FinishButton).isEnabled,
                    timeout=WAIT_MS)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.wizard is None, timeout=WAIT_MS)
