"""Bounded input for `counter process` (issue #15): size and count limits, endless input,
and no database made for an input that is refused."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from app.commands.process import read_requests
from app.core.request import MAX_BATCH_BYTES, MAX_BATCH_REQUESTS, RequestError, load_batch
from tests.builders import personal

TIMEOUT = 120  # generous: the machine may be busy; a run that does not stop is what fails
SIZE_LINE = f"request: larger than the limit of 20 MB ({MAX_BATCH_BYTES} bytes)"
COUNT_LINE = f"request: more than {MAX_BATCH_REQUESTS} requests"
# Runs the command in-process and prints its peak memory, so a test can see it stayed flat.
PEAK_RSS = """
import resource, sys
from app.cli import main
code = main(sys.argv[1:])
print(f"peak_rss_kb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr)
sys.exit(code)
"""


def counter(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "app", *args], input=stdin,
                          capture_output=True, timeout=TIMEOUT, env=os.environ.copy())
    return subprocess.CompletedProcess(proc.args, proc.returncode,
                                       proc.stdout.decode("utf-8", "replace"),
                                       proc.stderr.decode("utf-8", "replace"))


def refused(proc: subprocess.CompletedProcess[str], line: str) -> None:
    """Exit 2 with one line on stderr naming the problem, nothing on stdout."""
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and line in lines[0], proc.stderr
    assert proc.stdout == "" and "internal error" not in proc.stderr


def feed_forever(write: Callable[[bytes], object], close: Callable[[], object]) -> threading.Thread:
    """A thread writing to a pipe until its reader goes away (an endless producer)."""
    def run() -> None:
        chunk = b"[" + b"{}, " * 16384
        try:
            while True:
                write(chunk)
        except (BrokenPipeError, OSError, ValueError):
            pass
        finally:
            with contextlib.suppress(OSError):
                close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


# -- the limits themselves -----------------------------------------------------------------------

def test_the_limits_are_the_documented_ones() -> None:
    assert MAX_BATCH_BYTES == 20 * 1024 * 1024
    assert MAX_BATCH_REQUESTS == 10_000


def test_an_input_at_the_size_limit_is_read_one_byte_past_it_is_not() -> None:
    one = json.dumps(personal("report_loss")).encode()
    at_limit = one + b" " * (MAX_BATCH_BYTES - len(one))
    items, is_list = load_batch(at_limit)
    assert len(items) == 1 and not is_list
    with pytest.raises(RequestError, match="larger than the limit of 20 MB"):
        load_batch(at_limit + b" ")


def test_a_list_at_the_count_limit_is_read_one_more_is_not() -> None:
    items, is_list = load_batch(b"[" + b",".join([b"{}"] * MAX_BATCH_REQUESTS) + b"]")
    assert is_list and len(items) == MAX_BATCH_REQUESTS
    with pytest.raises(RequestError, match=f"more than {MAX_BATCH_REQUESTS} requests"):
        load_batch(b"[" + b",".join([b"{}"] * (MAX_BATCH_REQUESTS + 1)) + b"]")


def test_a_huge_list_is_refused_at_its_first_item_too_many() -> None:
    # Two million items: stopping at the 10,001st keeps this fast and small.
    with pytest.raises(RequestError, match="more than"):
        load_batch(b"[" + b"[]," * 2_000_000 + b"[]]")


def test_ten_thousand_real_requests_are_parsed(tmp_path: Path) -> None:
    source = tmp_path / "batch.json"
    source.write_text(json.dumps([personal("report_loss")] * MAX_BATCH_REQUESTS))
    requests, is_list = read_requests(str(source))
    assert is_list and len(requests) == MAX_BATCH_REQUESTS


@pytest.mark.parametrize("raw, problem", [
    (b"", "the input is empty"),
    (b" \n\t ", "the input is empty"),
    (b"[1 2]", "not valid JSON (line 1 column 4: Expecting ',' delimiter)"),
    (b"[{},]", "not valid JSON"),
    (b"[{}] x", "not valid JSON (line 1 column 6: Extra data)"),
    (b"[", "not valid JSON"),
    (b"[" * 100_000, "nested too deeply"),
    (b"\xef\xbb\xbf[{}]", None),  # a UTF-8 BOM, as json.loads takes it
    ("[{}]".encode("utf-16"), None),
])
def test_the_list_reader_agrees_with_json(raw: bytes, problem: str | None) -> None:
    if problem is None:
        assert load_batch(raw) == ([{}], True)
        return
    with pytest.raises(RequestError) as info:
        load_batch(raw)
    assert problem in str(info.value)


# -- through the command -------------------------------------------------------------------------

def test_over_the_count_limit_through_the_command(tmp_path: Path) -> None:
    source = tmp_path / "many.json"
    source.write_text(json.dumps([personal("report_loss")] * (MAX_BATCH_REQUESTS + 1)))
    db_file = tmp_path / "counter.sqlite3"
    refused(counter("process", str(source), "--db", f"sqlite:///{db_file}"), COUNT_LINE)
    assert not db_file.exists()


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_ends_at_once_with_flat_memory(tmp_path: Path) -> None:
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    db = f"sqlite:///{tmp_path / 'counter.sqlite3'}"

    def peak(source: str) -> tuple[subprocess.CompletedProcess[str], int]:
        proc = subprocess.run([sys.executable, "-c", PEAK_RSS, "process", source, "--db", db],
                              capture_output=True, text=True, timeout=TIMEOUT,
                              env=os.environ.copy())
        *lines, last = proc.stderr.strip().splitlines()
        assert last.startswith("peak_rss_kb="), proc.stderr
        return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout,
                                           "\n".join(lines)), int(last.split("=")[1])

    baseline_proc, baseline = peak(str(empty))
    refused(baseline_proc, "the input is empty")
    proc, used = peak("/dev/zero")
    refused(proc, SIZE_LINE)
    # The buffer of limit + 1 bytes, and nothing that grows with the input.
    assert used - baseline < 3 * MAX_BATCH_BYTES // 1024, (baseline, used)
    assert not (tmp_path / "counter.sqlite3").exists()


def test_endless_stdin_ends_with_exit_2(tmp_path: Path) -> None:
    db_file = tmp_path / "counter.sqlite3"
    proc = subprocess.Popen([sys.executable, "-m", "app", "process", "-", "--db",
                             f"sqlite:///{db_file}"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=os.environ.copy())
    assert proc.stdin is not None
    feeder = feed_forever(proc.stdin.write, proc.stdin.close)
    try:
        code = proc.wait(timeout=TIMEOUT)
    finally:
        proc.kill()
    feeder.join(timeout=10)
    assert proc.stdout is not None and proc.stderr is not None
    stderr = proc.stderr.read().decode()
    stdout = proc.stdout.read().decode()
    proc.stdout.close()
    proc.stderr.close()
    refused(subprocess.CompletedProcess(proc.args, code, stdout, stderr), SIZE_LINE)
    assert not db_file.exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_an_endless_named_pipe_ends_with_exit_2(tmp_path: Path) -> None:
    fifo = tmp_path / "requests.json"
    os.mkfifo(fifo)
    db_file = tmp_path / "counter.sqlite3"

    def writer() -> None:
        fd = os.open(fifo, os.O_WRONLY)  # blocks until the command opens the pipe
        feed_forever(lambda b: os.write(fd, b), lambda: os.close(fd)).join()

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    refused(counter("process", str(fifo), "--db", f"sqlite:///{db_file}"), SIZE_LINE)
    thread.join(timeout=10)
    assert not db_file.exists()


# -- a refused input makes no database -----------------------------------------------------------

def _write(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


MALFORMED: dict[str, Callable[[Path], object]] = {
    "bad JSON": lambda p: p.write_text("{not json", encoding="utf-8"),
    "empty file": lambda p: p.write_bytes(b""),
    "bad field": lambda p: _write(p, personal("report_loss", line={"arrears": "58"})),
    "unknown field": lambda p: _write(p, {**personal("report_loss"), "colour": "red"}),
    "bad detail": lambda p: _write(p, personal("number_change",
                                               details={"new_number": "99"})),
    "missing line": lambda p: _write(p, personal("report_loss", line=None)),
    "bad second request": lambda p: _write(p, [personal("report_loss"),
                                               personal("report_loss", signature="yes")]),
    "over the size limit": lambda p: p.write_bytes(b" " * (MAX_BATCH_BYTES + 1)),
}
MESSAGES = {
    "bad JSON": "request: not valid JSON", "empty file": "request: the input is empty",
    "bad field": "line.arrears: expected a number", "unknown field": "colour: unknown field",
    "bad detail": "details.new_number: expected a mainland mobile number",
    "missing line": "line: required for service report_loss",
    "bad second request": "[1].signature: expected true or false",
    "over the size limit": SIZE_LINE,
}


@pytest.fixture
def fresh_target(db_backend: str, tmp_path: Path,
                 request: pytest.FixtureRequest) -> Iterator[tuple[str, Callable[[], bool]]]:
    """A database URL nothing exists at yet, and a check that something was made there: a
    SQLite file that is not there, or an empty PostgreSQL database (no tables)."""
    if db_backend == "sqlite":
        path = tmp_path / "new" / "counter.sqlite3"
        yield f"sqlite:///{path}", lambda: path.exists() or path.parent.exists()
        return
    url: str = request.getfixturevalue("pg_url")

    def made() -> bool:
        engine = create_engine(url)
        try:
            return bool(inspect(engine).get_table_names())
        finally:
            engine.dispose()

    yield url, made


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_refused_input_makes_no_database(case: str, tmp_path: Path,
                                          fresh_target: tuple[str, Callable[[], bool]]) -> None:
    url, made = fresh_target
    source = tmp_path / "bad.json"
    MALFORMED[case](source)
    refused(counter("process", str(source), "--db", url), MESSAGES[case])
    assert not made(), case


def test_no_key_makes_no_database(tmp_path: Path) -> None:
    source = tmp_path / "ok.json"
    _write(source, personal("report_loss"))
    db_file = tmp_path / "counter.sqlite3"
    env = {**os.environ, "COUNTER_KEY_FILE": str(tmp_path / "missing-key.json")}
    proc = subprocess.run([sys.executable, "-m", "app", "process", str(source), "--db",
                           f"sqlite:///{db_file}"], capture_output=True, text=True,
                          timeout=TIMEOUT, env=env)
    assert proc.returncode == 1 and "找不到密钥文件" in proc.stderr, proc.stderr
    assert not db_file.exists()


def test_a_good_input_still_makes_its_database(tmp_path: Path) -> None:
    source = tmp_path / "ok.json"
    _write(source, personal("report_loss"))
    db_file = tmp_path / "new" / "counter.sqlite3"
    proc = counter("process", str(source), "--db", f"sqlite:///{db_file}")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["decision"] == "accepted" and db_file.exists()
