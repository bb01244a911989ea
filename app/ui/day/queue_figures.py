"""The supervisor's day, "Queue" tab: waiting and handling times per service and per clerk
(visits, average and 90th percentile, as minutes:seconds), from `queue_times`."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.services.day.queue_times import QueueTimeRow, QueueTimes, mmss, queue_times
from app.services.hall.registry import Actor
from app.ui.day.common import failure_text
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.op_runner import OpRunner
from app.ui.kit.operations import QueryOp


class QueueFiguresTab(QWidget):
    def __init__(self, runner: OpRunner, db: Database, actor: Actor,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queueFigures")
        self.runner, self.db, self.actor = runner, db, actor
        self.times: QueueTimes | None = None
        self._day: date | None = None
        self.summary = QLabel(self)
        self.summary.setObjectName("queueSummary")
        self.summary.setWordWrap(True)
        self.services = self._table()
        self.services.setObjectName("queueByService")
        self.clerks = self._table()
        self.clerks.setObjectName("queueByClerk")
        self.services_title = QLabel(self.tr("Per service"), self)
        self.clerks_title = QLabel(self.tr("Per clerk"), self)
        for title in (self.services_title, self.clerks_title):
            title.setProperty("heading", True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.services_title)
        layout.addWidget(self.services, 3)
        layout.addWidget(self.clerks_title)
        layout.addWidget(self.clerks, 2)

    def _table(self) -> QTableWidget:
        headers = [self.tr("Service / clerk"), self.tr("Visits"), self.tr("Average wait"),
                   self.tr("90% waited at most"), self.tr("Average handling"),
                   self.tr("90% handled within")]
        table = QTableWidget(0, len(headers), self)
        table.setHorizontalHeaderLabels(headers)
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        return table

    def load(self, day: date) -> None:
        self._day = day
        db, actor = self.db, self.actor
        (QueryOp(self.runner, lambda _c: queue_times(db, actor, day), parent=self)
         .success(self._loaded).failure(self._failed).run_in_background())

    def _loaded(self, times: QueueTimes) -> None:
        if times.business_date != self._day:
            return  # a newer date is loading
        self.times = times
        self._fill(self.services, times.per_service)
        self._fill(self.clerks, times.per_clerk, clerks=True)
        o = times.overall
        if times.empty:
            self.summary.setText(self.tr("No queue tickets were called on this day."))
            return
        self.summary.setText(
            self.tr("{visits} visits: average wait {wait} (90% within {wait90}), average "
                    "handling {handle} (90% within {handle90}); {no_shows} no-shows, "
                    "{serving} still being served.").format(
                visits=o.visits, wait=mmss(o.waiting.avg), wait90=mmss(o.waiting.p90),
                handle=mmss(o.handling.avg), handle90=mmss(o.handling.p90),
                no_shows=times.no_shows, serving=times.serving))

    def _fill(self, table: QTableWidget, rows: list[QueueTimeRow], clerks: bool = False) -> None:
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            name = f"{row.name}（{row.key}）" if clerks else row.name
            cells = [name, str(row.visits), mmss(row.waiting.avg), mmss(row.waiting.p90),
                     mmss(row.handling.avg), mmss(row.handling.p90)]
            for c, text in enumerate(cells):
                table.setItem(r, c, QTableWidgetItem(text))

    def _failed(self, failure: OpFailure) -> None:
        self.summary.setText(failure_text(failure))
