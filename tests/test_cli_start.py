"""`counter COMMAND` imports the module of its command, not every command's: the parser of a
single command reads its line exactly as the full parser does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]


def _commands(only: str | None) -> set[str]:
    sub = next(a for a in build_parser(only=only)._actions if a.dest == "command")
    assert sub.choices is not None
    return set(sub.choices)


def test_a_command_gets_the_parser_of_its_own_module() -> None:
    assert _commands("process") == {"process"}
    assert _commands("import") == {"import"}  # the module import_.py
    assert _commands("day") == {"day"}  # a folder whose __init__ registers it


@pytest.mark.parametrize("word", [None, "shift", "nosuch", "commands"])
def test_anything_else_gets_every_command(word: str | None) -> None:
    """A sub-command's name (day shift), a misspelling, no command: every command, so the
    help and the error list them all."""
    assert {"process", "day", "export", "sync", "gui"} <= _commands(word)


@pytest.mark.parametrize("line", [
    ["process", "req.json"],
    ["process", "-", "--db", "sqlite:///x.sqlite3", "--out", "papers", "--lang", "en", "--jsonl"],
])
def test_one_commands_parser_reads_as_the_full_one(line: list[str]) -> None:
    full, own = build_parser().parse_args(line), build_parser(only=line[0]).parse_args(line)
    assert vars(full) == vars(own)


def test_counter_process_imports_no_other_command() -> None:
    code = ("import sys; from app.cli import main; main(['process', '--help'])")
    probe = ("import atexit, sys; atexit.register(lambda: print(sorted(m for m in sys.modules "
             "if m.startswith('app.commands.')), file=sys.stderr));" + code)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "usage: counter process" in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "['app.commands.process']"


GC_PROBE = """
import argparse, gc, sys
import app.cli as cli
seen = []
def handler(args):
    seen.append(gc.isenabled())
    if args.done:
        cli.start_up_done()
        seen.append(gc.isenabled())
    return 0
def parser(only=None):
    p = argparse.ArgumentParser()
    p.set_defaults(handler=handler, quick_start=QUICK, done=DONE)
    return p
cli.build_parser = parser
sys.argv = ["counter"]
code = cli.main()
print(seen, gc.isenabled(), gc.get_freeze_count() > 0, code)
"""


@pytest.mark.parametrize("quick, done, out", [
    (False, False, "[True] True True 0"),  # a command of the usual kind collects as usual
    (True, True, "[False, True] True True 0"),  # paused through its start-up, then resumed
    (True, False, "[False] True False 0"),  # never said: resumed when it ends, nothing kept
])
def test_the_program_pauses_the_collector_only_while_starting(quick: bool, done: bool,
                                                              out: str) -> None:
    probe = GC_PROBE.replace("QUICK", str(quick)).replace("DONE", str(done))
    done_ = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           cwd=ROOT, timeout=120)
    assert done_.returncode == 0, done_.stderr
    assert done_.stdout.strip() == out


def test_main_called_by_a_caller_leaves_the_collector_alone() -> None:
    """Tests (and any caller that goes on) pass their arguments: nothing is paused or kept."""
    import gc

    from app.cli import main

    frozen = gc.get_freeze_count()
    with pytest.raises(SystemExit):
        main(["process", "--help"])
    assert gc.isenabled() and gc.get_freeze_count() == frozen
