"""The slip's pages, one at a time, for the customer to read: fitted to the width, scrolled
by dragging (a finger on a tablet) or the wheel, turned with large 上一页 / 下一页 buttons or
Page Up / Page Down.

The pictures are PDFium's renderings of the slip's PDF (`app.ui.devices.pdf_pages`), made on
a worker; this widget only scales and shows them.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QVBoxLayout,
    QWidget,
)

__all__ = ["TOUCH_STYLE", "SlipView", "touch_button"]

TOUCH_BUTTON_HEIGHT = 64  # a fingertip, with room to spare
# The theme's style sheet sets every button's min-height; this one, set on the customer's
# widgets, wins over it for their buttons.
TOUCH_STYLE = f"QPushButton {{ min-height: {TOUCH_BUTTON_HEIGHT - 14}px; }}"


def touch_button(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setMinimumHeight(TOUCH_BUTTON_HEIGHT)
    button.setAutoDefault(False)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the customer's screen takes no Enter
    font = button.font()
    font.setPointSizeF(max(font.pointSizeF(), 10.0) * 1.4)
    button.setFont(font)
    return button


class SlipView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerSlip")
        self.setStyleSheet(TOUCH_STYLE)
        self.images: list[QImage] = []
        self.current = 0
        self.page = QLabel()
        self.page.setObjectName("customerSlipPage")
        self.page.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.page.setStyleSheet("background: white;")
        self.area = QScrollArea()
        self.area.setObjectName("customerSlipScroll")
        self.area.setWidget(self.page)
        self.area.setWidgetResizable(True)
        self.area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.area.setStyleSheet("QScrollArea { background: #8a949e; }")
        QScroller.grabGesture(self.area.viewport(),
                              QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        self.previous = touch_button(self.tr("Previous page"), "customerPreviousPage")
        self.next = touch_button(self.tr("Next page"), "customerNextPage")
        self.info = QLabel()
        self.info.setObjectName("customerPageInfo")
        self.info.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row = QHBoxLayout()
        row.addWidget(self.previous, 1)
        row.addWidget(self.info, 1)
        row.addWidget(self.next, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.area, 1)
        layout.addLayout(row)
        self.previous.clicked.connect(self.previous_page)
        self.next.clicked.connect(self.next_page)
        self._rescale_timer = QTimer(self)
        self._rescale_timer.setSingleShot(True)
        self._rescale_timer.setInterval(50)
        self._rescale_timer.timeout.connect(self._show)
        self.set_message(self.tr("Preparing the acceptance slip..."))

    @property
    def page_count(self) -> int:
        return len(self.images)

    def set_message(self, text: str) -> None:
        """No pages: a sentence in their place (being prepared, or why it cannot be shown)."""
        self.images, self.current = [], 0
        self.page.clear()
        self.page.setText(text)
        self._update_buttons()

    def set_pages(self, images: Sequence[QImage]) -> None:
        self.images, self.current = list(images), 0
        self._show()

    def go_to(self, index: int) -> None:
        if not self.images:
            return
        self.current = min(max(0, index), len(self.images) - 1)
        self._show()
        self.area.verticalScrollBar().setValue(0)

    def next_page(self) -> None:
        self.go_to(self.current + 1)

    def previous_page(self) -> None:
        self.go_to(self.current - 1)

    def _show(self) -> None:
        if not self.images:
            return
        image = self.images[self.current]
        width = max(200, self.area.viewport().width() - 8)
        self.page.setPixmap(QPixmap.fromImage(image.scaledToWidth(
            width, Qt.TransformationMode.SmoothTransformation)))
        self._update_buttons()

    def _update_buttons(self) -> None:
        count = len(self.images)
        self.previous.setEnabled(self.current > 0)
        self.next.setEnabled(self.current < count - 1)
        self.info.setText(self.tr("Page {page} of {count}").format(
            page=self.current + 1, count=count) if count else "")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._rescale_timer.start()
