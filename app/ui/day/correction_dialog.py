"""Corrections of a signed-off day: the day is never edited; a correction is a new entry
linked to its sign-off (and to an order of the day when it concerns one), audited with the
sign-off's hash and printed in the day's report (`app.services.day.signoff.record_correction`).

The dialog lists the day's corrections and records a new one: about an order, a stock item
(a quantity, more + / fewer −), money (an amount in a payment method, in + / out −) or a note,
always with an explanation."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core import domain
from app.db import Database
from app.services.day.items import describe_quantity, item_label, money_item, stock_items
from app.services.day.signoff import CorrectionRow, corrections_of, record_correction
from app.services.hall.registry import Actor
from app.ui.day.common import error_label, failure_text, local_text, show_error, yuan
from app.ui.kit.labels import payment_method_name
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.op_runner import OpRunner
from app.ui.kit.operations import CollectionOp, QueryOp
from app.ui.kit.theme import set_role

MAX_QUANTITY = 100_000
MAX_YUAN = 10_000_000


class CorrectionDialog(QDialog):
    def __init__(self, runner: OpRunner, db: Database, actor: Actor, day: date,
                 zone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.db, self.actor, self.day, self.zone = runner, db, actor, day, zone
        self.rows: list[CorrectionRow] = []
        self.setObjectName("correctionDialog")
        self.setWindowTitle(self.tr("Corrections of %1").replace("%1", day.isoformat()))
        self.resize(900, 620)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("%1 is signed off: nothing recorded that day is changed. A "
                               "correction is a new entry linked to the sign-off, printed in "
                               "the day's report.").replace("%1", day.isoformat()), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        headers = [self.tr("Recorded"), self.tr("Kind"), self.tr("Concerns"),
                   self.tr("Quantity / amount"), self.tr("Explanation"), self.tr("By")]
        self.table = QTableWidget(0, len(headers), self)
        self.table.setObjectName("corrections")
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        layout.addWidget(self._form())
        self.error = error_label(self)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.record_button = buttons.addButton(self.tr("Record the correction"),
                                               QDialogButtonBox.ButtonRole.ActionRole)
        self.record_button.setObjectName("recordCorrection")
        set_role(self.record_button, "primary")
        self.record_button.clicked.connect(self.record)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._kind_changed()
        self.load()

    def _form(self) -> QGroupBox:
        box = QGroupBox(self.tr("New correction"), self)
        form = QFormLayout(box)
        self.kind = QComboBox(box)
        self.kind.setObjectName("correctionKind")
        for code, text in (("order", self.tr("An order")), ("stock", self.tr("Stock")),
                           ("money", self.tr("Money")), ("note", self.tr("A note only"))):
            self.kind.addItem(text, code)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.order_no = QLineEdit(box)
        self.order_no.setObjectName("correctionOrderNo")
        self.order_no.setMaxLength(40)
        self.item = QComboBox(box)
        self.item.setObjectName("correctionItem")
        for item in stock_items():
            self.item.addItem(item_label(item), item)
        self.quantity = QSpinBox(box)
        self.quantity.setObjectName("correctionQuantity")
        self.quantity.setRange(-MAX_QUANTITY, MAX_QUANTITY)
        self.method = QComboBox(box)
        self.method.setObjectName("correctionMethod")
        for method in domain.PAYMENT_METHODS:
            self.method.addItem(payment_method_name(method), method)
        self.amount = QDoubleSpinBox(box)
        self.amount.setObjectName("correctionAmount")
        self.amount.setRange(-MAX_YUAN, MAX_YUAN)
        self.amount.setDecimals(2)
        self.amount.setSuffix(self.tr(" yuan"))
        self.explanation = QPlainTextEdit(box)
        self.explanation.setObjectName("correctionExplanation")
        self.explanation.setMaximumHeight(70)
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Order no."), self.order_no)
        form.addRow(self.tr("Item"), self.item)
        form.addRow(self.tr("Quantity (+ more, − fewer)"), self.quantity)
        form.addRow(self.tr("Payment method"), self.method)
        form.addRow(self.tr("Amount (+ in, − out)"), self.amount)
        form.addRow(self.tr("Explanation"), self.explanation)
        self.form = form
        return box

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        shown = {self.order_no: kind in ("order", "money"), self.item: kind == "stock",
                 self.quantity: kind == "stock", self.method: kind == "money",
                 self.amount: kind in ("order", "money")}
        for widget, visible in shown.items():
            self.form.setRowVisible(widget, visible)

    # -- the list ----------------------------------------------------------------------------
    def load(self) -> None:
        db, actor, day = self.db, self.actor, self.day
        (QueryOp(self.runner, lambda _c: corrections_of(db, actor, day), parent=self)
         .success(self._loaded).failure(self._failed).run_in_background())

    def _loaded(self, rows: list[CorrectionRow]) -> None:
        self.rows = rows
        kinds = {"order": self.tr("Order"), "stock": self.tr("Stock"), "money": self.tr("Money"),
                 "note": self.tr("Note")}
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            concerns = row.order_no or (item_label(row.item) if row.item else "")
            figures = "  ".join(x for x in (
                describe_quantity(row.item, row.quantity) if row.quantity else "",
                f"{yuan(row.amount_fen)} 元" if row.amount_fen else "") if x)
            cells = [local_text(row.created_at, self.zone, "%m-%d %H:%M"),
                     kinds.get(row.kind, row.kind), concerns, figures, row.explanation,
                     row.staff_name]
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))

    # -- recording ---------------------------------------------------------------------------
    def record(self) -> None:
        kind = str(self.kind.currentData())
        explanation = self.explanation.toPlainText().strip()
        if not explanation:
            show_error(self.error, self.tr("Say why the day is corrected."))
            return
        order_no = self.order_no.text().strip() if kind in ("order", "money") else ""
        item = (self.item.currentData() if kind == "stock"
                else money_item(self.method.currentData()) if kind == "money" else None)
        quantity = self.quantity.value() if kind == "stock" else 0
        amount = round(self.amount.value() * 100) if kind in ("order", "money") else 0
        db, actor, day = self.db, self.actor, self.day
        self.record_button.setEnabled(False)
        show_error(self.error, "")
        (CollectionOp(self.runner, lambda _c: record_correction(
            db, actor, day, kind, explanation, order_no=order_no or None, item=item,
            quantity=quantity, amount_fen=amount), changes={"day"}, parent=self)
         .success(self._recorded).failure(self._failed).run_in_background())

    def _recorded(self, _id: int) -> None:
        self.record_button.setEnabled(True)
        self.explanation.clear()
        self.order_no.clear()
        self.quantity.setValue(0)
        self.amount.setValue(0)
        self.load()

    def _failed(self, failure: OpFailure) -> None:
        self.record_button.setEnabled(True)
        show_error(self.error, failure_text(failure))
