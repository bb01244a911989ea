"""The end of the visit: the recorded order (or the intake-log entry) and its papers, with
preview, print and reprint."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.core.money import format_yuan
from app.ui.kit import labels
from app.ui.wizard.base import DONE, VisitPage, esc
from app.ui.wizard.pages_verdict import banner_style

if TYPE_CHECKING:
    from app.ui.wizard.controller import Printed, VisitController


class DonePage(VisitPage):
    page_id = DONE

    def snapshot(self) -> None:
        pass

    def __init__(self, controller: VisitController) -> None:
        super().__init__(controller)
        self.setTitle(self.tr("Done"))
        self.banner = QLabel()
        self.banner.setObjectName("doneBanner")
        self.banner.setWordWrap(True)
        self.body = QLabel()
        self.body.setObjectName("doneBody")
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.print_status = QLabel()
        self.print_status.setObjectName("printStatus")
        self.print_status.setWordWrap(True)
        self.preview = QPushButton(self.tr("Preview"))
        self.preview.setObjectName("previewButton")
        self.print_button = QPushButton(self.tr("Print"))
        self.print_button.setObjectName("printButton")
        self.reprint = QPushButton(self.tr("Reprint"))
        self.reprint.setObjectName("reprintButton")
        row = QHBoxLayout()
        row.addWidget(self.preview)
        row.addWidget(self.print_button)
        row.addWidget(self.reprint)
        row.addStretch(1)
        self.print_row = QWidget()
        self.print_row.setLayout(row)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.body)
        layout.addWidget(self.print_status)
        layout.addWidget(self.print_row)
        layout.addStretch(1)
        self.preview.clicked.connect(self._preview)
        self.print_button.clicked.connect(self._print)
        self.reprint.clicked.connect(self._reprint)
        controller.printed.connect(self._printed)
        controller.print_failed.connect(self._print_failed)
        self.setFinalPage(True)

    def initializePage(self) -> None:
        result = self.controller.result
        assert result is not None
        ev = result.evaluation
        self.setButtonText(self.wizard().WizardButton.FinishButton,
                           self.tr("Finish: next customer"))
        if result.order_no:
            self.banner.setText(self.tr("Order {order_no} recorded").format(
                order_no=result.order_no))
            self.banner.setStyleSheet(banner_style("accepted"))
            lines = [self.tr("Total paid: {amount} yuan").format(
                amount=format_yuan(ev.total_fen))]
            if ev.effective:
                lines.append(self.tr("Takes effect: {when}").format(
                    when=labels.text(ev.effective.text)))
            lines += [labels.text(n) for n in ev.notices]
            lines += [self.tr("Follow-up: {task}, due {due}").format(
                task=labels.text(f.name), due=f.due.strftime("%Y-%m-%d %H:%M"))
                for f in ev.follow_ups]
            self.body.setText("<br/>".join(esc(x) for x in lines))
            self.print_row.show()
            self._set_print_buttons(False)
            self.print_status.setText(self.tr("Printing the papers..."))
            assert result.order_id is not None
            self.controller.print_papers(result.order_id, result.order_no)
        else:
            self.banner.setText(self.tr("Recorded in the intake log: {decision}").format(
                decision=labels.decision_name(ev.decision)))
            self.banner.setStyleSheet(banner_style(ev.decision))
            catalog = self.controller.ctx.catalog
            reasons = [v.message for v in ev.violations]
            reasons += [labels.missing_name(catalog, ev.service, m) for m in ev.missing]
            self.body.setText("<br/>".join(esc(r) for r in reasons))
            self.print_row.hide()
            self.print_status.clear()

    def _set_print_buttons(self, enabled: bool) -> None:
        for b in (self.preview, self.print_button, self.reprint):
            b.setEnabled(enabled)

    def _printed(self, printed: Printed) -> None:
        result = self.controller.result
        if result is None or printed.order_no != result.order_no:
            return  # the receipt of a payment made earlier in the visit
        self._set_print_buttons(True)
        names = ", ".join(p.name for p in printed.paths)
        self.print_status.setText(self.tr("Papers saved: {files}").format(files=names))

    def _print_failed(self, message: str) -> None:
        self.print_status.setText(message)
        self._set_print_buttons(False)

    def papers(self) -> list[Path]:
        result = self.controller.result
        return self.controller.printed_paths.get(result.order_no or "", []) if result else []

    def _preview(self) -> None:
        for path in self.papers():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _print(self) -> None:
        from app.ui.devices.printer import print_papers

        self.print_status.setText(print_papers(self.papers(), self.controller.ctx.settings))

    def _reprint(self) -> None:
        result = self.controller.result
        if result is None or result.order_id is None or result.order_no is None:
            return
        self._set_print_buttons(False)
        self.print_status.setText(self.tr("Printing again (marked as reprint)..."))
        self.controller.print_papers(result.order_id, result.order_no, reprint=True)

    def validatePage(self) -> bool:
        return True

    def nextId(self) -> int:
        return -1
