"""The staff screen (for whoever holds `staff.admin`: the hall manager, the system
administrator): every account with its role and state, and the changes an administrator makes.

Each change runs on a worker through `app.services.staff.accounts`, which checks the role, the
password policy and the two-person rule again in the core and audits the change. When the core
answers that a second supervisor must confirm, their dialog opens and the same change is sent
again with their credentials. Keyboard: the table has the focus, each button has its
Alt-letter, Enter on a row resets nothing (changes are always a deliberate button).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.kit import labels
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.operations import CollectionOp, QueryOp
from app.ui.kit.theme import set_role
from app.ui.shell.context import AppContext
from app.ui.supervisor.staff_dialogs import (
    AddStaffForm,
    NewPasswordForm,
    ReasonForm,
    RoleForm,
    SecondPersonForm,
    StaffForm,
)

if TYPE_CHECKING:
    from app.services.staff.accounts import SecondPerson, StaffInfo

Change = Callable[["SecondPerson | None"], "StaffInfo"]
Done = Callable[["StaffInfo"], str]

COLUMNS = 6
RED, GREY = QColor("#c62828"), QColor("#757575")


class StaffWindow(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("staffWindow")
        self.ctx = ctx
        self.actor = ctx.require_actor()
        self.rows: list[StaffInfo] = []
        self.form: StaffForm | None = None  # the form open now (tests look at it)
        self._busy = False
        self.setWindowTitle(self.tr("Staff accounts"))
        heading = QLabel(self.tr("Staff accounts"))
        heading.setProperty("heading", True)
        hint = QLabel(self.tr("Every change is recorded with your name. Rights beyond a "
                              "clerk's need a second supervisor. A password you set must be "
                              "changed by its owner at the next log-in."))
        hint.setProperty("hint", True)
        hint.setWordWrap(True)
        self.table = QTableWidget(0, COLUMNS)
        self.table.setObjectName("staffTable")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setHorizontalHeaderLabels([
            self.tr("Staff no."), self.tr("Name"), self.tr("Role"), self.tr("Active"),
            self.tr("Locked"), self.tr("Must change password")])
        self.add_button = self._button("addStaff", self.tr("&Add..."), self.add)
        self.reset_button = self._button("resetPassword", self.tr("Reset &password..."),
                                         self.reset_password)
        self.unlock_button = self._button("unlockStaff", self.tr("&Unlock"), self.unlock)
        self.role_button = self._button("setRole", self.tr("Set &role..."), self.set_role)
        self.deactivate_button = self._button("deactivateStaff", self.tr("&Deactivate..."),
                                              self.deactivate)
        self.reactivate_button = self._button("reactivateStaff", self.tr("Reac&tivate..."),
                                              self.reactivate)
        self.refresh_button = self._button("refreshStaff", self.tr("Re&fresh"), self.reload)
        self.close_button = self._button("closeStaff", self.tr("Close"), self.close)
        set_role(self.add_button, "primary")
        set_role(self.deactivate_button, "danger")
        side = QVBoxLayout()
        for button in (self.add_button, self.reset_button, self.unlock_button, self.role_button,
                       self.deactivate_button, self.reactivate_button):
            side.addWidget(button)
        side.addStretch(1)
        side.addWidget(self.refresh_button)
        side.addWidget(self.close_button)
        self.status = QLabel()
        self.status.setObjectName("staffStatus")
        self.status.setWordWrap(True)
        body = QHBoxLayout()
        body.addWidget(self.table, 1)
        body.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addLayout(body, 1)
        layout.addWidget(self.status)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.reload)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.resize(980, 560)
        ctx.settings.restore_geometry("staff_window", self)
        self._update_buttons()
        self.table.setFocus()
        self.reload()

    def _button(self, name: str, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)  # Enter in the table must not fire a change
        button.clicked.connect(slot)
        return button

    # -- the list ---------------------------------------------------------------------------------

    def reload(self) -> None:
        from app.services.staff.accounts import list_staff

        ctx, actor = self.ctx, self.actor
        (QueryOp(ctx.runner, lambda _c: list_staff(ctx.db, actor)).success(self._show)
         .failure(lambda f: self.show_status(f.message, error=True)).run_in_background())

    def _show(self, rows: list[StaffInfo]) -> None:
        chosen = self.current()
        self.rows = rows
        now = self.ctx.now()
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            locked = r.locked(now) and r.locked_until is not None
            values = [
                r.staff_no, r.name, labels.role_name(r.role),
                self.tr("Active") if r.active else self.tr("Inactive"),
                self.tr("Locked until {time}").format(time=labels.local_time(
                    r.locked_until, self.ctx.timezone)) if locked and r.locked_until else "",
                self.tr("Yes") if r.must_change_password else ""]
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if not r.active:
                    item.setForeground(GREY)
                elif col == 4 and locked:
                    item.setForeground(RED)
                self.table.setItem(i, col, item)
        row = next((i for i, r in enumerate(rows) if chosen and r.staff_no == chosen.staff_no), 0)
        if rows:
            self.table.selectRow(row)
        self._update_buttons()

    def current(self) -> StaffInfo | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def select(self, staff_no: str) -> None:
        for i, r in enumerate(self.rows):
            if r.staff_no == staff_no:
                self.table.selectRow(i)
                return

    def _update_buttons(self) -> None:
        r = self.current()
        mine = r is not None and r.staff_no == self.actor.staff_no
        usable = r is not None and not self._busy and not mine
        active = r is not None and r.active
        self.add_button.setEnabled(not self._busy)
        self.reset_button.setEnabled(usable and active)
        self.unlock_button.setEnabled(usable and r is not None
                                      and r.locked(self.ctx.now()))
        self.role_button.setEnabled(usable and active)
        self.deactivate_button.setEnabled(usable and active)
        self.reactivate_button.setEnabled(usable and not active)

    def show_status(self, text: str, *, error: bool = False) -> None:
        self.status.setStyleSheet("color: #c62828; font-weight: bold;" if error else "")
        self.status.setText(text)

    # -- the changes ------------------------------------------------------------------------------

    def add(self) -> None:
        form = AddStaffForm(self)
        self._open(form, lambda: self._add(form))

    def _add(self, form: AddStaffForm) -> None:
        from app.services.staff.accounts import create_staff

        db, actor = self.ctx.db, self.actor
        no, name, role, password = (form.staff_no.text(), form.name.text(),
                                    form.role.currentData(), form.password.text())
        self._run(form, lambda second: create_staff(db, actor, no, name, role, password,
                                                    second=second),
                  lambda info: self.tr("{staff_no} {name} added. Their first password must be "
                                       "changed at the first log-in.").format(
                      staff_no=info.staff_no, name=info.name))

    def reset_password(self) -> None:
        r = self.current()
        if r is None:
            return
        form = NewPasswordForm(self)
        form.setObjectName("resetPasswordDialog")
        form.texts(self.tr("Reset password"), self.tr("New password for {staff_no} {name}")
                   .format(staff_no=r.staff_no, name=r.name), self.tr("Reset password"))
        self._open(form, lambda: self._password(form, r.staff_no, reactivate=False))

    def reactivate(self) -> None:
        r = self.current()
        if r is None:
            return
        form = NewPasswordForm(self)
        form.setObjectName("reactivateDialog")
        form.texts(self.tr("Reactivate an account"), self.tr("Open {staff_no} {name} again "
                                                             "with a new password")
                   .format(staff_no=r.staff_no, name=r.name), self.tr("Reactivate"))
        self._open(form, lambda: self._password(form, r.staff_no, reactivate=True))

    def _password(self, form: NewPasswordForm, staff_no: str, *, reactivate: bool) -> None:
        from app.services.staff import accounts

        db, actor, password = self.ctx.db, self.actor, form.password.text()
        call = accounts.reactivate if reactivate else accounts.reset_password
        done = (self.tr("{staff_no} is active again; the new password must be changed at the "
                        "next log-in.") if reactivate else
                self.tr("Password of {staff_no} reset; it must be changed at the next log-in."))
        self._run(form, lambda second: call(db, actor, staff_no, password, second=second),
                  lambda info: done.format(staff_no=info.staff_no))

    def unlock(self) -> None:
        from app.services.staff.accounts import unlock_account

        r = self.current()
        if r is None:
            return
        db, actor = self.ctx.db, self.actor
        self._run(None, lambda _second: unlock_account(db, actor, r.staff_no),
                  lambda info: self.tr("{staff_no} is unlocked.").format(staff_no=info.staff_no))

    def deactivate(self) -> None:
        r = self.current()
        if r is None:
            return
        form = ReasonForm(r.staff_no, r.name, self)
        self._open(form, lambda: self._deactivate(form, r.staff_no))

    def _deactivate(self, form: ReasonForm, staff_no: str) -> None:
        from app.services.staff.accounts import deactivate

        db, actor, reason = self.ctx.db, self.actor, form.reason.text()
        self._run(form, lambda _second: deactivate(db, actor, staff_no, reason),
                  lambda info: self.tr("{staff_no} is deactivated.").format(
                      staff_no=info.staff_no))

    def set_role(self) -> None:
        r = self.current()
        if r is None:
            return
        form = RoleForm(r.staff_no, r.name, r.role, self)
        self._open(form, lambda: self._set_role(form, r.staff_no))

    def _set_role(self, form: RoleForm, staff_no: str) -> None:
        from app.services.staff.accounts import change_role

        db, actor, role = self.ctx.db, self.actor, str(form.role.currentData())
        self._run(form, lambda second: change_role(db, actor, staff_no, role, second=second),
                  lambda info: self.tr("{staff_no} is now: {role}.").format(
                      staff_no=info.staff_no, role=labels.role_name(info.role)))

    # -- running a change -------------------------------------------------------------------------

    def _open(self, form: StaffForm, submit: Callable[[], None]) -> None:
        self.form = form
        form.submitted.connect(submit)
        form.open()

    def _run(self, form: StaffForm | None, change: Change, done: Done,
             second: SecondPerson | None = None) -> None:
        """Run `change` on a worker; `form` (if any) shows a refusal and closes on success."""
        self._set_busy(True, form)
        (CollectionOp(self.ctx.runner, lambda _c: change(second), changes={"staff"})
         .success(lambda info: self._done(form, info, done))
         .failure(lambda f: self._failed(form, f, change, done))
         .run_in_background())

    def _done(self, form: StaffForm | None, info: StaffInfo, done: Done) -> None:
        self._set_busy(False, form)
        if form is not None and form.isVisible():
            form.accept()
        self.form = None
        self.show_status(done(info))
        self.reload()
        self.select(info.staff_no)

    def _failed(self, form: StaffForm | None, failure: OpFailure, change: Change,
                done: Done) -> None:
        from app.services.staff.accounts import SecondPerson, SecondPersonRequired

        self._set_busy(False, form)
        if isinstance(failure.exception, SecondPersonRequired) \
                and not isinstance(form, SecondPersonForm):
            confirm = SecondPersonForm(failure.message, self)
            confirm.confirmed.connect(lambda no, pw: self._run(
                confirm, change, done, SecondPerson(no, pw)))
            if form is not None:
                form.accept()  # its values are in `change`; the second person decides now
            self.form = confirm
            confirm.open()
            return
        if form is not None and form.isVisible():
            form.show_error(failure.message)
        else:
            self.show_status(failure.message, error=True)

    def _set_busy(self, busy: bool, form: StaffForm | None) -> None:
        self._busy = busy
        if form is not None:
            form.set_busy(busy)
        self._update_buttons()

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.ctx.settings.save_geometry("staff_window", self)
        super().closeEvent(event)
