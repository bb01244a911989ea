"""The service launcher: a button per catalog service, grouped, with its function key."""

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


class ServiceLauncher(QWidget):
    service_requested = Signal(str)

    def __init__(self, catalog: Catalog, shortcut_host: QWidget,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("serviceLauncher")
        self.catalog = catalog
        self.buttons: dict[str, QPushButton] = {}
        self.boxes: dict[str, QGroupBox] = {}
        self.shortcuts: dict[str, QShortcut] = {}
        host = QWidget()
        box_layout = QVBoxLayout(host)
        box_layout.setContentsMargins(0, 0, 0, 0)
        groups: dict[str, list] = {}
        for svc in catalog.services.values():
            groups.setdefault(svc.group, []).append(svc)
        order = [g for g in labels.GROUP_ORDER if g in groups] + sorted(
            g for g in groups if g not in labels.GROUP_ORDER)
        for group in order:
            box = QGroupBox(labels.group_name(group))
            self.boxes[group] = box
            grid = QGridLayout(box)
            grid.setContentsMargins(8, 14, 8, 8)
            grid.setSpacing(6)
            services = sorted(groups[group], key=lambda s: (not s.shortcut, s.shortcut, s.code))
            for i, svc in enumerate(services):
                button = QPushButton()
                button.setObjectName(f"service_{svc.code}")
                button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
                button.clicked.connect(lambda _c=False, code=svc.code:
                                       self.service_requested.emit(code))
                grid.addWidget(button, i // COLUMNS, i % COLUMNS)
                self.buttons[svc.code] = button
                if svc.shortcut:
                    shortcut = QShortcut(QKeySequence(svc.shortcut), shortcut_host)
                    shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
                    shortcut.activated.connect(lambda code=svc.code:
                                               self.service_requested.emit(code))
                    self.shortcuts[svc.code] = shortcut
            box_layout.addWidget(box)
        box_layout.addStretch(1)
        host.setObjectName("launcherHost")
        scroll = plain_scroll(host)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Service names come from the catalog in both languages: show the current one."""
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
