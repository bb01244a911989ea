"""The four visits of issue #12 at the counter, counted (prints them; not a test).

    python bench/bench_visits.py [--only NAME ...]

Runs the visits of `tests/gui/test_keyboard_visits.py` (its `VISITS`: the same scripts the
test drives) through the real counter window, offscreen, with key events only (the customer's
signature is drawn with pointer strokes, not counted), each on a fresh copy of a throw-away
demo hall in a temporary folder, with the clock frozen where the tests freeze it. One line per
visit, then whether it met the issue's target:

    visit <name>: actions N, typed N, screens N

Actions are the keys that are not typing (Enter, Tab, Space, arrows, F-keys, Ctrl+N, Y);
typed is the characters typed; screens the counter window, each wizard page and each dialog.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

WAIT_S = 60.0


def _sandbox() -> Path:
    sys.path.insert(0, str(ROOT / "tools"))
    from sandbox import offscreen_sandbox

    return offscreen_sandbox("counter-bench-visits-")


class Bot:
    """What the visits ask of pytest-qt's `qtbot`, for a run outside pytest."""

    def waitUntil(self, check: Callable[[], Any], timeout: int = 5000) -> None:
        from PySide6.QtTest import QTest

        deadline = time.monotonic() + max(timeout / 1000, WAIT_S)
        while not check():
            if time.monotonic() > deadline:
                raise TimeoutError("the counter did not get there in time")
            QTest.qWait(5)

    @contextmanager
    def waitSignal(self, signal: Any, timeout: int = 5000) -> Iterator[None]:
        seen: list[object] = []

        def got(*args: object) -> None:
            seen.append(args)

        signal.connect(got)
        try:
            yield
            self.waitUntil(lambda: bool(seen), timeout)
        finally:
            signal.disconnect(got)

    def mouseClick(self, widget: Any, button: Any) -> None:
        from PySide6.QtTest import QTest

        QTest.mouseClick(widget, button)


def _demo_template(folder: Path) -> Path:
    """The demo hall (its 60 customers), made at the tests' frozen instant, WAL folded in."""
    from app.clock import FixedClock
    from app.db import open_database
    from app.services.hall.demo import fill_demo
    from tests.builders import NOW

    path = folder / "demo.sqlite3"
    db = open_database(f"sqlite:///{path}", clock=FixedClock(NOW))
    try:
        fill_demo(db, customers=60)
    finally:
        db.dispose()
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    return path


def run_visit(name: str, template: Path, folder: Path) -> Any:
    """One visit on its own copy of the demo hall, at counter C01 by clerk C001."""
    from PySide6.QtTest import QTest

    from app.clock import FixedClock
    from app.db import open_database
    from app.ui.counter.window import CounterWindow
    from app.ui.kit import i18n
    from app.ui.kit.op_runner import OpRunner
    from app.ui.settings.store import UiSettings
    from app.ui.shell.errors import install_error_messages
    from tests.builders import NOW
    from tests.gui.counter_driver import log_in, make_context, settle
    from tests.gui.test_keyboard_visits import VISITS

    work = folder / name
    work.mkdir()
    shutil.copyfile(template, work / "counter.sqlite3")
    db = open_database(f"sqlite:///{work / 'counter.sqlite3'}", clock=FixedClock(NOW))
    runner = OpRunner()
    window: CounterWindow | None = None
    try:
        i18n.install_translators("zh_CN")
        install_error_messages()
        ctx = make_context(db, runner, UiSettings(work / "ui.ini"))
        log_in(ctx, "C001")
        window = CounterWindow(ctx)
        window.resize(1366, 768)
        window.show()
        QTest.qWaitForWindowExposed(window)
        window.after_login()
        settle(ctx)
        run = VISITS[name](Bot(), window, ctx)
        settle(ctx)
        return run
    finally:
        if window is not None:
            if window.wizard is not None:
                window.wizard._done = True
                window.wizard.close()
            window.close()
            window.deleteLater()
        runner.shutdown(timeout=10.0)
        db.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None, help="visit names to run")
    args = parser.parse_args(argv)
    tmp = _sandbox()
    from PySide6.QtWidgets import QApplication

    import app.ui.devices.a4_print as a4_print
    from tests.gui.test_keyboard_visits import TARGETS, VISITS

    a4_print.available_printers = lambda: []  # type: ignore[assignment]  # no printer here
    app = QApplication(sys.argv[:1])
    names = args.only or list(VISITS)
    failed = 0
    try:
        template = _demo_template(tmp)
        for name in names:
            run = run_visit(name, template, tmp)
            met = run.actions <= TARGETS[name]
            failed += not met
            print(f"  target: actions <= {TARGETS[name]}: {'met' if met else 'NOT MET'}",
                  flush=True)
    finally:
        app.processEvents()
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
