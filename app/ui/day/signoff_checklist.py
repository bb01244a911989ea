"""The checklist before the day's sign-off, as a panel of the supervisor's day: each item in
the core's words (what is wrong, what to do), blocking ones in red, warnings to acknowledge in
amber, and the approval of a closed shift's difference from its line.

The items and their rules are the core's (`app.services.day.signoff_checks`); this panel only
shows them and asks for the difference screen (`approve_requested`)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.day.signoff_checks import CheckItem, Checklist
from app.ui.shell.errors import pick

BLOCKING_BG = QColor("#fde0e0")
WARNING_BG = QColor("#fff4d6")
KEY_ROLE = Qt.ItemDataRole.UserRole


class SignoffChecklist(QWidget):
    """`set_checklist(checklist)`; `approve_requested(shift_id)` for a difference item."""

    approve_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signoffChecklist")
        self.checklist: Checklist | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.title = QLabel(self)
        self.title.setObjectName("checklistTitle")
        self.title.setProperty("heading", True)
        top.addWidget(self.title, 1)
        self.approve_button = QPushButton(self.tr("Approve the difference…"), self)
        self.approve_button.setObjectName("approveDifferenceButton")
        self.approve_button.setEnabled(False)
        self.approve_button.clicked.connect(self._approve_selected)
        top.addWidget(self.approve_button)
        layout.addLayout(top)
        self.items = QListWidget(self)
        self.items.setObjectName("checklistItems")
        self.items.setWordWrap(True)
        self.items.setMinimumHeight(112)  # three items of two lines, then it scrolls
        self.items.setMaximumHeight(150)
        self.items.currentRowChanged.connect(self._selected)
        self.items.itemDoubleClicked.connect(lambda _i: self._approve_selected())
        layout.addWidget(self.items)

    # -- contents ----------------------------------------------------------------------------
    def set_checklist(self, checklist: Checklist | None) -> None:
        """Show `checklist` (None: the day is signed off, nothing to check)."""
        self.checklist = checklist
        self.items.clear()
        if checklist is None:
            self.hide()
            return
        self.show()
        for item in checklist.items:
            mark = self.tr("Must be settled") if item.blocking else self.tr("To acknowledge")
            row = QListWidgetItem(f"【{mark}】{pick(item.zh, item.en)}")
            row.setData(KEY_ROLE, item.key)
            row.setBackground(QBrush(BLOCKING_BG if item.blocking else WARNING_BG))
            self.items.addItem(row)
        blocking, warnings = len(checklist.blocking), len(checklist.warnings)
        if checklist.clear:
            self.title.setText(self.tr("Before sign-off: nothing left to settle"))
            self.items.addItem(QListWidgetItem(self.tr(
                "Every shift is closed and approved, every order synced; no overdue complaint "
                "and no void after a shift's close.")))
        else:
            self.title.setText(self.tr("Before sign-off: %1 to settle, %2 to acknowledge")
                               .replace("%1", str(blocking)).replace("%2", str(warnings)))
        self._selected(self.items.currentRow())

    def blocking_texts(self) -> list[str]:
        """The blocking items in the shown language (what stops the sign-off)."""
        items = self.checklist.blocking if self.checklist else []
        return [pick(i.zh, i.en) for i in items]

    def selected(self) -> CheckItem | None:
        row = self.items.currentItem()
        if row is None or self.checklist is None:
            return None
        key = row.data(KEY_ROLE)
        return next((i for i in self.checklist.items if i.key == key), None)

    # -- the difference screen ---------------------------------------------------------------
    def _difference(self) -> CheckItem | None:
        """The selected difference item, else the first one."""
        item = self.selected()
        if item is not None and item.kind == "difference":
            return item
        items = self.checklist.items if self.checklist else []
        return next((i for i in items if i.kind == "difference"), None)

    def _selected(self, _row: int) -> None:
        self.approve_button.setEnabled(self._difference() is not None)

    def _approve_selected(self) -> None:
        item = self._difference()
        if item is not None and item.shift_id is not None:
            self.approve_requested.emit(item.shift_id)
