"""The benchmark's floors do the same work as the app: the captured statements of a recorded
order, replayed on a twin file, leave the twin holding the same rows; the generator's customers
are found by the ID numbers the bench searches for, and its seals verify."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from app.clock import FixedClock
from tests.builders import DAY, personal

pytestmark = pytest.mark.sqlite_only("the floors replay SQLite statements")


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return list(con.execute(sql))
    finally:
        con.close()


def test_the_replayed_statements_write_what_the_app_wrote(tmp_path: Path, clock: FixedClock
                                                          ) -> None:
    from app.core.request import parse_request
    from app.db import open_database
    from app.services.hall.registry import batch_actor
    from app.services.orders.service import OrderService, Submission
    from bench.generate import generate
    from bench.replay import capture, connect, replay, statements

    base = tmp_path / "base.sqlite3"
    generate(f"sqlite:///{base}", orders=30, customers=10, day=DAY)
    app_file, twin = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    shutil.copyfile(base, app_file)
    shutil.copyfile(base, twin)
    db = open_database(f"sqlite:///{app_file}", clock=clock)
    try:
        with capture(db.engine) as setup:
            actor = batch_actor(db)
        req = personal("sim_replacement", documents=["sim_card"])
        req["line"]["number"] = _rows(base, "SELECT number FROM line WHERE origin = 'gen' "
                                            "LIMIT 1")[0][0]
        with capture(db.engine) as steps:
            result = OrderService(db).submit(Submission(parse_request(req)), actor)
    finally:
        db.dispose()
    assert result.order_no and statements(steps) > 10
    con = connect(twin)
    replay(con, setup)
    replay(con, steps)
    con.close()
    for sql in ("SELECT uid, order_no, total_fen, content_hash FROM service_order",
                "SELECT order_id, item, amount_fen FROM order_fee",
                "SELECT order_id, method, amount_fen FROM order_payment",
                "SELECT seq, hash FROM audit_event", "SELECT * FROM line_history"):
        assert _rows(twin, sql) == _rows(app_file, sql), sql


def test_generated_customers_are_found_by_the_bench_s_id_numbers(tmp_path: Path,
                                                                 clock: FixedClock) -> None:
    from app.db import open_database
    from app.services.audit.verify import verify_audit
    from app.services.customers.pii import default_personal_data
    from app.services.customers.queries import search_customers
    from bench.generate import customer_id_number, generate

    url = f"sqlite:///{tmp_path / 'g.sqlite3'}"
    made = generate(url, orders=20, customers=50, day=DAY)
    assert made.customers == 50
    db = open_database(url, clock=clock)
    try:
        pd = default_personal_data()
        for k in (0, 17, 49):
            assert len(search_customers(db, customer_id_number(k), pd)) == 1
        assert verify_audit(db).ok  # every generated row sealed, the chain whole
    finally:
        db.dispose()
