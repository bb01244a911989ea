"""Knowing that a SQLite file is whole without reading all of it at every start.

A full `PRAGMA quick_check` reads every page: seconds for a hall with a year of orders, paid
by every log-in and every `counter` command. So an open only runs fast checks, and the full
check runs when there is a reason for it:

* **always, at open** (milliseconds): the file's header (the SQLite magic, a sane page size,
  a size that is a whole number of pages and not shorter than the header says) and the WAL's
  header when there is one. A file that fails is refused.
* **before the file is used**, synchronously: when it changed while no counter program had it
  open (copied in, restored by hand, scribbled over: its size or modification time is not the
  one the last program to close it noted in ``<db>.health``), when there is no such note yet
  (the first start of this version), or when the last full check found damage.
* **in the background**, never holding up a log-in or a command: after an unclean shutdown
  (a program that had the file open died: its open-marker is still there, or a WAL was left
  behind with nobody holding the file), and on a schedule (`CHECK_EVERY`). A check that does
  not finish (a short command exits first) stays due for the next open. A damaged file found
  in the background is logged, noted, reported to listeners, and refused at the next open.
* backups and restores check their own copies in full (`app.services.exchange`).

Which programs have the file open is known from marker files ``<db>.open-<token>``, each kept
locked by its program (the OS drops the lock when a program dies, however it dies), so a live
program's marker cannot be taken for a dead one's. Only SQLite files are watched; PostgreSQL
looks after its own.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import struct
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any, Final

from app.clock import Clock

log = logging.getLogger(__name__)

CHECK_EVERY: Final = timedelta(days=7)
BACKGROUND_DELAY: Final = 3.0  # seconds: a short command is done before a check would start
HEALTH_SUFFIX: Final = ".health"
MARKER_INFIX: Final = ".open-"
_MAGIC: Final = b"SQLite format 3\x00"
_WAL_MAGIC: Final = (0x377F0682, 0x377F0683)

Listener = Callable[[str | None], None]  # None: the file is whole; else what is wrong


@dataclass
class Verdict:
    """What the open decided: `full_now` runs before the file is used, `due` in the
    background (the reason, for the log)."""

    full_now: bool = False
    due: str | None = None


# --------------------------------------------------------------------------- fast checks


def header_problem(path: Path) -> str | None:
    """Why the file's header (or its WAL's) shows it is not a sound SQLite file; None if it
    looks sound. Reads 100 bytes and two file sizes."""
    size = path.stat().st_size
    if size == 0:
        return None  # SQLite makes the header on the first write
    with path.open("rb") as fh:
        head = fh.read(100)
    if len(head) < 100 or not head.startswith(_MAGIC):
        return "not a database"
    page = struct.unpack(">H", head[16:18])[0]
    page = 65536 if page == 1 else page
    if page < 512 or page & (page - 1):
        return "bad page size"
    if size % page:
        return "truncated"
    counter, pages, valid_for = (struct.unpack(">I", head[o:o + 4])[0] for o in (24, 28, 92))
    if pages and counter == valid_for and pages * page > size:
        return "truncated"
    wal = Path(f"{path}-wal")
    with contextlib.suppress(FileNotFoundError):
        if wal.stat().st_size >= 32:
            with wal.open("rb") as fh:
                magic, _version, wal_page = struct.unpack(">III", fh.read(12))
            if magic not in _WAL_MAGIC or wal_page != page:
                return "bad WAL header"
    return None


def full_check(path: Path, *, interruptible: Callable[[sqlite3.Connection], None] | None = None
               ) -> str | None:
    """`PRAGMA quick_check` on a read-only connection of its own: None when the file is
    whole, else the first problem. `interruptible` is handed the connection (to stop it).
    A check that cannot run (disk I/O, a lock, interrupted) raises `sqlite3.OperationalError`:
    that says nothing about the file."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False,
                          timeout=10)
    try:
        if interruptible is not None:
            interruptible(con)
        rows = [str(r[0]) for r in con.execute("PRAGMA quick_check")]
    except sqlite3.OperationalError:
        raise
    except sqlite3.DatabaseError as exc:  # malformed, not a database: the file is damaged
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    finally:
        con.close()
    return None if rows == ["ok"] else rows[0]


# --------------------------------------------------------------------------- the note


def _stamp(path: Path) -> dict[str, int]:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def read_note(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(Path(f"{path}{HEALTH_SUFFIX}").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_note(path: Path, **changes: Any) -> None:
    """Update ``<db>.health`` (written whole, then renamed into place)."""
    note = read_note(path) or {}
    note.update(changes)
    target = Path(f"{path}{HEALTH_SUFFIX}")
    temp = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        temp.write_text(json.dumps(note, indent=1), encoding="utf-8")
        os.replace(temp, target)
    except OSError as exc:  # a read-only folder: no note, the next open checks in full
        log.warning("cannot write %s: %s", target, exc)
        with contextlib.suppress(OSError):
            temp.unlink()


# --------------------------------------------------------------------------- markers


def _lock(fh: IO[bytes]) -> bool:
    """Take the marker's lock without waiting; False when another program holds it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


@dataclass
class Others:
    live: int = 0
    dead: list[Path] = field(default_factory=list)


def other_markers(path: Path, own: Path | None) -> Others:
    """The other open-markers of the file: how many programs hold theirs, and the markers
    of programs that died with the file open."""
    found = Others()
    for marker in path.parent.glob(f"{path.name}{MARKER_INFIX}*"):
        if marker == own:
            continue
        try:
            with marker.open("rb") as fh:
                if _lock(fh):
                    found.dead.append(marker)
                else:
                    found.live += 1
        except OSError:  # gone meanwhile (its program closed), or unreadable: not ours
            continue
    return found


class Marker:
    """This program's open-marker: created and locked at open, removed at close."""

    def __init__(self, path: Path) -> None:
        self.path = path.with_name(f"{path.name}{MARKER_INFIX}{os.getpid()}-{os.urandom(4).hex()}")
        self.fh: IO[bytes] | None = open(self.path, "wb")  # noqa: SIM115 (held until close)
        if not _lock(self.fh):  # pragma: no cover - a fresh name nobody else knows
            raise OSError("cannot lock the open-marker")

    def release(self) -> None:
        if self.fh is None:
            return
        fh, self.fh = self.fh, None
        if sys.platform == "win32":  # an open file cannot be deleted there
            fh.close()
        with contextlib.suppress(OSError):
            self.path.unlink()  # (elsewhere) while still locked: never taken for a dead one's
        fh.close()


# --------------------------------------------------------------------------- the watch


class Watch:
    """The integrity watch of one open SQLite database (`open_database` makes it)."""

    def __init__(self, path: Path, clock: Clock) -> None:
        self.path, self.clock = path, clock
        self.marker: Marker | None = None
        self.problem: str | None = None  # set when a background check found damage
        self.listeners: list[Listener] = []
        self._timer: threading.Timer | None = None
        self._con: sqlite3.Connection | None = None
        self._closing = False
        self._lock = threading.Lock()

    # -- at open -----------------------------------------------------------------------------
    def decide(self, created: bool) -> Verdict:
        """Mark the file open by this program and decide which checks it needs."""
        try:
            self.marker = Marker(self.path)
        except OSError as exc:
            log.warning("no open-marker for %s (%s): checking in full", self.path, exc)
            return Verdict(full_now=not created)
        if created:
            return Verdict()
        others = other_markers(self.path, self.marker.path)
        for dead in others.dead:
            with contextlib.suppress(OSError):
                dead.unlink()
        note = read_note(self.path)
        if note is None or note.get("damaged"):
            return Verdict(full_now=True)
        if others.dead:
            return Verdict(due="unclean shutdown")
        if not others.live:
            wal = Path(f"{self.path}-wal")
            if wal.exists() and wal.stat().st_size > 0:
                return Verdict(due="unclean shutdown (WAL left behind)")
            if note.get("stamp") != _stamp(self.path):
                return Verdict(full_now=True)
        if note.get("due"):
            return Verdict(due=str(note["due"]))
        checked = _when(note.get("checked_at"))
        if checked is None or self.clock.now() - checked >= CHECK_EVERY:
            return Verdict(due="scheduled")
        return Verdict()

    def checked(self, problem: str | None) -> None:
        """Note a full check's result."""
        if problem is None:
            write_note(self.path, checked_at=self.clock.now().astimezone(UTC).isoformat(),
                       due=None, damaged=None)
        else:
            write_note(self.path, damaged=problem, due=None)

    def created(self) -> None:
        """A new file: nothing in it can be damaged yet."""
        self.checked(None)

    # -- the background check --------------------------------------------------------------------
    def start_background(self, reason: str, delay: float | None = None) -> None:
        """Note the check as due and run it on a thread of its own after `delay` seconds
        (`BACKGROUND_DELAY`)."""
        write_note(self.path, due=reason)
        with self._lock:
            if self._closing:
                return
            self._timer = threading.Timer(BACKGROUND_DELAY if delay is None else delay,
                                          self._run_background)
            self._timer.daemon = True
            self._timer.name = "counter-integrity-check"
            self._timer.start()

    def _keep(self, con: sqlite3.Connection) -> None:
        with self._lock:
            self._con = con
            if self._closing:
                con.interrupt()

    def _run_background(self) -> None:
        try:
            problem = full_check(self.path, interruptible=self._keep)
        except sqlite3.OperationalError as exc:  # interrupted by close, a disk error: still due
            if not self._closing:
                log.warning("integrity check of %s did not finish: %s", self.path, exc)
            return
        except Exception:  # a check that cannot run must not end the program
            log.exception("integrity check of %s could not run", self.path)
            return
        finally:
            with self._lock:
                self._con = None
        self.checked(problem)
        if problem is not None:
            self.problem = problem
            log.error("the database file %s is damaged: %s", self.path, problem)
        for listener in list(self.listeners):
            with contextlib.suppress(Exception):
                listener(problem)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a pending background check (tests, a clean exit); True when none runs."""
        timer = self._timer
        if timer is None:
            return True
        timer.join(timeout)
        return not timer.is_alive()

    # -- at close ------------------------------------------------------------------------------
    def close(self) -> None:
        """Stop a running check, drop the marker; the last program out notes the file's
        size and time, so that the next open knows nobody changed it meanwhile."""
        with self._lock:
            self._closing = True
            if self._timer is not None:
                self._timer.cancel()
            if self._con is not None:
                self._con.interrupt()
        if self._timer is not None and self._timer is not threading.current_thread():
            self._timer.join(10)
        if self.marker is None:
            return
        marker, self.marker = self.marker, None
        others = other_markers(self.path, marker.path)
        try:
            if not others.live and not others.dead and self.path.exists() and not Path(
                    f"{self.path}-wal").exists():
                write_note(self.path, stamp=_stamp(self.path))
        finally:
            marker.release()


def _when(text: Any) -> datetime | None:
    try:
        value = datetime.fromisoformat(str(text))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)
