"""`counter backup [--db URL] [--dir DIR] [--keep-days N]`: a consistent copy of the live
workstation database (SQLite online backup), keeping N days of copies.

No supervisor's log-in, unlike export, import and restore: the copy holds the same bytes as
the database file, which whoever runs this can read already; the key is not used (ID numbers
and addresses stay encrypted in the copy), and nothing in the database changes. It runs
unattended from a scheduler, which would otherwise have to keep a supervisor's password.
Guard the backup folder like the database file itself."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("backup", help="copy the live database into the backup folder")
    p.add_argument("--db", help="database URL (default: SQLite in the user's data folder)")
    p.add_argument("--dir", help="backup folder (default: COUNTER_BACKUP_DIR, or 'backups' "
                                 "beside the database)")
    p.add_argument("--keep-days", type=int, help="delete backups older than this (default: "
                                                  "COUNTER_BACKUP_KEEP_DAYS or 30)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from app.db import open_database
    from app.services.exchange.backup import (
        BackupPolicy,
        default_folder,
        make_backup,
        prune_backups,
    )

    policy = BackupPolicy.from_env()
    db = open_database(args.db)
    try:
        result = make_backup(db, Path(args.dir) if args.dir else policy.folder)
        source = db.sqlite_path
    finally:
        db.dispose()
    assert source is not None
    folder = Path(args.dir) if args.dir else (policy.folder or default_folder(source))
    keep = args.keep_days if args.keep_days is not None else policy.keep_days
    pruned = prune_backups(folder, keep, stem=source.stem)
    print(f"备份完成 / backup written: {result.path} ({result.bytes / 1e6:.1f} MB, "
          f"{result.seconds:.1f} s)")
    for path in pruned:
        print(f"  已删除过期备份 / removed old backup: {path.name}")
    return 0
