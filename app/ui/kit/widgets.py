"""Small layout helpers shared by the counter's screens."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


def plain_scroll(content: QWidget, *, horizontal: bool = False) -> QScrollArea:
    """A frameless scroll area that shows the window's background, not a grey box."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setObjectName("plainScroll")
    scroll.setStyleSheet("QScrollArea#plainScroll { background: transparent; }")
    content.setObjectName(content.objectName() or "plainScrollContent")
    content.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
    content.setStyleSheet(f"#{content.objectName()} {{ background: transparent; }}")
    scroll.setWidget(content)
    scroll.viewport().setAutoFillBackground(False)
    content.setAutoFillBackground(False)
    if not horizontal:
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return scroll
