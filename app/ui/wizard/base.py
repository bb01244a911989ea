"""What every wizard page shares: its id, its controller, and a heading helper."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtWidgets import QLabel, QWizardPage

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
