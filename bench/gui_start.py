"""Start the counter program as `counter gui` does and say when its login can be used.

    python -m bench.gui_start DB_URL     # prints "BENCH_READY" and quits
    python -m bench.gui_start --bare     # a bare PySide6 window with a login form

The program's `SessionController` emits `ready` once the database is open and the key and
catalog are loaded: the login button is enabled then. That, not the window being shown, is
when a clerk can log in. The bare window is the floor: PySide6 imported, an application and a
small form shown, the event loop entered.
"""

from __future__ import annotations

import sys

MARKER = "BENCH_READY"


def bare() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QFormLayout, QLabel, QLineEdit, QPushButton, QWidget

    app = QApplication(sys.argv[:1])
    w = QWidget()
    form = QFormLayout(w)
    form.addRow(QLabel("Staff"), QLineEdit())
    form.addRow(QLabel("Password"), QLineEdit())
    form.addRow(QLabel("Counter"), QLineEdit())
    form.addRow(QPushButton("Log in"))

    def mark() -> None:
        print(MARKER, flush=True)
        app.quit()

    w.show()
    QTimer.singleShot(0, mark)
    return int(app.exec())


def counter(db_url: str) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.ui.shell import app as shell
    from app.ui.shell.session import SessionController

    original = SessionController.start

    def start(self: SessionController) -> None:
        # Quit from the event loop, not inside the operation's callback: the runner's
        # shutdown waits for that very operation to finish.
        def ready() -> None:
            print(MARKER, flush=True)
            QTimer.singleShot(0, QApplication.quit)

        def failed(message: str) -> None:
            print(f"BENCH_FAILED {message}", flush=True)
            QTimer.singleShot(0, QApplication.quit)

        self.ready.connect(ready)
        self.boot_failed.connect(failed)
        original(self)

    SessionController.start = start  # type: ignore[method-assign]
    return shell.run(db_url)


if __name__ == "__main__":
    raise SystemExit(bare() if sys.argv[1] == "--bare" else counter(sys.argv[1]))
