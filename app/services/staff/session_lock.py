"""The idle lock of a counter session, without Qt.

A counter left alone with a clerk logged in is an open door to customer data. After
`idle_lock_minutes` (hall setting, default 5) without input the screen locks; only the same
clerk's password, or a supervisor's credentials, open it again, and the screen comes back as it
was (nothing the clerk was typing is lost). Locking and every unlock attempt are audited.

`app/ui/shell/idle.py` notices the idle time; `app/ui/shell/lock_screen.py` shows the overlay. This module
holds the policy and the state so both can be tested without a window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.clock import Clock
from app.db import Database
from app.services.audit import events as audit
from app.services.hall.registry import Actor
from app.services.staff import auth


@dataclass(frozen=True)
class IdleLockPolicy:
    idle_minutes: int = auth.IDLE_LOCK_MINUTES

    @classmethod
    def for_database(cls, db: Database) -> IdleLockPolicy:
        return cls(auth.load_policy(db).idle_lock_minutes)

    @property
    def timeout_ms(self) -> int:
        """For `IdleWatcher(timeout_ms=...)`."""
        return self.idle_minutes * 60_000

    def due(self, last_input: datetime, now: datetime) -> bool:
        """Whether a session with its last input at `last_input` should be locked at `now`."""
        return now - last_input >= timedelta(minutes=self.idle_minutes)


@dataclass(frozen=True)
class UnlockResult:
    staff_no: str  # who unlocked: the clerk, or the supervisor
    by_supervisor: bool


class SessionLock:
    """One counter session's lock state. Not thread-safe: owned by the window (or a test)."""

    def __init__(self, db: Database, actor: Actor, policy: IdleLockPolicy | None = None,
                 *, clock: Clock | Callable[[], datetime] | None = None) -> None:
        """`clock` defaults to the database's; a function returning the time also does."""
        self.db = db
        self.actor = actor
        self.policy = policy or IdleLockPolicy.for_database(db)
        self._clock = _reader(clock if clock is not None else db.clock)
        self._last_input = self._clock()
        self._locked_at: datetime | None = None

    @property
    def locked(self) -> bool:
        return self._locked_at is not None

    def touch(self) -> None:
        """Input seen (key, mouse, card reader): the idle time starts again."""
        if not self.locked:
            self._last_input = self._clock()

    def check_idle(self) -> bool:
        """Lock if the policy says it is time; returns whether the session is locked."""
        if not self.locked and self.policy.due(self._last_input, self._clock()):
            self.lock("idle")
        return self.locked

    def lock(self, reason: str = "manual") -> None:
        """Lock now (idle timeout, or the clerk stepping away). Locking twice is one lock."""
        if self.locked:
            return
        now = self._clock()
        with self.db.session() as s:
            audit.record(s, "session.lock", actor=self.actor.staff_no,
                         actor_staff_id=self.actor.staff_id, counter=self.actor.counter_code,
                         target=self.actor.staff_no, at=now,
                         data={"reason": reason[:20],
                               "idle_minutes": self.policy.idle_minutes})
        self._locked_at = now

    def unlock(self, password: str) -> UnlockResult:
        """The same clerk's password; `AuthError` otherwise (failures count toward lockout)."""
        auth.verify_unlock(self.db, self.actor, password, now=self._clock())
        return self._opened(UnlockResult(self.actor.staff_no, False))

    def unlock_by_supervisor(self, staff_no: str, password: str) -> UnlockResult:
        """A supervisor's credentials (`exception.authorize`); the record names both people."""
        who = auth.unlock_by_supervisor(self.db, self.actor, staff_no, password,
                                        now=self._clock())
        return self._opened(UnlockResult(who, True))

    def _opened(self, result: UnlockResult) -> UnlockResult:
        self._locked_at = None
        self._last_input = self._clock()
        return result


def _reader(clock: Clock | Callable[[], datetime]) -> Callable[[], datetime]:
    """A function returning the time, from a `Clock` (`.now()`) or from such a function."""
    now = getattr(clock, "now", None)
    if callable(now):
        return now  # type: ignore[no-any-return]
    assert callable(clock)
    return clock
