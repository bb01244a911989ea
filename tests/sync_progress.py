"""Watching a `counter sync` run's progress on the server, to kill it mid-copy on any machine,
fast or slow (a fixed timer lets a fast machine finish before the kill)."""

from __future__ import annotations

import subprocess
import time

from sqlalchemy import text

from app.db import Database


def orders_on(server: Database) -> int:
    """The orders on a PostgreSQL server database; 0 before a sync has made the table."""
    with server.engine.connect() as conn:
        if conn.execute(text("SELECT to_regclass('service_order')")).scalar() is None:
            return 0
        return int(conn.execute(text("SELECT count(*) FROM service_order")).scalar() or 0)


def wait_for_orders(proc: subprocess.Popen[str], server: Database, *, more_than: int,
                    timeout: float = 120.0, poll: float = 0.05) -> None:
    """Return once the server holds more than `more_than` orders, or the run has ended."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        if orders_on(server) > more_than:
            return
        time.sleep(poll)
