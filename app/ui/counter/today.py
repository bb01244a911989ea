"""This counter's orders of the day, refreshed whenever an order is written; any of their
papers (the arrears receipts included) printed again from here (补打, recorded and audited when
a printer accepts it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.money import format_yuan
from app.ui.kit import labels
from app.ui.kit.operations import QueryOp
from app.ui.kit.widgets import fit_money_columns
from app.ui.shell.context import AppContext

if TYPE_CHECKING:
    from app.services.customers.day_listings import OrderRow
    from app.ui.devices.order_print import PrintRun
    from app.ui.kit.op_failures import OpFailure

Index = QModelIndex | QPersistentModelIndex
AMOUNT_COLUMN = 5


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
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == AMOUNT_COLUMN:
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
        fit_money_columns(self.view, AMOUNT_COLUMN)  # "123.50", never "123"
        self.reprint = QPushButton()
        self.reprint.setObjectName("todayReprintButton")
        self.reprint.setAutoDefault(False)
        self.reprint.setEnabled(False)
        self.reprint.clicked.connect(self.reprint_selected)
        self.view.selectionModel().selectionChanged.connect(
            lambda *_: self.reprint.setEnabled(self.selected() is not None))
        self.print_status = QLabel()
        self.print_status.setObjectName("todayPrintStatus")
        self.print_status.setProperty("hint", True)
        self.print_status.setWordWrap(True)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.reprint)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.view)
        layout.addWidget(self.print_status)
        ctx.runner.changes.changed.connect(self._changed)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        total = sum(r.total_fen for r in self.model.rows if r.status == "accepted")
        self.title.setText(self.tr("Today at this counter: {count} orders, {amount} yuan").format(
            count=len(self.model.rows), amount=format_yuan(total)))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0,
                                          max(0, self.model.columnCount() - 1))
        self.reprint.setText(self.tr("Reprint"))
        self.reprint.setToolTip(self.tr("Print the selected order's papers again, marked as "
                                        "a reprint"))

    # -- 补打 --------------------------------------------------------------------------------

    def selected(self) -> OrderRow | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def clear_selection(self) -> None:
        """The next customer: no row of the last one stays picked."""
        self.view.clearSelection()
        self.print_status.clear()

    def reprint_selected(self) -> None:
        """The selected order's papers again, 补打 with its count, on this counter's printers;
        one line per paper says what became of it."""
        from app.db.engine import data_dir
        from app.ui.devices.order_print import start_order_print
        from app.ui.devices.printer import routes_from

        row, ctx = self.selected(), self.ctx
        if row is None or ctx.actor is None:
            return
        self.reprint.setEnabled(False)
        self.print_status.setText(self.tr("Printing {order_no} again...").format(
            order_no=row.order_no))
        out = data_dir() / "papers" / ctx.business_date().isoformat()
        start_order_print(ctx.runner, ctx.db, ctx.actor, row.order_id, out,
                          routes_from(ctx.settings), reprint=True,
                          done=lambda run: self._reprinted(row.order_no, run),
                          failed=self._reprint_failed)

    def _reprinted(self, order_no: str, run: PrintRun) -> None:
        self.reprint.setEnabled(self.selected() is not None)
        lines = [o.line(self.ctx.lang) for o in run.outcomes]
        self.print_status.setText(f"{order_no}: " + "  ".join(lines))

    def _reprint_failed(self, failure: OpFailure) -> None:
        self.reprint.setEnabled(self.selected() is not None)
        self.print_status.setText(failure.message)

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
            picked = self.selected()
            self.model.set_rows(rows)
            if picked is not None:  # the order picked stays picked (e.g. for 补打)
                found = next((i for i, r in enumerate(rows) if r.order_no == picked.order_no),
                             None)
                if found is not None:
                    self.view.selectRow(found)
            self.reprint.setEnabled(self.selected() is not None)
            self.retranslate_ui()

        (QueryOp(ctx.runner, lambda _c: todays_orders(ctx.db, actor.counter_id, day))
         .success(done).failure(lambda _f: None).run_in_background())
