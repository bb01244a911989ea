"""`counter`: the command line. With no command it starts the counter window.

Each sub-command lives in its own module under `app/commands/` (in folders) with a
`register(subparsers)` function; they are found at start-up, so adding a command never
touches this file. Errors reach the user as one clear line (Chinese / English) and an exit
status: 2 for bad input, 1 for a problem of the machine (database, key, disk); never a
traceback.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import logging
import os
import pkgutil
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from app import __version__

EXIT_OK, EXIT_FAIL, EXIT_BAD_INPUT = 0, 1, 2


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_FAIL) -> None:
        super().__init__(message)
        self.code = code


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command; with `only` (the command about to run), of the module or
    folder of that name alone when it registers that command, so that one command does not pay
    for importing all the others (any other case falls back to every module)."""
    import app.commands as commands

    named = [f"app.commands.{info.name}" for info in pkgutil.iter_modules(commands.__path__)
             if info.name.rstrip("_") == only]  # a top-level look: imports nothing
    if named:
        parser, sub = _parser_of(named)
        if only in sub.choices:
            return parser
    # Commands are grouped in folders by what they serve (the hall, its data, the counter...);
    # sorted by their own name so that `counter --help` lists them alphabetically.
    found = [info.name for info in pkgutil.walk_packages(commands.__path__, "app.commands.")
             if not info.ispkg]
    return _parser_of(sorted(found, key=lambda n: n.rsplit(".", 1)[-1]))[0]


def _parser_of(modules: Sequence[str]) -> tuple[argparse.ArgumentParser, Any]:
    parser = argparse.ArgumentParser(
        prog="counter", description="营业厅柜台受理系统 / counter application of a business hall")
    parser.add_argument("--version", action="version", version=f"counter {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in modules:
        module = importlib.import_module(name)
        register = getattr(module, "register", None)
        if register is not None:
            register(sub)
    return parser, sub


def _known_errors() -> tuple[type[BaseException], ...]:
    from app.core.catalog import CatalogError
    from app.core.config import ConfigError
    from app.db import DatabaseError
    from app.security import SecurityError
    from app.services.orders.service import OrderError

    return (CliError, CatalogError, ConfigError, DatabaseError, SecurityError, OrderError)


# The cyclic garbage collector, paused while the program starts (`main` with no arguments is
# the program itself). Starting makes some 130,000 objects the collector tracks (SQLAlchemy,
# the models, the catalog) that all live until the program ends: collections among them find
# nothing, yet took a quarter of `counter process`'s time, most of it in the collections
# Python makes when it exits. A command that says so (`quick_start=True` in its defaults)
# keeps the pause through its own start-up and ends it with `start_up_done`; any other's
# pause ends before it runs.
_gc_paused = False


def start_up_done() -> None:
    """The command's start-up is over: what is loaded by now is set aside from the collector
    for good (`gc.freeze`: it lives until the program ends) and collection resumes for what
    comes next. Nothing when the collector was not paused (`main` called by a caller)."""
    global _gc_paused
    if _gc_paused:
        _gc_paused = False
        gc.freeze()
        gc.enable()


# Set once a one-shot command (`quick_start`) has run: everything it opened it has closed
# itself, so the program may end without Python's teardown (see `leave`).
_one_shot_done = False


def leave(code: int) -> NoReturn:
    """End the program (`python -m app`) with `code`.

    After a one-shot command, the interpreter's own teardown (freeing every module and the
    objects set aside by `start_up_done`, one by one) is 10-20 ms of a 0.5 s run that changes
    nothing: the command has disposed of its database (marker and health note written) and
    its output is flushed here. So it ends at once; logging is shut down first, as at a normal
    exit. Any other command, output that cannot be flushed, or a run under a profiler or a
    tracer (cProfile, coverage: they write their results at exit) ends the usual way."""
    if _one_shot_done and sys.getprofile() is None and sys.gettrace() is None:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            raise SystemExit(code) from None  # the usual exit says what went wrong
        logging.shutdown()
        os._exit(code)
    raise SystemExit(code)


def run() -> NoReturn:
    """The program: the `counter` command, `python -m app` and the bundle's entry point. A
    one-shot command ends without the interpreter's teardown (`leave`)."""
    leave(main())


def _resume_gc() -> None:
    global _gc_paused
    if _gc_paused:
        _gc_paused = False
        gc.enable()


def main(argv: Sequence[str] | None = None) -> int:
    global _gc_paused
    if argv is None and gc.isenabled():
        gc.disable()
        _gc_paused = True
    try:
        return _main(argv)
    finally:
        _resume_gc()


def _main(argv: Sequence[str] | None) -> int:
    global _one_shot_done
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    words = list(sys.argv[1:] if argv is None else argv)
    # The command's own module is enough to parse its line; no command starts the window.
    command = (words[0] if not words[0].startswith("-") else None) if words else "gui"
    args = build_parser(only=command).parse_args(words)
    handler = getattr(args, "handler", None)
    if handler is None:
        from app.commands.gui import run_gui

        handler = run_gui
    quick = bool(getattr(args, "quick_start", False))
    if not quick:
        start_up_done()  # a long-running command (the window, a watch) collects as usual
    try:
        return int(handler(args) or 0)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        message, code = describe_error(exc)
        print(f"counter: {message}", file=sys.stderr)
        return code
    finally:
        _one_shot_done = quick and argv is None  # the program itself, not a caller going on


def describe_error(exc: BaseException, *, partial: bool = False) -> tuple[str, int]:
    """The one line the user reads for `exc` (after "counter: ") and the exit status.

    `partial`: the command committed part of its work before `exc` (a batch stopped half-way),
    so the line must not say that nothing was written; the command names what was.
    A database driver's error gets its plain meaning; anything else unknown is a bug: one
    line, logged in full.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from app.core.request import RequestError
    from app.db.engine import describe_operational_error

    if isinstance(exc, RequestError):
        return str(exc), EXIT_BAD_INPUT
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        return f"{exc.strerror or exc}{where}", EXIT_FAIL
    if isinstance(exc, _known_errors()):
        code = getattr(exc, "code", EXIT_FAIL)
        return str(exc), code if isinstance(code, int) else EXIT_FAIL
    if isinstance(exc, SQLAlchemyError):
        return describe_operational_error(exc, partial=partial), EXIT_FAIL
    logging.getLogger("counter").debug("unexpected error", exc_info=exc)
    return f"内部错误 / internal error: {type(exc).__name__}: {exc}", EXIT_FAIL


if __name__ == "__main__":
    raise SystemExit(main())
