"""The counter window's menu bar: building it and its texts (moved out of `window.py`).

The texts keep the window's translation context ("CounterWindow"), so the catalogues that
translate them stay valid.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence

from app.security import Permission, has_permission

if TYPE_CHECKING:
    from app.ui.counter.window import CounterWindow


def build_menu(w: CounterWindow) -> None:
    bar = w.menuBar()
    w.menu_work = bar.addMenu("")
    w.act_new = QAction(w)
    w.act_new.setShortcut(QKeySequence("Ctrl+N"))
    w.act_new.triggered.connect(lambda: w.start_service(None))
    w.act_find = QAction(w)
    w.act_find.setShortcut(QKeySequence("F1"))
    w.act_find.triggered.connect(w.focus_search)
    w.act_lock = QAction(w)
    w.act_lock.setShortcut(QKeySequence("Ctrl+L"))
    w.act_lock.triggered.connect(w.lock_now)
    w.act_logout = QAction(w)
    w.act_logout.triggered.connect(w.logout_requested)
    w.act_open_shift = QAction(w)
    w.act_open_shift.triggered.connect(w.open_shift)
    w.act_close_shift = QAction(w)
    w.act_close_shift.triggered.connect(w.close_shift)
    for act in (w.act_new, w.act_find, None, w.act_open_shift,
                w.act_close_shift, None, w.act_lock, w.act_logout):
        if act is None:
            w.menu_work.addSeparator()
        else:
            w.menu_work.addAction(act)
    w.menu_supervisor = bar.addMenu("")
    w.act_day = QAction(w)
    w.act_day.triggered.connect(w.open_supervisor)
    w.act_day_close = QAction(w)
    w.act_day_close.triggered.connect(lambda: w._day_view("supervisor_day_view"))
    w.act_complaints = QAction(w)
    w.act_complaints.triggered.connect(lambda: w._day_view("complaint_register_view"))
    for act in (w.act_day, w.act_day_close, w.act_complaints):
        w.menu_supervisor.addAction(act)
    from app.ui.supervisor.hall_menu import HallSettingsEntry

    w.hall_settings = HallSettingsEntry(w, w.menu_supervisor)
    from app.ui.supervisor.conflicts import SyncConflictsEntry  # the hall's line conflicts

    w.sync_conflicts = SyncConflictsEntry(w, w.menu_supervisor)
    allowed = has_permission(w.actor.role, Permission.DAY_SIGNOFF)
    w.menu_supervisor.menuAction().setVisible(allowed)
    w.menu_data = bar.addMenu("")
    w.data.fill_menu(w.menu_data)
    w.menu_settings = bar.addMenu("")
    w.act_settings = QAction(w)
    w.act_settings.triggered.connect(w.open_settings)
    w.menu_settings.addAction(w.act_settings)
    from app.ui.supervisor.staff_menu import StaffActions  # my password; staff accounts

    w.staff = StaffActions(w, w.ctx, w.menu_work, w.menu_settings)
    from app.ui.day.stock_menu import StockEntry  # on hand, receipts, transfers

    w.stock = StockEntry(w, w.menu_work)
    from app.ui.counter.todo_entry import TodoEntry  # 我的待办 (Ctrl+T), status bar count

    w.todo = TodoEntry(w, w.menu_work, w.menu_supervisor)


def retranslate_menus(w: CounterWindow) -> None:
    w.menu_work.setTitle(QCoreApplication.translate("CounterWindow", "&Work"))
    w.act_new.setText(QCoreApplication.translate("CounterWindow", "New service..."))
    w.act_find.setText(QCoreApplication.translate("CounterWindow", "Find customer"))
    w.act_lock.setText(QCoreApplication.translate("CounterWindow", "Lock screen"))
    w.act_logout.setText(QCoreApplication.translate("CounterWindow", "Log out"))
    w.act_open_shift.setText(QCoreApplication.translate("CounterWindow", "Open shift..."))
    w.act_close_shift.setText(QCoreApplication.translate("CounterWindow", "Close shift..."))
    w.menu_supervisor.setTitle(QCoreApplication.translate("CounterWindow", "&Supervisor"))
    w.act_day.setText(QCoreApplication.translate(
        "CounterWindow", "Day's orders, intake log and follow-ups"))
    w.act_day_close.setText(QCoreApplication.translate(
        "CounterWindow", "The hall's day and sign-off..."))
    w.act_complaints.setText(QCoreApplication.translate(
        "CounterWindow", "Complaint register..."))
    w.menu_data.setTitle(QCoreApplication.translate("CounterWindow", "&Data"))
    w.data.retranslate_ui()
    w.menu_settings.setTitle(QCoreApplication.translate("CounterWindow", "S&ettings"))
    w.act_settings.setText(QCoreApplication.translate(
        "CounterWindow", "Language, printers, idle lock, sync..."))
    w.staff.retranslate_ui()
