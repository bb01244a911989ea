"""The window a clerk works in all day: find the customer, see their lines, start a service.

Layout and wiring only. Searching, the customer's record and today's orders come from
`app.services.customers.queries` on the read pool; services run in the `ServiceWizard`, which calls the
same core as `counter process`. Supervisors get the day's listings from the menu (the core
checks their role again). Export, backups and the sync status live in `DataTools`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.ui.counter.customer_panel import CustomerPanel
from app.ui.counter.data_tools import DataTools
from app.ui.counter.launcher import ServiceLauncher
from app.ui.counter.queue_call import QueueCallPanel
from app.ui.counter.search import SearchPanel
from app.ui.counter.today import TodayOrders
from app.ui.counter.visit import Visit
from app.ui.counter.window_drafts import abandon_draft, offer_drafts, resume_draft
from app.ui.counter.window_menus import build_menu, retranslate_menus
from app.ui.devices.idcard_reader import IdCardData
from app.ui.kit import labels
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.operations import QueryOp
from app.ui.shell.context import AppContext

if TYPE_CHECKING:
    from app.services.customers.queries import CustomerDetail
    from app.services.day.shifts import ShiftInfo
    from app.services.orders.drafts import Draft
    from app.ui.counter.todo_entry import TodoEntry
    from app.ui.day.stock_menu import StockEntry
    from app.ui.shell.lock_screen import IdleLock
    from app.ui.supervisor.conflicts import SyncConflictsEntry
    from app.ui.supervisor.hall_menu import HallSettingsEntry
    from app.ui.supervisor.staff_menu import StaffActions
    from app.ui.wizard.wizard import ServiceWizard

logger = logging.getLogger(__name__)


class CounterWindow(QMainWindow):
    logout_requested = Signal()
    customer_loaded = Signal(object)
    # the menu bar (app/ui/counter/window_menus.py)
    menu_work: QMenu
    menu_supervisor: QMenu
    menu_data: QMenu
    menu_settings: QMenu
    act_new: QAction
    act_find: QAction
    act_lock: QAction
    act_logout: QAction
    act_open_shift: QAction
    act_close_shift: QAction
    act_day: QAction
    act_day_close: QAction
    act_complaints: QAction
    act_settings: QAction
    hall_settings: HallSettingsEntry
    sync_conflicts: SyncConflictsEntry
    staff: StaffActions
    stock: StockEntry
    todo: TodoEntry

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("counterWindow")
        self.ctx = ctx
        self.actor = ctx.require_actor()
        self.customer: CustomerDetail | None = None
        self.visit: Visit | None = None  # the customer served now, across their services
        self.card: IdCardData | None = None  # the last card read at the counter
        self.wizard: ServiceWizard | None = None
        self.resume_box: QMessageBox | None = None
        self.notice: QMessageBox | None = None
        self.supervisor_window: QWidget | None = None
        self.shift: ShiftInfo | None = None
        self.shift_dialog: QWidget | None = None
        self._closing_for_logout = False

        self.search = SearchPanel(ctx)
        self.panel = CustomerPanel(ctx.business_date, ctx=ctx)  # with the history beside
        self.today = TodayOrders(ctx)
        self.launcher = ServiceLauncher(ctx.catalog, self)
        self.launcher.setMinimumWidth(300)
        middle = QSplitter(Qt.Orientation.Vertical)
        middle.addWidget(self.panel)
        middle.addWidget(self.today)
        middle.setStretchFactor(0, 3)
        middle.setStretchFactor(1, 2)
        self.launcher_title = QLabel()
        self.launcher_title.setProperty("heading", True)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.queue = QueueCallPanel(ctx, self)  # 叫号 (F12)
        right_layout.addWidget(self.queue)
        right_layout.addWidget(self.launcher_title)
        right_layout.addWidget(self.launcher, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("counterSplitter")
        self.splitter.addWidget(self.search)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setSizes([300, 560, 420])
        host = QWidget()
        host_layout = QVBoxLayout(host)
        host_layout.setContentsMargins(10, 8, 10, 8)
        host_layout.addWidget(self.splitter)
        self.setCentralWidget(host)
        self.who = QLabel()
        self.shift_label = QLabel()
        self.shift_label.setObjectName("shiftState")
        self.shift_label.setContentsMargins(0, 0, 24, 0)
        self.statusBar().addPermanentWidget(self.shift_label)
        self.statusBar().addPermanentWidget(self.who)
        self.data = DataTools(ctx, self)  # after the permanent widgets: sync shows before them

        self.search.customer_chosen.connect(self.load_customer)
        self.launcher.service_requested.connect(self.start_service)
        self._build_menu()
        if ctx.reader is not None:
            ctx.reader.card_read.connect(self.card_read)
        ctx.runner.changes.changed.connect(self._changed)
        self.idle_lock = self._idle_lock()
        self.retranslate_ui()
        self.resize(1280, 800)
        ctx.settings.restore_geometry("counter_window", self)
        ctx.settings.restore_state("counter_splitter", self.splitter)
        self.today.refresh()
        self.search.box.setFocus()

    # -- menus ----------------------------------------------------------------------------------

    def _build_menu(self) -> None:
        build_menu(self)  # app/ui/counter/window_menus.py

    def retranslate_ui(self) -> None:
        hall = self.ctx.orders.hall_config().name
        self.setWindowTitle(self.tr("{hall} - counter {counter}").format(
            hall=hall, counter=self.actor.counter_code))
        retranslate_menus(self)
        self._show_shift()
        self.launcher_title.setText(self.tr("Services"))
        self.who.setText(self.tr("{name} ({staff_no}, {role}) at counter {counter}").format(
            name=self.actor.name, staff_no=self.actor.staff_no,
            role=labels.role_name(self.actor.role), counter=self.actor.counter_code))
        self.search.retranslate_ui()
        self.panel.show_customer(self.customer)
        self.today.retranslate_ui()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def focus_search(self) -> None:
        self.search.box.setFocus()
        self.search.box.selectAll()

    # -- the customer ---------------------------------------------------------------------------

    def card_read(self, card: IdCardData) -> None:
        """An ID card on the reader fills the search (unless a wizard is taking it)."""
        if self.wizard is not None and self.wizard.isVisible():
            return
        self.card = card
        self.search.search_for(card.id_number)

    def load_customer(self, customer_id: int) -> None:
        from app.services.customers.queries import customer_detail

        ctx = self.ctx

        def done(c: CustomerDetail | None) -> None:
            self.customer = c
            self.panel.show_customer(c)
            self._begin_visit(c)
            self.customer_loaded.emit(c)

        (QueryOp(ctx.runner, lambda _c: customer_detail(ctx.db, customer_id, ctx.pd))
         .success(done).failure(self._failed).run_in_background())

    def _begin_visit(self, c: CustomerDetail | None) -> None:
        """Another customer starts another visit; the same one (reloaded) keeps theirs."""
        if c is None or (self.visit is not None and self.visit.customer_id == c.customer_id):
            return
        visit = Visit(c.customer_id)
        visit.card, self.card = self.card, None
        typed = self.search.box.text().strip()
        visit.found_by(typed, c.id_type or "resident_id", c.id_number or "", c.name,
                       self.ctx.business_date())
        if typed and c.line(typed) is not None:  # found by the line's number: that line
            self.panel.select_line(typed)
        self.visit = visit

    def next_customer(self) -> None:
        """完成，接待下一位: nothing of the visit stays, on screen or in memory, so no key
        opens anything for the customer who left."""
        self.visit, self.card, self.customer = None, None, None
        self.panel.show_customer(None)
        self.search.clear()
        self.today.clear_selection()
        self.focus_search()

    def _changed(self, changes: frozenset[str]) -> None:
        if self.customer is not None and changes & {"line", "customer", "order"}:
            self.load_customer(self.customer.customer_id)

    def _failed(self, failure: OpFailure) -> None:
        self.statusBar().showMessage(failure.message, 10_000)

    # -- services -------------------------------------------------------------------------------

    def start_service(self, code: str | None) -> ServiceWizard | None:
        """Open the wizard for a service (or to choose one) for the customer shown."""
        if self.wizard is not None and self.wizard.isVisible():
            self.wizard.raise_()
            self.wizard.activateWindow()
            return self.wizard
        svc = self.ctx.catalog.services.get(code or "")
        if svc is not None and svc.needs_line and self.customer is None:
            self._tell(self.tr("Find the customer first"), self.tr(
                "{service} is for an existing line: find the customer (F1) first.").format(
                service=labels.text(svc.name)))
            return None
        from app.ui.wizard.wizard import ServiceWizard

        customer = self.customer  # a new line may still be for the customer shown
        visit = self.visit if customer is not None and self.visit is not None and \
            self.visit.customer_id == customer.customer_id else None
        wizard = ServiceWizard(self.ctx, service=code, customer=customer, visit=visit,
                               parent=self)
        if self.panel.selected_line and customer is not None:
            wizard.controller.select_line(self.panel.selected_line)
        person = self.panel.chosen_agent  # a unit's contact picked in its history as 经办人
        if person is not None and customer is not None:
            wizard.controller.state.presenter_role = "agent"
            wizard.controller.state.presenter_name = person.name
        self._open_wizard(wizard, None)
        return wizard

    def _open_wizard(self, wizard: ServiceWizard, page: str | None) -> None:
        self.wizard = wizard
        wizard.setWindowModality(Qt.WindowModality.WindowModal)
        wizard.finished_visit.connect(self._visit_over)
        wizard.accepted.connect(self.queue.visit_served)  # "Finish: next customer"
        wizard.first_requested.connect(lambda code: self._first(wizard, code))
        wizard.then_requested.connect(self._then)
        wizard.same_customer.connect(self.panel.setFocus)
        wizard.start(page)

    def _visit_over(self) -> None:
        wizard, self.wizard = self.wizard, None
        if wizard is not None:
            wizard.deleteLater()
        self.today.refresh()
        if wizard is None or not wizard.keep_visit:
            self.next_customer()

    def _first(self, wizard: ServiceWizard, code: str) -> None:
        """A blocker's way out (解挂 before 补卡): that service now, the refused one after."""
        if self.visit is not None:
            self.visit.then = wizard.controller.state.service
        QTimer.singleShot(0, lambda: self.start_service(code))

    def _then(self, code: str) -> None:
        """Back to the service that waited, on the line as the first one left it."""
        from app.services.customers.queries import customer_detail

        if self.visit is not None:
            self.visit.then = None
        if self.customer is None:
            return
        ctx, cid = self.ctx, self.customer.customer_id

        def done(c: CustomerDetail | None) -> None:
            self.customer = c
            self.panel.show_customer(c)
            if c is not None:
                self.start_service(code)

        (QueryOp(ctx.runner, lambda _c: customer_detail(ctx.db, cid, ctx.pd))
         .success(done).failure(self._failed).run_in_background())

    def _tell(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, title, text,
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("noticeBox")
        self.notice = box
        box.open()

    # -- the shift ------------------------------------------------------------------------------

    def after_login(self) -> None:
        """Check the shift at this counter (opening it if needed), then offer any draft."""
        self.check_shift(offer=True)

    def check_shift(self, offer: bool = False) -> None:
        try:
            from app.services.day.shifts import current_shift
        except ImportError:  # no shift management in this build
            if offer:
                self.offer_drafts()
            return
        ctx, actor = self.ctx, self.actor

        def done(info: ShiftInfo | None) -> None:
            self.shift = info
            self._show_shift()
            if not self.isVisible():
                return  # the window closed (logged out) before the answer came: offer nothing
            mine = info is not None and info.staff_no == actor.staff_no
            if offer and not mine:
                self.open_shift(then_offer=True)
            elif offer:
                self.offer_drafts()

        (QueryOp(ctx.runner, lambda _c: current_shift(ctx.db, actor))
         .success(done).failure(self._failed).run_in_background())

    def _show_shift(self) -> None:
        info = self.shift
        if info is None:
            self.shift_label.setText(self.tr("No shift open"))
            self.shift_label.setStyleSheet("color: #c62828; font-weight: bold;")
        else:
            self.shift_label.setText(self.tr("Shift open: {name}, {day}").format(
                name=info.staff_name, day=info.business_date.isoformat()))
            self.shift_label.setStyleSheet("")

    def open_shift(self, then_offer: bool = False) -> None:
        try:
            from app.ui.day import open_shift_dialog
        except ImportError:
            return
        dialog = open_shift_dialog(self, self.ctx.runner, self.ctx.db, self.actor)
        self.shift_dialog = dialog
        dialog.finished.connect(lambda _r: self.check_shift())
        if then_offer:
            dialog.finished.connect(lambda _r: self.offer_drafts())

    def close_shift(self) -> None:
        try:
            from app.ui.day import close_shift_dialog
        except ImportError:
            return
        dialog = close_shift_dialog(self, self.ctx.runner, self.ctx.db, self.actor)
        self.shift_dialog = dialog
        dialog.finished.connect(lambda _r: self.check_shift())

    def _day_view(self, name: str) -> None:
        try:
            from app.ui import day
        except ImportError:
            return
        getattr(day, name)(self, self.ctx.runner, self.ctx.db, self.actor)

    # -- drafts left at this counter (app/ui/counter/window_drafts.py) ------------------------

    def offer_drafts(self) -> None:
        """After log-in: offer to resume a request left half-done at this counter."""
        offer_drafts(self)

    def resume_draft(self, draft: Draft) -> None:
        resume_draft(self, draft)

    def abandon_draft(self, draft: Draft) -> None:
        abandon_draft(self, draft)

    # -- supervisor, settings, lock -------------------------------------------------------------

    def open_supervisor(self) -> QWidget:
        from app.ui.supervisor.window import SupervisorWindow

        if self.supervisor_window is None:
            self.supervisor_window = SupervisorWindow(self.ctx, self)
        self.supervisor_window.show()
        self.supervisor_window.raise_()
        return self.supervisor_window

    def open_settings(self) -> None:
        from app.ui.settings.dialog import SettingsDialog

        dialog = SettingsDialog(self.ctx.settings, self)
        dialog.accepted.connect(self._settings_changed)
        dialog.open()

    def _settings_changed(self) -> None:
        self.data.setup_sync()
        if self.idle_lock is not None:
            self.idle_lock.watcher.set_timeout_minutes(self.idle_minutes())

    def idle_minutes(self) -> int:
        """The clerk's own idle time, but never longer than the hall's `idle_lock_minutes`: a
        clerk may lock sooner, not outrun the hall's policy."""
        from app.core.config import ConfigError
        from app.services.orders.service import OrderError
        from app.services.staff.auth import IDLE_LOCK_MINUTES

        try:
            hall_minutes = self.ctx.orders.hall_config().idle_lock_minutes  # read once, cached
        except (OrderError, ConfigError):  # no hall, or a bad setting: the core's default
            logger.exception("the hall's idle_lock_minutes cannot be read")
            hall_minutes = IDLE_LOCK_MINUTES
        return min(self.ctx.settings.idle_lock_minutes, hall_minutes)

    def _idle_lock(self) -> IdleLock | None:
        try:
            from app.services.staff.session_lock import IdleLockPolicy, SessionLock
            from app.ui.shell.lock_screen import IdleLock
        except ImportError:  # the lock screen is not part of this build
            return None
        minutes = self.idle_minutes()
        lock = SessionLock(self.ctx.db, self.actor, IdleLockPolicy(minutes))
        idle = IdleLock(lock, self, self.ctx.runner, timeout_ms=minutes * 60_000)
        idle.start()
        return idle

    def lock_now(self) -> None:
        if self.idle_lock is not None:
            self.idle_lock.lock_now()

    # -- closing --------------------------------------------------------------------------------

    def close_for_logout(self) -> None:
        self._closing_for_logout = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.ctx.settings.save_geometry("counter_window", self)
        self.ctx.settings.save_state("counter_splitter", self.splitter)
        if self.idle_lock is not None:
            self.idle_lock.stop()
        self.data.stop()
        if self.supervisor_window is not None:
            self.supervisor_window.close()
        if self.shift_dialog is not None and self.shift_dialog.isVisible():
            self.shift_dialog.close()  # its own window: it would stay on screen, modal
        self.staff.close()
        super().closeEvent(event)
