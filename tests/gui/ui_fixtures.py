"""Fixtures shared by the GUI infrastructure tests (import them into a test module).

No conftest here: the lead owns conftest.py. A test module imports what it needs::

    from .ui_fixtures import no_thread_leak, op_runner, translators, ui_settings
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from app.ui.kit import i18n
from app.ui.kit.op_runner import OpRunner
from app.ui.settings.store import CONFIG_DIR_ENV, UiSettings

__all__ = ["app_look", "no_thread_leak", "op_runner", "translators", "ui_settings"]


def _alive_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.is_alive()}


@pytest.fixture
def no_thread_leak() -> Iterator[None]:
    """Fail the test if it leaves a Python thread running (give threads 2 s to end)."""
    before = _alive_threads()
    yield
    deadline = time.monotonic() + 2.0
    leaked = _alive_threads() - before
    while leaked and time.monotonic() < deadline:
        time.sleep(0.02)
        leaked = _alive_threads() - before
    assert not leaked, f"threads left running: {sorted(t.name for t in leaked)}"


@pytest.fixture
def ui_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> UiSettings:
    """Settings in a temporary file; the config folder variable points there too."""
    monkeypatch.setenv(CONFIG_DIR_ENV, str(tmp_path / "config"))
    return UiSettings(tmp_path / "ui.ini")


@pytest.fixture
def op_runner(qapp: QApplication) -> Iterator[OpRunner]:
    """An operation runner, shut down after the test (its threads must be gone)."""
    runner = OpRunner()
    yield runner
    runner.shutdown(timeout=5.0)
    stuck = [t.name for t in threading.enumerate() if t.name.startswith("counter-")]
    assert not stuck, f"worker threads still running after shutdown: {stuck}"
    runner.deleteLater()


@pytest.fixture
def translators(qapp: QApplication) -> Iterator[None]:
    """Leave the application without our translators, and the default locale as it was."""
    locale = QLocale()
    yield
    i18n.remove_translators()
    QLocale.setDefault(locale)


@pytest.fixture
def app_look(qapp: QApplication) -> Iterator[QApplication]:
    """Restore the application's font and style sheet after a test that changes them."""
    font, sheet = qapp.font(), qapp.styleSheet()
    yield qapp
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)
