"""The tariff and counters tabs of the hall settings screen.

Tariff: the amount in force today, since when, the changes waiting for their date, and a
"new amount" column that takes effect from the chosen date (default today; never earlier:
orders already priced keep their amount); the whole history below. Counters: code and name;
a name is edited in place, a new counter added with its code.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.catalog import Catalog
from app.core.money import format_yuan
from app.services.hall.settings import HallSettings
from app.ui.kit import labels
from app.ui.kit.qt_time import pydate, qdate

READ_ONLY = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled


def table(columns: int, name: str) -> QTableWidget:
    t = QTableWidget(0, columns)
    t.setObjectName(name)
    t.verticalHeader().hide()
    t.setAlternatingRowColors(True)
    t.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    return t


def cell(text: str, *, editable: bool = False, right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(READ_ONLY | (Qt.ItemFlag.ItemIsEditable if editable else Qt.ItemFlag(0)))
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def tariff_names(catalog: Catalog) -> dict[str, str]:
    """The fee names the catalog gives each tariff item, in the language shown."""
    names: dict[str, str] = {}
    for service in catalog.services.values():
        for fee in service.fees:
            if fee.tariff and fee.tariff not in names:
                names[fee.tariff] = labels.text(fee.name)
    return names


class TariffTab(QWidget):
    NEW = 4  # the column of the new amount

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names = tariff_names(catalog)
        self.items: list[str] = []
        self.table = table(5, "tariffTable")
        self.table.setHorizontalHeaderLabels([
            self.tr("Item"), self.tr("In force today"), self.tr("Since"),
            self.tr("Waiting for its date"), self.tr("New amount (yuan)")])
        self.valid_from = QDateEdit()
        self.valid_from.setObjectName("tariffFrom")
        self.valid_from.setCalendarPopup(True)
        self.valid_from.setDisplayFormat("yyyy-MM-dd")
        self.reason = QLineEdit()
        self.reason.setObjectName("tariffReason")
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText(self.tr("e.g. the operator's notice of the new tariff"))
        self.history = table(5, "tariffHistory")
        self.history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.history.setHorizontalHeaderLabels([
            self.tr("From"), self.tr("Item"), self.tr("Amount"), self.tr("Set by"),
            self.tr("Reason")])
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        form = QHBoxLayout()
        form.addWidget(QLabel(self.tr("New amounts apply from")))
        form.addWidget(self.valid_from)
        form.addSpacing(16)
        form.addWidget(QLabel(self.tr("Reason")))
        form.addWidget(self.reason, 1)
        note = QLabel(self.tr(
            "Orders of earlier days keep the amount they were priced with; a change from a "
            "later date waits for it. The history is kept."))
        note.setWordWrap(True)
        note.setProperty("hint", True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 5)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(QLabel(self.tr("History")))
        layout.addWidget(self.history, 2)

    def show_view(self, view: HallSettings) -> None:
        self.items = [t.item for t in view.tariffs]
        self.table.setRowCount(len(view.tariffs))
        for row, t in enumerate(view.tariffs):
            name = self.names.get(t.item)
            self.table.setItem(row, 0, cell(f"{name} ({t.item})" if name else t.item))
            self.table.setItem(row, 1, cell(format_yuan(t.amount_fen), right=True))
            self.table.setItem(row, 2, cell(t.since.isoformat() if t.since else self.tr(
                "default file") if t.source == "default" else self.tr("the hall's table")))
            self.table.setItem(row, 3, cell("; ".join(
                f"{d.isoformat()}: {format_yuan(fen)}" for d, fen in t.scheduled)))
            self.table.setItem(row, self.NEW, cell("", editable=view.can_change_tariff,
                                                   right=True))
        self.valid_from.setMinimumDate(qdate(view.today))
        self.valid_from.setDate(qdate(view.today))
        self.reason.clear()
        self.history.setRowCount(len(view.history))
        for row, h in enumerate(reversed(view.history)):  # newest first
            for col, text in enumerate((h.valid_from.isoformat(), h.item,
                                        format_yuan(h.amount_fen), h.set_by, h.reason)):
                self.history.setItem(row, col, cell(text, right=col == 2))
        for w in (self.valid_from, self.reason):
            w.setEnabled(view.can_change_tariff)

    def changes(self) -> dict[str, str]:
        """item -> the amount typed (text, yuan); the core checks it and names a bad one."""
        out = {}
        for row, item in enumerate(self.items):
            typed = self.table.item(row, self.NEW)
            if typed is not None and typed.text().strip():
                out[item] = typed.text().strip()
        return out

    def chosen_from(self) -> date:
        return pydate(self.valid_from.date())

    def focus_item(self, item: str) -> None:
        if item in self.items:
            self.table.setCurrentCell(self.items.index(item), self.NEW)
            self.table.setFocus()


class CountersTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loaded: dict[str, str] = {}
        self.table = table(3, "countersTable")
        self.table.setHorizontalHeaderLabels([self.tr("Code"), self.tr("Name"),
                                              self.tr("Kind")])
        self.code = QLineEdit()
        self.code.setObjectName("newCounterCode")
        self.code.setMaxLength(8)
        self.code.setPlaceholderText(self.tr("e.g. C05"))
        self.name = QLineEdit()
        self.name.setObjectName("newCounterName")
        self.name.setMaxLength(50)
        self.name.setPlaceholderText(self.tr("e.g. 5号柜台"))
        self.add = QPushButton(self.tr("Add counter"))
        self.add.setObjectName("addCounterButton")
        self.add.setAutoDefault(False)
        self.add.clicked.connect(self.add_counter)
        self.name.returnPressed.connect(self.add_counter)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("New counter")))
        row.addWidget(self.code)
        row.addWidget(self.name, 1)
        row.addWidget(self.add)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(QLabel(self.tr(
            "A counter is added or renamed when you save; counters are never removed (their "
            "orders keep them).")))

    def show_view(self, view: HallSettings) -> None:
        self.loaded = {c.code: c.name for c in view.counters if not c.batch}
        self.table.setRowCount(0)
        for c in view.counters:
            kind = self.tr("batch channel") if c.batch else self.tr("counter")
            self._append(c.code, c.name, kind, editable=view.can_change and not c.batch)
        for w in (self.code, self.name, self.add):
            w.setEnabled(view.can_change)

    def _append(self, code: str, name: str, kind: str, *, editable: bool) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, cell(code))
        self.table.setItem(row, 1, cell(name, editable=editable))
        self.table.setItem(row, 2, cell(kind))

    def add_counter(self) -> None:
        code, name = self.code.text().strip().upper(), self.name.text().strip()
        if not code:
            self.code.setFocus()
            return
        self._append(code, name, self.tr("new counter"), editable=True)
        self.code.clear()
        self.name.clear()

    def changes(self) -> dict[str, str]:
        """code -> name of the counters added or renamed (the core checks both)."""
        out = {}
        for row in range(self.table.rowCount()):
            code, name = self.table.item(row, 0), self.table.item(row, 1)
            if code is None or name is None:
                continue
            editable = bool(name.flags() & Qt.ItemFlag.ItemIsEditable)
            if editable and self.loaded.get(code.text()) != name.text().strip():
                out[code.text()] = name.text().strip()
        return out
