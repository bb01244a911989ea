"""The counter window's entries for staff: "Change my password..." (Work menu, everyone) and
"Staff accounts..." (Settings menu, shown to whoever holds `staff.admin`; the core checks
again on every change)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from app.security import Permission, has_permission

if TYPE_CHECKING:
    from app.ui.shell.context import AppContext
    from app.ui.supervisor.staff_password import ChangePasswordDialog
    from app.ui.supervisor.staff_window import StaffWindow


class StaffActions(QObject):
    def __init__(self, window: QWidget, ctx: AppContext, work: QMenu, settings: QMenu) -> None:
        super().__init__(window)
        self.window, self.ctx = window, ctx
        self.staff_window: StaffWindow | None = None
        self.password_dialog: ChangePasswordDialog | None = None
        self.act_password = QAction(window)
        self.act_password.setObjectName("changeMyPassword")
        self.act_password.triggered.connect(self.change_password)
        self.act_staff = QAction(window)
        self.act_staff.setObjectName("openStaffAccounts")
        self.act_staff.triggered.connect(self.open_staff)
        self.act_staff.setVisible(has_permission(ctx.require_actor().role,
                                                 Permission.STAFF_ADMIN))
        # With the lock and log-out actions: after the Work menu's last separator.
        actions = work.actions()
        last = max((i for i, a in enumerate(actions) if a.isSeparator()), default=-1)
        if 0 <= last < len(actions) - 1:
            work.insertAction(actions[last + 1], self.act_password)
        else:
            work.addAction(self.act_password)
        settings.addAction(self.act_staff)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.act_password.setText(self.tr("Change my password..."))
        self.act_staff.setText(self.tr("Staff accounts..."))

    def change_password(self) -> ChangePasswordDialog:
        from app.ui.supervisor.staff_password import ChangePasswordDialog

        dialog = ChangePasswordDialog(self.ctx.db, self.ctx.runner, self.ctx.require_actor(),
                                      parent=self.window)
        self.password_dialog = dialog
        dialog.open()
        return dialog

    def open_staff(self) -> StaffWindow:
        from app.ui.supervisor.staff_window import StaffWindow

        if self.staff_window is None:
            self.staff_window = StaffWindow(self.ctx, self.window)
        else:
            self.staff_window.reload()
        self.staff_window.show()
        self.staff_window.raise_()
        return self.staff_window

    def close(self) -> None:
        if self.staff_window is not None:
            self.staff_window.close()
