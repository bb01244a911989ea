"""The stock screen (库存): what each counter holds, a receipt (入库) with the supplier's
note, a transfer (调拨) between counters, and the business date's vouchers.

Every rule is the core's (`app.services.stock.vouchers`): who may receive or transfer, known
items, never more out of a counter than it holds. The buttons are greyed out for a staff
member without the permission only as a courtesy: a refusal comes back from the core as a
sentence under the forms. All database work runs on the workers.
"""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.security import Permission, has_permission
from app.services.day.hooks import hall_zone
from app.services.day.items import describe_quantity, item_label, stock_items
from app.services.hall.registry import Actor
from app.services.stock import vouchers
from app.ui.day.common import (
    ensure_error_messages,
    error_label,
    failure_text,
    local_text,
    show_error,
)
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.op_runner import OpRunner
from app.ui.kit.operations import CollectionOp, QueryOp
from app.ui.kit.theme import set_role

CHANGED = "stock"  # the change name the counter window's other views may listen to
EMPTY = QColor("#fde0e0")  # none on hand: an issue of it would be refused
MAX_QUANTITY = vouchers.MAX_QUANTITY


def _item_combo(parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    for item in stock_items():
        combo.addItem(item_label(item), item)
    return combo


def _quantity(parent: QWidget) -> QSpinBox:
    spin = QSpinBox(parent)
    spin.setRange(1, MAX_QUANTITY)
    spin.setValue(1)
    return spin


class StockDialog(QDialog):
    def __init__(self, runner: OpRunner, db: Database, actor: Actor,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        ensure_error_messages()
        self.runner, self.db, self.actor = runner, db, actor
        with db.read() as s:  # one cheap read: times are shown in the hall's zone
            self.zone = hall_zone(s, actor.hall_id)
        self.view: vouchers.StockView | None = None
        self.setObjectName("stockDialog")
        self.setWindowTitle(self.tr("Stock: on hand, receipts and transfers"))
        layout = QVBoxLayout(self)
        self.on_hand = self._table()
        self.on_hand.setObjectName("onHandTable")
        layout.addWidget(QLabel(self.tr("On hand per counter (a counter without an open shift "
                                         "shows what its next opening count should find)")))
        layout.addWidget(self.on_hand, 5)
        forms = QHBoxLayout()
        forms.addWidget(self._receipt_form(), 1)
        forms.addWidget(self._transfer_form(), 1)
        layout.addLayout(forms)
        self.error = error_label(self)
        layout.addWidget(self.error)
        self.done_label = QLabel(self)
        self.done_label.setObjectName("doneLabel")
        self.done_label.setWordWrap(True)
        layout.addWidget(self.done_label)
        layout.addWidget(QLabel(self.tr("Today's receipts and transfers")))
        self.vouchers = self._table()
        self.vouchers.setObjectName("voucherTable")
        self.vouchers.setColumnCount(6)
        self.vouchers.setHorizontalHeaderLabels([
            self.tr("Time"), self.tr("Kind"), self.tr("Counters"), self.tr("Items"),
            self.tr("Supplier / note"), self.tr("Staff")])
        layout.addWidget(self.vouchers, 2)
        self.resize(1180, 720)
        self.load()

    # -- building -----------------------------------------------------------------------------
    def _table(self) -> QTableWidget:
        table = QTableWidget(0, 0, self)
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    def _receipt_form(self) -> QGroupBox:
        box = QGroupBox(self.tr("Receipt (stock in)"), self)
        form = QFormLayout(box)
        self.rec_counter = QComboBox(box)
        self.rec_item = _item_combo(box)
        self.rec_quantity = _quantity(box)
        self.rec_supplier = QLineEdit(box)
        self.rec_supplier.setMaxLength(vouchers.MAX_SUPPLIER)
        self.rec_supplier.setPlaceholderText(self.tr("supplier, delivery note number"))
        self.rec_note = QLineEdit(box)
        self.rec_note.setMaxLength(vouchers.MAX_NOTE)
        self.rec_button = QPushButton(self.tr("Receive"), box)
        self.rec_button.setObjectName("receiveButton")
        set_role(self.rec_button, "primary")
        self.rec_button.clicked.connect(self.receive)
        self.rec_button.setEnabled(has_permission(self.actor.role, Permission.STOCK_RECEIVE))
        form.addRow(self.tr("Counter"), self.rec_counter)
        form.addRow(self.tr("Item"), self.rec_item)
        form.addRow(self.tr("Quantity"), self.rec_quantity)
        form.addRow(self.tr("Supplier"), self.rec_supplier)
        form.addRow(self.tr("Note"), self.rec_note)
        form.addRow("", self.rec_button)
        return box

    def _transfer_form(self) -> QGroupBox:
        box = QGroupBox(self.tr("Transfer between counters"), self)
        form = QFormLayout(box)
        self.tra_from = QComboBox(box)
        self.tra_to = QComboBox(box)
        self.tra_item = _item_combo(box)
        self.tra_quantity = _quantity(box)
        self.tra_note = QLineEdit(box)
        self.tra_note.setMaxLength(vouchers.MAX_NOTE)
        self.tra_button = QPushButton(self.tr("Transfer"), box)
        self.tra_button.setObjectName("transferButton")
        self.tra_button.clicked.connect(self.transfer)
        self.tra_button.setEnabled(has_permission(self.actor.role, Permission.STOCK_TRANSFER))
        form.addRow(self.tr("From counter"), self.tra_from)
        form.addRow(self.tr("To counter"), self.tra_to)
        form.addRow(self.tr("Item"), self.tra_item)
        form.addRow(self.tr("Quantity"), self.tra_quantity)
        form.addRow(self.tr("Note"), self.tra_note)
        form.addRow("", self.tra_button)
        return box

    # -- loading ------------------------------------------------------------------------------
    def load(self) -> None:
        db, actor = self.db, self.actor
        (QueryOp(self.runner, lambda _c: vouchers.stock_view(db, actor), parent=self)
         .success(self._loaded).failure(self._failed).run_in_background())

    def _loaded(self, view: vouchers.StockView) -> None:
        self.view = view
        codes = [c.code for c in view.counters]
        for combo, default in ((self.rec_counter, self.actor.counter_code),
                               (self.tra_from, self.actor.counter_code), (self.tra_to, None)):
            kept = combo.currentData()
            combo.clear()
            for code in codes:
                combo.addItem(code, code)
            wanted = kept or default
            if wanted in codes:
                combo.setCurrentIndex(codes.index(wanted))
        if not self.tra_to.currentData() or self.tra_to.currentData() == self.tra_from.currentData():
            others = [i for i, code in enumerate(codes) if code != self.tra_from.currentData()]
            if others:
                self.tra_to.setCurrentIndex(others[0])
        self._fill_on_hand(view)
        self._fill_vouchers(view)

    def _fill_on_hand(self, view: vouchers.StockView) -> None:
        table = self.on_hand
        table.setColumnCount(1 + len(view.counters))
        table.setHorizontalHeaderLabels([self.tr("Item")] + [
            c.code + ("" if c.shift_open else self.tr(" (closed)")) for c in view.counters])
        header = table.horizontalHeader()
        for col in range(1, table.columnCount()):  # counters share the width evenly
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        table.setRowCount(len(view.items))
        for r, item in enumerate(view.items):
            table.setItem(r, 0, QTableWidgetItem(item_label(item)))
            for col, counter in enumerate(view.counters, start=1):
                quantity = counter.on_hand.get(item, 0)
                cell = QTableWidgetItem(describe_quantity(item, quantity))
                if quantity <= 0:
                    cell.setBackground(QBrush(EMPTY))
                table.setItem(r, col, cell)

    def _fill_vouchers(self, view: vouchers.StockView) -> None:
        kinds = {"receipt": self.tr("receipt"), "transfer": self.tr("transfer")}
        self.vouchers.setRowCount(len(view.vouchers))
        for r, v in enumerate(view.vouchers):
            where = v.to_counter if v.kind == "receipt" else f"{v.from_counter} → {v.to_counter}"
            items = "、".join(f"{item_label(i)} {describe_quantity(i, q)}"
                             for i, q in v.items.items())
            said = " / ".join(t for t in (v.supplier or "", v.note) if t)
            for col, text in enumerate([local_text(v.at, self.zone, "%H:%M"),
                                        kinds.get(v.kind, v.kind), where, items, said,
                                        v.staff_no]):
                self.vouchers.setItem(r, col, QTableWidgetItem(text))

    # -- actions ------------------------------------------------------------------------------
    def receive(self) -> None:
        db, actor = self.db, self.actor
        items = {self.rec_item.currentData(): self.rec_quantity.value()}
        counter, supplier = self.rec_counter.currentData(), self.rec_supplier.text()
        note = self.rec_note.text()
        self._run(lambda: vouchers.receive(db, actor, items, supplier=supplier, counter=counter,
                                           note=note))

    def transfer(self) -> None:
        db, actor = self.db, self.actor
        items = {self.tra_item.currentData(): self.tra_quantity.value()}
        source, target, note = (self.tra_from.currentData(), self.tra_to.currentData(),
                                self.tra_note.text())
        self._run(lambda: vouchers.transfer(db, actor, source, target, items, note=note))

    def _run(self, call: object) -> None:
        assert callable(call)
        show_error(self.error, "")
        self.done_label.setText("")
        for button in (self.rec_button, self.tra_button):
            button.setProperty("wasEnabled", button.isEnabled())
            button.setEnabled(False)
        (CollectionOp(self.runner, lambda _c: call(), changes={CHANGED}, parent=self)
         .success(self._done).failure(self._refused).run_in_background())

    def _restore_buttons(self) -> None:
        for button in (self.rec_button, self.tra_button):
            button.setEnabled(bool(button.property("wasEnabled")))

    def _done(self, voucher: vouchers.VoucherInfo) -> None:
        self._restore_buttons()
        items = "、".join(f"{item_label(i)} {describe_quantity(i, q)}"
                         for i, q in voucher.items.items())
        if voucher.kind == "receipt":
            self.done_label.setText(self.tr("Received at {counter}: {items}").format(
                counter=voucher.to_counter, items=items))
            self.rec_supplier.clear()
            self.rec_note.clear()
        else:
            self.done_label.setText(self.tr("Transferred {source} → {target}: {items}").format(
                source=voucher.from_counter, target=voucher.to_counter, items=items))
            self.tra_note.clear()
        self.load()

    def _refused(self, failure: OpFailure) -> None:
        self._restore_buttons()
        show_error(self.error, failure_text(failure))

    def _failed(self, failure: OpFailure) -> None:
        show_error(self.error, failure_text(failure))


def stock_dialog(parent: QWidget, runner: OpRunner, db: Database, actor: Actor) -> StockDialog:
    dialog = StockDialog(runner, db, actor, parent)
    dialog.show()
    return dialog
