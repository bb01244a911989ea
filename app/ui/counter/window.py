"""The window a clerk works in all day: find the customer, see their lines, start a service.

Layout and wiring only. Searching, the customer's record and today's orders come from
`app.services.customers.queries` on the read pool; services run in the `ServiceWizard`, which calls the
same core as `counter process`. Supervisors get the day's listings from the menu (the core
checks their role again). Export, backups and the sync status live in `DataTools`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.security import Permission, has_permission
from app.ui.counter.customer_panel import CustomerPanel
from app.ui.counter.data_tools import DataTools
from app.ui.counter.launcher import ServiceLauncher
from app.ui.counter.search import SearchPanel
from app.ui.counter.today import TodayOrders
from app.ui.devices.idcard_reader import IdCardData
from app.ui.kit import labels
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.operations import QueryOp
from app.ui.shell.context import AppContext

if TYPE_CHECKING:
    from app.services.customers.queries import CustomerDetail
    from app.services.day.shifts import ShiftInfo
    from app.services.orders.drafts import Draft
    from app.ui.shell.lock_screen import IdleLock
    from app.ui.wizard.wizard import ServiceWizard

logger = logging.getLogger(__name__)


class CounterWindow(QMainWindow):
    logout_requested = Signal()
    customer_loaded = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("counterWindow")
        self.ctx = ctx
        self.actor = ctx.require_actor()
        self.customer: CustomerDetail | None = None
        self.wizard: ServiceWizard | None = None
        self.resume_box: QMessageBox | None = None
        self.notice: QMessageBox | None = None
        self.supervisor_window: QWidget | None = None
        self.shift: ShiftInfo | None = None
        self.shift_dialog: QWidget | None = None
        self._closing_for_logout = False

        self.search = SearchPanel(ctx)
        self.panel = CustomerPanel(ctx.business_date)
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
        bar = self.menuBar()
        self.menu_work = bar.addMenu("")
        self.act_new = QAction(self)
        self.act_new.setShortcut(QKeySequence("Ctrl+N"))
        self.act_new.triggered.connect(lambda: self.start_service(None))
        self.act_find = QAction(self)
        self.act_find.setShortcut(QKeySequence("F1"))
        self.act_find.triggered.connect(self.focus_search)
        self.act_lock = QAction(self)
        self.act_lock.setShortcut(QKeySequence("Ctrl+L"))
        self.act_lock.triggered.connect(self.lock_now)
        self.act_logout = QAction(self)
        self.act_logout.triggered.connect(self.logout_requested)
        self.act_open_shift = QAction(self)
        self.act_open_shift.triggered.connect(self.open_shift)
        self.act_close_shift = QAction(self)
        self.act_close_shift.triggered.connect(self.close_shift)
        for act in (self.act_new, self.act_find, None, self.act_open_shift,
                    self.act_close_shift, None, self.act_lock, self.act_logout):
            if act is None:
                self.menu_work.addSeparator()
            else:
                self.menu_work.addAction(act)
        self.menu_supervisor = bar.addMenu("")
        self.act_day = QAction(self)
        self.act_day.triggered.connect(self.open_supervisor)
        self.act_day_close = QAction(self)
        self.act_day_close.triggered.connect(lambda: self._day_view("supervisor_day_view"))
        self.act_complaints = QAction(self)
        self.act_complaints.triggered.connect(lambda: self._day_view("complaint_register_view"))
        for act in (self.act_day, self.act_day_close, self.act_complaints):
            self.menu_supervisor.addAction(act)
        allowed = has_permission(self.actor.role, Permission.DAY_SIGNOFF)
        self.menu_supervisor.menuAction().setVisible(allowed)
        self.menu_data = bar.addMenu("")
        self.data.fill_menu(self.menu_data)
        self.menu_settings = bar.addMenu("")
        self.act_settings = QAction(self)
        self.act_settings.triggered.connect(self.open_settings)
        self.menu_settings.addAction(self.act_settings)

    def retranslate_ui(self) -> None:
        hall = self.ctx.orders.hall_config().name
        self.setWindowTitle(self.tr("{hall} - counter {counter}").format(
            hall=hall, counter=self.actor.counter_code))
        self.menu_work.setTitle(self.tr("&Work"))
        self.act_new.setText(self.tr("New service..."))
        self.act_find.setText(self.tr("Find customer"))
        self.act_lock.setText(self.tr("Lock screen"))
        self.act_logout.setText(self.tr("Log out"))
        self.act_open_shift.setText(self.tr("Open shift..."))
        self.act_close_shift.setText(self.tr("Close shift..."))
        self.menu_supervisor.setTitle(self.tr("&Supervisor"))
        self.act_day.setText(self.tr("Day's orders, intake log and follow-ups"))
        self.act_day_close.setText(self.tr("The hall's day and sign-off..."))
        self.act_complaints.setText(self.tr("Complaint register..."))
        self._show_shift()
        self.menu_data.setTitle(self.tr("&Data"))
        self.data.retranslate_ui()
        self.menu_settings.setTitle(self.tr("S&ettings"))
        self.act_settings.setText(self.tr("Language, printers, idle lock, sync..."))
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
        self.search.search_for(card.id_number)

    def load_customer(self, customer_id: int) -> None:
        from app.services.customers.queries import customer_detail

        ctx = self.ctx

        def done(c: CustomerDetail | None) -> None:
            self.customer = c
            self.panel.show_customer(c)
            self.customer_loaded.emit(c)

        (QueryOp(ctx.runner, lambda _c: customer_detail(ctx.db, customer_id, ctx.pd))
         .success(done).failure(self._failed).run_in_background())

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
        wizard = ServiceWizard(self.ctx, service=code, customer=customer, parent=self)
        if self.panel.selected_line and customer is not None:
            wizard.controller.select_line(self.panel.selected_line)
        self._open_wizard(wizard, None)
        return wizard

    def _open_wizard(self, wizard: ServiceWizard, page: str | None) -> None:
        self.wizard = wizard
        wizard.setWindowModality(Qt.WindowModality.WindowModal)
        wizard.finished_visit.connect(self._visit_over)
        wizard.start(page)

    def _visit_over(self) -> None:
        wizard, self.wizard = self.wizard, None
        if wizard is not None:
            wizard.deleteLater()
        self.today.refresh()
        self.search.box.clear()
        self.focus_search()

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

    # -- drafts left at this counter ------------------------------------------------------------

    def offer_drafts(self) -> None:
        """After log-in: offer to resume a request left half-done at this counter."""
        from app.services.orders.drafts import drafts_at_counter

        ctx, counter = self.ctx, self.actor.counter_id
        (QueryOp(ctx.runner, lambda _c: drafts_at_counter(ctx.db, counter, ctx.pd))
         .success(self._drafts_found).failure(self._failed).run_in_background())

    def _drafts_found(self, drafts: list[Draft]) -> None:
        if not drafts:
            return
        draft = drafts[0]
        s = draft.state
        service = labels.service_name(self.ctx.catalog, str(s.get("service", "")))
        who = s.get("customer_name") or s.get("unit_name") or self.tr("a new customer")
        when = labels.local_time(draft.updated_at, self.ctx.timezone, "%Y-%m-%d %H:%M")
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Unfinished request"), self.tr(
            "A request was left unfinished at this counter: {service} for {who}, by {clerk} at "
            "{when}. Resume it?").format(service=service, who=who, clerk=draft.staff_name,
                                         when=when), QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("resumeBox")
        resume = box.addButton(self.tr("Resume"), QMessageBox.ButtonRole.AcceptRole)
        resume.setObjectName("resumeButton")
        drop = box.addButton(self.tr("Customer gave up"), QMessageBox.ButtonRole.DestructiveRole)
        drop.setObjectName("abandonDraftButton")
        later = box.addButton(self.tr("Later"), QMessageBox.ButtonRole.RejectRole)
        later.setObjectName("laterButton")
        box.setDefaultButton(resume)
        self.resume_box = box

        def answered() -> None:
            clicked = box.clickedButton()
            if clicked is resume:
                self.resume_draft(draft)
            elif clicked is drop:
                self.abandon_draft(draft)

        box.finished.connect(lambda _r: answered())
        box.open()

    def resume_draft(self, draft: Draft) -> None:
        from app.services.customers.queries import customer_detail
        from app.ui.wizard.state import VisitState
        from app.ui.wizard.wizard import ServiceWizard

        ctx = self.ctx
        state = VisitState.from_dict(draft.state)

        def done(c: CustomerDetail | None) -> None:
            if c is not None:
                self.customer = c
                self.panel.show_customer(c)
            wizard = ServiceWizard(ctx, customer=c, state=state, draft_id=draft.id, parent=self)
            if c is not None:
                wizard.controller.customer = c
                wizard.controller.select_line(state.line_number)
            self._open_wizard(wizard, draft.page)

        cid = state.customer_id
        (QueryOp(ctx.runner, lambda _c: customer_detail(ctx.db, cid, ctx.pd) if cid else None)
         .success(done).failure(self._failed).run_in_background())

    def abandon_draft(self, draft: Draft) -> None:
        from app.ui.wizard.controller import VisitController
        from app.ui.wizard.state import VisitState

        controller = VisitController(self.ctx, VisitState.from_dict(draft.state),
                                     draft_id=draft.id, parent=self)
        controller.abandoned.connect(controller.deleteLater)
        controller.abandoned.connect(self.today.refresh)
        controller.abandon()

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
        super().closeEvent(event)
