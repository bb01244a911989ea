"""Small layout helpers shared by the counter's screens."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHeaderView, QScrollArea, QTableView, QWidget


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


def fit_money_columns(view: QTableView, *money: int, stretch: int | None = None) -> None:
    """Every column as wide as its text, so amounts are never cut ("123.50", not "123"); the
    model right-aligns the `money` columns. Only `stretch` (a text column, never a money one;
    default the last) takes the room left; a view too narrow scrolls sideways instead."""
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(stretch is None and (header.count() - 1) not in money)
    if stretch is not None and stretch not in money:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
