"""Start the counter program: `counter` or `counter gui`.

The login window is shown, and takes a log-in, before anything heavy is imported; the
database (with its migrations), the personal-data key and the catalog are opened on the write
worker once the event loop runs (`SessionController.start`), and the ID card reader is set up
then too. Nothing of the database, the devices or the printing is imported before the login
is on screen. With ``COUNTER_BENCH_MARK`` set, the program prints
``COUNTER_BENCH_MARK shown <seconds>`` once the login window is on screen (for
`bench/bench_gui.py`), and quits at once when the value is ``exit``.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.ui.devices.idcard_reader import IdCardReaderWatcher

_T0 = time.perf_counter()

BENCH_ENV = "COUNTER_BENCH_MARK"
IDCARD_SIM_ENV = "COUNTER_IDCARD_SIM"  # a JSON file of cards for the simulated reader


def run(db_url: str | None) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from app.resources import resource_path
    from app.ui.kit import i18n
    from app.ui.kit.fonts import install_cjk_font
    from app.ui.kit.op_runner import OpRunner
    from app.ui.kit.theme import apply_theme
    from app.ui.settings.store import UiSettings
    from app.ui.shell.login import LoginWindow
    from app.ui.shell.session import SessionController

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("hall-counter")
    app.setApplicationDisplayName("营业厅柜台")
    icon = resource_path("icons", "counter.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    settings = UiSettings()
    install_cjk_font(app)
    apply_theme(app)
    i18n.install_translators(settings=settings)

    runner = OpRunner()
    login = LoginWindow(settings)
    bench = os.environ.get(BENCH_ENV)
    if bench:
        def mark() -> None:
            print(f"{BENCH_ENV} shown {time.perf_counter() - _T0:.4f}", flush=True)
            if bench == "exit":
                app.quit()

        login.first_shown.connect(lambda: QTimer.singleShot(0, mark))
    login.show()

    session = SessionController(runner, settings, db_url, login)
    session.start()
    readers: list[IdCardReaderWatcher] = []

    def attach_reader() -> None:
        # After the login is shown (the driver registry reads package metadata), and before
        # any log-in can reach the database: the window built after log-in finds it.
        reader = _id_card_reader()
        if reader is not None:
            readers.append(reader)
            session.reader = reader
            if session.ctx is not None:
                session.ctx.reader = reader

    QTimer.singleShot(0, attach_reader)
    try:
        code = app.exec()
    finally:
        for reader in readers:
            reader.stop()
        runner.shutdown()
        if session.ctx is not None:
            session.ctx.db.dispose()
    return int(code)


def _id_card_reader() -> IdCardReaderWatcher | None:
    """The card reader: the one devices.ini names (``[idcard] kind``), or a simulated reader
    fed from a JSON file when ``COUNTER_IDCARD_SIM`` gives one (demos and tests)."""
    from app.ui.devices.idcard_reader import (
        IdCardReaderWatcher,
        SimulatedIdCardReader,
        reader_from_devices_ini,
    )

    path = os.environ.get(IDCARD_SIM_ENV)
    reader = SimulatedIdCardReader(json_path=path) if path else reader_from_devices_ini()
    if reader is None:
        return None
    watcher = IdCardReaderWatcher(reader)
    watcher.start()
    return watcher
