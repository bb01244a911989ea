"""The counter window's idle lock: the clerk's own setting, never longer than the hall's
`idle_lock_minutes`."""

from __future__ import annotations

import pytest

from app.ui.counter.window import CounterWindow
from app.ui.kit.op_runner import OpRunner
from app.ui.settings.store import UiSettings
from tests.security_fixtures import set_hall_config

from .counter_driver import log_in, make_context, settle
from .ui_fixtures import no_thread_leak, op_runner, ui_settings

__all__ = ["no_thread_leak", "op_runner", "ui_settings"]

pytestmark = pytest.mark.gui


@pytest.mark.parametrize(("clerk", "hall", "expected"), [(30, 3, 3), (2, 10, 2)],
                         ids=["hall_is_stricter", "clerk_is_stricter"])
def test_the_idle_lock_takes_the_stricter_of_clerk_and_hall(
        qtbot, no_thread_leak: None, demo_db, op_runner: OpRunner,  # type: ignore[no-untyped-def]
        ui_settings: UiSettings, clerk: int, hall: int, expected: int) -> None:
    set_hall_config(demo_db, idle_lock_minutes=hall)
    ui_settings.idle_lock_minutes = clerk
    ctx = make_context(demo_db, op_runner, ui_settings)
    log_in(ctx, "C001", open_shift=False)
    window = CounterWindow(ctx)
    qtbot.addWidget(window)
    idle = window.idle_lock
    assert idle is not None
    assert idle.watcher.timeout_ms == expected * 60_000
    assert idle.screen._lock.policy.idle_minutes == expected  # what the lock records
    # Changing the clerk's setting later cannot outrun the hall either.
    ui_settings.idle_lock_minutes = 120
    window._settings_changed()
    assert idle.watcher.timeout_ms == hall * 60_000
    window.close()
    settle(ctx)
