"""`counter smoke-gui`: open the GUI's foundations for a second and report (hidden command).

For checking an installed or frozen program: the Qt platform plugin, fonts, translations,
icons, print support and the login window must all load. Prints one JSON object with each
check and exits 0 only when every check passed. Not listed in `counter --help`: it is a tool
for the installer's tests and for support, not for clerks.
"""

from __future__ import annotations

import argparse
import json
import os

from app.cli import CliError

EXIT_MS_ENV = "COUNTER_SMOKE_EXIT_MS"
DEFAULT_EXIT_MS = 1000


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    # No help= : argparse would list the command (as "==SUPPRESS==" on Python 3.11).
    p = sub.add_parser("smoke-gui", description=__doc__.split("\n\n")[0])
    p.add_argument("--exit-ms", type=int, default=None,
                   help=f"how long to run the event loop (default: ${EXIT_MS_ENV} or "
                        f"{DEFAULT_EXIT_MS})")
    p.add_argument("--lang", default="zh_CN", choices=["zh_CN", "en"])
    p.set_defaults(handler=run)


def exit_ms(args: argparse.Namespace) -> int:
    if args.exit_ms is not None:
        return int(args.exit_ms)
    raw = os.environ.get(EXIT_MS_ENV, "")
    try:
        return int(raw) if raw else DEFAULT_EXIT_MS
    except ValueError:
        raise CliError(f"{EXIT_MS_ENV} 必须是毫秒数 / must be a number of milliseconds: "
                       f"{raw!r}", 2) from None


def run(args: argparse.Namespace) -> int:
    from app.ui.shell.smoke import run_smoke  # Qt is imported only here

    report = run_smoke(exit_ms(args), args.lang)
    print(json.dumps({"ok": report.ok, "checks": report.checks, "details": report.details,
                      "exit_code": report.exit_code}, ensure_ascii=False, indent=2))
    if not report.ok:
        raise CliError("界面自检未通过 / GUI smoke check failed: "
                       + ", ".join(report.failed or ["event loop exit code"]))
    return 0
