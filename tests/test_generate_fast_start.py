"""The generator's start and pipeline shortcuts (bench/generate.py, bench/gen_produce.py,
bench/gen_seals.py): the forked migration reports a failure as the app does, the fast lookup
hash is the app's, the first batches are small, and the spare-core rule reads the load."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import gen_produce
from bench.gen_produce import ramp
from bench.gen_rows import customer_id_number


def test_batches_start_small_and_cover_every_row() -> None:
    parts = list(ramp(20_500, 10_000))
    assert [len(p) for p in parts] == [1000, 2000, 4000, 8000, 5500]
    assert [i for p in parts for i in p] == list(range(20_500))
    assert [len(p) for p in ramp(2500, 700)] == [700, 700, 700, 400]
    assert list(ramp(0, 1000)) == []


def test_the_fast_lookup_hash_is_the_app_s() -> None:
    from app.services.customers.pii import default_personal_data
    from bench.gen_seals import fast_id_lookup

    app_lookup = default_personal_data().lookup_id
    fast = fast_id_lookup(app_lookup)
    for k in [*range(0, 5000, 13), 72_999, 1_000_003, 9_999_999]:
        number = customer_id_number(k)
        assert fast(number) == app_lookup(number)


def test_the_fast_lookup_refuses_a_different_key() -> None:
    from bench.gen_seals import fast_id_lookup

    with pytest.raises(RuntimeError, match="lookup hash"):
        fast_id_lookup(lambda number: "0" * 64)


def test_a_failed_forked_migration_is_reported_by_the_app_s_open(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capfd: pytest.CaptureFixture[str]) -> None:
    from app.db import open_database
    from bench.generate import generate

    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    url = f"sqlite:///{blocked / 'db.sqlite3'}"
    with pytest.raises(Exception) as direct:
        open_database(url)
    monkeypatch.setattr(gen_produce, "spare_core", lambda: True)
    capfd.readouterr()
    with pytest.raises(type(direct.value)):
        generate(url, orders=0, customers=0)
    assert "Traceback" not in capfd.readouterr().err  # the child failed quietly


def test_a_forked_start_migrates_and_fills(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import text

    from app.db import open_database
    from app.db.migrate import script_heads
    from bench.generate import generate

    monkeypatch.setattr(gen_produce, "spare_core", lambda: True)
    path = tmp_path / "g.sqlite3"
    made = generate(f"sqlite:///{path}", orders=30, customers=20)
    assert (made.customers, made.orders) == (20, 30)
    db = open_database(f"sqlite:///{path}", migrate=False)
    try:
        with db.read() as s:
            version = s.execute(text("SELECT version_num FROM alembic_version")).scalar()
            staff = s.execute(text("SELECT COUNT(*) FROM staff")).scalar()
        assert frozenset({version}) == script_heads() and staff == 5
    finally:
        db.dispose()


@pytest.mark.parametrize(("load", "cores", "spare"), [
    (0.2, 2, True), (1.4, 2, True), (1.99, 2, True), (2.0, 2, False), (0.0, 1, False)])
def test_a_spare_core_is_one_not_busy_on_average(monkeypatch: pytest.MonkeyPatch,
                                                 load: float, cores: int, spare: bool) -> None:
    monkeypatch.setattr(gen_produce.os, "getloadavg", lambda: (load, load, load))
    monkeypatch.setattr(gen_produce.os, "sched_getaffinity", lambda _pid: set(range(cores)))
    assert gen_produce.spare_core() is spare



def test_a_forked_start_on_postgresql_verifies(pg_url: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from app.db import open_database
    from app.services.audit.verify import verify_audit
    from bench.generate import generate

    monkeypatch.setattr(gen_produce, "spare_core", lambda: True)
    made = generate(pg_url, orders=5000, customers=3000)  # producer forked too
    assert (made.customers, made.orders) == (3000, 5000)
    db = open_database(pg_url)
    try:
        assert verify_audit(db).ok
    finally:
        db.dispose()


def test_customers_made_while_migrating_verify_and_are_found(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.db import open_database
    from app.services.audit.verify import verify_audit
    from app.services.customers.pii import default_personal_data
    from app.services.customers.queries import search_customers
    from bench import gen_head_start
    from bench.generate import generate

    monkeypatch.setattr(gen_produce, "spare_core", lambda: True)
    monkeypatch.setattr(gen_head_start, "PART", 300)
    path = tmp_path / "g.sqlite3"
    made = generate(f"sqlite:///{path}", orders=4000, customers=2100)
    assert (made.head_start >= 300 and made.head_start % 300 == 0) or made.head_start == 2100
    assert (made.customers, made.lines, made.orders) == (2100, 2100, 4000)
    db = open_database(f"sqlite:///{path}")
    try:
        result = verify_audit(db)
        assert result.ok
        pd = default_personal_data()
        for k in (0, made.head_start - 1, made.head_start, 2099):
            if 0 <= k < 2100:
                assert len(search_customers(db, customer_id_number(k), pd)) == 1
    finally:
        db.dispose()


def test_no_head_start_on_an_existing_file(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from app.db import open_database
    from bench.generate import generate

    monkeypatch.setattr(gen_produce, "spare_core", lambda: True)
    path = tmp_path / "g.sqlite3"
    open_database(f"sqlite:///{path}").dispose()
    made = generate(f"sqlite:///{path}", orders=100, customers=100)
    assert made.head_start == 0 and made.customers == 100
