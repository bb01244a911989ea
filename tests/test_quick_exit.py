"""`python -m app` ends a one-shot command (`counter process`) without Python's teardown
(`app.cli.leave`), and only when nothing is lost by it: its output is flushed, its database
closed as usual, and a profiler or tracer still gets its exit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import personal

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import argparse, atexit, sys
import app.cli as cli
atexit.register(lambda: print("|teardown", end=""))
def handler(args):
    print("output", end="")  # left in the buffer: `leave` must flush it
    return 3
def parser(only=None):
    p = argparse.ArgumentParser()
    p.set_defaults(handler=handler, quick_start=QUICK)
    return p
cli.build_parser = parser
sys.argv = ["counter"]
TRACE
END
"""


def _probe(quick: bool, trace: bool = False, argv: str = "None") -> tuple[int, str]:
    code = (PROBE.replace("QUICK", str(quick))
            .replace("TRACE", "sys.settrace(lambda *a: None)" if trace else "")
            .replace("END", "cli.run()" if argv == "run" else f"cli.leave(cli.main({argv}))"))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.stderr == ""
    return done.returncode, done.stdout


@pytest.mark.parametrize("quick, trace, argv, out", [
    (True, False, "None", "output"),  # the program, a one-shot command: ends at once
    (False, False, "None", "output|teardown"),  # any other command: the usual exit
    (True, True, "None", "output|teardown"),  # under a tracer (coverage), or a profiler
    (True, False, "[]", "output|teardown"),  # main() called by a caller that goes on
    (True, False, "run", "output"),  # app.cli.run: the `counter` command and the bundle
])
def test_only_a_one_shot_command_of_the_program_skips_the_teardown(
        quick: bool, trace: bool, argv: str, out: str) -> None:
    assert _probe(quick, trace, argv) == (3, out)


def test_counter_process_still_closes_its_database(tmp_path: Path) -> None:
    """The database is closed by the command itself: the health note is written and no
    marker of an open program is left behind, so the next open sees a clean close."""
    db = tmp_path / "counter.sqlite3"
    request = tmp_path / "req.json"
    request.write_text(json.dumps(personal("sim_replacement")), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "app", "process", str(request), "--db",
                           f"sqlite:///{db}"], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, env=os.environ.copy())
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["decision"] == "accepted"
    assert Path(f"{db}.health").is_file()
    assert not list(tmp_path.glob("counter.sqlite3.open-*"))
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0


def test_the_counter_command_and_the_bundle_end_through_run() -> None:
    """`counter` (the installed script) and the frozen program start at `app.cli.run`, so
    they end a one-shot command as `python -m app` does."""
    from importlib.metadata import entry_points

    (script,) = entry_points(group="console_scripts", name="counter")
    assert script.value == "app.cli:run"
    bundle_main = (ROOT / "installer" / "counter_main.py").read_text(encoding="utf-8")
    assert "from app.cli import run" in bundle_main and "    run()" in bundle_main
