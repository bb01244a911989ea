"""The log-in answer tells nothing about the account: an unknown staff number, an inactive
one, a wrong password and a locked account get the same words and take the same time; the
lock is told only to whoever gives the right password. The audit log keeps what really
happened. Runs on SQLite and on PostgreSQL (`demo_db`)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from app.db import Database
from app.models import Staff
from app.security import hash_password, passwords
from app.services.staff import accounts, auth
from app.services.staff.auth import AuthError
from app.services.staff.session_lock import SessionLock
from tests.security_fixtures import PASSWORD, T0, actor, events, set_hall_config, staff_row

WRONG = ("工号或密码错误", "wrong staff number or password")


def lock(db: Database, staff_no: str, minutes: int = 60) -> None:
    with db.session() as s:
        staff = auth.find_staff(s, staff_no)
        assert staff is not None
        staff.locked_until = T0 + timedelta(minutes=minutes)


def answer(db: Database, staff_no: str, password: str) -> AuthError:
    with pytest.raises(AuthError) as refused:
        auth.login(db, staff_no, password, "C01", now=T0)
    return refused.value


def test_unknown_inactive_wrong_and_locked_get_the_same_answer(demo_db: Database) -> None:
    db = demo_db
    accounts.deactivate(db, actor(db, "A001"), "C002", "离职")
    lock(db, "M001")
    answers = {
        "unknown": answer(db, "X999", PASSWORD),
        "inactive": answer(db, "C002", PASSWORD),
        "wrong": answer(db, "C001", "wrong-password-1"),
        "locked": answer(db, "M001", "wrong-password-1"),
    }
    for kind, refused in answers.items():
        assert (refused.zh, refused.en) == WRONG, kind
        assert str(refused) == "工号或密码错误 / wrong staff number or password", kind
    # The right password is the only way to learn of the lock.
    told = answer(db, "M001", PASSWORD)
    assert told.zh == "账户已锁定，请 60 分钟后再试，或请管理员解锁"
    assert told.en == "account locked; try again in 60 min or ask an administrator"
    # What really happened is on the record.
    fails = [(e.actor, e.data.get("reason"), e.data.get("failed")) for e in
             events(db, "login.fail")]
    assert fails == [("X9**", "unknown", None), ("C002", "inactive", None), ("C001", None, 1)]
    locked = [(e.actor, e.data["password_ok"]) for e in events(db, "login.locked")]
    assert locked == [("M001", False), ("M001", True)]
    assert staff_row(db, "M001").failed_logins == 0  # guesses at a locked account: not counted


def test_the_attempts_left_are_never_told(demo_db: Database) -> None:
    """Neither for a real account nor for an unknown one, and the locking failure itself
    sounds like any other: the count is in the audit log only."""
    db = demo_db
    for attempt in range(1, 6):
        refused = answer(db, "C001", "wrong-password-1")
        assert (refused.zh, refused.en) == WRONG, attempt
        unknown = answer(db, "Z123", "wrong-password-1")
        assert (unknown.zh, unknown.en) == WRONG, attempt
    assert staff_row(db, "C001").locked_until == T0 + timedelta(minutes=15)
    assert [e.data["failed"] for e in events(db, "login.fail", actor="C001")] == [1, 2, 3, 4, 5]
    assert len(events(db, "account.lock", target="C001")) == 1


def test_a_locked_screen_answers_alike(demo_db: Database) -> None:
    db = demo_db
    screen = SessionLock(db, actor(db, "C001"))
    screen.lock("manual")
    with pytest.raises(AuthError) as wrong:
        screen.unlock("wrong-password-1")
    lock(db, "C001")
    with pytest.raises(AuthError) as locked:
        screen.unlock("wrong-password-1")
    assert (wrong.value.zh, wrong.value.en) == (locked.value.zh, locked.value.en) == (
        "密码错误", "wrong password")


@pytest.fixture
def real_hashing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The program's own argon2 cost (the suite runs a cheap one), the dummy hash included."""
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher())
    passwords._dummy_hash.cache_clear()
    yield
    passwords._dummy_hash.cache_clear()


def test_unknown_wrong_and_locked_take_the_same_time(demo_db: Database,
                                                     real_hashing: None) -> None:
    """Each costs one full password check; the medians of several tries, taken in turns so
    that a busy machine slows all three alike, are within a factor of 1.5."""
    db = demo_db
    set_hall_config(db, max_failed_logins=100)  # the wrong-password account must not lock
    with db.session() as s:
        for staff in s.execute(select(Staff).where(Staff.staff_no.in_(["C001", "M001"]))
                               ).scalars():
            staff.password_hash = hash_password(PASSWORD)
    lock(db, "M001")

    def timed(staff_no: str) -> float:
        started = time.perf_counter()
        with pytest.raises(AuthError):
            auth.login(db, staff_no, "wrong-password-1", "C01", now=T0)
        return time.perf_counter() - started

    kinds = {"unknown": "X999", "wrong": "C001", "locked": "M001"}
    for staff_no in kinds.values():  # warm up: caches, the dummy hash
        timed(staff_no)
    samples: dict[str, list[float]] = {kind: [] for kind in kinds}
    for _ in range(7):
        for kind, staff_no in kinds.items():
            samples[kind].append(timed(staff_no))
    medians = {kind: statistics.median(values) for kind, values in samples.items()}
    assert max(medians.values()) <= 1.5 * min(medians.values()), medians
