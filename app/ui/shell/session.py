"""The life of the program between log-ins: open the database and the key, the first start,
log in, the counter window, log out. Windows are views; this controller runs the work on the
worker runner and moves from one window to the next.

The login form is usable at once (`usable`): the database, the key and the catalog open on a
worker meanwhile (`ready` when done). A log-in asked for before that is held and goes on by
itself once they are loaded, so Enter pressed at once is never lost nor needed twice.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QDialog, QMessageBox

from app.ui.kit.op_failures import OpFailure
from app.ui.kit.op_runner import OpRunner
from app.ui.kit.operations import CollectionOp, OpContext
from app.ui.settings.counter import COUNTER_CODE, KEY_FILE
from app.ui.settings.store import UiSettings
from app.ui.shell.login import LoginWindow

if TYPE_CHECKING:
    from app.services.hall.registry import Actor
    from app.ui.counter.window import CounterWindow
    from app.ui.devices.idcard_reader import IdCardReaderWatcher
    from app.ui.shell.context import AppContext

logger = logging.getLogger(__name__)


@dataclass
class BootResult:
    db: Any
    catalog: Any
    hall_name: str
    has_staff: bool


def _open(db_url: str | None) -> BootResult:
    from app.core.catalog import get_catalog
    from app.db import open_database
    from app.services.customers.queries import has_staff
    from app.services.hall.registry import ensure_hall, get_hall
    from app.ui.shell import errors

    errors.import_error_types()  # here, so that installing them later costs the GUI nothing

    db = open_database(db_url)
    catalog = get_catalog()
    with db.read() as s:
        hall = get_hall(s)
        name = hall.name if hall else ""
    if not name:
        with db.session() as s:
            name = ensure_hall(s).name
    return BootResult(db, catalog, name, has_staff(db))


class SessionController(QObject):
    """Drives the login window and the counter window of one program run."""

    usable = Signal()  # the login form is shown and takes a log-in (held until `ready`)
    ready = Signal()  # database, key and catalog loaded: a log-in goes to the database now
    logged_in = Signal(object)  # the CounterWindow
    boot_failed = Signal(str)

    def __init__(self, runner: OpRunner, settings: UiSettings, db_url: str | None,
                 login: LoginWindow, reader: IdCardReaderWatcher | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.settings = settings
        self.db_url = db_url
        self.login = login
        self.reader = reader
        self.ctx: AppContext | None = None
        self.window: CounterWindow | None = None
        self.boot: BootResult | None = None
        self.dialog: QDialog | None = None  # the set-up dialog shown now, for tests
        self._loaded = False  # `ready` was reached: log-ins go straight to the database
        self._held: tuple[str, str, str] | None = None  # a log-in asked for before that
        login.login_requested.connect(self._login)
        login.settings_requested.connect(self._settings)

    # -- start ---------------------------------------------------------------------------------

    def start(self) -> None:
        self.login.set_opening()
        # The worker starts once the event loop runs, i.e. after the login has been shown:
        # its imports would otherwise hold the interpreter while the window is being built.
        QTimer.singleShot(0, self._open_in_background)

    def _open_in_background(self) -> None:
        if self.runner.is_closing:
            return
        self.usable.emit()
        (CollectionOp(self.runner, lambda _c: _open(self.db_url))
         .success(self._opened).failure(self._fatal).run_in_background())

    def _drop_held(self) -> None:
        if self._held is not None:
            self._held = None
            self.login.password.clear()
            self.login.set_busy(False)

    def _fatal(self, failure: OpFailure) -> None:
        self._drop_held()
        self.login.set_ready(False, failure.message)
        self.boot_failed.emit(failure.message)
        box = QMessageBox(QMessageBox.Icon.Critical, self.tr("Cannot start"), failure.message,
                          QMessageBox.StandardButton.Ok, self.login)
        box.setObjectName("bootFailedBox")
        box.open()

    def _opened(self, boot: BootResult) -> None:
        from app.ui.shell.errors import install_error_messages

        if self.runner.is_closing:  # the program is ending before it was ready
            return
        install_error_messages()
        self.boot = boot
        self.login.set_hall_name(boot.hall_name)
        self._load_key()

    def _load_key(self) -> None:
        boot = self.boot
        assert boot is not None

        def load(_c: OpContext) -> Any:
            from app.services.customers.pii import default_personal_data
            from app.services.orders.service import OrderService

            pd = default_personal_data()
            orders = OrderService(boot.db, catalog=boot.catalog, personal_data=pd)
            orders.hall_config()  # read once here, not on the GUI thread later
            return pd, orders

        (CollectionOp(self.runner, load).success(self._key_loaded).failure(self._key_failed)
         .run_in_background())

    def _key_failed(self, failure: OpFailure) -> None:
        """No usable key: ask for the key file, with the reason (any key error, not fatal)."""
        from app.db.engine import data_dir
        from app.security import SecurityError

        if not isinstance(failure.exception, SecurityError):
            self._fatal(failure)
            return
        saved = self.settings.get(KEY_FILE)
        if saved and os.path.exists(saved):
            mode, path = "open", saved
        else:
            mode, path = "create", str(data_dir() / "counter-key.json")
        from app.ui.shell.setup_dialogs import KeySetupDialog

        dialog = KeySetupDialog(mode, path, failure.message, self.login)
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._use_key(dialog))
        dialog.rejected.connect(self._quit)
        dialog.open()

    def _use_key(self, dialog: Any) -> None:
        path, passphrase = dialog.path.text().strip(), dialog.passphrase.text()

        def work(_c: OpContext) -> None:
            from app.security import ENV_KEY_FILE, ENV_KEY_PASSPHRASE, create_key_file

            if dialog.mode == "create":
                os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
                create_key_file(path, passphrase)
            # For this run only; unattended runs set these variables themselves.
            os.environ[ENV_KEY_FILE] = path
            os.environ[ENV_KEY_PASSPHRASE] = passphrase

        def done(_r: None) -> None:
            self.settings.set(KEY_FILE, path)
            self.settings.sync()
            self._load_key()

        (CollectionOp(self.runner, work).success(done)
         .failure(lambda f: self._key_file_failed(dialog, f)).run_in_background())

    def _key_file_failed(self, dialog: Any, failure: OpFailure) -> None:
        """The key file could not be created (weak passphrase, a file already there, a folder
        that cannot be written): say why in the same dialog, so the clerk can try again."""
        exc = failure.exception
        message = failure.message
        if isinstance(exc, OSError):
            message = self.tr("The key file cannot be written there ({error}). Choose another "
                              "place.").format(error=exc.strerror or exc)
        self.dialog = dialog
        dialog.show_error(message)
        dialog.open()

    def _key_loaded(self, loaded: tuple[Any, Any]) -> None:
        assert self.boot is not None
        if self.runner.is_closing:
            return
        pd, orders = loaded
        from app.ui.shell.context import AppContext  # its clock's zones: not before the login

        self.ctx = AppContext(db=self.boot.db, runner=self.runner, settings=self.settings, pd=pd,
                              orders=orders, catalog=self.boot.catalog, reader=self.reader)
        if self.boot.has_staff:
            self._ready()
        else:
            self._empty_database()

    def _ready(self) -> None:
        self._loaded = True
        self.login.set_ready(True)
        self.ready.emit()
        held, self._held = self._held, None
        if held is not None:
            self._login(*held)

    # -- an empty database ---------------------------------------------------------------------

    def _empty_database(self) -> None:
        from app.ui.shell.setup_dialogs import EmptyDatabaseDialog

        # Nobody can log in to an empty database: a log-in typed meanwhile is dropped.
        self._drop_held()
        self.login.set_ready(False)
        dialog = EmptyDatabaseDialog(self.login)
        self.dialog = dialog
        dialog.finished.connect(self._empty_choice)
        dialog.open()

    def _empty_choice(self, choice: int) -> None:
        from app.ui.shell.setup_dialogs import EmptyDatabaseDialog

        assert self.ctx is not None
        ctx = self.ctx
        if choice == EmptyDatabaseDialog.DEMO:
            def fill(_c: OpContext) -> None:
                from app.services.hall.demo import fill_demo

                fill_demo(ctx.db, personal_data=ctx.pd)

            self.login.set_ready(False, self.tr("Loading the demo hall..."))
            (CollectionOp(self.runner, fill, changes={"customer"}).success(lambda _r: self._ready())
             .failure(self._fatal).run_in_background())
        elif choice == EmptyDatabaseDialog.SETUP:
            self._show_first_run()
        else:
            self._quit()

    def _show_first_run(self, error: str = "", previous: Any = None) -> None:
        from app.ui.shell.setup_dialogs import FirstRunDialog

        dialog = FirstRunDialog(self.settings.get(COUNTER_CODE), self.login)
        if previous is not None:
            dialog.restore(previous)
        if error:
            dialog.show_error(error)
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._first_run(dialog))
        dialog.rejected.connect(self._empty_database)
        dialog.open()

    def _first_run(self, dialog: Any) -> None:
        assert self.ctx is not None
        ctx, values = self.ctx, dialog.values()

        def work(_c: OpContext) -> str:
            from app.services.hall.first_run import run_first_setup

            run_first_setup(ctx.db, values)
            ctx.orders._config = None  # the hall's name and carrier changed: read them again
            ctx.orders.hall_config()
            return str(values.hall_name.strip())

        def done(name: str) -> None:
            code = values.counter_code.strip().upper()
            self.settings.set(COUNTER_CODE, code)
            self.login.counter_code.setText(code)
            self.login.staff_no.setText(values.staff_no.strip())
            self.login.set_hall_name(name)
            self._ready()

        (CollectionOp(self.runner, work).success(done)
         .failure(lambda f: self._show_first_run(f.message, values)).run_in_background())

    # -- log in / out --------------------------------------------------------------------------

    def _login(self, staff_no: str, password: str, counter_code: str) -> None:
        if not self._loaded or self.ctx is None:
            self._held = (staff_no, password, counter_code)  # the login window stays busy
            return
        ctx = self.ctx

        def work(_c: OpContext) -> tuple[Actor, bool]:
            from app.services.staff.auth import login, password_change_pending

            actor = login(ctx.db, staff_no, password, counter_code)
            return actor, password_change_pending(ctx.db, actor)

        (CollectionOp(self.runner, work).success(self._logged_in)
         .failure(lambda f: self.login.show_error(f.message)).run_in_background())

    def _logged_in(self, result: tuple[Actor, bool]) -> None:
        actor, must_change_password = result
        assert self.ctx is not None
        self.settings.set(COUNTER_CODE, actor.counter_code)
        self.settings.sync()
        self.ctx.actor = actor
        if must_change_password:
            self._force_password_change(actor)
        else:
            self.open_counter_window()

    def _force_password_change(self, actor: Actor) -> None:
        """A password an administrator set: a new one first (the core refuses everything else
        meanwhile); declining logs out."""
        from app.ui.supervisor.staff_password import ChangePasswordDialog

        assert self.ctx is not None
        dialog = ChangePasswordDialog(self.ctx.db, self.runner, actor, forced=True,
                                      parent=self.login)
        self.dialog = dialog
        dialog.accepted.connect(self.open_counter_window)
        dialog.rejected.connect(self._password_not_changed)
        dialog.open()

    def _password_not_changed(self) -> None:
        assert self.ctx is not None
        db, actor = self.ctx.db, self.ctx.actor
        self.ctx.actor = None
        self.login.reset()
        if actor is not None:
            from app.services.staff.auth import logout

            (CollectionOp(self.runner, lambda _c: logout(db, actor, reason="password_not_changed"))
             .failure(lambda _f: None).run_in_background())

    def open_counter_window(self) -> CounterWindow:
        from app.ui.counter.window import CounterWindow

        assert self.ctx is not None
        window = CounterWindow(self.ctx)
        window.logout_requested.connect(self.logout)
        self.window = window
        self.login.hide()
        window.show()
        window.after_login()
        self.logged_in.emit(window)
        return window

    def logout(self) -> None:
        # The login window shows first, so closing the counter window never leaves the
        # program without a window (which would end it).
        self.login.reset()
        self.login.show()
        if self.window is not None:
            window, self.window = self.window, None
            window.close_for_logout()
        if self.ctx is not None:
            self.ctx.actor = None

    def _settings(self) -> None:
        from app.ui.settings.dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self.login)
        dialog.open()

    def _quit(self) -> None:
        from PySide6.QtWidgets import QApplication

        QApplication.quit()

