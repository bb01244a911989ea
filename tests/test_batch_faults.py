"""Outcomes are never lost: `counter process` on a disk that fills up, and killed at random.

One SQLite database lives on a small tmpfs (mounting one needs root: skipped otherwise). Forty
rounds each run a batch of distinct requests again — with or without `--out`, as JSON Lines
or as the JSON list — and either leave the disk almost no room (a filler file takes the rest,
so the database, its WAL or the papers run out of space at a random point), or kill the
command with SIGKILL at a random moment, or both. After every round:

- every order whose outcome was printed is in the database, and the orders the round added
  without printing their outcome are at most the one in flight (none when the command stopped
  by itself);
- a command that stopped by itself exits 1 and its last line names what it committed and
  what it did not; an order committed without its papers says so and how to reprint them;
- no request has two orders: the next round is a rerun of the same batch, whose earlier
  orders come back as replays and are never recorded again.

A round that finishes its batch closes it: every request has exactly one order. The next
round runs it once more — whatever befalls that run, it records nothing new, and what it
prints are replays — and then a new batch (new lines) starts.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from tests.builders import personal

pytestmark = pytest.mark.sqlite_only("a full disk under the SQLite file, its WAL and papers")

ROUNDS = 40
BATCH = 6  # requests per batch: small, so rounds finish batches and new ones start
DISK_MB = 24
TIMEOUT = 120  # a run that does not end is what fails; the machine may be busy
STOPPED = re.compile(r"已提交 (\d+) 条（.*），未提交 (\d+) 条（从第 (\d+) 条起） / committed (\d+) ")
STOPPED_AFTER_ALL = re.compile(r"已提交全部 (\d+) 条（.*） / committed all (\d+) ")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs of DISK_MB megabytes, unmounted afterwards."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_MB}m", "tmpfs",
                              str(disk)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def batch_of(number: int) -> list[dict[str, Any]]:
    """BATCH distinct accepted requests, each on a line of its own (so its order is found by
    the line), dated by the command's own clock; some print a receipt as well as a slip."""
    services = [("report_loss", {}, []), ("sim_replacement", {}, ["sim_card"]),
                ("bill_payment", {"amount": 50}, [])]
    out = []
    for i in range(BATCH):
        service, details, documents = services[i % len(services)]
        req = personal(service, details=details, documents=documents,
                       line={"number": f"1330{number:04d}{i:03d}"})
        del req["business_date"]  # the hall's date in the command's own clock
        out.append(req)
    return out


@dataclass
class Run:
    """What one run printed and how it ended."""

    returncode: int
    outcomes: list[dict[str, Any]]
    stderr: str

    @property
    def order_nos(self) -> list[str]:
        return [o["order_no"] for o in self.outcomes if o.get("order_no")]


def outcomes_in(stdout: str, jsonl: bool) -> list[dict[str, Any]]:
    """The complete outcomes in what a run printed; a cut-off last one does not count."""
    if jsonl:
        lines = stdout.split("\n")
        return [json.loads(line) for line in lines[:-1] if line.strip()]  # [-1]: unfinished
    decoder, found, at = json.JSONDecoder(), [], 0
    while True:
        while at < len(stdout) and stdout[at] in "[], \n":
            at += 1
        if at >= len(stdout):
            return found
        try:
            item, at = decoder.raw_decode(stdout, at)
        except json.JSONDecodeError:
            return found
        found.append(item)


def run_counter(args: list[str], *, jsonl: bool, kill_after: int | None, rng: random.Random
                ) -> Run:
    """Run the command; with `kill_after`, SIGKILL it a random moment after it printed that
    many outcomes (0: a random moment after it started)."""
    proc = subprocess.Popen([sys.executable, "-m", "app", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    seen = ""
    if kill_after is not None:
        if kill_after == 0:
            time.sleep(rng.uniform(0.2, 1.2))
        else:
            printed = 0
            while printed < kill_after:
                line = proc.stdout.readline()
                if not line:
                    break
                seen += line
                printed += 1 if jsonl else line.startswith("  {")
            time.sleep(rng.uniform(0, 0.05))
        proc.send_signal(signal.SIGKILL)
        # Read on through proc.stdout: readline() may have buffered more than it returned,
        # which communicate() (reading the pipe itself) would never see.
        seen += proc.stdout.read()
    out, err = proc.communicate(timeout=TIMEOUT)
    return Run(proc.returncode, outcomes_in(seen + out, jsonl), err)


def orders_by_line(db_file: Path) -> dict[str, list[str]]:
    con = sqlite3.connect(db_file)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        found: dict[str, list[str]] = {}
        for number, order_no in con.execute("SELECT line_number, order_no FROM service_order"):
            found.setdefault(number, []).append(order_no)
        return found
    finally:
        con.close()


def fill(disk: Path, room: int) -> Path:
    """Take all of the disk's free space but `room` bytes."""
    filler = disk / "filler"
    stat = os.statvfs(disk)
    free = stat.f_bavail * stat.f_frsize
    with open(filler, "wb") as f:
        if free > room:
            os.posix_fallocate(f.fileno(), 0, free - room)
    return filler


@dataclass
class Tally:
    kills: int = 0
    full_disk_stops: int = 0
    papers_failed: int = 0
    finished: int = 0
    reruns_of_finished: int = 0
    kinds: set[tuple[bool, bool]] = field(default_factory=set)  # (with --out, jsonl)


def check_stop(run: Run, total: int) -> None:
    """A run that stopped by itself: exit 1, no traceback, and a last line that names what
    was committed and what was not, agreeing with the outcomes it printed."""
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    last = run.stderr.strip().splitlines()[-1]
    done = len(run.outcomes)
    if done == 0:  # nothing committed: the one-line error may say so
        assert "已提交" not in last, last
        return
    assert "未写入任何数据" not in run.stderr and "nothing was written" not in run.stderr
    for order_no in run.order_nos[:10]:
        assert order_no in last, (order_no, last)
    stopped, after_all = STOPPED.search(last), STOPPED_AFTER_ALL.search(last)
    if done < total:
        assert stopped, last
        assert [int(g) for g in stopped.groups()] == [done, total - done, done + 1, done], last
    else:  # the last order's papers failed
        assert after_all and [int(g) for g in after_all.groups()] == [done, done], last


@pytest.mark.slow
def test_a_full_disk_and_kills_lose_no_outcome_and_record_nothing_twice(small_disk: Path,
                                                                         tmp_path: Path) -> None:
    from app.db import open_database
    from app.services.hall.registry import batch_actor

    db_file = small_disk / "counter.sqlite3"
    url = f"sqlite:///{db_file}"
    db = open_database(url)  # the hall and its batch counter, made with room
    batch_actor(db)
    db.dispose()
    papers = small_disk / "papers"
    rng = random.Random(20261231)
    tally = Tally()
    batch_no, batch = 1, batch_of(1)
    source = tmp_path / "batch.json"  # off the small disk: the input is always readable
    source.write_text(json.dumps(batch, ensure_ascii=False), encoding="utf-8")
    started = time.monotonic()
    finished = False  # the batch is: the next round runs it again

    for round_no in range(1, ROUNDS + 1):
        with_out, jsonl = rng.random() < 0.5, rng.random() < 0.6
        tally.kinds.add((with_out, jsonl))
        scenario = rng.choice(["full", "kill", "full+kill"])
        args = ["process", str(source), "--db", url] + (["--jsonl"] if jsonl else []) + (
            ["--out", str(papers)] if with_out else [])
        before = orders_by_line(db_file)
        filler = fill(small_disk, rng.randrange(0, 1_200_000)) if "full" in scenario else None
        run = run_counter(args, jsonl=jsonl, rng=rng,
                          kill_after=rng.randrange(BATCH) if "kill" in scenario else None)
        if filler is not None:
            filler.unlink()  # room again before the database is read
        after = orders_by_line(db_file)
        where = f"round {round_no} ({scenario}, --out {with_out}, jsonl {jsonl})"

        # Printed means recorded; recorded but not printed is at most the one in flight.
        recorded = {no for nos in after.values() for no in nos}
        assert set(run.order_nos) <= recorded, where
        added = recorded - {no for nos in before.values() for no in nos}
        unprinted = added - set(run.order_nos)
        killed = run.returncode == -signal.SIGKILL
        assert len(unprinted) <= (1 if killed else 0), (where, unprinted, run.returncode,
                                                        run.order_nos, run.stderr)
        # Nothing twice: each request of the batch has one order at most.
        twice = {line: nos for line, nos in after.items() if len(nos) > 1}
        assert not twice, (where, twice)
        # An order whose papers failed says so, and how to print them again.
        for outcome in run.outcomes:
            if "papers_error" in outcome:
                assert outcome["documents_printed"] == []
                assert f"counter reprint {outcome['order_no']} --out " in outcome["papers_error"]
                tally.papers_failed += 1

        if killed:
            tally.kills += 1
        elif run.returncode != 0:
            check_stop(run, BATCH)
            tally.full_disk_stops += 1
        else:
            assert "Traceback" not in run.stderr
            assert len(run.outcomes) == BATCH and all(
                o["decision"] == "accepted" for o in run.outcomes), where
            tally.finished += 1

        if finished:  # the rerun of a finished batch: nothing new, only replays; a new batch
            assert not added and all(o.get("replay") for o in run.outcomes), (where, run)
            tally.reruns_of_finished += 1
            batch_no += 1
            batch, finished = batch_of(batch_no), False
            source.write_text(json.dumps(batch, ensure_ascii=False), encoding="utf-8")
        elif run.returncode == 0:  # one order for each request, and no more
            lines = [req["line"]["number"] for req in batch]
            assert all(len(after.get(line, [])) == 1 for line in lines), (where, after)
            finished = True

    elapsed = time.monotonic() - started
    print(f"\n{ROUNDS} rounds: {tally.kills} kills, {tally.full_disk_stops} stops on a full "
          f"disk, {tally.papers_failed} orders without papers, {tally.finished} finished, "
          f"{tally.reruns_of_finished} reruns of a finished batch, {elapsed:.0f} s")
    assert tally.kills >= 10 and tally.full_disk_stops >= 5, tally
    assert {with_out for with_out, _jsonl in tally.kinds} == {True, False}, tally


def test_an_order_whose_papers_cannot_be_written_still_gets_its_outcome(small_disk: Path,
                                                                        tmp_path: Path) -> None:
    """The database has room, the papers' disk has none: the first order is committed, its
    outcome printed, saying that its papers failed and how to print them; the command stops
    there (exit 1) naming what it committed. `counter reprint` prints them; the rerun records
    the rest and nothing twice."""
    url = f"sqlite:///{tmp_path / 'counter.sqlite3'}"
    source = tmp_path / "batch.json"
    batch = batch_of(99)
    source.write_text(json.dumps(batch, ensure_ascii=False), encoding="utf-8")
    papers = small_disk / "papers"
    papers.mkdir()
    filler = fill(small_disk, 0)
    args = ["process", str(source), "--db", url, "--out", str(papers)]

    run = run_counter(args, jsonl=False, kill_after=None, rng=random.Random(0))
    check_stop(run, BATCH)
    [outcome] = run.outcomes
    order_no = outcome["order_no"]
    assert outcome["decision"] == "accepted" and outcome["documents_printed"] == []
    reprint = f"counter reprint {order_no} --out {papers} --db {url}"
    assert outcome["papers_error"] == (
        f"订单 {order_no} 已提交，但单据未能写入（No space left on device）；补打：{reprint} / "
        f"order {order_no} is committed but its papers could not be written (No space left on "
        f"device); print them with: {reprint}")
    lines = [line for line in run.stderr.splitlines() if line.startswith("counter: ")]
    assert lines == [f"counter: {outcome['papers_error']}",
                     f"counter: 已提交 1 条（订单 {order_no}），未提交 {BATCH - 1} 条（从第 2 条起） "
                     f"/ committed 1 (orders {order_no}), not committed {BATCH - 1} (from #2)"]
    assert not list(papers.iterdir())  # no half-written paper left behind

    filler.unlink()
    again = run_counter([*args, "--jsonl"], jsonl=True, kill_after=None, rng=random.Random(0))
    assert again.returncode == 0, again.stderr
    first, *rest = again.outcomes
    assert first["order_no"] == order_no and first["replay"] is True
    assert [Path(p).name for p in first["documents_printed"]] == [f"{order_no}_slip.pdf"]
    assert len(rest) == BATCH - 1 and not any(o.get("replay") for o in rest)
    orders = orders_by_line(tmp_path / "counter.sqlite3")
    assert sorted(len(nos) for nos in orders.values()) == [1] * BATCH
    assert not subprocess.run([sys.executable, "-m", "app", "reprint", order_no, "--out",
                               str(tmp_path / "reprints"), "--db", url], capture_output=True,
                              timeout=TIMEOUT).returncode


# --------------------------------------------------------------------------- in process


def full_disk() -> OperationalError:
    return OperationalError("COMMIT", {}, sqlite3.OperationalError("database or disk is full"))


def process_in_process(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                       *extra: str) -> tuple[int, list[dict[str, Any]], list[str]]:
    from app.cli import main

    source = tmp_path / "batch.json"
    if not source.exists():
        source.write_text(json.dumps(batch_of(7), ensure_ascii=False), encoding="utf-8")
    code = main(["process", str(source), "--db", f"sqlite:///{tmp_path / 'c.sqlite3'}",
                 "--jsonl", *extra])
    out, err = capsys.readouterr()
    return code, outcomes_in(out, jsonl=True), [line for line in err.splitlines()
                                                if line.startswith("counter: ")]


def test_a_database_fault_half_way_names_what_was_committed(tmp_path, capsys, monkeypatch):
    """Without root (no tmpfs): the third request meets a full disk, for good. The first two
    outcomes are out; the error, then the line naming what was and was not committed."""
    from app.services.orders.service import OrderService

    real, calls = OrderService.submit, []

    def submit(self: OrderService, *args: Any, **kw: Any) -> Any:
        calls.append(1)
        if len(calls) >= 3:
            raise full_disk()
        return real(self, *args, **kw)

    monkeypatch.setattr(OrderService, "submit", submit)
    code, outcomes, err = process_in_process(tmp_path, capsys)
    assert code == 1 and len(outcomes) == 2 and len(calls) == 4  # the third tried twice
    first, second = (o["order_no"] for o in outcomes)
    assert err == ["counter: 磁盘已满 / the disk is full",
                   f"counter: 已提交 2 条（订单 {first}、{second}），未提交 {BATCH - 2} 条（从第 3 条起）"
                   f" / committed 2 (orders {first}, {second}), not committed {BATCH - 2} (from #3)"]

    monkeypatch.setattr(OrderService, "submit", real)
    code, outcomes, err = process_in_process(tmp_path, capsys)  # room again: the same batch
    assert code == 0 and err == []
    assert [o.get("replay", False) for o in outcomes] == [True, True] + [False] * (BATCH - 2)
    assert [o["order_no"] for o in outcomes[:2]] == [first, second]
    assert sorted(map(len, orders_by_line(tmp_path / "c.sqlite3").values())) == [1] * BATCH


def test_a_commit_reported_failed_after_it_went_through_is_told_as_committed(
        tmp_path, capsys, monkeypatch):
    """A step after the commit fails (the fault is reported though the order is stored): the
    command looks again, finds the order under the request's key, tells its outcome and goes
    on; nothing is recorded twice."""
    from app.services.orders.service import OrderService

    real, calls = OrderService.submit, []

    def submit(self: OrderService, *args: Any, **kw: Any) -> Any:
        calls.append(1)
        result = real(self, *args, **kw)
        if len(calls) == 2:
            raise full_disk()
        return result

    monkeypatch.setattr(OrderService, "submit", submit)
    code, outcomes, err = process_in_process(tmp_path, capsys)
    assert code == 0 and err == [] and len(outcomes) == BATCH
    assert all(o["decision"] == "accepted" for o in outcomes)
    assert sorted(map(len, orders_by_line(tmp_path / "c.sqlite3").values())) == [1] * BATCH


def test_outcomes_that_cannot_be_written_out_stop_the_batch_naming_what_was_committed(
        tmp_path, capsys, monkeypatch):
    """Standard output on a full disk: the order is stored but its outcome line is lost, so
    the command stops at once and its last line (on standard error) names it."""
    class FullAfterOneOutcome(io.StringIO):
        def write(self, text: str) -> int:
            if self.getvalue():
                raise OSError(28, "No space left on device")
            return super().write(text)

    stdout = FullAfterOneOutcome()
    monkeypatch.setattr(sys, "stdout", stdout)
    code, _, err = process_in_process(tmp_path, capsys)
    outcomes = outcomes_in(stdout.getvalue(), jsonl=True)
    assert code == 1 and len(outcomes) == 1
    recorded = sorted(no for nos in orders_by_line(tmp_path / "c.sqlite3").values()
                      for no in nos)
    assert len(recorded) == 2 and outcomes[0]["order_no"] == recorded[0]
    assert err[0] == ("counter: 结果无法输出（No space left on device） / the outcome could not "
                      "be written out (No space left on device)")
    assert err[1].startswith(f"counter: 已提交 2 条（订单 {recorded[0]}、{recorded[1]}），"
                             f"未提交 {BATCH - 2} 条（从第 3 条起）")
