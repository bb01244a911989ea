"""`counter import --db URL DIR [--counter C01]`: load a JSON Lines export into another database
that holds no business data yet (set it up first: the counter window's first start creates the
hall and a manager's account).

A supervisor of that database logs in for it (`app.commands.credentials`), and the import is
an audit event of its chain; the export's files, the key and the credentials are all checked
before anything is written."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("import", help="import a JSON Lines export into an empty database")
    p.add_argument("folder", help="the export's folder (with manifest.json)")
    p.add_argument("--db", help="database URL (default: SQLite in the user's data folder)")
    p.add_argument("--counter", default="C01",
                   help="the counter the supervisor logs in at (default C01)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from sqlalchemy.engine import make_url

    from app.cli import EXIT_BAD_INPUT, CliError
    from app.commands.credentials import supervisor_credentials
    from app.db import default_db_url, open_database
    from app.services.exchange.errors import ExportError
    from app.services.exchange.gate import check_key, supervisor_login
    from app.services.exchange.importer import check_importable, import_export

    folder = Path(args.folder)
    try:
        manifest = check_importable(folder)
    except ExportError as exc:
        raise CliError(str(exc), EXIT_BAD_INPUT) from None
    who = supervisor_credentials()
    check_key(personal_data=not manifest.get("masked", True))
    url = make_url(args.db or default_db_url())
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").is_file():
        raise CliError(f"数据库文件不存在：{url.database}。请先完成首次设置（营业厅和值班长账号）"
                       f"再导入 / no database file at {url.database}: set the hall and its "
                       "supervisor up first, then import", EXIT_BAD_INPUT)
    db = open_database(args.db)
    try:
        actor = supervisor_login(db, who.staff_no, who.password, args.counter)
        result = import_export(db, folder, actor=actor)
    except ExportError as exc:
        raise CliError(str(exc), EXIT_BAD_INPUT) from None
    finally:
        db.dispose()
    kind = "已脱敏记录 / masked records" if result.masked else "完整记录 / full records"
    counts = ", ".join(f"{k} {v}" for k, v in result.counts.items()) or "0"
    print(f"导入完成 / imported ({kind}) in {result.seconds:.1f} s: {counts}")
    return 0
