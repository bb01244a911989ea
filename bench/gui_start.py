"""Start the counter program as `counter gui` does and say when its login can be used.

    python -m bench.gui_start DB_URL     # prints "BENCH_READY" and quits
    python -m bench.gui_start DB_URL --until-ready   # the marker at the database loaded
    python -m bench.gui_start --bare     # a bare PySide6 window with a login form

The marker is the program's `SessionController.usable`: the login window has been shown, the
event loop runs, and the form takes a log-in: typing a staff number and password and pressing
Enter logs in with no further action. The database, key and catalog are then still opening on
a worker (`ready` says when they are loaded); a log-in asked for before that is held and goes
on by itself as soon as they are (tests/gui/test_login_early.py), so the time a clerk waits
after pressing Enter at once is the open's remainder, not a second Enter. `--until-ready`
puts the marker at `ready` instead, for that other figure. The bare window is the floor:
PySide6 imported, an application and a small form shown, the event loop entered.
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


def counter(db_url: str, until_ready: bool = False) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.cli import main
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

        (self.ready if until_ready else self.usable).connect(ready)
        self.boot_failed.connect(failed)
        original(self)

    SessionController.start = start  # type: ignore[method-assign]
    return main(["gui", "--db", db_url])  # the command line's own way in


if __name__ == "__main__":
    raise SystemExit(bare() if sys.argv[1] == "--bare"
                     else counter(sys.argv[1], "--until-ready" in sys.argv[2:]))
