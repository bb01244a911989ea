"""The window turned to the customer: the acceptance slip to read and a large pad to sign on.

It opens full-screen on a second monitor (or a signing tablet that shows as one), or on the
clerk's own monitor when the clerk turns it to the customer (转向客户). Esc, 签好了 or
closing the window hands it back to the clerk (`back_to_clerk`); the strokes stay on the pad
(and on the clerk's copy of it) until someone clears them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QScreen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.ui.customer.slip_view import TOUCH_STYLE, SlipView, touch_button
from app.ui.kit.signature_pad import SignaturePad
from app.ui.kit.theme import set_role

__all__ = ["CustomerScreen"]


class CustomerScreen(QWidget):
    back_to_clerk = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("customerScreen")
        self.setWindowTitle(self.tr("Please read and sign"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setStyleSheet(TOUCH_STYLE)
        self.slip = SlipView()
        self.heading = QLabel(self.tr("Please read the acceptance slip. If it is right, "
                                      "sign below."))
        self.heading.setObjectName("customerHeading")
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setPointSizeF(max(font.pointSizeF(), 10.0) * 1.5)
        font.setBold(True)
        self.heading.setFont(font)
        self.summary = QLabel()
        self.summary.setObjectName("customerSummary")
        self.summary.setWordWrap(True)
        big = self.summary.font()
        big.setPointSizeF(max(big.pointSizeF(), 10.0) * 1.3)
        self.summary.setFont(big)
        self.pad = SignaturePad()
        self.pad.setObjectName("customerPad")
        self.pad.setMinimumHeight(240)
        self.clear = touch_button(self.tr("Clear and sign again"), "customerClear")
        self.done = touch_button(self.tr("Signed"), "customerDone")
        set_role(self.done, "primary")
        self.hint = QLabel(self.tr("Esc: back to the clerk"))
        self.hint.setObjectName("customerHint")
        self.hint.setProperty("hint", True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.clear, 1)
        buttons.addWidget(self.done, 1)
        side = QVBoxLayout()
        side.addWidget(self.heading)
        side.addWidget(self.summary)
        side.addStretch(1)
        side.addWidget(self.pad)
        side.addLayout(buttons)
        side.addWidget(self.hint)
        layout = QHBoxLayout(self)
        layout.addWidget(self.slip, 3)
        layout.addLayout(side, 2)
        self.clear.clicked.connect(self.pad.clear)
        self.done.clicked.connect(self.back_to_clerk)
        self.pad.signature_changed.connect(self._signed)
        self._signed()

    def _signed(self) -> None:
        self.done.setEnabled(not self.pad.is_empty())
        self.clear.setEnabled(not self.pad.is_empty())

    def show_on(self, screen: QScreen | None) -> None:
        """Full-screen on `screen` (the clerk's own when None)."""
        target = screen or QGuiApplication.primaryScreen()
        if target is not None:
            self.setScreen(target)
            self.setGeometry(target.geometry())
        self.showFullScreen()
        self.raise_()
        self.activateWindow()
        self.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.back_to_clerk.emit()
        elif key in (Qt.Key.Key_PageDown, Qt.Key.Key_Right):
            self.slip.next_page()
        elif key in (Qt.Key.Key_PageUp, Qt.Key.Key_Left):
            self.slip.previous_page()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closed by the window manager: hidden and handed back, the signature kept.
        event.ignore()
        self.hide()
        self.back_to_clerk.emit()
