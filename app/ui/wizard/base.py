"""What every wizard page shares: its id, its controller, a heading helper, and the one rule
for the Enter key (`EnterIsNext`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTextEdit,
    QWidget,
    QWizardPage,
)

if TYPE_CHECKING:
    from app.ui.wizard.controller import VisitController
    from app.ui.wizard.wizard import ServiceWizard

SERVICE, CUSTOMER, PRESENTER, DOCUMENTS, DETAILS, VERDICT, PAYMENT, SIGNATURE, DONE = range(9)
PAGE_NAMES = ("service", "customer", "presenter", "documents", "details", "verdict", "payment",
              "signature", "done")


class VisitPage(QWizardPage):
    page_id = -1

    def __init__(self, controller: VisitController) -> None:
        super().__init__()
        self.controller = controller
        self.setObjectName(f"page_{PAGE_NAMES[self.page_id]}")
        self._aim: QWidget | None = None

    def aim(self, widget: QWidget | None) -> None:
        """Where the cursor goes when the page is shown (QWizard itself would put it on the
        first button or the Next button once the page switch is over)."""
        self._aim = widget

    def focus_first(self) -> None:
        """Put the cursor where the clerk types first: the aimed widget, else the first one on
        the page that takes the Tab key."""
        def usable(w: QWidget | None) -> bool:
            return (w is not None and w is not self and self.isAncestorOf(w) and w.isVisible()
                    and w.isEnabled() and not isinstance(w, QScrollArea))

        target = self._aim if self._aim is self or usable(self._aim) else None
        if target is None:  # the first field on the page, in the order it is laid out
            target = next((w for w in self.findChildren(QWidget)
                           if usable(w) and w.focusPolicy() & Qt.FocusPolicy.TabFocus), None)
        if target is not None:
            target.setFocus(Qt.FocusReason.TabFocusReason)

    def remember_focus(self) -> None:
        """After `initializePage`: a page that put the cursor somewhere itself (rather than
        through `aim`) keeps that place for `focus_first`."""
        widget = self.focusWidget()
        if self._aim is None and widget is not None and self.isAncestorOf(widget):
            self._aim = widget

    @property
    def visit_wizard(self) -> ServiceWizard:
        return cast("ServiceWizard", self.wizard())

    def nextId(self) -> int:
        wizard = self.wizard()
        if wizard is None:
            return -1
        return self.visit_wizard.next_id_after(self.page_id)

    def validatePage(self) -> bool:
        self.store()
        return self.visit_wizard.guard_submit(self.page_id)

    def before_enter(self) -> None:
        """Enter was pressed on this page, just before it counts as 下一步 (e.g. the service
        filter picks its first match here)."""

    def store(self) -> None:
        """Write what the page shows into the visit state (called when leaving it)."""

    def snapshot(self) -> None:
        """Write the page into the state for a draft while the clerk is still on it."""
        self.store()


def esc(text: str) -> str:
    """Plain text made safe inside a page's rich-text label."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def hint(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setProperty("hint", True)
    label.setWordWrap(True)
    return label


class EnterIsNext(QObject):
    """Enter is exactly one 下一步 in the wizard.

    Installed on the application while a wizard is open, it takes every Enter typed in a
    widget of that wizard before the widget sees it, so no line edit's `returnPressed`, item
    view's activation or dialog default can add a second step to the wizard's own. Left alone:
    a focused push button (Enter presses that button, the platform's rule), multi-line text, an
    open combo box list, and every other window (dialogs opened from the wizard).
    """

    def __init__(self, wizard: QWidget, on_enter: object) -> None:
        super().__init__(wizard)
        self.wizard = wizard
        self.on_enter = on_enter

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QWidget):
            return False
        assert isinstance(event, QKeyEvent)
        if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return False
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if mods != Qt.KeyboardModifier.NoModifier or watched.window() is not self.wizard:
            return False
        if isinstance(watched, QPushButton | QPlainTextEdit | QTextEdit | QAbstractSpinBox):
            return False
        combo = watched if isinstance(watched, QComboBox) else None
        if combo is not None and combo.view().isVisible():
            return False
        if not event.isAutoRepeat():
            self.on_enter()  # type: ignore[operator]
        return True

    def install(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def remove(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
