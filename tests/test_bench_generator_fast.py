"""The generator's fast paths write what the slow ones would: plain templates fill to the
canonical encoder's bytes, constant columns as SQL literals store the same values, the forked
producer makes the very batches the inline one makes (and hands on its failures), and a run
large enough to fork verifies, its staff logging in with the demo password. On PostgreSQL too."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from app.security import canonical_event_bytes
from bench import gen_produce
from bench.gen_batches import Plan, check_alphabets
from bench.gen_produce import Producer, Summary, produce
from bench.gen_seals import Template, is_plain
from bench.gen_write import Table, sql_literal
from tests.builders import DAY


def test_plain_templates_fill_to_the_encoder_s_bytes() -> None:
    def build(v: dict[str, object]) -> dict[str, object]:
        return {"name": v["name"], "uid": v["uid"], "n": v["n"], "note": "100% sure",
                "data": {"who": v["name"], "again": v["uid"]}}

    tpl = Template(build, ("name", "uid"), ("n",))
    fill = tpl.plain(("uid", "n", "name"), prefix="dom\x00%")
    for uid, n, name in (("u-1", 7, "王伟"), ("a" * 40, 123456, "李明华"), ("", 0, "X")):
        assert fill((uid, n, name)) == b"dom\x00%" + canonical_event_bytes(
            build({"name": name, "uid": uid, "n": n}))
    one = Template(lambda v: {"k": v["k"]}, ("k",)).plain(("k",))
    assert one(("v",)) == canonical_event_bytes({"k": "v"})


def test_only_plain_text_is_put_in_unquoted() -> None:
    check_alphabets()
    assert is_plain("王伟 110105********0004-X")
    assert not any(is_plain(t) for t in ('say "hi"', "back\\slash", "tab\there", "\x01"))


def test_constant_columns_store_what_binding_them_stores(tmp_path: Path) -> None:
    values = {"t": "it's", "b": b"\x00\x01'", "n": None, "f": False, "i": -12, "z": ""}
    con = sqlite3.connect(tmp_path / "x.sqlite3")
    con.execute("CREATE TABLE a (id, t, b, n, f, i, z)")
    con.execute("CREATE TABLE b (id, t, b, n, f, i, z)")
    con.executemany(Table("a", ("id",), values).statement(sqlite=True), [(1,), (2,)])
    con.executemany("INSERT INTO b VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(i, *values.values()) for i in (1, 2)])
    typed = "SELECT id, t, b, n, f, i, z, typeof(b), typeof(f) FROM {} ORDER BY id"
    assert con.execute(typed.format("a")).fetchall() == con.execute(typed.format("b")).fetchall()
    assert sql_literal(True) == "1"
    with pytest.raises(TypeError):
        sql_literal(1.5)


def _plan(customers: int, orders: int) -> Plan:
    from app.services.audit.events import chain_key

    return Plan(customers=customers, orders=orders, batch=700, seed=7, audit=True,
                key=chain_key(), nonce=b"12345678", sqlite=True,
                now=datetime(2026, 11, 22, 2, tzinfo=UTC), day=date(2026, 11, 22), hall_id=1,
                hall_code="DEMO01", counters=[(1, "C01"), (2, "C02")], staff_id=1,
                staff_no="S001", base_c=5, base_l=9, base_o=0, chain_seq=3,
                chain_prev="ab" * 32, serials={1: 4, 2: 0})


def test_the_forked_producer_makes_the_inline_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gen_produce, "spare_core", lambda: True)
    monkeypatch.setattr(gen_produce, "FORK_FROM", 2000)
    plan = _plan(1500, 1200)
    inline = Producer(plan)
    expected = list(inline.batches())
    summary = Summary()
    assert list(produce(plan, summary)) == expected
    want = inline.summary()
    assert (summary.checks, summary.events, summary.serials) == (
        want.checks, want.events, want.serials)
    assert summary.serials == {1: 4 + 600, 2: 600} and summary.producer_mb > 0


def test_a_failing_producer_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: object, part: range) -> object:
        raise ValueError("no rows today")

    monkeypatch.setattr(gen_produce, "spare_core", lambda: True)
    monkeypatch.setattr(gen_produce, "FORK_FROM", 2000)
    monkeypatch.setattr(gen_produce.OrderBatches, "rows", broken)
    with pytest.raises(RuntimeError, match="no rows today"):
        list(produce(_plan(1500, 1200), Summary()))


def _generated_and_verified(url: str, orders: int, customers: int) -> None:
    from app.db import open_database
    from app.models import Staff
    from app.security import verify_password
    from app.services.audit.verify import verify_audit
    from app.services.customers.pii import default_personal_data
    from app.services.customers.queries import search_customers
    from app.services.hall.demo import DEMO_PASSWORD
    from bench.generate import customer_id_number, generate

    made = generate(url, orders=orders, customers=customers, day=DAY)
    assert (made.orders, made.customers, made.lines) == (orders, customers, customers)
    # one event per order, one per thousand seals (one batch of each here)
    assert made.audit_events == orders + -(-2 * customers // 1000) + -(-orders // 1000)
    db = open_database(url)
    try:
        assert verify_audit(db).ok
        pd = default_personal_data()
        assert len(search_customers(db, customer_id_number(customers - 1), pd)) == 1
        with db.read() as s:
            hashes = [h for (h,) in s.query(Staff.password_hash)]
        assert len(hashes) == 5 and verify_password(hashes[0], DEMO_PASSWORD)
    finally:
        db.dispose()


def test_a_forked_run_verifies_and_its_staff_log_in(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gen_produce, "spare_core", lambda: True)
    monkeypatch.setattr(gen_produce, "FORK_FROM", 2000)
    _generated_and_verified(f"sqlite:///{tmp_path / 'g.sqlite3'}", 2500, 1200)


def test_the_demo_staff_hash_is_the_app_s() -> None:
    from argon2 import PasswordHasher

    from app.security.passwords import verify_password
    from app.services.hall.demo import DEMO_PASSWORD
    from bench.gen_rows import DEMO_STAFF_HASH

    assert verify_password(DEMO_STAFF_HASH, DEMO_PASSWORD)
    # the program's own parameters (app.security.passwords; the tests run a cheaper hasher)
    assert not PasswordHasher().check_needs_rehash(DEMO_STAFF_HASH)


def test_a_run_on_postgresql_verifies(pg_url: str) -> None:
    _generated_and_verified(pg_url, 1300, 900)


def test_the_generator_s_hmac_is_hmac_sha256() -> None:
    import hmac
    import os

    from bench.gen_seals import FastHmac

    for key in (b"", b"k" * 32, os.urandom(64), os.urandom(100)):
        mac = FastHmac(key)
        for message in (b"", b"x", os.urandom(1000), os.urandom(70_000)):
            assert mac.hex(message) == hmac.digest(key, message, "sha256").hex()
