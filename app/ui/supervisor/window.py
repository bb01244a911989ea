"""The supervisor's window: the day's orders (filtered, paged), the intake log with reasons,
follow-ups by deadline, and each order's full record with voiding."""

from __future__ import annotations

from datetime import time
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTime
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.money import format_yuan
from app.ui.kit import labels
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.operations import QueryOp
from app.ui.kit.qt_time import qdate
from app.ui.shell.context import AppContext
from app.ui.supervisor.day_model import DayOrdersModel

if TYPE_CHECKING:
    from app.services.customers.day_listings import Choice, FollowUpRow, IntakeRow
    from app.ui.supervisor.record import OrderRecordDialog


def _table(columns: int) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _date(edit: QDateEdit):  # -> date
    return edit.date().toPython()


class DayOrdersTab(QWidget):
    def __init__(self, ctx: AppContext, window: SupervisorWindow) -> None:
        super().__init__()
        self.ctx = ctx
        self.window_ = window
        self.day = QDateEdit(qdate(ctx.business_date()))
        self.day.setObjectName("dayFilter")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.counter = QComboBox()
        self.counter.setObjectName("counterFilter")
        self.clerk = QComboBox()
        self.clerk.setObjectName("clerkFilter")
        self.service = QComboBox()
        self.service.setObjectName("serviceFilter")
        self.status = QComboBox()
        self.status.setObjectName("statusFilter")
        for combo in (self.counter, self.clerk, self.service, self.status):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.time_from = QTimeEdit(QTime(0, 0))
        self.time_from.setObjectName("timeFrom")
        self.time_from.setDisplayFormat("HH:mm")
        self.time_to = QTimeEdit(QTime(23, 59))
        self.time_to.setObjectName("timeTo")
        self.time_to.setDisplayFormat("HH:mm")
        self.apply = QPushButton(self.tr("Show"))
        self.apply.setObjectName("applyFilter")
        self.apply.setDefault(True)
        self.summary = QLabel()
        self.summary.setObjectName("daySummary")
        self.model = DayOrdersModel(ctx)
        self.view = QTableView()
        self.view.setObjectName("dayOrdersView")
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((70, 270, 130, 100, 120, 90, 70, 70)):
            self.view.setColumnWidth(col, width)
        self.open_record = QPushButton(self.tr("Open record"))
        self.open_record.setObjectName("openRecord")
        row1 = QHBoxLayout()
        first: list[tuple[str, QWidget]] = [
            (self.tr("Day"), self.day), (self.tr("Counter"), self.counter),
            (self.tr("Clerk"), self.clerk), (self.tr("Service"), self.service)]
        for label, widget in first:
            row1.addWidget(QLabel(label))
            row1.addWidget(widget)
        row1.addStretch(1)
        row2 = QHBoxLayout()
        second: list[tuple[str, QWidget]] = [
            (self.tr("Status"), self.status), (self.tr("From"), self.time_from),
            (self.tr("to"), self.time_to)]
        for label, widget in second:
            row2.addWidget(QLabel(label))
            row2.addWidget(widget)
        row2.addWidget(self.apply)
        row2.addStretch(1)
        row2.addWidget(self.open_record)
        layout = QVBoxLayout(self)
        layout.addLayout(row1)
        layout.addLayout(row2)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        self.service.addItem(self.tr("All services"), None)
        for code, svc in ctx.catalog.services.items():
            self.service.addItem(labels.text(svc.name), code)
        self.status.addItem(self.tr("All"), None)
        self.status.addItem(labels.decision_name("accepted"), "accepted")
        self.status.addItem(labels.decision_name("voided"), "voided")
        self.apply.clicked.connect(self.reload)
        self.open_record.clicked.connect(self._open_current)
        self.view.doubleClicked.connect(lambda _i: self._open_current())
        self.model.counted.connect(self._counted)
        self.model.failed.connect(self.summary.setText)

    def set_choices(self, counters: list[Choice], staff: list[Choice]) -> None:
        self.counter.clear()
        self.counter.addItem(self.tr("All counters"), None)
        for c in counters:
            self.counter.addItem(f"{c.code} {c.name}", c.id)
        self.clerk.clear()
        self.clerk.addItem(self.tr("All clerks"), None)
        for st in staff:
            self.clerk.addItem(f"{st.code} {st.name}", st.id)

    def current_filter(self):  # -> DayFilter
        from app.services.customers.day_listings import DayFilter

        t_from = self.time_from.time().toPython()
        t_to = self.time_to.time().toPython()
        return DayFilter(day=_date(self.day), counter_id=self.counter.currentData(),
                         staff_id=self.clerk.currentData(), service=self.service.currentData(),
                         status=self.status.currentData(),
                         time_from=t_from if t_from != time(0, 0) else None,
                         time_to=t_to if t_to != time(23, 59) else None)

    def reload(self) -> None:
        self.summary.setText(self.tr("Loading..."))
        self.model.set_filter(self.current_filter())

    def _counted(self, count: int, total: int) -> None:
        self.summary.setText(self.tr("{count} orders, {amount} yuan accepted").format(
            count=count, amount=format_yuan(total)))

    def _open_current(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.window_.open_order(self.model.rows[index.row()].order_no)


class IntakeTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.day = QDateEdit(qdate(ctx.business_date()))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.decision = QComboBox()
        self.decision.setObjectName("decisionFilter")
        self.decision.addItem(self.tr("All"), None)
        for d in ("rejected", "incomplete", "abandoned"):
            self.decision.addItem(labels.decision_name(d), d)
        self.apply = QPushButton(self.tr("Show"))
        self.table = _table(8)
        self.table.setObjectName("intakeTable")
        self.table.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Day")))
        row.addWidget(self.day)
        row.addWidget(QLabel(self.tr("Decision")))
        row.addWidget(self.decision)
        row.addWidget(self.apply)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        self.apply.clicked.connect(self.reload)
        self.rows: list[IntakeRow] = []

    def reload(self) -> None:
        from app.services.customers.day_listings import intake_log

        ctx, actor, day, decision = (self.ctx, self.ctx.require_actor(), _date(self.day),
                                     self.decision.currentData())
        (QueryOp(ctx.runner, lambda _c: intake_log(ctx.db, actor, day, decision))
         .success(self._show).failure(lambda f: self._error(f)).run_in_background())

    def _error(self, failure: OpFailure) -> None:
        self.table.setRowCount(1)
        self.table.setItem(0, 0, QTableWidgetItem(failure.message))

    def _show(self, rows: list[IntakeRow]) -> None:
        self.rows = rows
        catalog = self.ctx.catalog
        self.table.setHorizontalHeaderLabels([
            self.tr("Time"), self.tr("Counter"), self.tr("Clerk"), self.tr("Service"),
            self.tr("Decision"), self.tr("Customer"), self.tr("Line"), self.tr("Reasons")])
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            reasons = [v.get("message", "") for v in r.violations if v.get("message")]
            reasons += [labels.missing_name(catalog, r.service, m) for m in r.missing]
            who = " ".join(x for x in (r.customer_name, r.customer_id_masked) if x)
            values = [labels.local_time(r.created_at, self.ctx.timezone), r.counter_code,
                      r.staff_no or "", labels.service_name(catalog, r.service),
                      labels.decision_name(r.decision), who, r.line_number or "",
                      "；".join(reasons)]
            for col, v in enumerate(values):
                self.table.setItem(i, col, QTableWidgetItem(v))
        self.table.resizeRowsToContents()


class FollowUpsTab(QWidget):
    def __init__(self, ctx: AppContext, window: SupervisorWindow) -> None:
        super().__init__()
        self.ctx = ctx
        self.window_ = window
        self.status = QComboBox()
        self.status.addItem(self.tr("Open"), "open")
        self.status.addItem(self.tr("Done"), "done")
        self.status.addItem(self.tr("Cancelled"), "cancelled")
        self.apply = QPushButton(self.tr("Show"))
        self.table = _table(5)
        self.table.setObjectName("followUpTable")
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Status")))
        row.addWidget(self.status)
        row.addWidget(self.apply)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        self.apply.clicked.connect(self.reload)
        self.table.doubleClicked.connect(self._open)
        self.rows: list[FollowUpRow] = []

    def reload(self) -> None:
        from app.services.customers.day_listings import follow_ups

        ctx, actor, status = self.ctx, self.ctx.require_actor(), self.status.currentData()
        now = ctx.now()
        (QueryOp(ctx.runner, lambda _c: follow_ups(ctx.db, actor, now=now, status=status))
         .success(self._show).failure(lambda _f: None).run_in_background())

    def _show(self, rows: list[FollowUpRow]) -> None:
        self.rows = rows
        self.table.setHorizontalHeaderLabels([
            self.tr("Due"), self.tr("Task"), self.tr("Order no."), self.tr("Owner"),
            self.tr("State")])
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            state = self.tr("Overdue") if r.overdue else self.tr("In time")
            values = [labels.local_time(r.due_at, self.ctx.timezone, "%Y-%m-%d %H:%M"), r.name,
                      r.order_no, r.owner_staff_no or "", state]
            for col, v in enumerate(values):
                item = QTableWidgetItem(v)
                if r.overdue:
                    item.setForeground(QColor("#c62828"))
                self.table.setItem(i, col, item)

    def _open(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.rows):
            self.window_.open_order(self.rows[row].order_no)


class SupervisorWindow(QMainWindow):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("supervisorWindow")
        self.ctx = ctx
        self.setWindowTitle(self.tr("Supervisor: the day's business"))
        self.tabs = QTabWidget()
        self.day = DayOrdersTab(ctx, self)
        self.intake = IntakeTab(ctx)
        self.followups = FollowUpsTab(ctx, self)
        self.tabs.addTab(self.day, self.tr("Day's orders"))
        self.tabs.addTab(self.intake, self.tr("Intake log"))
        self.tabs.addTab(self.followups, self.tr("Follow-ups"))
        self.setCentralWidget(self.tabs)
        self.resize(1200, 720)
        ctx.settings.restore_geometry("supervisor_window", self)
        self.record: OrderRecordDialog | None = None
        self.tabs.currentChanged.connect(self._tab)
        self._load_choices()
        self.day.reload()

    def _load_choices(self) -> None:
        from app.services.customers.day_listings import filter_choices

        ctx = self.ctx
        (QueryOp(ctx.runner, lambda _c: filter_choices(ctx.db))
         .success(lambda out: self.day.set_choices(*out)).failure(lambda _f: None)
         .run_in_background())

    def _tab(self, index: int) -> None:
        if self.tabs.widget(index) is self.intake:
            self.intake.reload()
        elif self.tabs.widget(index) is self.followups:
            self.followups.reload()

    def open_order(self, order_no: str) -> OrderRecordDialog:
        from app.ui.supervisor.record import OrderRecordDialog

        dialog = OrderRecordDialog(self.ctx, order_no, self)
        dialog.voided.connect(lambda _no: self.day.reload())
        self.record = dialog
        dialog.show()
        return dialog

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.ctx.settings.save_geometry("supervisor_window", self)
        for dialog in self.findChildren(QDialog):  # an order's record is a window of its own
            if dialog.isVisible():
                dialog.close()
        super().closeEvent(event)
