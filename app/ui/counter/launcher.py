"""The service launcher: a button per catalog service with its function key.

The services with a function key (F2-F9, the common ones) sit in one box at the top, outside
the scrolling part, so their keys are always in sight (a 1366x768 counter screen included);
the others follow by group below and scroll when the screen is short."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.catalog import Catalog
from app.ui.kit import labels
from app.ui.kit.widgets import plain_scroll

COLUMNS = 2
MAX_WIDTH = 520


def _key_order(key: str) -> tuple[int, str]:
    """F2 before F10: function keys by number."""
    digits = key[1:] if key[:1] in "Ff" else ""
    return (int(digits), key) if digits.isdigit() else (99, key)


class ServiceLauncher(QWidget):
    service_requested = Signal(str)

    def __init__(self, catalog: Catalog, shortcut_host: QWidget,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("serviceLauncher")
        # Two columns of buttons need no more; the room left goes to the customer's panel.
        self.setMaximumWidth(MAX_WIDTH)
        self.catalog = catalog
        self.buttons: dict[str, QPushButton] = {}
        self.boxes: dict[str, QGroupBox] = {}
        self.shortcuts: dict[str, QShortcut] = {}
        self.common = QGroupBox()
        self.common.setObjectName("commonServices")
        common_grid = self._grid(self.common)
        keyed = sorted((svc for svc in catalog.services.values() if svc.shortcut),
                       key=lambda s: _key_order(s.shortcut))
        for i, svc in enumerate(keyed):
            common_grid.addWidget(self._button(svc.code), i // COLUMNS, i % COLUMNS)
            shortcut = QShortcut(QKeySequence(svc.shortcut), shortcut_host)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda code=svc.code: self.service_requested.emit(code))
            self.shortcuts[svc.code] = shortcut
        host = QWidget()
        box_layout = QVBoxLayout(host)
        box_layout.setContentsMargins(0, 0, 0, 0)
        groups: dict[str, list] = {}
        for svc in catalog.services.values():
            if not svc.shortcut:
                groups.setdefault(svc.group, []).append(svc)
        order = [g for g in labels.GROUP_ORDER if g in groups] + sorted(
            g for g in groups if g not in labels.GROUP_ORDER)
        for group in order:
            box = QGroupBox(labels.group_name(group))
            self.boxes[group] = box
            grid = self._grid(box)
            for i, svc in enumerate(sorted(groups[group], key=lambda s: s.code)):
                grid.addWidget(self._button(svc.code), i // COLUMNS, i % COLUMNS)
            box_layout.addWidget(box)
        box_layout.addStretch(1)
        host.setObjectName("launcherHost")
        self.more = plain_scroll(host)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.common)
        layout.addWidget(self.more, 1)
        self.retranslate_ui()

    @staticmethod
    def _grid(box: QGroupBox) -> QGridLayout:
        grid = QGridLayout(box)
        grid.setContentsMargins(8, 14, 8, 8)
        grid.setSpacing(6)
        return grid

    def _button(self, code: str) -> QPushButton:
        button = QPushButton()
        button.setObjectName(f"service_{code}")
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        button.clicked.connect(lambda _c=False, code=code: self.service_requested.emit(code))
        self.buttons[code] = button
        return button

    def retranslate_ui(self) -> None:
        """Service names come from the catalog in both languages: show the current one."""
        self.common.setTitle(self.tr("Common services"))
        for group, box in self.boxes.items():
            box.setTitle(labels.group_name(group))
        for code, button in self.buttons.items():
            svc = self.catalog.services[code]
            text = labels.text(svc.name)
            button.setText(f"{text}  {svc.shortcut}" if svc.shortcut else text)
            button.setToolTip(labels.text(svc.description))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
