"""Supervisor → "Sync conflicts": the window lists the hall's line conflicts (both orders, the
number masked), loaded on a worker, and a supervisor decides one with a button (on the real
PostgreSQL server, then a sync). The customer's line list shows the conflict badge while it
waits. `SYNC_CONFLICT_SCREENSHOTS=1` writes docs/screenshots/sync_conflicts_1366.png."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.models import Line
from app.services.customers.queries import customer_detail
from app.services.sync.run import run_sync
from app.ui.counter.customer_panel import LineCard
from app.ui.kit.op_runner import OpRunner
from app.ui.settings.store import UiSettings
from app.ui.supervisor.conflicts import SyncConflictsWindow
from tests.test_sync_conflicts import Hall, a_line, hall, take

from .counter_driver import WAIT_MS, log_in, make_context, settle
from .ui_fixtures import no_thread_leak, op_runner, translators, ui_settings

__all__ = ["hall", "no_thread_leak", "op_runner", "translators", "ui_settings"]

pytestmark = [pytest.mark.gui, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = os.environ.get("SYNC_CONFLICT_SCREENSHOTS") == "1"


@pytest.fixture
def ctx(hall: Hall, op_runner: OpRunner, ui_settings: UiSettings, translators: None,
        qapp: QApplication) -> Iterator[Any]:
    from app.ui.kit import i18n

    if SHOTS:
        from app.ui.kit import fonts
        from app.ui.kit.theme import apply_theme

        fonts.install_cjk_font(qapp)
        apply_theme(qapp)
    i18n.install_translators("zh_CN")
    context = make_context(hall.b, op_runner, ui_settings)
    yield context
    op_runner.wait_idle(60)


def test_window_lists_and_decides(hall: Hall, ctx: Any, qtbot: Any) -> None:
    h = hall
    line = a_line(h.a)
    loss = take(h.a, h.batch_a, "report_loss", line["number"])
    sim = take(h.b, h.clerk_b, "sim_replacement", line["number"], documents=["sim_card"])
    for ws in (h.a, h.b):
        run_sync(ws, h.url)

    # The counter's line list shows the line waits for the supervisor.
    with h.b.read() as s:
        customer_id = s.execute(select(Line.customer_id).where(
            Line.uid == line["uid"])).scalar_one()
    detail = customer_detail(h.b, customer_id, ctx.pd)
    assert detail is not None
    info = next(x for x in detail.lines if x.number == line["number"])
    assert info.conflict
    card = LineCard(info, ctx.business_date())
    qtbot.addWidget(card)
    assert "冲突待主管处理" in [b.text() for b in card.badges]

    log_in(ctx, "S001", "C03", open_shift=False)
    window = SyncConflictsWindow(ctx, server_url=h.url)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitUntil(lambda: len(window.rows) == 1, timeout=WAIT_MS)
    cells = [window.table.item(0, c).text() for c in range(window.table.columnCount())]
    assert line["number"] not in " ".join(cells)  # masked
    assert loss in cells[3] and sim in cells[4] and "待主管处理" in cells[2]
    assert window.keep_button.isEnabled() and window.other_button.isEnabled()
    if SHOTS:
        from app.ui.kit.screenshots import grab_to_png

        QApplication.processEvents()
        grab_to_png(window, ROOT / "docs" / "screenshots" / "sync_conflicts_1366.png")

    window.note.setText("客户来电确认挂失")
    window.keep_button.click()
    qtbot.waitUntil(lambda: bool(window.rows) and window.rows[0].status == "kept_server",
                    timeout=60000)
    settle(ctx)
    assert not window.keep_button.isEnabled()
    assert sim in window.status.text()
    with h.b.read() as s:
        mine = s.execute(select(Line).where(Line.uid == line["uid"])).scalar_one()
        assert (mine.status, mine.origin) == ("loss_reported", "server")
    window.close()
