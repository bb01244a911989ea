"""`counter` with no command (or `counter gui`): the counter window."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("gui", help="start the counter window (the default)")
    p.add_argument("--db", help="database URL (default: SQLite in the user's data folder)")
    p.set_defaults(handler=run_gui)


def run_gui(args: argparse.Namespace) -> int:
    from app.ui.shell.app import run  # Qt is imported only when the window is wanted

    return run(getattr(args, "db", None))
