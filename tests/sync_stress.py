"""The machinery of tests/test_sync_stress.py: one hall, many SQLite workstations, one
PostgreSQL cluster of its own (restarted while syncs run), `counter process` batches and
`counter sync` runs as real processes (some SIGKILLed), clerks recording in-process through the
order service as the wizard does, and offline edits of one line at two counters.

Sizes come from `Plan` (the issue's: 20 workstations x 300 requests, 30 kills, 10 restarts, 50
conflicting pairs); `COUNTER_STRESS_SCALE=small` runs a short version while iterating.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.clock import FixedClock
from app.core.request import Request, parse_request
from app.db import Database, open_database
from app.models import Line
from app.services.customers.queries import line_state
from app.services.day.counts import Counts
from app.services.day.items import CHECKLIST_CODES, INVOICE, SIM_CARD
from app.services.day.shifts import open_shift
from app.services.hall.demo import DEMO_PASSWORD, fill_demo
from app.services.hall.registry import Actor
from app.services.orders.service import OrderService, Submission
from app.services.staff.auth import login
from app.services.sync.identity import set_batch_id
from app.services.sync.run import run_sync, sync_with_retry
from app.services.sync.state import get_state
from tests.builders import DAY, NOW, personal
from tests.pg_server import PgServer, real_time_env

ROOT = Path(__file__).resolve().parents[1]
SLEEP_FIX = ROOT / "build" / "faketime" / "sleep_fix.so"
LIBFAKETIME = next(iter(sorted(Path("/usr/lib").glob("*/faketime/libfaketime.so.1"))), None)
HALL = "DEMO01"
CLERK = "C001"  # the demo hall's clerk; each workstation logs her in at its own counter


@dataclass(frozen=True)
class Plan:
    workstations: int = 20
    requests: int = 300  # per workstation: half in batches, half at the counter (in-process)
    batches: int = 1  # `counter process` runs per workstation (fewer, larger: start-up costs)
    kills: int = 30
    restarts: int = 10
    conflicts: int = 50
    customers: int = 220  # the server's demo hall: enough active lines for the conflicts
    seed: int = 20261122

    @classmethod
    def from_env(cls) -> Plan:
        seed = int(os.environ.get("COUNTER_STRESS_SEED") or random.SystemRandom().randrange(10**6))
        if os.environ.get("COUNTER_STRESS_SCALE") == "small":
            return cls(workstations=4, requests=40, kills=4, restarts=2, conflicts=4,
                       customers=40, seed=seed)
        return cls(seed=seed)


@dataclass
class Station:
    n: int
    url: str
    db: Database
    counter_code: str  # where the clerk logs in (C01 ...)
    batch_id: str  # `counter process` numbers under it (B02 ...)
    clerk: Actor | None = None
    made: list[str] = field(default_factory=list)  # every order number recorded here

    @property
    def origin(self) -> str:
        return f"WS{self.n:02d}"


@dataclass
class ConflictPair:
    line_uid: str
    number: str
    first: tuple[str, str]  # (order_no, service) at the first workstation
    second: tuple[str, str]
    new_sim: str  # the serial the 补卡 side puts on the line


@dataclass
class Tally:
    kills: int = 0
    kills_mid_sync: int = 0  # of which after the run had committed a batch (a mark moved)
    restarts: int = 0
    sync_runs: int = 0
    sync_failures: int = 0  # exit != 0 (server restarting, refused): run again later
    final_pulled_orders: int = 0
    batch_runs: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, **counts: int) -> None:
        with self.lock:
            for k, v in counts.items():
                setattr(self, k, getattr(self, k) + v)


# -- processes -------------------------------------------------------------------------------------

def pinned_env() -> dict[str, str]:
    """The environment of a `python -m app` child: its wall clock moved so that it starts at
    `tests.builders.NOW` and ticks (libfaketime by offset, as tools/run_at.sh does), when
    libfaketime and the sleep fix are there; the real clock otherwise (the requests carry their
    business date, so only the recorded instants would differ)."""
    env = real_time_env()
    if LIBFAKETIME is not None and SLEEP_FIX.exists():
        offset = int(NOW.timestamp() - time.time())
        env.update(LD_PRELOAD=f"{LIBFAKETIME}:{SLEEP_FIX}", FAKETIME=f"{offset:+d}",
                   DONT_FAKE_MONOTONIC="1", FAKETIME_FORCE_MONOTONIC_FIX="0")
    return env


def build_sleep_fix() -> None:
    """tools/run_at.sh builds the monotonic-sleep fix libfaketime needs here (once)."""
    if SLEEP_FIX.exists() or shutil.which("faketime") is None or shutil.which("cc") is None:
        return
    subprocess.run(["bash", str(ROOT / "tools" / "run_at.sh"), "@2026-11-22 02:00:00", "true"],
                   check=True, env=real_time_env(), timeout=120)


def counter_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "app", *args]


def run_counter(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(counter_cmd(*args), capture_output=True, text=True, cwd=ROOT,
                          env=pinned_env(), stdin=subprocess.DEVNULL, timeout=timeout)


# -- the hall --------------------------------------------------------------------------------------

def make_server(cluster: PgServer, customers: int) -> str:
    """A database on the stress test's own cluster holding the demo hall; its URL."""
    url = cluster.url(cluster.create_database("stress"))
    server = open_database(url, clock=FixedClock(NOW))
    try:
        fill_demo(server, customers=customers, today=DAY)
    finally:
        server.dispose()
    return url


def contested_lines(db: Database, limit: int) -> list[tuple[str, str]]:
    """(uid, number) of active postpaid lines with nothing holding a change back."""
    with db.read() as s:
        rows = s.execute(select(Line.uid, Line.number).where(
            Line.status == "active", Line.payment == "postpaid", Line.arrears_fen == 0,
            Line.blacklisted.is_(False), Line.contract_end.is_(None),
            Line.realname == "complete").order_by(Line.number).limit(limit)).all()
    return [(r.uid, r.number) for r in rows]


def clerk_on_shift(station: Station) -> None:
    """The clerk at this workstation's counter (her account came down with the hall in the
    first sync), her shift open (as the wizard needs)."""
    ws = station.db
    station.clerk = login(ws, CLERK, DEMO_PASSWORD, station.counter_code)
    open_shift(ws, station.clerk, dict.fromkeys(CHECKLIST_CODES, True),
               Counts(stock={SIM_CARD: 60, INVOICE: 10}, cash={10000: 1},
                      invoice_first="00000001", invoice_last="00000010"))


def open_stations(folder: Path, server_url: str, plan: Plan,
                  clock: FixedClock) -> list[Station]:
    """Each workstation: its database, its batch id, its first sync (the hall's customers and
    lines come down), its clerk logged in with her shift open."""
    stations = []
    for n in range(1, plan.workstations + 1):
        url = f"sqlite:///{folder / f'ws{n:02d}.sqlite3'}"
        st = Station(n, url, open_database(url, clock=clock), f"C{n:02d}", f"B{n + 1:02d}")
        set_batch_id(st.db, st.batch_id)  # what `counter sync --batch-id` does
        run_sync(st.db, server_url, origin=st.origin)
        clerk_on_shift(st)
        stations.append(st)
    return stations


# -- requests --------------------------------------------------------------------------------------

def request_for(n: int, i: int) -> dict[str, Any]:
    """The i-th request of workstation n, on a line of its own: loss reports and payments."""
    number = f"1{n + 30:02d}{i:08d}"
    if i % 2:
        return personal("bill_payment", line={"number": number}, details={"amount": 30 + i % 7})
    return personal("report_loss", line={"number": number})


def run_batch(station: Station, folder: Path, requests: list[dict[str, Any]],
              tally: Tally) -> list[str]:
    """One `counter process` run; the order numbers it printed (all must be accepted)."""
    path = folder / f"batch-{station.origin}-{tally.batch_runs}-{time.monotonic_ns()}.json"
    path.write_text(json.dumps(requests, ensure_ascii=False), encoding="utf-8")
    proc = run_counter("process", str(path), "--db", station.url)
    tally.add(batch_runs=1)
    assert proc.returncode == 0, (station.origin, proc.stderr[-2000:])
    outcomes = json.loads(proc.stdout)
    made = [o["order_no"] for o in outcomes if o.get("decision") == "accepted"]
    assert len(made) == len(requests), (station.origin, outcomes[:3])
    return made


def serve_one(station: Station, req: Request, visit: int) -> str:
    """One request recorded as the wizard records it: the order service, the clerk logged in
    at this workstation's counter; the order number."""
    assert station.clerk is not None
    result = OrderService(station.db).submit(
        Submission(req, request_id=f"{station.origin}-visit-{visit}"), station.clerk)
    assert result.order_no, (station.origin, result.outcome())
    station.made.append(result.order_no)
    return result.order_no


CONTRARY = ("suspend_keep_number", "sim_replacement")


def sim_serial(k: int) -> str:
    """The new SIM card of the k-th pair's 补卡 (its line shows it when that change holds)."""
    return f"8986{k:016d}"


def conflicting_edits(stations: list[Station], lines: list[tuple[str, str]],
                      rng: random.Random) -> list[ConflictPair]:
    """For each line, a loss report (挂失) at one workstation and a suspension (停机保号) or a
    SIM replacement (补卡) at another, each made on the line as that workstation pulled it (the
    wizard starts from the stored line), before either syncs."""
    pairs = []
    for k, (uid, number) in enumerate(lines):
        a, b = rng.sample(stations, 2)
        other = CONTRARY[k % len(CONTRARY)]
        extra: dict[str, Any] = {"documents": ["sim_card"],
                                 "details": {"new_sim_serial": sim_serial(k)}} \
            if other == "sim_replacement" else {}
        made = []
        for st, service, over, visit in ((a, "report_loss", {}, 10_000 + k),
                                         (b, other, extra, 20_000 + k)):
            stored = line_state(st.db, number)
            assert stored is not None and stored.status == "active", (st.origin, number)
            req = replace(parse_request(personal(service, line={"number": number}, **over)),
                          line=stored)
            made.append(serve_one(st, req, visit))
        pairs.append(ConflictPair(uid, number, (made[0], "report_loss"), (made[1], other),
                                  sim_serial(k)))
    return pairs


# -- syncs, kills and restarts -----------------------------------------------------------------------

def marks(station: Station) -> tuple[str | None, str | None]:
    """How far this workstation's pushes and pulls got (moved by each committed batch)."""
    with station.db.read() as s:
        return get_state(s, "push.mark"), get_state(s, "pull.mark")


def sync_once(station: Station, server_url: str, tally: Tally, kill: tuple[str, float] | None,
              ) -> None:
    """`counter sync` as its own process. `kill` ("delay", t): SIGKILLed t seconds after its
    start (in Python's start-up, the claim, a push or a pull: wherever it is); ("moved", t):
    t seconds after it committed its first batch (a mark moved), so surely in the middle of
    the sync. Not killed when it ends first."""
    before = marks(station)
    cmd = counter_cmd("sync", "--db", station.url, "--server", server_url,
                      "--retries", "0", "--batch", "300")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT, env=pinned_env(), stdin=subprocess.DEVNULL)
    if kill is not None:
        mode, delay = kill
        if mode == "moved":
            while proc.poll() is None and marks(station) == before:
                time.sleep(0.05)
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.communicate()
            tally.add(kills=1, sync_runs=1, kills_mid_sync=int(mode == "moved"))
            return
    proc.communicate(timeout=300)
    tally.add(sync_runs=1, sync_failures=int(proc.returncode != 0))


def restarts(cluster: PgServer, plan: Plan, tally: Tally, rng: random.Random) -> None:
    """`plan.restarts` fast restarts (`pg_ctl stop -m fast`, then start: every connection
    dropped mid-sync), a random 1-4 s apart."""
    for _ in range(plan.restarts):
        time.sleep(rng.uniform(1.0, 4.0))
        cluster.stop("fast")
        cluster.start()
        tally.add(restarts=1)


def syncing(stations: list[Station], server_url: str, plan: Plan, tally: Tally,
            rng: random.Random, done: Callable[[], bool]) -> None:
    """Rounds of `counter sync` across the workstations, two at a time (two cores), a share of
    them killed, until the work is recorded, the kills made and the restarts over."""
    def one(st: Station, kill: tuple[str, float] | None) -> None:
        sync_once(st, server_url, tally, kill)

    while not (done() and tally.kills >= plan.kills):
        order = rng.sample(stations, len(stations))
        for pair in (order[i:i + 2] for i in range(0, len(order), 2)):
            jobs, planned = [], 0
            for st in pair:
                kill = None
                if tally.kills + planned < plan.kills and rng.random() < 0.7:
                    planned += 1
                    kill = (("delay", rng.uniform(0.6, 3.0)) if rng.random() < 0.5
                            else ("moved", rng.uniform(0.0, 0.5)))
                jobs.append(lambda st=st, kill=kill: one(st, kill))
            run_in_parallel(jobs, workers=2)
            if done() and tally.kills >= plan.kills:
                break


def run_in_parallel(jobs: list[Callable[[], Any]], workers: int) -> list[Any]:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(job) for job in jobs]
        return [f.result() for f in futures]


# -- the whole run ---------------------------------------------------------------------------------

@dataclass
class Outcome:
    plan: Plan
    server_url: str
    stations: list[Station]
    pairs: list[ConflictPair]
    tally: Tally
    seconds: dict[str, float]

    def summary(self) -> str:
        t = self.tally
        made = sum(len(st.made) for st in self.stations)
        return (f"sync stress (seed {self.plan.seed}): {len(self.stations)} workstations, "
                f"{made} orders ({len(self.pairs)} conflicting pairs), {t.batch_runs} batch "
                f"runs, {t.sync_runs} sync runs ({t.kills} SIGKILLed, {t.kills_mid_sync} of "
                f"them after a committed batch; {t.sync_failures} failed and re-run), "
                f"{t.restarts} server restarts, {t.final_pulled_orders} orders pulled by the "
                "final syncs; "
                + ", ".join(f"{k} {v:.1f} s" for k, v in self.seconds.items()))


def run_stress(cluster: PgServer, folder: Path, plan: Plan, clock: FixedClock) -> Outcome:
    rng = random.Random(plan.seed)
    seconds: dict[str, float] = {}
    started = time.monotonic()
    build_sleep_fix()
    server_url = make_server(cluster, plan.customers)
    stations = open_stations(folder, server_url, plan, clock)
    lines = contested_lines(stations[0].db, plan.conflicts)
    assert len(lines) == plan.conflicts, "the demo hall has too few active lines"
    pairs = conflicting_edits(stations, lines, rng)
    seconds["set-up"] = time.monotonic() - started

    tally = Tally()
    half = plan.requests // 2
    batch_jobs: list[Callable[[], Any]] = []
    for st in stations:
        per = -(-half // plan.batches)
        for first in range(0, half, per):
            reqs = [request_for(st.n, i) for i in range(first, min(half, first + per))]
            batch_jobs.append(lambda st=st, reqs=reqs: st.made.extend(
                run_batch(st, folder, reqs, tally)))
    rng.shuffle(batch_jobs)
    at_counter = [(st, i) for i in range(half, plan.requests) for st in stations]
    finished = threading.Event()
    errors: list[BaseException] = []

    def guarded(fn: Callable[[], Any]) -> Callable[[], None]:
        def run() -> None:
            try:
                fn()
            except BaseException as exc:
                errors.append(exc)
        return run

    def counters(part: int) -> None:
        """Half the workstations' counters (two threads: one records while the other waits
        for its commit to reach the disk)."""
        began = time.monotonic()
        for st, i in at_counter:
            if st.n % 2 == part:
                serve_one(st, parse_request(request_for(st.n, i)), i)
        seconds[f"counter path {part + 1}"] = time.monotonic() - began

    def batches() -> None:
        began = time.monotonic()
        run_in_parallel(batch_jobs, 2)
        seconds["batches"] = time.monotonic() - began

    workers = [threading.Thread(target=guarded(batches)),
               threading.Thread(target=guarded(lambda: counters(0))),
               threading.Thread(target=guarded(lambda: counters(1))),
               threading.Thread(target=guarded(lambda: restarts(
                   cluster, plan, tally, random.Random(plan.seed + 1))))]
    syncer = threading.Thread(target=guarded(lambda: syncing(
        stations, server_url, plan, tally, random.Random(plan.seed + 2),
        lambda: finished.is_set() or bool(errors))))
    phase = time.monotonic()
    for t in [*workers, syncer]:
        t.start()
    for t in workers:
        t.join()
    finished.set()
    syncer.join()
    assert not errors, errors
    seconds["stress"] = time.monotonic() - phase

    phase = time.monotonic()
    pulled = converge(stations, server_url)
    seconds["final syncs"] = time.monotonic() - phase
    tally.final_pulled_orders = pulled
    seconds["total"] = time.monotonic() - started
    return Outcome(plan, server_url, stations, pairs, tally, seconds)


def converge(stations: list[Station], server_url: str) -> int:
    """Every workstation synced until nothing waits, then once more to pull what the others
    pushed (in-process: the same code the process runs, without 20 more start-ups); the
    orders pulled."""
    pulled = 0
    for _ in range(3):
        reports = [sync_with_retry(st.db, server_url, attempts=5) for st in stations]
        pulled += sum(r.pulled.get("service_order", 0) for r in reports)
        waiting = [st.origin for st, r in zip(stations, reports, strict=True) if r.waiting]
        if not waiting:
            break
    else:
        raise AssertionError(f"still waiting after three rounds: {waiting}")
    for st in stations:
        report = sync_with_retry(st.db, server_url, attempts=5)
        assert report.waiting == 0 and not report.refused, (st.origin, report.describe())
        pulled += report.pulled.get("service_order", 0)
    return pulled
