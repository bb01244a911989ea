"""The last per-order overheads cut outside the recording modules (#17) keep behaviour:
BEGIN still goes through the cursor listeners, the presenter's number is stored as before,
and an owner's document is checked once with the same verdicts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from app.clock import FixedClock
from app.core import engine as rules_engine
from app.core.catalog import get_catalog
from app.core.config import load_hall_config
from app.core.request import parse_request
from app.db import open_database
from app.security import PersonalDataCipher, generate_key
from app.services.customers.pii import PersonalData
from tests.builders import personal


def test_begin_is_sent_through_the_cursor_listeners(tmp_path: Path, clock: FixedClock) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'c.sqlite3'}", clock=clock)
    seen: list[str] = []

    def on_execute(_c: Any, _cur: Any, sql: str, *_rest: Any) -> None:
        seen.append(sql)

    event.listen(db.engine, "before_cursor_execute", on_execute)
    try:
        with db.session() as s:
            s.execute(text("SELECT 1"))
        with db.read() as s:
            s.execute(text("SELECT 2"))
    finally:
        event.remove(db.engine, "before_cursor_execute", on_execute)
        db.dispose()
    # A write takes the lock up front, a read stays deferred; both really opened a transaction.
    assert seen == ["BEGIN IMMEDIATE", "SELECT 1", "BEGIN", "SELECT 2"]


def test_a_failing_begin_is_sqlalchemys_error(tmp_path: Path, clock: FixedClock) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'c.sqlite3'}", clock=clock)

    def refuse(_c: Any, _cur: Any, sql: str, params: Any, *_rest: Any) -> tuple[str, Any]:
        return ("BEGIN NOT SQL" if sql.startswith("BEGIN") else sql), params

    event.listen(db.engine, "before_cursor_execute", refuse, retval=True)
    try:
        with pytest.raises(OperationalError), db.session() as s:
            s.execute(text("SELECT 1"))
    finally:
        event.remove(db.engine, "before_cursor_execute", refuse)
    with db.session() as s:  # the pool's connection is still good
        assert s.execute(text("SELECT 1")).scalar() == 1
    db.dispose()


def test_conceal_id_is_protect_id_without_the_lookup() -> None:
    pd = PersonalData(PersonalDataCipher(generate_key()))
    full = pd.protect_id(" 11010519491231002x ", "order.presenter_id")
    short = pd.conceal_id(" 11010519491231002x ", "order.presenter_id")
    assert short.masked == full.masked
    assert pd.decrypt(short.enc, "order.presenter_id") == "11010519491231002X"
    assert not hasattr(short, "lookup")


def test_an_owners_document_is_checked_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str]] = []
    real = rules_engine.check_document

    def counting(doc_type: str, number: str, today: Any) -> Any:
        calls.append((doc_type, number))
        return real(doc_type, number, today)

    monkeypatch.setattr(rules_engine, "check_document", counting)
    ev = rules_engine.evaluate(parse_request(personal("report_loss")), get_catalog(),
                               load_hall_config())
    assert ev.decision == "accepted"
    assert len(calls) == len(set(calls)) == 1
