"""The About dialog: the program's name and version, and the licences of what it ships.

The component list is read from the installed packages' metadata (`app.licensing`), so it is
the same list PyInstaller bundled; Qt, Python and the bundled font are added by hand because
they are not Python distributions. The full texts shown are the font's licence
(``resources/fonts/LICENSE-wqy-microhei.txt``) and the GNU LGPL v3 under which Qt and PySide6
are used (``resources/licenses/``); each distribution's own licence file is in its metadata
folder (``*.dist-info``) in the installation.
"""

from __future__ import annotations

import platform
from pathlib import Path

import PySide6
from PySide6.QtCore import QEvent, Qt, qVersion
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.licensing import Component, runtime_components
from app.resources import resource_path

__all__ = ["FONT_LICENCE_PARTS", "LGPL_PARTS", "AboutDialog", "about_components"]

FONT_LICENCE_PARTS = ("fonts", "LICENSE-wqy-microhei.txt")
LGPL_PARTS = ("licenses", "LGPL-3.0.txt")
QT_SOURCE_URL = "https://download.qt.io/official_releases/qt/"
PYSIDE_SOURCE_URL = "https://download.qt.io/official_releases/QtForPython/"


def about_components() -> list[Component]:
    """The program first, then Qt, Python and the font, then every bundled distribution."""
    components = runtime_components()
    extra = [
        Component("Qt", qVersion(), "LGPL-3.0-only"),
        Component("Python", platform.python_version(), "PSF-2.0"),
        Component("WenQuanYi Micro Hei (文泉驿微米黑)", "0.2.0-beta",
                  "Apache-2.0 OR GPL-3.0-or-later WITH Font-exception-2.0"),
    ]
    return components[:1] + extra + components[1:]


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setMinimumSize(640, 520)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)

        icon = QLabel()
        icon.setPixmap(QIcon(str(resource_path("icons", "counter.svg"))).pixmap(64, 64))
        self.name_label = QLabel()
        self.name_label.setProperty("heading", True)
        self.version_label = QLabel()
        self.version_label.setObjectName("aboutVersion")
        self.version_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.runtime_label = QLabel()
        self.runtime_label.setProperty("hint", True)
        self.runtime_label.setText(
            f"Qt {qVersion()} · PySide6 {PySide6.__version__} · Python "
            f"{platform.python_version()} · {platform.system()} {platform.machine()}")
        heading = QVBoxLayout()
        heading.addWidget(self.name_label)
        heading.addWidget(self.version_label)
        heading.addWidget(self.runtime_label)
        top = QHBoxLayout()
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(heading, 1)

        self.components = about_components()
        self.table = QTableWidget(len(self.components), 3)
        self.table.setObjectName("aboutComponents")
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for row, component in enumerate(self.components):
            for column, text in enumerate((component.name, component.version, component.licence)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)  # a long licence expression is cut in its cell
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.qt_note = QLabel()
        self.qt_note.setWordWrap(True)
        self.qt_note.setOpenExternalLinks(True)
        self.qt_note.setTextFormat(Qt.TextFormat.RichText)
        licences = QWidget()
        licences_layout = QVBoxLayout(licences)
        licences_layout.addWidget(self.table, 1)
        licences_layout.addWidget(self.qt_note)

        font_path = resource_path(*FONT_LICENCE_PARTS)
        self.font_licence = self._text_view("aboutFontLicence", font_path)
        self.lgpl = self._text_view("aboutLgpl", resource_path(*LGPL_PARTS))

        self.tabs = QTabWidget()
        self.tabs.addTab(licences, "")
        self.tabs.addTab(self.font_licence, "")
        self.tabs.addTab(self.lgpl, "")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.retranslate_ui()

    def _text_view(self, name: str, path: Path) -> QPlainTextEdit:
        view = QPlainTextEdit()
        view.setObjectName(name)
        view.setReadOnly(True)
        view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        view.setProperty("source_path", str(path))
        return view

    def _fill_text_view(self, view: QPlainTextEdit) -> None:
        path = Path(str(view.property("source_path")))
        text = _read_text(path)
        if text is None:
            text = self.tr("The licence file is missing from this installation: {path}").format(
                path=path)
        view.setPlainText(text)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("About the counter program"))
        self.name_label.setText(self.tr("Business hall counter"))
        self.version_label.setText(self.tr("Version {version}").format(version=__version__))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Component"), self.tr("Version"), self.tr("Licence")])
        self.qt_note.setText(self.tr(
            "Qt and PySide6 are used under the GNU LGPL v3. They are separate libraries in the "
            "installation folder, which you may replace with your own build of the same version; "
            'their source code is published at <a href="{qt}">{qt}</a> and '
            '<a href="{pyside}">{pyside}</a>. Each component\'s licence text is in its '
            "<i>.dist-info</i> folder in the installation.").format(
                qt=QT_SOURCE_URL, pyside=PYSIDE_SOURCE_URL))
        self.tabs.setTabText(0, self.tr("Licences"))
        self.tabs.setTabText(1, self.tr("Font licence"))
        self.tabs.setTabText(2, self.tr("GNU LGPL v3"))
        self._fill_text_view(self.font_licence)
        self._fill_text_view(self.lgpl)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
