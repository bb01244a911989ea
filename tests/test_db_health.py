"""The integrity check on open (`app.db.health`): fast when the file was left whole, in full
before use when it changed behind the program's back, in the background after an unclean
shutdown and on a schedule, and a damaged file found in the background is refused next time."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from app.clock import FixedClock
from app.db import DatabaseError, health, open_database
from app.db import engine as engine_module

pytestmark = pytest.mark.sqlite_only("about the SQLite file itself")
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def full_checks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """The synchronous full checks open_database runs (the background's are not counted)."""
    calls: list[Path] = []
    real = engine_module.full_check

    def spy(path: Path, **kw: object) -> str | None:
        calls.append(path)
        return real(path, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(engine_module, "full_check", spy)
    yield calls


@pytest.fixture
def hall_file(tmp_path: Path, clock: FixedClock) -> Path:
    """A demo hall in a file, closed cleanly (its note says so)."""
    from app.services.hall.demo import fill_demo

    path = tmp_path / "counter.sqlite3"
    db = open_database(f"sqlite:///{path}", clock=clock)
    fill_demo(db, customers=10)
    db.dispose()
    return path


def note(path: Path) -> dict[str, object]:
    return json.loads(Path(f"{path}.health").read_text(encoding="utf-8"))


def markers(path: Path) -> list[Path]:
    return list(path.parent.glob(f"{path.name}.open-*"))


def test_a_file_closed_cleanly_opens_without_reading_it_all(hall_file: Path, clock: FixedClock,
                                                            full_checks: list[Path]) -> None:
    assert note(hall_file)["stamp"] == {"size": hall_file.stat().st_size,
                                        "mtime_ns": hall_file.stat().st_mtime_ns}
    db = open_database(f"sqlite:///{hall_file}", clock=clock)
    try:
        assert full_checks == []
        assert db.watch is not None and db.watch._timer is None  # nothing due either
        assert len(markers(hall_file)) == 1  # this program has it open
    finally:
        db.dispose()
    assert markers(hall_file) == []


def test_a_file_changed_behind_the_programs_back_is_checked_before_use(
        hall_file: Path, clock: FixedClock, full_checks: list[Path]) -> None:
    import sqlite3

    con = sqlite3.connect(hall_file)  # another tool writes while no counter program has it
    con.execute("UPDATE customer SET phone = '13900000000'")
    con.commit()
    con.close()
    open_database(f"sqlite:///{hall_file}", clock=clock).dispose()
    assert full_checks == [hall_file]
    open_database(f"sqlite:///{hall_file}", clock=clock).dispose()  # known again: fast
    assert full_checks == [hall_file]


def test_a_file_without_a_note_is_checked_once(hall_file: Path, clock: FixedClock,
                                              full_checks: list[Path]) -> None:
    Path(f"{hall_file}.health").unlink()  # as a hall's file before this version
    open_database(f"sqlite:///{hall_file}", clock=clock).dispose()
    open_database(f"sqlite:///{hall_file}", clock=clock).dispose()
    assert full_checks == [hall_file]
    assert note(hall_file)["checked_at"] == clock.now().isoformat()


def test_a_broken_header_is_refused_at_once_without_a_full_check(
        hall_file: Path, clock: FixedClock, full_checks: list[Path]) -> None:
    with hall_file.open("ab") as fh:
        fh.write(b"\0" * 100)  # no longer a whole number of pages: a torn copy
    with pytest.raises(DatabaseError, match="已损坏"):
        open_database(f"sqlite:///{hall_file}", clock=clock)
    assert full_checks == [] and markers(hall_file) == []


def _kill_while_open(path: Path) -> None:
    """A counter program that has the file open (and has written to it) dies."""
    script = textwrap.dedent(f"""
        import sys, time
        from app.db import open_database
        db = open_database("sqlite:///{path}")
        with db.session() as s:
            from sqlalchemy import text
            s.execute(text("UPDATE customer SET phone = '13911111111'"))
        print("open", flush=True)
        time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                            cwd=ROOT)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "open"
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    proc.stdout.close()


def test_after_an_unclean_shutdown_the_check_runs_in_the_background(
        hall_file: Path, clock: FixedClock, full_checks: list[Path],
        monkeypatch: pytest.MonkeyPatch) -> None:
    _kill_while_open(hall_file)
    assert len(markers(hall_file)) == 1  # the dead program's marker stays behind
    monkeypatch.setattr(health, "BACKGROUND_DELAY", 0.0)
    before = note(hall_file).get("checked_at")
    clock.advance(minutes=5)
    started = time.perf_counter()
    db = open_database(f"sqlite:///{hall_file}", clock=clock)
    try:
        assert full_checks == []  # the open did not wait for it
        assert time.perf_counter() - started < 5
        assert db.watch is not None and db.watch.wait(30)
        after = note(hall_file)
        assert after["due"] is None and after["checked_at"] != before
        assert db.watch.problem is None
        assert len(markers(hall_file)) == 1  # the dead marker was cleared, ours is there
    finally:
        db.dispose()


def test_a_program_that_has_the_file_open_is_not_taken_for_a_crash(
        hall_file: Path, clock: FixedClock, full_checks: list[Path]) -> None:
    first = open_database(f"sqlite:///{hall_file}", clock=clock)
    with first.session() as s:
        from sqlalchemy import text

        s.execute(text("UPDATE customer SET phone = '13922222222'"))  # the WAL is in use
    second = open_database(f"sqlite:///{hall_file}", clock=clock)
    try:
        assert full_checks == []
        assert second.watch is not None and second.watch._timer is None
    finally:
        second.dispose()
        first.dispose()
    assert "due" not in note(hall_file) or note(hall_file)["due"] is None
    assert note(hall_file)["stamp"]["size"] == hall_file.stat().st_size  # type: ignore[index]


def test_the_full_check_is_due_again_after_a_week(hall_file: Path, clock: FixedClock,
                                                  full_checks: list[Path]) -> None:
    clock.advance(health.CHECK_EVERY + timedelta(hours=1))
    db = open_database(f"sqlite:///{hall_file}", clock=clock)
    try:
        assert full_checks == [] and note(hall_file)["due"] == "scheduled"
        assert db.watch is not None and db.watch._timer is not None
    finally:
        db.dispose()  # a check that did not run stays due for the next open
    assert note(hall_file)["due"] == "scheduled"
    assert not [t for t in __import__("threading").enumerate()
                if t.name == "counter-integrity-check" and t.is_alive()]


def test_damage_found_in_the_background_is_reported_and_refused_next_time(
        hall_file: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> None:
    _kill_while_open(hall_file)
    import sqlite3

    con = sqlite3.connect(hall_file)  # the crash's WAL folded in, then the damage
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = con.execute("PRAGMA page_size").fetchone()[0]
    roots = [r[0] for r in con.execute(  # the customer table's indexes: not read at open
        "SELECT rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = 'customer'")]
    con.close()
    data = bytearray(hall_file.read_bytes())
    for root in roots:
        offset = (root - 1) * page
        data[offset + 8:offset + page] = os.urandom(page - 8)
    hall_file.write_bytes(bytes(data))
    monkeypatch.setattr(health, "BACKGROUND_DELAY", 0.0)
    heard: list[str | None] = []
    db = open_database(f"sqlite:///{hall_file}", clock=clock)  # after a crash: not waited for
    try:
        assert db.watch is not None
        db.watch.listeners.append(heard.append)
        assert db.watch.wait(30)
        assert db.watch.problem is not None and note(hall_file)["damaged"]
    finally:
        db.dispose()
    assert heard in ([db.watch.problem], [])  # told, unless it finished before we listened
    with pytest.raises(DatabaseError, match="已损坏"):
        open_database(f"sqlite:///{hall_file}", clock=clock)


def test_the_migration_heads_read_from_the_scripts_are_alembic_s(tmp_path: Path) -> None:
    """An up-to-date open compares the version table with heads read from the scripts' text
    (no Alembic import): they must be the heads Alembic finds."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from app.db.migrate import MIGRATIONS, script_heads

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    assert script_heads() == frozenset(ScriptDirectory.from_config(cfg).get_heads())
    code = ("import sys; from app.db import open_database; "
            f"open_database('sqlite:///{tmp_path / 'x.sqlite3'}').dispose(); "
            f"open_database('sqlite:///{tmp_path / 'x.sqlite3'}').dispose(); "
            "print('alembic' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.stdout.strip() == "True"  # the first open made the file with Alembic
    code = code.replace(f"open_database('sqlite:///{tmp_path / 'x.sqlite3'}').dispose(); ", "",
                        1)
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           cwd=ROOT, timeout=120)
    assert again.stdout.strip() == "False", again.stderr  # an up-to-date open never loads it
