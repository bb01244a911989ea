"""`counter import --db URL DIR`: load a JSON Lines export into another, empty database."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("import", help="import a JSON Lines export into an empty database")
    p.add_argument("folder", help="the export's folder (with manifest.json)")
    p.add_argument("--db", help="database URL (default: SQLite in the user's data folder)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from app.cli import EXIT_BAD_INPUT, CliError
    from app.db import open_database
    from app.services.exchange.export import ExportError
    from app.services.exchange.importer import import_export

    db = open_database(args.db)
    try:
        result = import_export(db, Path(args.folder))
    except ExportError as exc:
        raise CliError(str(exc), EXIT_BAD_INPUT) from None
    finally:
        db.dispose()
    kind = "已脱敏记录 / masked records" if result.masked else "完整记录 / full records"
    counts = ", ".join(f"{k} {v}" for k, v in result.counts.items()) or "0"
    print(f"导入完成 / imported ({kind}) in {result.seconds:.1f} s: {counts}")
    return 0
