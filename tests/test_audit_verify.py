"""Tampering with the audit log in the database shows in `counter audit verify`.

Events are altered, deleted, inserted and reordered with plain SQL, as someone with the
database (the SQLite file, or a login on the PostgreSQL server) but not the hall's key could;
the command must exit non-zero and name the first broken event; an untouched chain exits 0.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from app.cli import main
from app.clock import FixedClock
from app.security import GENESIS_HASH, chain_hash
from app.services.audit import events as audit
from app.services.audit import verify as audit_verify
from app.services.audit.verify import verify_audit
from app.services.staff import auth
from tests.builders import NOW
from tests.security_fixtures import PASSWORD, actor, events

EVENTS = 24


@pytest.fixture
def chain(demo_db, db_url) -> tuple[object, str]:
    """A database with a chain of EVENTS events of several kinds."""
    db = demo_db  # its first event: the demo data's (demo.fill)
    for i in range(EVENTS - 5):
        with db.session() as s:
            audit.record(s, "test.event", actor="C001", counter="C01", target=f"T{i}",
                         data={"n": i, "amount_fen": 1000 + i, "note": "备注"})
    auth.authorize(db, actor(db, "C001"), "S001", PASSWORD, auth.Permission.ORDER_VOID, "测试")
    auth.login(db, "C002", PASSWORD, "C02")
    with pytest.raises(auth.AuthError):
        auth.login(db, "C002", "wrong-password", "C02")
    with db.session() as s:
        audit.record(s, "test.last", actor="S001")
    assert len(events(db)) == EVENTS
    db.dispose()  # the command opens the database itself
    return db, db_url


def verify(db_url: str, *args: str, env: dict[str, str] | None = None
           ) -> subprocess.CompletedProcess[str]:
    """`counter audit verify`: in this process (the same code, without a second start-up and
    key derivation for every check), or as a process of its own under another environment."""
    argv = ["audit", "verify", "--db", db_url, *args]
    if env is not None:
        return subprocess.run([sys.executable, "-m", "app", *argv], capture_output=True,
                              text=True, timeout=60, env=env)
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit_:  # argparse refusing an argument
            code = exit_.code if isinstance(exit_.code, int) else 1
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


def sql(url: str, *statements: str, **params: Any) -> None:
    """Plain SQL in one transaction, past the program (a forger's tools)."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement), params)
    finally:
        engine.dispose()


def on_postgresql(url: str) -> bool:
    return url.startswith("postgresql")


def json_value(url: str, literal: str) -> str:
    """SQL for a JSON value from its text, in the database's own dialect."""
    return f"'{literal}'::json" if on_postgresql(url) else f"json('{literal}')"


def row(url: str, seq: int) -> dict[str, Any]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            found = conn.execute(text("SELECT * FROM audit_event WHERE seq = :seq"),
                                 {"seq": seq}).mappings().one()
    finally:
        engine.dispose()
    return dict(found)


def assert_names(result: subprocess.CompletedProcess[str], seq: int, action: str) -> None:
    """Exit 1, and the first line names the event: seq, action and a time of day."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    line = result.stdout.strip()
    assert "审计链被破坏" in line
    assert f"seq {seq} ({action}, " in line
    assert re.search(rf"seq {seq} \({re.escape(action)}, \d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00",
                     line), line  # the hall's own clock (Asia/Shanghai)


def test_untouched_chain_verifies(chain):
    _db, url = chain
    result = verify(url, env=os.environ.copy())  # the real command, once
    assert result.returncode == 0, result.stderr
    assert f"共 {EVENTS} 条" in result.stdout and f"head {EVENTS}:" in result.stdout


def test_altered_event_is_named(chain):
    _db, url = chain
    data = row(url, 7)["data"]  # text on SQLite, decoded by psycopg
    changed = json_value(url, json.dumps({**(json.loads(data) if isinstance(data, str) else data),
                                          "amount_fen": 1}))
    sql(url, f"UPDATE audit_event SET data = {changed} WHERE seq = 7")
    assert_names(verify(url), 7, "test.event")


@pytest.mark.parametrize("column,value", [("actor", "'S001'"), ("at", "'2026-01-01 00:00:00'"),
                                          ("action", "'test.other'"), ("target", "''"),
                                          ("authorized_by", "'M001'"), ("counter", "'C09'")])
def test_every_recorded_field_is_covered(chain, column, value):
    _db, url = chain
    before = row(url, 12)
    sql(url, f"UPDATE audit_event SET {column} = {value} WHERE seq = 12")
    action = "test.other" if column == "action" else str(before["action"])
    assert_names(verify(url), 12, action)


def test_deleted_event_is_named_with_the_one_found_in_its_place(chain):
    _db, url = chain
    sql(url, "DELETE FROM audit_event WHERE seq = 9")
    result = verify(url)
    assert_names(result, 10, "test.event")
    assert "缺少序号 9–9" in result.stdout and "第 9 条" in result.stdout


def test_inserted_event_with_a_recomputed_plain_hash_is_named(chain):
    """Without the hall's key, a forger can only compute a plain SHA-256 chain."""
    _db, url = chain
    head = row(url, EVENTS)
    fields = {"uid": "forged", "seq": EVENTS + 1, "at": "2026-11-22T02:00:00.000000Z",
              "actor": "S001", "actor_staff_id": None, "authorized_by": None, "counter": "C01",
              "action": "order.void", "target": "X", "data": {}}
    forged = chain_hash(str(head["hash"]), fields)
    sql(url, "INSERT INTO audit_event (uid, seq, at, actor, counter, action, target, data, "
              f"prev_hash, hash) VALUES ('forged', {EVENTS + 1}, '2026-11-22 02:00:00.000000', "
              f"'S001', 'C01', 'order.void', 'X', {json_value(url, '{}')}, '{head['hash']}', "
              f"'{forged}')")
    assert_names(verify(url), EVENTS + 1, "order.void")


def test_event_inserted_in_the_middle_is_named(chain):
    _db, url = chain
    # Make room at seq 6 (two steps: seq is unique) and put a copy of event 5 there.
    sql(url, "UPDATE audit_event SET seq = -seq - 1 WHERE seq >= 6",
        "UPDATE audit_event SET seq = -seq WHERE seq < 0",
        "INSERT INTO audit_event (uid, seq, at, actor, actor_staff_id, authorized_by, counter, "
        "action, target, data, prev_hash, hash) SELECT 'copy', 6, at, actor, actor_staff_id, "
        "authorized_by, counter, action, target, data, hash, hash FROM audit_event "
        "WHERE seq = 5")
    assert_names(verify(url), 6, "test.event")


def test_swapped_events_are_named(chain):
    _db, url = chain
    sql(url, "UPDATE audit_event SET seq = -1 WHERE seq = 3",
        "UPDATE audit_event SET seq = 3 WHERE seq = 4",
        "UPDATE audit_event SET seq = 4 WHERE seq = -1")
    assert_names(verify(url), 3, "test.event")


def rehash_from(url: str, seq: int, key: bytes | None) -> None:
    """Recompute the chain from `seq` on, as a forger would (with or without the key)."""
    from sqlalchemy import select

    from app.db import open_database
    from app.models import AuditEvent
    from app.services.audit.events import event_fields

    reader = open_database(url, migrate=False, clock=FixedClock(NOW))
    with reader.read() as s:
        prev = s.execute(select(AuditEvent.hash).where(AuditEvent.seq == seq - 1)).scalar_one()
        tail = list(s.execute(select(AuditEvent).where(AuditEvent.seq >= seq)
                              .order_by(AuditEvent.seq)).scalars())
    reader.dispose()
    for e in tail:
        digest = chain_hash(prev, event_fields(e), key=key)
        sql(url, "UPDATE audit_event SET prev_hash = :prev, hash = :digest WHERE seq = :seq",
            prev=prev, digest=digest, seq=e.seq)
        prev = digest


def test_rewriting_the_whole_tail_needs_the_key(chain):
    """Someone edits event 5 and recomputes every later hash: without the hall's key (a plain
    SHA-256 chain) it shows; only with the key would it pass, which is why the chain is keyed."""
    _db, url = chain
    sql(url, "UPDATE audit_event SET target = 'edited' WHERE seq = 5")
    rehash_from(url, 5, key=None)
    assert_names(verify(url), 5, "test.event")
    rehash_from(url, 5, key=audit.chain_key())
    assert verify(url).returncode == 0


def test_a_changed_prev_hash_column_is_named(chain):
    _db, url = chain
    sql(url, f"UPDATE audit_event SET prev_hash = '{GENESIS_HASH}' WHERE seq = 15")
    result = verify(url)
    assert_names(result, 15, str(row(url, 15)["action"]))
    assert "prev_hash" in result.stdout


def test_the_wrong_key_fails_at_the_first_event(chain, tmp_path):
    from app.security import create_key_file

    _db, url = chain
    other = tmp_path / "other-key.json"
    create_key_file(other, "another-passphrase-1")
    env = {**os.environ, "COUNTER_KEY_FILE": str(other),
           "COUNTER_KEY_PASSPHRASE": "another-passphrase-1"}
    result = verify(url, env=env)
    assert result.returncode == 1 and "链密钥不对" in result.stdout
    assert "seq 1 (demo.fill" in result.stdout


def test_a_truncated_tail_shows_against_an_anchor(chain):
    _db, url = chain
    first = verify(url)
    anchor = re.search(r"head (\d+:[0-9a-f]{64})", first.stdout).group(1)
    sql(url, f"DELETE FROM audit_event WHERE seq > {EVENTS - 2}")
    assert verify(url).returncode == 0  # a shorter chain is whole: hence anchors
    result = verify(url, "--anchor", anchor)
    assert result.returncode == 1 and "截断" in result.stdout
    assert verify(url, "--anchor", "12:nothex").returncode == 2


def test_no_key_and_no_database_are_clear_errors(chain, tmp_path):
    _db, url = chain
    env = {k: v for k, v in os.environ.items() if not k.startswith("COUNTER_KEY")}
    result = verify(url, env=env)
    assert result.returncode == 1 and "counter key create --file" in result.stderr
    assert "Traceback" not in result.stderr
    missing = verify(f"sqlite:///{tmp_path / 'none.sqlite3'}")
    assert missing.returncode == 1 and "数据库文件不存在" in missing.stderr
    assert not (tmp_path / "none.sqlite3").exists()  # checking never creates a database


def test_verification_streams_in_batches(chain, monkeypatch):
    """Pages of 5: a break far past the first page is still found, and memory stays flat."""
    _db, url = chain
    from app.db import open_database

    monkeypatch.setattr(audit_verify, "BATCH", 5)
    db = open_database(url, migrate=False, clock=_db.clock)
    try:
        report = verify_audit(db)
        assert report.ok and report.checked == EVENTS and report.last_seq == EVENTS
        changed = json_value(url, json.dumps({"n": 99}))
        sql(url, f"UPDATE audit_event SET data = {changed} WHERE seq = 18")
        report = verify_audit(db)
        assert not report.ok and report.first_bad_seq == 18 and report.checked == 17
        assert report.event is not None and report.event.action == "test.event"
    finally:
        db.dispose()


def test_audit_data_must_survive_the_database_unchanged(db):
    """Values JSON would change on the way back (a datetime, NaN, an int key) are refused
    when written, instead of breaking the chain later."""
    for bad in ({"when": NOW}, {"x": float("nan")}, {1: "int key"}):
        with pytest.raises(ValueError), db.session() as s:
            audit.record(s, "test.bad", actor="T", data=bad)  # type: ignore[arg-type]
    with db.session() as s:
        audit.record(s, "test.ok", actor="T", data={"tuple": (1, 2), "float": 0.1, "zh": "中文"})
    assert verify_audit(db).ok
    [event] = events(db)
    assert event.data == json.loads(json.dumps({"tuple": [1, 2], "float": 0.1, "zh": "中文"}))
