"""The checklist of papers and the details form, both generated from the catalog."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.devices.idcard.card import IdCardData
from app.ui.devices.idcard_view import CardValidity
from app.ui.devices.scan_capture import ScanCapture, Scanned
from app.ui.kit import labels
from app.ui.kit.widgets import plain_scroll
from app.ui.wizard.base import DETAILS, DOCUMENTS, VisitPage, hint
from app.ui.wizard.campaign_box import CampaignBox
from app.ui.wizard.controller import VisitController
from app.ui.wizard.fields import DetailEditor, IdNumberField
from app.ui.wizard.state import ID_CATEGORIES, DocCheck, detail_specs

MAX_SCAN_BYTES = 20 * 1024 * 1024


class DocumentRow(QFrame):
    """One requirement: which paper (when any of several will do), seen, copied, scan."""

    changed = Signal()

    def __init__(self, controller: VisitController, check: DocCheck,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = check
        self.controller = controller
        catalog = controller.ctx.catalog
        self.setObjectName("doc_" + check.key.replace("|", "_or_"))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.choice = QComboBox()
        self.choice.setObjectName("docChoice")
        for code in check.options:
            self.choice.addItem(labels.document_name(catalog, code), code)
        self.choice.setCurrentIndex(max(0, self.choice.findData(check.chosen)))
        self.choice.setVisible(len(check.options) > 1)
        self.title = QLabel(labels.document_name(catalog, check.options[0]))
        self.title.setObjectName("docTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.title.setVisible(len(check.options) == 1)
        self.when = hint(self.tr("(only where it applies)") if check.conditional else "")
        self.when.setVisible(check.conditional)
        self.seen = QCheckBox(self.tr("Original checked"))
        self.seen.setObjectName("originalSeen")
        self.seen.setChecked(check.original_seen)
        self.copied = QCheckBox(self.tr("Copy retained"))
        self.copied.setObjectName("copyRetained")
        self.copied.setChecked(check.copy_retained)
        self.number = IdNumberField(catalog, ID_CATEGORIES, today=controller.ctx.business_date)
        self.number.type.hide()
        self.number.number.setPlaceholderText(self.tr("Number on the document (to check it)"))
        self.number.set_text(check.id_number)
        self.attach = QPushButton(self.tr("Attach scan..."))
        self.attach.setObjectName("attachScan")
        # Scanning beside attaching a file: the scan is attached the same way (attach_file).
        self.scan_button = QPushButton(self.tr("Scan"))
        self.scan_button.setObjectName("scanButton")
        self.scan_button.setToolTip(self.tr("Scan the paper with this counter's scanner or "
                                            "document camera"))
        self.thumb = QLabel()
        self.thumb.setObjectName("scanThumb")
        self.thumb.hide()
        self.capture = ScanCapture(controller.ctx, self)
        self.scan_label = hint(Path(check.scan_path).name if check.scan_path else "")
        grid = QGridLayout(self)
        grid.setContentsMargins(10, 6, 10, 6)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addWidget(self.choice)
        head.addWidget(self.when)
        head.addStretch(1)
        grid.addLayout(head, 0, 0, 1, 4)
        grid.addWidget(self.seen, 1, 0)
        grid.addWidget(self.copied, 1, 1)
        buttons = QHBoxLayout()
        for widget in (self.attach, self.scan_button, self.thumb):
            buttons.addWidget(widget)
        grid.addLayout(buttons, 1, 2)
        grid.addWidget(self.scan_label, 1, 3)
        grid.addWidget(self.number, 2, 0, 1, 4)
        self.card: IdCardData | None = None  # the ID card read for this row, if one was
        self.card_validity = CardValidity()  # ... and how long it is valid
        grid.addWidget(self.card_validity, 3, 0, 1, 4)
        grid.setColumnStretch(3, 1)
        self.choice.currentIndexChanged.connect(self._chosen)
        self.seen.toggled.connect(self.changed)
        self.attach.clicked.connect(self._attach)
        self.scan_button.clicked.connect(self.capture.start)
        self.capture.busy.connect(self._scanning)
        self.capture.scanned.connect(self._scanned)
        self.capture.failed.connect(self.scan_label.setText)
        self._chosen()

    def chosen(self) -> str:
        return str(self.choice.currentData())

    def _chosen(self) -> None:
        code = self.chosen()
        doc = self.controller.ctx.catalog.documents.get(code)
        is_id = doc is not None and doc.category in ID_CATEGORIES
        self.number.setVisible(is_id)
        self.number.set_doc_type(code)
        s = self.controller.state
        if code == s.customer_id_type and s.kind == "personal" and s.customer_id_number:
            self.number.expected = s.customer_id_number
        elif code == s.unit_reg_type and s.kind == "group" and s.unit_reg_id_number:
            self.number.expected = s.unit_reg_id_number
        else:
            self.number.expected = None
        self.number.number.textChanged.emit(self.number.number.text())
        self.changed.emit()

    def _attach(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Attach scan"), "", self.tr("Images and PDF (*.png *.jpg *.jpeg *.pdf)"))
        if path:
            self.attach_file(path)

    def attach_file(self, path: str) -> bool:
        """Keep the file with its SHA-256 (checked again when the order is recorded)."""
        p = Path(path)
        try:
            size = p.stat().st_size
            if size > MAX_SCAN_BYTES:
                self.scan_label.setText(self.tr("File too large (over 20 MB)"))
                return False
            digest = hashlib.sha256(p.read_bytes()).hexdigest()
        except OSError as exc:
            self.scan_label.setText(self.tr("Cannot read the file: {error}").format(
                error=exc.strerror or exc))
            return False
        self.check.scan_path, self.check.scan_sha256 = str(p), digest
        self.thumb.hide()
        self.scan_label.setText(f"{p.name}  SHA-256 {digest[:12]}…")
        self.changed.emit()
        return True

    def _scanning(self, busy: bool) -> None:
        self.scan_button.setText(self.tr("Cancel scan") if busy else self.tr("Scan"))
        if busy:
            self.scan_label.setText(self.tr("Scanning… (press Cancel scan to stop)"))

    def _scanned(self, result: Scanned) -> None:
        if self.attach_file(result.path) and not result.thumbnail.isNull():
            self.thumb.setPixmap(QPixmap.fromImage(result.thumbnail))
            self.thumb.show()

    def show_card(self, card: IdCardData, today: date) -> None:
        """An ID card read on the reader: its number and validity; seen unless expired (an
        expired card is shown in red and left to the clerk)."""
        self.card = card
        self.choice.setCurrentIndex(max(0, self.choice.findData("resident_id")))
        self.number.set_text(card.id_number)
        self.card_validity.show_card(card, today)
        if not self.card_validity.expired:
            self.seen.setChecked(True)

    def store(self) -> DocCheck:
        c = self.check
        c.chosen = self.chosen()
        c.original_seen = self.seen.isChecked()
        c.copy_retained = self.copied.isChecked()
        c.id_number = self.number.text() if self.number.isVisible() else ""
        return c


class DocumentsPage(VisitPage):
    page_id = DOCUMENTS

    def __init__(self, controller: VisitController) -> None:
        super().__init__(controller)
        self.setTitle(self.tr("Papers checked"))
        self.rows: list[DocumentRow] = []
        self.intro = hint()
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        self.body.setObjectName("documentsBody")
        scroll = plain_scroll(self.body)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(scroll, 1)
        if controller.ctx.reader is not None:
            controller.ctx.reader.card_read.connect(self.fill_from_card)

    def initializePage(self) -> None:
        svc = self.controller.service
        self.setSubTitle(labels.text(svc.name) if svc else "")
        for row in self.rows:
            row.setParent(None)
            row.deleteLater()
        self.rows = []
        while self.body_layout.count():
            item = self.body_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        checks = self.controller.checklist()
        if not self.controller.state.presenter_id_number.strip():  # never "seen" when not
            self.intro.setText(self.tr(  # typed: the verdict would say it is missing (#12)
                "The presenter's own ID was not entered: go back and enter it, or the "
                "request stays incomplete."))
        else:
            self.intro.setText(self.tr(
                "The presenter's own ID was entered on the previous page and counts as seen. "
                "Tick each paper whose original you checked, and whether a copy is kept.")
                if checks else self.tr("No other papers are needed for this service: the "
                                       "presenter's own ID is enough."))
        for check in checks:
            row = DocumentRow(self.controller, check)
            row.changed.connect(self.completeChanged)
            row.number.changed.connect(self.completeChanged)
            self.rows.append(row)
            self.body_layout.addWidget(row)
        self.body_layout.addStretch(1)
        if self.rows:
            self.rows[0].seen.setFocus()

    def fill_from_card(self, card: IdCardData) -> None:
        """A card put on the reader here fills its ID row: the one expecting its number, else
        the first resident-ID row still empty."""
        if self.wizard() is None or self.wizard().currentPage() is not self:
            return
        rows = [r for r in self.rows if "resident_id" in r.check.options]
        row = (next((r for r in rows if r.number.expected == card.id_number), None)
               or next((r for r in rows if not r.number.text()), None))
        if row is not None:
            row.show_card(card, self.controller.ctx.business_date())

    def row(self, code: str) -> DocumentRow | None:
        return next((r for r in self.rows if code in r.check.options), None)

    def store(self) -> None:
        self.controller.state.documents = {r.check.key: r.store() for r in self.rows}


class DetailsPage(VisitPage):
    page_id = DETAILS

    def __init__(self, controller: VisitController) -> None:
        super().__init__(controller)
        self.setTitle(self.tr("Details"))
        self.editors: dict[str, DetailEditor] = {}
        self._note = ""
        self.form_host = QWidget()
        self.form = QFormLayout(self.form_host)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.note = hint(self.tr("Fields marked * are required."))
        self.form_host.setObjectName("detailsForm")
        # A service that takes campaigns: the campaign, its fields, tier, gift and terms.
        self.campaign_box = CampaignBox(controller)
        self.campaign_box.changed.connect(self.completeChanged)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.form_host)
        column.addWidget(self.campaign_box)
        column.addStretch(1)
        scroll = plain_scroll(body)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(scroll, 1)

    def initializePage(self) -> None:
        svc = self.controller.service
        assert svc is not None
        self.setSubTitle(labels.text(svc.name))
        while self.form.rowCount():
            self.form.removeRow(0)
        self.editors = {}
        state = self.controller.state
        catalog = self.controller.ctx.catalog
        for spec in detail_specs(svc, state.kind):
            editor = DetailEditor(spec, catalog, today=self.controller.ctx.business_date)
            if spec.key in state.details:
                editor.set_value(state.details[spec.key])
            editor.changed.connect(self.completeChanged)
            label = labels.text(spec.label) + (" *" if spec.required else "")
            self.form.addRow("" if spec.type == "bool" else label, editor)
            self.editors[spec.key] = editor
        self.note.setText(self.tr("Fields marked * are required.") if self.editors
                          else self.tr("Nothing to record for this service."))
        self.campaign_box.setVisible(svc.campaigns)
        if svc.campaigns:
            self.campaign_box.load()
        self._note = self.note.text()
        # The cursor in the first field still to answer: one answered already (carried in the
        # visit, or by a paper ticked, as the damaged card taken back) is passed over; a
        # yes/no box holds its answer, given on the papers page when it is one.
        first = next((e for e in self.editors.values() if not e.is_filled()),
                     next(iter(self.editors.values()), None))
        if first is not None:
            first.setFocus()

    def editor(self, key: str) -> DetailEditor | None:
        return self.editors.get(key)

    def show_checking(self, on: bool) -> None:
        """下一步 asks the engine first: say so while it answers."""
        if not on:
            self.note.setText(self._note)
            return
        self._note = self.note.text()
        self.note.setText(self.tr("Checking the request..."))

    def isComplete(self) -> bool:
        # Required fields that hold in every case must be filled; those with a condition are
        # left to the engine, whose verdict names them if they are needed.
        if self.wizard() is not None and self.visit_wizard.checking:
            return False
        return all(e.is_filled() for e in self.editors.values()
                   if e.spec.required and not e.spec.when)

    def store(self) -> None:
        self.controller.state.details = {k: e.value() for k, e in self.editors.items()
                                         if e.value() not in (None, "")}
        svc = self.controller.service
        if svc is not None and svc.campaigns:
            self.campaign_box.store()
