"""`counter restore FILE [--db URL] [--counter C01]`: replace the workstation database with a
verified backup (refused while the database is in use; the current file is kept beside it).

A supervisor's credentials are needed (`app.commands.credentials`): they are checked on the
database being replaced, or on the backup when there is no sound database to ask. The key is
loaded first: the restored database's audit chain records the restore and the orders it
discarded (`app.services.exchange.restore`)."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("restore", help="replace the database with a backup (checked first)")
    p.add_argument("file", help="the backup file")
    p.add_argument("--db", help="database URL (default: SQLite in the user's data folder)")
    p.add_argument("--counter", default="C01",
                   help="the counter the supervisor logs in at (default C01)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from sqlalchemy.engine import make_url

    from app.cli import EXIT_BAD_INPUT, CliError
    from app.commands.credentials import supervisor_credentials
    from app.db import Database, default_db_url
    from app.services.exchange.gate import check_key, supervisor_login
    from app.services.exchange.restore import restore_backup
    from app.services.hall.registry import Actor

    url = make_url(args.db or default_db_url())
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise CliError("只能恢复 SQLite 工作站数据库 / only a SQLite workstation database can be "
                       "restored", EXIT_BAD_INPUT)
    who = supervisor_credentials()
    check_key()

    def supervisor(db: Database) -> Actor:
        return supervisor_login(db, who.staff_no, who.password, args.counter)

    result = restore_backup(Path(args.file), Path(url.database), supervisor=supervisor)
    print(f"已恢复 / restored {result.restored} from {args.file} (by {result.by})")
    if result.discarded is None:
        print("  被替换的数据库无法读取，丢弃的订单数不明 / the replaced database could not be "
              "read: the number of discarded orders is not known")
    elif result.discarded:
        shown = ", ".join(result.discarded_orders[:5])
        more = " …" if result.discarded > 5 else ""
        print(f"  丢弃 {result.discarded} 笔备份之后的订单 / {result.discarded} orders made "
              f"after the backup were discarded: {shown}{more}")
    if result.previous:
        print(f"  原文件保留为 / the replaced file is kept as {result.previous}")
    if result.origin:
        print(f"  同步名称改为 / sync name is now {result.origin}")
    return 0
