"""A card on the reader during a visit: the presenter page takes the name, number, validity
and photo; on the papers page the card fills its ID row with its valid-until date (an expired
card in red, not ticked as seen). `IDCARD_SCREENSHOTS=1` also writes
docs/screenshots/idcard_presenter.png and idcard_documents.png (1366 x 768)."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from app.ui.counter.window import CounterWindow
from app.ui.devices.idcard_reader import IdCardData, IdCardReaderWatcher, SimulatedIdCardReader
from app.ui.shell.context import AppContext
from app.ui.wizard.base import DOCUMENTS, PRESENTER

from .counter_driver import (
    WAIT_MS,
    adult_personal_active,
    click_next,
    ctx,
    make_resident_id,
    pick_line,
    window,
)
from .test_counter_gui import find_and_choose, open_service
from .ui_fixtures import app_look, no_thread_leak, op_runner, translators, ui_settings

__all__ = ["app_look", "ctx", "no_thread_leak", "op_runner", "translators", "ui_settings",
           "window"]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = bool(os.environ.get("IDCARD_SCREENSHOTS"))


def _photo_bmp() -> bytes:
    """A stand-in portrait, 102 x 126 like the card's, as BMP bytes (what decoders give)."""
    image = QImage(102, 126, QImage.Format.Format_RGB888)
    image.fill(QColor("#dbe7f3"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#7b8794"))
    painter.drawEllipse(QPoint(51, 48), 22, 27)
    painter.drawEllipse(QPoint(51, 126), 44, 40)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "BMP")
    return bytes(data.data())


def test_a_card_read_fills_the_presenter_and_the_id_row(qtbot, window: CounterWindow,
                                                        ctx: AppContext, app_look) -> None:
    if SHOTS:  # the look of the real program: its CJK font and theme
        from app.ui.kit.fonts import install_cjk_font
        from app.ui.kit.theme import apply_theme

        install_cjk_font(app_look)
        apply_theme(app_look)
    today = ctx.business_date()
    pick = pick_line(ctx, adult_personal_active)
    owner_id = pick.detail.id_number
    assert owner_id
    reader = SimulatedIdCardReader()
    ctx.reader = IdCardReaderWatcher(reader, interval_ms=20)
    ctx.reader.start()
    try:
        find_and_choose(qtbot, window, pick.number)
        wizard = open_service(qtbot, window, "sim_replacement")
        wizard.resize(1366, 768)
        click_next(qtbot, wizard, PRESENTER)
        page = wizard.pages[PRESENTER]
        agent = IdCardData(
            "王建国", make_resident_id(date(1985, 3, 4), "440106"), "广州市天河区体育西路1号",
            date(1985, 3, 4), "广州市公安局天河分局", today + timedelta(days=3650),
            valid_from=today - timedelta(days=3650), sex="男", ethnicity="汉",
            photo=_photo_bmp())
        reader.feed(agent)
        qtbot.waitUntil(lambda: page.name.text() == "王建国", timeout=WAIT_MS)
        assert page.agent.isChecked()  # not the customer's card: an agent presents
        assert page.id_field.text() == agent.id_number
        assert page.card_validity.isVisible() and not page.card_validity.expired
        assert (today + timedelta(days=3650)).isoformat() in page.card_validity.text()
        assert page.card_photo.isVisible() and not page.card_photo.pixmap().isNull()
        _shot(wizard, "idcard_presenter")

        click_next(qtbot, wizard, DOCUMENTS)
        docs = wizard.pages[DOCUMENTS]
        row = docs.row("resident_id")
        assert row is not None and not row.number.text()
        expired_on = today - timedelta(days=20)
        owner = IdCardData(pick.detail.name, owner_id, "地址", date(1980, 1, 1), "公安局",
                           expired_on, valid_from=expired_on - timedelta(days=7305))
        reader.feed(owner)
        qtbot.waitUntil(lambda: row.number.text() == owner_id, timeout=WAIT_MS)
        assert row.card_validity.expired and expired_on.isoformat() in row.card_validity.text()
        assert "#c62828" in row.card_validity.styleSheet()  # red
        assert not row.seen.isChecked()  # an expired card is left to the clerk
        _shot(wizard, "idcard_documents")

        # the owner comes back with a valid long-term card: the row says so and is ticked
        reader.feed(IdCardData(pick.detail.name, owner_id, "地址", date(1980, 1, 1), "公安局",
                               None))
        qtbot.waitUntil(lambda: not row.card_validity.expired and row.seen.isChecked(),
                        timeout=WAIT_MS)
    finally:
        assert ctx.reader.stop()
        ctx.reader = None


def _shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        from app.ui.kit.screenshots import grab_to_png

        grab_to_png(widget, ROOT / "docs" / "screenshots" / f"{name}.png")
