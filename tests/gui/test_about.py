"""The About dialog: name, version, the components' licences and the font's licence text."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import tomllib
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from app import __version__
from app.resources import resource_path
from app.ui.shell.about import FONT_LICENCE_PARTS, AboutDialog, about_components

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]


def _rows(dialog: AboutDialog) -> dict[str, tuple[str, str]]:
    table = dialog.table
    return {table.item(r, 0).text(): (table.item(r, 1).text(), table.item(r, 2).text())
            for r in range(table.rowCount())}


def test_shows_the_version_of_pyproject(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"]
    assert __version__ == version
    assert version in dialog.version_label.text()
    assert _rows(dialog)["hall-counter"][0] == version


def test_shows_the_font_licence_in_full(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    licence = resource_path(*FONT_LICENCE_PARTS).read_text(encoding="utf-8")
    text = dialog.font_licence.toPlainText()
    assert text == licence
    assert "WenQuanYi" in text and "Apache License" in text
    assert dialog.tabs.count() == 3


def test_lists_qt_and_the_libraries_with_their_licences(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    rows = _rows(dialog)
    assert rows["Qt"][1] == "LGPL-3.0-only"
    assert "LGPL-3.0" in rows["PySide6_Essentials"][1]
    assert rows["SQLAlchemy"][1] == "MIT"
    assert "BSD" in rows["reportlab"][1]
    assert "Apache-2.0" in rows["WenQuanYi Micro Hei (文泉驿微米黑)"][1]
    assert "LGPL-3.0" in rows["psycopg"][1]
    # every distribution shipped is listed, none without a licence
    assert all(licence and licence != "?" for _, licence in rows.values())
    assert len(rows) == len(about_components())
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in dialog.lgpl.toPlainText()
    assert "download.qt.io" in dialog.qt_note.text()


def test_a_missing_licence_file_is_said_not_hidden(qtbot, monkeypatch,  # type: ignore[no-untyped-def]
                                                    tmp_path: Path) -> None:
    import app.ui.shell.about as about

    monkeypatch.setattr(about, "resource_path", lambda *parts: tmp_path.joinpath(*parts))
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    text = dialog.font_licence.toPlainText()
    assert str(tmp_path / "fonts" / "LICENSE-wqy-microhei.txt") in text


def test_texts_are_set_again_on_language_change(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.name_label.setText("")
    QApplication.sendEvent(dialog, QEvent(QEvent.Type.LanguageChange))
    assert dialog.name_label.text()
