"""`counter restore FILE [--db URL]`: replace the workstation database with a verified backup
(refused while the database is in use; the current file is kept beside it)."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("restore", help="replace the database with a backup (checked first)")
    p.add_argument("file", help="the backup file")
    p.add_argument("--db", help="database URL (default: SQLite in the user's data folder)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from sqlalchemy.engine import make_url

    from app.cli import EXIT_BAD_INPUT, CliError
    from app.db import default_db_url
    from app.services.exchange.backup import restore_backup

    url = make_url(args.db or default_db_url())
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise CliError("只能恢复 SQLite 工作站数据库 / only a SQLite workstation database can be "
                       "restored", EXIT_BAD_INPUT)
    result = restore_backup(Path(args.file), Path(url.database))
    print(f"已恢复 / restored {result.restored} from {args.file}")
    if result.previous:
        print(f"  原文件保留为 / the replaced file is kept as {result.previous}")
    if result.origin:
        print(f"  同步名称改为 / sync name is now {result.origin}")
    return 0
