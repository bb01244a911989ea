"""Guessing one account's password from many counters at once still locks it after
`max_failed_logins` failures, on SQLite and on PostgreSQL (`db` runs on both).

Each attacker is a thread with its own connections through the same `Database`, so on
PostgreSQL the attempts really run side by side under READ COMMITTED: a failure count read,
incremented and written back without a lock on the row loses counts there (and more passwords
get checked than the policy allows). The clock stands still, so the lock cannot run out during
the test.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.clock import FixedClock
from app.db import Database
from app.models import AuditEvent, Staff
from app.models.base import new_uid
from app.security import hash_password
from app.services.hall.registry import ensure_hall
from app.services.staff import auth
from app.services.staff.auth import AuthError, load_policy

ATTACKERS = 8
GUESSES = 3  # per attacker: 24 wrong passwords in all
STAFF_NO = "C001"
PASSWORD = "Right-password-42"


def _with_clerk(db: Database) -> None:
    with db.session() as s:
        hall = ensure_hall(s)
        s.add(Staff(uid=new_uid(), hall_id=hall.id, staff_no=STAFF_NO, name="柜员甲",
                    role="clerk", password_hash=hash_password(PASSWORD)))


def _count_password_checks(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Checks of a real stored hash (an unknown account's dummy check is not one)."""
    checks: Counter[str] = Counter()
    lock = threading.Lock()
    verify = auth.verify_password

    def counting(stored_hash: str | None, password: str) -> bool:
        if stored_hash is not None:
            with lock:
                checks["password"] += 1
        return verify(stored_hash, password)

    monkeypatch.setattr(auth, "verify_password", counting)
    return checks


def _attack(db: Database) -> tuple[Counter[str], list[BaseException]]:
    """All attackers start together; the refusals they got, by kind, and anything else."""
    start = threading.Barrier(ATTACKERS)
    refusals: Counter[str] = Counter()
    unexpected: list[BaseException] = []
    lock = threading.Lock()

    def attacker(n: int) -> None:
        start.wait()
        for guess in range(GUESSES):
            try:
                auth.login(db, STAFF_NO, f"wrong-guess-{n}-{guess}", f"C{n:02d}")
            except AuthError as exc:
                kind = "locked" if "已锁定" in exc.zh else "wrong"
                with lock:
                    refusals[kind] += 1
            except BaseException as exc:  # reported by the test, not lost in the thread
                with lock:
                    unexpected.append(exc)
                return
            else:
                with lock:
                    unexpected.append(AssertionError("a wrong password logged in"))

    threads = [threading.Thread(target=attacker, args=(n,)) for n in range(1, ATTACKERS + 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "an attacker hangs"
    return refusals, unexpected


def test_parallel_wrong_passwords_lock_after_the_allowed_checks(
        db: Database, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> None:
    _with_clerk(db)
    policy = load_policy(db)
    assert policy.max_failed == 5
    checks = _count_password_checks(monkeypatch)

    refusals, unexpected = _attack(db)

    assert not unexpected, unexpected
    assert sum(refusals.values()) == ATTACKERS * GUESSES
    # Every guess was checked (a locked account costs the same check and gets the same answer,
    # so the answer tells nothing); only those up to the lock were counted.
    assert checks["password"] == ATTACKERS * GUESSES
    assert refusals["wrong"] == ATTACKERS * GUESSES
    assert refusals["locked"] == 0
    with db.read() as s:
        staff = s.execute(select(Staff).where(Staff.staff_no == STAFF_NO)).scalar_one()
        actions = Counter(s.execute(select(AuditEvent.action)
                                    .where(AuditEvent.actor == STAFF_NO)).scalars())
    assert staff.locked_until == clock.now() + timedelta(minutes=policy.lock_minutes)
    assert actions["login.fail"] == policy.max_failed
    assert actions["account.lock"] == 1
    assert actions["login.locked"] == ATTACKERS * GUESSES - policy.max_failed

    # The right password is refused while the account is locked: told only now.
    with pytest.raises(AuthError, match="账户已锁定"):
        auth.login(db, STAFF_NO, PASSWORD, "C01")
    assert checks["password"] == ATTACKERS * GUESSES + 1
