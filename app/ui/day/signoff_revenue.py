"""The supervisor's day, "Revenue" tab: the day's money by payment method and per clerk (net
of refunds, voided orders left out), as a table and two bar charts, from
`app.services.day.revenue` (the same figures as the daily report's revenue section)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.db import Database
from app.services.day.revenue import BATCH_NAME, Revenue, day_revenue
from app.services.hall.registry import Actor
from app.ui.day.charts import BarChart
from app.ui.day.common import failure_text, yuan
from app.ui.kit.labels import payment_method_name
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.op_runner import OpRunner
from app.ui.kit.operations import QueryOp
from app.ui.shell.errors import pick


class RevenueTab(QWidget):
    def __init__(self, runner: OpRunner, db: Database, actor: Actor,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("revenueTab")
        self.runner, self.db, self.actor = runner, db, actor
        self.revenue: Revenue | None = None
        self._day: date | None = None
        self.summary = QLabel(self)
        self.summary.setObjectName("revenueSummary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 0, self)
        self.table.setObjectName("revenueTable")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.method_chart = BarChart(self.tr("By payment method (yuan)"), value_text=yuan_of,
                                     parent=self)
        self.clerk_chart = BarChart(self.tr("Per clerk (yuan)"), horizontal=True,
                                    value_text=yuan_of, parent=self)
        grid = QGridLayout(self)
        grid.addWidget(self.summary, 0, 0, 1, 2)
        grid.addWidget(self.table, 1, 0, 1, 2)
        grid.addWidget(self.method_chart, 2, 0)
        grid.addWidget(self.clerk_chart, 2, 1)
        grid.setRowStretch(1, 2)
        grid.setRowStretch(2, 3)

    def load(self, day: date) -> None:
        self._day = day
        db, actor = self.db, self.actor
        (QueryOp(self.runner, lambda _c: day_revenue(db, actor, day), parent=self)
         .success(self._loaded).failure(self._failed).run_in_background())

    def _loaded(self, revenue: Revenue) -> None:
        if revenue.business_date != self._day:
            return  # a newer date is loading
        self.revenue = revenue
        codes = revenue.method_codes
        headers = [self.tr("Clerk"), self.tr("Orders paid"),
                   *(payment_method_name(m) for m in codes), self.tr("Total (yuan)")]
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        rows = [[self._clerk_label(c.label, c.channel), str(c.orders),
                 *(yuan(c.by_method.get(m, 0)) for m in codes), yuan(c.total_fen)]
                for c in revenue.clerks]
        if rows:
            rows.append([self.tr("Total"), str(sum(c.orders for c in revenue.clerks)),
                         *(yuan(m.net_fen) for m in revenue.methods), yuan(revenue.total_fen)])
        self.table.setRowCount(len(rows))
        bold = QFont(self.font())
        bold.setBold(True)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                cell = QTableWidgetItem(text)
                if c:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if r == len(rows) - 1 and len(rows) > 1:
                    cell.setFont(bold)
                self.table.setItem(r, c, cell)
        self.method_chart.set_data([(payment_method_name(m.method), m.net_fen / 100)
                                    for m in revenue.methods])
        self.clerk_chart.set_data([(self._clerk_label(c.label, c.channel), c.total_fen / 100)
                                   for c in revenue.clerks])
        refunds = sum(m.paid_out_fen for m in revenue.methods)
        self.summary.setText(
            self.tr("Revenue %1 yuan (received %2, paid out %3), voided orders left out.")
            .replace("%1", yuan(revenue.total_fen))
            .replace("%2", yuan(revenue.total_fen + refunds)).replace("%3", yuan(refunds))
            if revenue.methods else self.tr("No money was taken on this day."))

    def _clerk_label(self, label: str, channel: str) -> str:
        return pick(*BATCH_NAME) if channel == "batch" else label

    def _failed(self, failure: OpFailure) -> None:
        self.summary.setText(failure_text(failure))


def yuan_of(value: float) -> str:
    return f"{value:,.2f}"
