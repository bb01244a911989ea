"""The statements an app operation sent to SQLite, captured, and replayed on a bare sqlite3
connection: the floor of "record one request".

Capture notes every statement with its parameters exactly as the driver got them, and every
commit and rollback (including the pool's rollback when a connection is handed back), in
order. Replay runs them on a twin of the database (a copy of the same file, so the same ids
come out) through the standard library's `sqlite3` with the program's pragmas: the same
reads, writes, index updates, triggers and fsyncs, without Python above the driver.
"""

from __future__ import annotations

import pickle
import sqlite3
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

Step = tuple[str, str, Any, bool]  # (kind, sql, parameters, executemany)

# The program's pragmas (app.db.engine._sqlite_pragmas): the floor pays for the same
# durability (synchronous=FULL in WAL), foreign keys and secure delete.
PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=10000",
           "PRAGMA synchronous=FULL", "PRAGMA secure_delete=ON")


@contextmanager
def capture(engine: Any) -> Iterator[list[Step]]:
    """Every statement, commit and rollback `engine` sends while the block runs."""
    from sqlalchemy import event

    steps: list[Step] = []

    def on_execute(_conn: Any, _cursor: Any, statement: str, parameters: Any, _ctx: Any,
                   executemany: bool) -> None:
        steps.append(("sql", statement, parameters, executemany))

    def on_commit(_conn: Any) -> None:
        steps.append(("commit", "", None, False))

    def on_rollback(_conn: Any) -> None:
        steps.append(("rollback", "", None, False))

    def on_reset(_dbapi: Any, _record: Any, _state: Any) -> None:
        steps.append(("rollback", "", None, False))

    listeners = [(engine, "before_cursor_execute", on_execute), (engine, "commit", on_commit),
                 (engine, "rollback", on_rollback), (engine.pool, "reset", on_reset)]
    for target, name, fn in listeners:
        event.listen(target, name, fn)
    try:
        yield steps
    finally:
        for target, name, fn in listeners:
            event.remove(target, name, fn)


def connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path, isolation_level=None, timeout=10)
    for pragma in PRAGMAS:
        con.execute(pragma)
    return con


def replay(con: sqlite3.Connection, steps: list[Step]) -> None:
    """Run the captured steps in order; a commit of SQLAlchemy is the driver's commit."""
    cur = con.cursor()
    for kind, sql, params, many in steps:
        if kind == "sql":
            # SQLAlchemy's "insertmanyvalues" batches are one statement with flat parameters,
            # reported as executemany: the driver got `execute`.
            if many and params and isinstance(params[0], list | tuple | dict):
                cur.executemany(sql, params)
            else:
                cur.execute(sql, params or ())
            if cur.description is not None:
                cur.fetchall()
        elif kind == "commit":
            if con.in_transaction:
                con.execute("COMMIT")
        elif con.in_transaction:
            con.execute("ROLLBACK")
    if con.in_transaction:
        con.execute("ROLLBACK")


def statements(steps: list[Step]) -> int:
    return sum(1 for kind, sql, _p, _m in steps
               if kind == "sql" and not sql.startswith(("BEGIN", "PRAGMA")))


def main() -> int:
    """`python -m bench.replay DB STEPS.pickle`: a whole process doing only the replay (the
    floor of `counter process`): start Python, open the file, run the statements, exit."""
    started = time.perf_counter()
    path, steps_file = Path(sys.argv[1]), Path(sys.argv[2])
    with steps_file.open("rb") as fh:
        steps = pickle.load(fh)
    con = connect(path)
    replay(con, steps)
    con.close()
    print(f"{time.perf_counter() - started:.6f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
