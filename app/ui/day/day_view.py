"""The supervisor's day: the checklist before the sign-off (with the approval of a shift's
difference), open shifts, follow-ups, rejected intakes, voids and refunds, the day's figures and
revenue as charts, the daily report as PDF, the sign-off that locks the day, and the
corrections of a signed-off day."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.clock import business_date
from app.db import Database
from app.services.day.hooks import hall_zone
from app.services.day.reports import DayFigures, build_daily_report, day_figures
from app.services.day.review import DayOverview, SignoffInfo, close_day
from app.services.day.signoff import sign_off_day
from app.services.hall.registry import Actor
from app.ui.day.approve_difference import ApproveDifferenceDialog
from app.ui.day.charts import BarChart
from app.ui.day.common import (
    ensure_error_messages,
    error_label,
    failure_text,
    local_text,
    show_error,
    yuan,
)
from app.ui.day.correction_dialog import CorrectionDialog
from app.ui.day.queue_figures import QueueFiguresTab
from app.ui.day.signoff_checklist import SignoffChecklist
from app.ui.day.signoff_revenue import RevenueTab
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.op_runner import OpRunner
from app.ui.kit.operations import CollectionOp, QueryOp
from app.ui.kit.theme import set_role
from app.ui.shell.errors import pick

LATE = QColor("#fde0e0")
OPEN_HOURS = (8, 19)  # the hours always drawn on the hourly chart


def _table(headers: list[str], parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], marked: set[int] | None = None) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if marked and r in marked:
                item.setBackground(QBrush(LATE))
            table.setItem(r, c, item)


class SupervisorDayView(QDialog):
    def __init__(self, runner: OpRunner, db: Database, actor: Actor,
                 parent: QWidget | None = None, day: date | None = None) -> None:
        super().__init__(parent)
        ensure_error_messages()
        self.runner, self.db, self.actor = runner, db, actor
        self.overview: DayOverview | None = None
        self.figures: DayFigures | None = None
        self.setObjectName("supervisorDayView")
        self.setWindowTitle(self.tr("The hall's day"))
        self.resize(1180, 720)  # fits a 1366 x 768 screen
        with db.read() as s:  # one cheap read: the hall's zone, for its date and its times
            self.zone = hall_zone(s, actor.hall_id)
        if day is None:
            day = business_date(db.clock, self.zone)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        title = QLabel(self.tr("Business date"), self)
        title.setProperty("heading", True)
        top.addWidget(title)
        self.date_edit = QDateEdit(QDate(day.year, day.month, day.day), self)
        self.date_edit.setObjectName("dayDate")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.dateChanged.connect(self.load)
        top.addWidget(self.date_edit)
        self.status = QLabel(self)
        self.status.setObjectName("dayStatus")
        top.addWidget(self.status, 1)
        self.report_button = QPushButton(self.tr("Save daily report (PDF)…"), self)
        self.report_button.setObjectName("reportButton")
        self.report_button.clicked.connect(self.save_report)
        top.addWidget(self.report_button)
        self.preview_button = QPushButton(self.tr("Preview / print report…"), self)
        self.preview_button.setObjectName("reportPreviewButton")
        self.preview_button.clicked.connect(self.preview_report)
        top.addWidget(self.preview_button)
        self.signoff_button = QPushButton(self.tr("Sign off the day"), self)
        self.signoff_button.setObjectName("signoffButton")
        set_role(self.signoff_button, "primary")
        self.signoff_button.clicked.connect(self.confirm_signoff)
        top.addWidget(self.signoff_button)
        self.corrections_button = QPushButton(self.tr("Corrections…"), self)
        self.corrections_button.setObjectName("correctionsButton")
        self.corrections_button.setToolTip(self.tr("A signed-off day is corrected by linked "
                                                   "entries, never edited"))
        self.corrections_button.setEnabled(False)
        self.corrections_button.clicked.connect(self.open_corrections)
        top.addWidget(self.corrections_button)
        layout.addLayout(top)
        self.checklist = SignoffChecklist(self)  # what must be settled before the sign-off
        self.checklist.approve_requested.connect(self.approve_difference)
        layout.addWidget(self.checklist)

        self.tabs = QTabWidget(self)
        self.shifts = _table([self.tr("Counter"), self.tr("Clerk"), self.tr("Status"),
                              self.tr("Opened"), self.tr("Closed"), self.tr("Differences"),
                              self.tr("Approved by")], self)
        self.follow_ups = _table([self.tr("Due"), self.tr("Order"), self.tr("Task"),
                                  self.tr("Owner"), self.tr("Overdue")], self)
        self.intakes = _table([self.tr("Time"), self.tr("Clerk"), self.tr("Service"),
                               self.tr("Decision"), self.tr("Reasons")], self)
        self.voids = _table([self.tr("Time"), self.tr("Kind"), self.tr("Order"),
                             self.tr("Service"), self.tr("Clerk"), self.tr("Amount (yuan)"),
                             self.tr("Reason")], self)
        self.figures_page = QWidget(self)
        grid = QGridLayout(self.figures_page)
        self.summary = QLabel(self.figures_page)
        self.summary.setObjectName("figuresSummary")
        self.summary.setWordWrap(True)
        self.hour_chart = BarChart(self.tr("Orders per hour"), parent=self.figures_page)
        self.service_chart = BarChart(self.tr("Orders per service"), horizontal=True,
                                      parent=self.figures_page)
        self.handling_chart = BarChart(self.tr("Average handling time (minutes)"),
                                       horizontal=True, value_text=lambda v: f"{v:.1f}",
                                       parent=self.figures_page)
        grid.addWidget(self.summary, 0, 0, 1, 2)
        grid.addWidget(self.hour_chart, 1, 0, 1, 2)
        grid.addWidget(self.service_chart, 2, 0)
        grid.addWidget(self.handling_chart, 2, 1)
        grid.setRowStretch(1, 1)
        grid.setRowStretch(2, 1)
        self.tabs.addTab(self.figures_page, self.tr("Figures"))
        self.tabs.addTab(self.shifts, self.tr("Shifts"))
        self.tabs.addTab(self.follow_ups, self.tr("Follow-ups"))
        self.tabs.addTab(self.intakes, self.tr("Rejected requests"))
        self.tabs.addTab(self.voids, self.tr("Voids and refunds"))
        self.queue = QueueFiguresTab(runner, db, actor, self)  # waiting and handling times
        self.tabs.addTab(self.queue, self.tr("Queue"))
        self.revenue = RevenueTab(runner, db, actor, self)  # by payment method and per clerk
        self.tabs.addTab(self.revenue, self.tr("Revenue"))
        layout.addWidget(self.tabs, 1)
        self.error = error_label(self)
        layout.addWidget(self.error)
        self.load()

    def day(self) -> date:
        d = self.date_edit.date()
        return date(d.year(), d.month(), d.day())

    # -- loading ---------------------------------------------------------------------------------
    def load(self) -> None:
        show_error(self.error, "")
        db, actor, day = self.db, self.actor, self.day()
        self.signoff_button.setEnabled(False)
        self.corrections_button.setEnabled(False)
        self.queue.load(day)
        self.revenue.load(day)
        (QueryOp(self.runner, lambda ctx: (close_day(db, actor, day), day_figures(db, day)),
                 parent=self)
         .success(self._loaded).failure(self._failed).run_in_background())

    def _loaded(self, result: tuple[DayOverview, DayFigures]) -> None:
        overview, figures = result
        if overview.business_date != self.day():
            return  # the date changed while loading: a newer load is on its way
        self.overview, self.figures = overview, figures
        status = {"open": self.tr("open"), "closed": self.tr("closed"),
                  "approved": self.tr("approved")}
        _fill(self.shifts, [[r.counter_code, f"{r.staff_name}（{r.staff_no}）",
                             status.get(r.status, r.status), local_text(r.opened_at, self.zone),
                             local_text(r.closed_at, self.zone),
                             self.tr("%1 (%2 beyond tolerance)").replace("%1", str(r.differences))
                             .replace("%2", str(r.beyond_tolerance)) if r.differences else "",
                             r.approved_by or ""] for r in overview.shifts],
              {i for i, r in enumerate(overview.shifts) if r.status == "open"})
        _fill(self.follow_ups, [[local_text(f.due_at, self.zone, "%m-%d %H:%M"), f.order_no, f.name,
                                 f.owner, self.tr("overdue") if f.overdue else ""]
                                for f in overview.follow_ups],
              {i for i, f in enumerate(overview.follow_ups) if f.overdue})
        _fill(self.intakes, [[local_text(x.at, self.zone), x.clerk, x.service,
                              self.tr("rejected") if x.decision == "rejected"
                              else self.tr("incomplete"), x.reasons] for x in overview.intakes])
        _fill(self.voids, [[local_text(v.at, self.zone), self.tr("void") if v.kind == "void"
                            else self.tr("refund"), v.order_no, v.service, v.clerk,
                            yuan(v.amount_fen), v.reason] for v in overview.voids])
        self.tabs.setTabText(2, self.tr("Follow-ups (%1)").replace(
            "%1", str(len(overview.follow_ups))))
        self.tabs.setTabText(3, self.tr("Rejected requests (%1)").replace(
            "%1", str(len(overview.intakes))))
        self.tabs.setTabText(4, self.tr("Voids and refunds (%1)").replace(
            "%1", str(len(overview.voids))))
        self._show_figures(figures)
        signed = overview.signoff is not None
        if overview.signoff is not None:
            self._show_signed(overview.signoff, overview.corrections)
        else:
            self.status.setText(self.tr("Not signed off yet"))
        self.checklist.set_checklist(None if signed else overview.checklist)
        self.signoff_button.setEnabled(not overview.blockers)
        self.corrections_button.setEnabled(signed)

    def _show_signed(self, info: SignoffInfo, corrections: int = 0) -> None:
        signed = local_text(info.signed_at, self.zone, "%Y-%m-%d %H:%M")
        text = self.tr("Signed off by %1 at %2 (audit #%3)").replace(
            "%1", info.supervisor).replace("%2", signed).replace("%3", str(info.audit_seq))
        if corrections:
            text += self.tr(" · %1 corrections").replace("%1", str(corrections))
        self.status.setText(text)

    def _show_figures(self, f: DayFigures) -> None:
        hours = set(f.per_hour) | set(f.batch_per_hour)
        if hours:  # the hall's usual opening hours at least, so a quiet day reads as one
            span = range(min(OPEN_HOURS[0], *hours), max(OPEN_HOURS[1], *hours) + 1)
            self.hour_chart.set_data([(f"{h:02d}", f.per_hour.get(h, 0)) for h in span],
                                     [f.batch_per_hour.get(h, 0) for h in span],
                                     (self.tr("Counter"), self.tr("Batch channel")))
        else:
            self.hour_chart.set_data([])
        self.service_chart.set_data([(s.service_name, s.orders) for s in f.per_service[:10]])
        self.handling_chart.set_data([(h.service_name, h.avg_seconds / 60)
                                      for h in f.handling[:10]])
        n, avg, longest = f.handling_overall
        counter = sum(f.per_hour.values())
        self.summary.setText(
            self.tr("Counter orders: %1 · batch channel: %2 (%3 yuan) · handling time: "
                    "average %4 min, longest %5 min over %6 orders")
            .replace("%1", str(counter)).replace("%2", str(f.batch_orders))
            .replace("%3", yuan(f.batch_amount_fen)).replace("%4", f"{avg / 60:.1f}")
            .replace("%5", f"{longest / 60:.1f}").replace("%6", str(n)))

    def _failed(self, failure: OpFailure) -> None:
        show_error(self.error, failure_text(failure))

    # -- sign-off ----------------------------------------------------------------------------
    def confirm_signoff(self) -> None:
        """Ask first; the warnings of the checklist are listed, and "Yes" acknowledges them
        (the core refuses a warning it was not told was seen)."""
        warnings = self.overview.checklist.warnings if self.overview else []
        text = self.tr("Sign off %1? The day is then locked: later changes are recorded as "
                       "corrections.").replace("%1", self.day().isoformat())
        if warnings:
            text += "\n\n" + self.tr("By signing off you acknowledge:") + "\n" + "\n".join(
                f"• {pick(w.zh, w.en)}" for w in warnings)
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Sign off the day"), text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                          self)
        box.setObjectName("signoffConfirm")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        keys = [w.key for w in warnings]
        box.buttonClicked.connect(lambda b: self.sign_off(keys) if box.standardButton(b)
                                  == QMessageBox.StandardButton.Yes else None)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def sign_off(self, acknowledged: list[str] | None = None) -> None:
        db, actor, day = self.db, self.actor, self.day()
        seen = list(acknowledged or [])
        self.signoff_button.setEnabled(False)
        (CollectionOp(self.runner, lambda ctx: sign_off_day(db, actor, day, acknowledged=seen),
                      changes={"day"}, parent=self)
         .success(self._signed).failure(self._signoff_refused).run_in_background())

    def _signoff_refused(self, failure: OpFailure) -> None:
        self.load()  # the checklist as it is now (something may have changed meanwhile)
        show_error(self.error, failure_text(failure))

    def _signed(self, info: SignoffInfo) -> None:
        self._show_signed(info)
        self.load()

    # -- approving a difference, correcting a signed-off day -----------------------------------
    def approve_difference(self, shift_id: int) -> ApproveDifferenceDialog:
        dialog = ApproveDifferenceDialog(self.runner, self.db, self.actor, shift_id, self.zone,
                                         self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self.load)
        dialog.open()
        return dialog

    def open_corrections(self) -> CorrectionDialog:
        dialog = CorrectionDialog(self.runner, self.db, self.actor, self.day(), self.zone, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self.load())
        dialog.open()
        return dialog

    # -- the report ----------------------------------------------------------------------------
    def save_report(self) -> None:
        name = f"daily-report-{self.day().isoformat()}.pdf"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save daily report"), name,
                                              self.tr("PDF files (*.pdf)"))
        if path:
            self.write_report(Path(path))

    def write_report(self, path: Path) -> None:
        from app.printing import atomic_write, render_daily_report

        db, day = self.db, self.day()

        def job(ctx: object) -> Path:
            atomic_write(path, render_daily_report(build_daily_report(db, day)))
            return path

        (QueryOp(self.runner, job, parent=self).with_progress()
         .success(lambda p: self.status.setText(self.tr("Report saved: %1").replace(
             "%1", str(p))))
         .failure(self._failed).run_in_background())


    def preview_report(self) -> None:
        """The daily report in the program's preview, printed from there through Qt."""
        from app.printing import render_daily_report

        db, day = self.db, self.day()

        def job(ctx: object) -> bytes:
            return render_daily_report(build_daily_report(db, day))

        (QueryOp(self.runner, job, parent=self).with_progress()
         .success(lambda pdf: self._show_preview(pdf, day))
         .failure(self._failed).run_in_background())

    def _show_preview(self, pdf: bytes, day: date) -> None:
        from app.ui.devices.preview import PreviewDialog, PreviewPaper

        title = self.tr("Daily report {day}").format(day=day.isoformat())
        paper = PreviewPaper(title, pdf, "report", suggested_name=f"daily-report-{day}.pdf")
        dialog = PreviewDialog([paper], self, runner=self.runner)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()


def supervisor_day_view(parent: QWidget | None, runner: OpRunner, db: Database,
                        actor: Actor) -> SupervisorDayView:
    """Show the supervisor's day (non-modal). Clerks see the core's refusal in the view."""
    view = SupervisorDayView(runner, db, actor, parent)
    view.show()
    return view
