"""This counter's orders of the day, refreshed whenever an order is written."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from app.core.money import format_yuan
from app.ui.kit import labels
from app.ui.kit.operations import QueryOp
from app.ui.shell.context import AppContext

if TYPE_CHECKING:
    from app.services.customers.day_listings import OrderRow

Index = QModelIndex | QPersistentModelIndex


class OrdersModel(QAbstractTableModel):
    """Rows of `queries.OrderRow`; columns: time, order no., service, customer, line, amount,
    status (and clerk and counter when `wide`)."""

    def __init__(self, ctx: AppContext, wide: bool = False) -> None:
        super().__init__()
        self.ctx = ctx
        self.wide = wide
        self.rows: list[OrderRow] = []

    def headers(self) -> list[str]:
        h = [self.tr("Time"), self.tr("Order no."), self.tr("Service"), self.tr("Customer"),
             self.tr("Line"), self.tr("Amount"), self.tr("Status")]
        if self.wide:
            h += [self.tr("Counter"), self.tr("Clerk")]
        return h

    def set_rows(self, rows: list[OrderRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def append_rows(self, rows: list[OrderRow]) -> None:
        if not rows:
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(rows) - 1)
        self.rows.extend(rows)
        self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers())

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers()[section]
        return None

    def cell(self, r: OrderRow, col: int) -> str:
        catalog = self.ctx.catalog
        values = [labels.local_time(r.created_at, self.ctx.timezone), r.order_no,
                  labels.service_name(catalog, r.service), r.customer_name or "",
                  r.line_number or "", format_yuan(r.total_fen),
                  labels.decision_name("voided" if r.status == "voided" else "accepted")]
        if self.wide:
            values += [r.counter_code, f"{r.staff_no or ''} {r.staff_name or ''}".strip()]
        return values[col]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        r = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(r, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and r.status == "voided":
            return QColor("#9aa5b1")
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 5:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return r
        return None


class TodayOrders(QWidget):
    CONCERNS = frozenset({"order", "intake", "printed"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("todayOrders")
        self.ctx = ctx
        self.title = QLabel()
        self.title.setProperty("heading", True)
        self.model = OrdersModel(ctx)
        self.view = QTableView()
        self.view.setObjectName("todayOrdersView")
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.view)
        ctx.runner.changes.changed.connect(self._changed)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        total = sum(r.total_fen for r in self.model.rows if r.status == "accepted")
        self.title.setText(self.tr("Today at this counter: {count} orders, {amount} yuan").format(
            count=len(self.model.rows), amount=format_yuan(total)))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0,
                                          max(0, self.model.columnCount() - 1))

    def _changed(self, changes: frozenset[str]) -> None:
        if changes & self.CONCERNS:
            self.refresh()

    def refresh(self) -> None:
        from app.services.customers.day_listings import todays_orders

        ctx = self.ctx
        actor = ctx.actor
        if actor is None:
            return
        day = ctx.business_date()

        def done(rows: list[OrderRow]) -> None:
            self.model.set_rows(rows)
            self.retranslate_ui()

        (QueryOp(ctx.runner, lambda _c: todays_orders(ctx.db, actor.counter_id, day))
         .success(done).failure(lambda _f: None).run_in_background())
