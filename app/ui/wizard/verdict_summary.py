"""An accepted verdict needs no page of its own: it is asked for when the clerk leaves the
details (`VerdictFirst`) and summed up at the top of the payment and signature pages that the
request goes straight on to (`VerdictSummary`).

下一步 on the details page does not move at once: the request goes to the engine on the worker
(`VisitController.evaluate`) while 下一步 waits disabled; when the verdict comes back the wizard
goes on by itself, once: to the payment (or the signature when there is nothing to pay) for an
accepted request; to the verdict page for a refusal, an incomplete request, a failure to check,
and a request with nothing to pay or sign (it is submitted from there).

What the verdict says must still be in sight before the customer pays and signs: the decision,
the fees, when it takes effect, every notice the customer must be told, a campaign's terms, the
follow-ups. The words keep the verdict page's translation context ("VerdictPage"), so one
translation serves both (written out in each call, for lupdate to find).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.core.money import format_yuan
from app.ui.kit import labels
from app.ui.wizard.base import DETAILS, DONE, VERDICT, esc

if TYPE_CHECKING:
    from app.core.engine import Evaluation
    from app.ui.wizard.wizard import ServiceWizard

ACCEPTED_STYLE = ("QLabel { background: #e8f5e9; color: #1b5e20; border-radius: 6px; "
                  "padding: 6px 12px; font-weight: bold; }")


def told(ev: Evaluation, *, fees: bool = False, total: bool = True) -> list[str]:
    """What an accepted verdict tells (plain text lines): the fees and the total when asked,
    when it takes effect, the notices, the campaign's terms and the follow-ups."""
    lines: list[str] = []
    if fees:
        lines += [f"{labels.text(f.name)}: {format_yuan(f.amount_fen)}" for f in ev.fees]
    if total:
        lines.append(QCoreApplication.translate("VerdictPage", "Total due: {amount} yuan")
                     .format(amount=format_yuan(ev.total_fen)))
    if ev.effective:
        lines.append(QCoreApplication.translate("VerdictPage", "Takes effect: {when}").format(
            when=labels.text(ev.effective.text)))
    lines += [labels.text(n) for n in ev.notices]
    if ev.campaign is not None:  # the terms the customer is about to sign
        lines.append(QCoreApplication.translate(
            "VerdictPage", "Campaign: {name}, {tier}. Terms: {terms}").format(
            name=labels.text(ev.campaign.campaign_name),
            tier=labels.text(ev.campaign.tier_name),
            terms=ev.campaign.words(labels.lang())))
    lines += [QCoreApplication.translate("VerdictPage", "Follow-up: {task}, due {due}").format(
        task=labels.text(f.name), due=f.due.strftime("%Y-%m-%d %H:%M")) for f in ev.follow_ups]
    return lines


class VerdictSummary(QWidget):
    """The accepted verdict at the top of a page: a green line, then what the customer must be
    told, one item a line (the total is the host page's own: it shows it in its words)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verdictSummary")
        self.decision = QLabel()
        self.decision.setObjectName("summaryDecision")
        self.decision.setWordWrap(True)
        self.decision.setStyleSheet(ACCEPTED_STYLE)
        self.lines = QLabel()
        self.lines.setObjectName("summaryLines")
        self.lines.setWordWrap(True)
        self.lines.setTextFormat(Qt.TextFormat.RichText)
        self.lines.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.decision)
        layout.addWidget(self.lines)
        self.hide()

    def show_evaluation(self, ev: Evaluation | None, *, fees: bool = False) -> None:
        """Shown for an accepted verdict only (a refusal has its own page)."""
        if ev is None or ev.decision != "accepted":
            self.hide()
            return
        self.decision.setText(QCoreApplication.translate(
            "VerdictPage", "Accepted: the request can be recorded"))
        items = told(ev, fees=fees, total=False)
        self.lines.setText("<br/>".join(f"• {esc(line)}" for line in items))
        self.lines.setVisible(bool(items))
        self.show()

    def text(self) -> str:
        """Everything the summary says (plain text, for a reader or a test)."""
        return f"{self.decision.text()}\n{self.lines.text()}"


class VerdictFirst(QObject):
    def __init__(self, wizard: ServiceWizard) -> None:
        super().__init__(wizard)
        self.wizard = wizard
        self.checking = False  # the engine is asked; 下一步 waits
        self._answered = False  # ... and has answered: this 下一步 goes on
        wizard.controller.evaluated.connect(self._answer)
        wizard.controller.evaluation_failed.connect(self._answer)

    def next_page(self) -> int:
        """The page after the details (the verdict in hand)."""
        ev = self.wizard.controller.evaluation
        if self.checking or ev is None or ev.decision != "accepted":
            return VERDICT
        after = self.wizard.next_id_after(VERDICT)
        return VERDICT if after == DONE else after

    def may_leave(self) -> bool:
        """From the details page's validation: True once the engine has answered; else ask it
        (the wizard goes on by itself when it answers)."""
        if self._answered:
            self._answered = False
            return True
        if not self.checking:
            self.checking = True
            self.wizard.details_page.show_checking(True)
            self.wizard.refresh_complete()
            self.wizard.controller.evaluate()
        return False

    def _answer(self, *_verdict: object) -> None:
        if not self.checking:
            return  # asked by another page (the arrears paid): not leaving the details
        self.checking = False
        self.wizard.details_page.show_checking(False)
        self.wizard.refresh_complete()
        QTimer.singleShot(0, self._go_on)  # not within the page's own validation

    def _go_on(self) -> None:
        w = self.wizard
        if w.currentId() == DETAILS and not w.busy and not self.checking:
            self._answered = True
            w.next()
        self._answered = False
