"""`counter`: the command line. With no command it starts the counter window.

Each sub-command lives in its own module under `app/commands/` (in folders) with a
`register(subparsers)` function; they are found at start-up, so adding a command never
touches this file. Errors reach the user as one clear line (Chinese / English) and an exit
status: 2 for bad input, 1 for a problem of the machine (database, key, disk); never a
traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from collections.abc import Sequence

from app import __version__

EXIT_OK, EXIT_FAIL, EXIT_BAD_INPUT = 0, 1, 2


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_FAIL) -> None:
        super().__init__(message)
        self.code = code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="counter", description="营业厅柜台受理系统 / counter application of a business hall")
    parser.add_argument("--version", action="version", version=f"counter {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    import app.commands as commands

    # Commands are grouped in folders by what they serve (the hall, its data, the counter...);
    # sorted by their own name so that `counter --help` lists them alphabetically.
    found = [info.name for info in pkgutil.walk_packages(commands.__path__, "app.commands.")
             if not info.ispkg]
    for name in sorted(found, key=lambda n: n.rsplit(".", 1)[-1]):
        module = importlib.import_module(name)
        register = getattr(module, "register", None)
        if register is not None:
            register(sub)
    return parser


def _known_errors() -> tuple[type[BaseException], ...]:
    from app.core.catalog import CatalogError
    from app.core.config import ConfigError
    from app.db import DatabaseError
    from app.security import SecurityError
    from app.services.orders.service import OrderError

    return (CliError, CatalogError, ConfigError, DatabaseError, SecurityError, OrderError)


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        from app.commands.gui import run_gui

        handler = run_gui
    try:
        return int(handler(args) or 0)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        message, code = describe_error(exc)
        print(f"counter: {message}", file=sys.stderr)
        return code


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
