"""Sync against its floor, and a hall's day of syncs, on a real PostgreSQL started here.

    python bench/bench_sync.py [--sizes 2k,10k,100k] [--rounds 3] [--work /tmp/bench-sync]
                               [--counters 20] [--per-counter 100] [--at-once 1] [--no-hall]

**sync N orders**: `run_sync` of a generated workstation (N orders, as many customers with a
line each, fees, payments, audit events: `bench/generate.py`) into an empty migrated server
database (A), against the *COPY floor* (B): the very rows the sync left on the server, read
back beforehand and written into another empty migrated database with ``COPY ... FROM
STDIN``, indexes in place (`bench/fig_sync.py`, both sides in their own
process). A B A B, the median of the rounds. Prints, per size:

    sync N orders: X s, COPY floor Y s, ratio R

**The hall's day**: `--counters` workstations (counters C01, C02, ...) of one hall, each with
`--per-counter` orders of one business day on its own new customers, synced in turn
(`--at-once 2`: two at a time) to one empty server, each sync a whole `run_sync` (claim,
push, and the pull of what the counters before it pushed). Prints

    hall day 2000 orders / 20 counters: X s (target < 10 s)

The workstations are generated once (each its own database, so each has its own workstation
id) and copied afresh for every round. The generator numbers lines from 17000000000 in every
database; each workstation's lines are renumbered into its own range before its first sync
(otherwise the server would refuse them as numbers another line holds), which the audit seals
of those lines do not cover: `counter audit verify` of these copies is not meaningful.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import (
    DAY,
    PYTHON,
    ROOT,
    Workspace,
    bench_env,
    copy_db,
    interleave,
    parse_size,
    run_child,
    size_label,
)

HALL_TARGET = 10.0  # seconds for a hall's day (#13)


def line(n: int, app: float, floor: float) -> str:
    return f"sync {n} orders: {app:.2f} s, COPY floor {floor:.2f} s, ratio {app / floor:.2f}"


# -- sync N orders ------------------------------------------------------------------------------

def generate_base(ws: Workspace, n: int) -> Path:
    base = ws.base(n)
    if not base.exists():
        made = ws.scratch(f"gen-{size_label(n)}.sqlite3")
        run_child("fig_db", "generate", str(made), str(n), work=ws.root)
        for suffix in ("", "-wal", "-shm", ".health"):
            src = Path(f"{made}{suffix}")
            if src.exists():
                src.replace(Path(f"{base}{suffix}"))
    return base


def measure_size(ws: Workspace, server: Any, n: int, rounds: int) -> tuple[float, float]:
    base = generate_base(ws, n)
    local = ws.scratch("sync-ws.sqlite3")
    synced: list[str] = []

    def a(_i: int) -> float:
        copy_db(base, local)
        name = server.create_database("bench")
        synced.append(name)
        out = run_child("fig_sync", "sync", f"sqlite:///{local}", server.url(name),
                        work=ws.root)
        return float(out["seconds"])

    def b(_i: int) -> float:
        raw = server.create_database("raw")
        out = run_child("fig_sync", "copy", server.url(synced[-1]), server.url(raw),
                        work=ws.root)
        server.drop_database(raw)
        return float(out["seconds"])

    app, floor, _ = interleave(a, b, rounds)
    for name in synced:
        server.drop_database(name)
    return app, floor


# -- the hall's day -----------------------------------------------------------------------------

def counter_code(i: int) -> str:
    return f"C{i + 1:02d}"


def hall_workstations(ws: Workspace, counters: int, per_counter: int) -> list[Path]:
    """One generated database per counter (made once, kept in the work folder)."""
    folder = ws.scratch(f"hall-{counters}x{per_counter}")
    folder.mkdir(exist_ok=True)
    out = []
    for i in range(counters):
        path = folder / f"{counter_code(i)}.sqlite3"
        if not path.exists():
            made = folder / f"{counter_code(i)}.new.sqlite3"
            run_child("bench_sync", "generate-counter", str(made), counter_code(i),
                      str(per_counter), str(i * per_counter), work=ws.root)
            for suffix in ("", "-wal", "-shm", ".health"):
                src = Path(f"{made}{suffix}")
                if src.exists():
                    src.replace(Path(f"{path}{suffix}"))
        out.append(path)
    return out


def generate_counter(path: str, counter: str, orders: int, line_offset: int) -> dict[str, Any]:
    from bench.generate import generate

    Path(path).unlink(missing_ok=True)
    made = generate(f"sqlite:///{path}", orders=orders, customers=orders, day=DAY,
                    counters=(counter,))
    with sqlite3.connect(path) as conn:  # this counter's own range of line numbers
        conn.execute("UPDATE line SET number = printf('18%09d', id - 1 + ?)", (line_offset,))
    return {"orders": made.orders, "seconds": made.seconds}


def sync_counters(urls_and_paths: list[tuple[str, str]], server_url: str) -> dict[str, Any]:
    """Sync the given workstations one after another (one process, as one scheduler would)."""
    from app.db import open_database
    from app.services.sync.run import SyncClient, run_sync

    spent = {"push": 0.0, "pull": 0.0}

    def timed(name: str, method: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - t0
        return wrapper

    SyncClient.push = timed("push", SyncClient.push)  # type: ignore[method-assign]
    SyncClient.pull = timed("pull", SyncClient.pull)  # type: ignore[method-assign]
    started, wall = time.perf_counter(), time.time()  # after the imports: a workstation's
    # program is running already when its scheduled sync starts
    pushed = 0
    for origin, path in urls_and_paths:
        db = open_database(f"sqlite:///{path}")
        try:
            report = run_sync(db, server_url, origin=origin)
        finally:
            db.dispose()
        if report.refused or report.issues:
            raise RuntimeError(f"{origin}: {report.describe()}")
        pushed += report.pushed.get("service_order", 0)
    return {"seconds": time.perf_counter() - started, "orders": pushed, "start": wall,
            "end": time.time(), **spent}


def hall_day(ws: Workspace, server: Any, counters: int, per_counter: int, rounds: int,
             at_once: int) -> float:
    sources = hall_workstations(ws, counters, per_counter)
    times = []
    for r in range(rounds):
        work = ws.scratch("hall-run")
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        copies = [(counter_code(i), str(copy_db(src, work / src.name)))
                  for i, src in enumerate(sources)]
        name = server.create_database("hall")
        url = server.url(name)
        from app.db import open_database

        open_database(url).dispose()  # the server's schema exists before the clock starts
        groups = [copies[g::at_once] for g in range(at_once)]
        procs = [subprocess.Popen(
            [PYTHON, "-m", "bench.bench_sync", "sync-counters", url, json.dumps(group)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
            env=bench_env(ws.root)) for group in groups]
        orders = 0
        spent = {"push": 0.0, "pull": 0.0}
        starts, ends = [], []
        for proc in procs:
            out, err = proc.communicate(timeout=3600)
            if proc.returncode != 0:
                raise RuntimeError(f"hall day sync failed: {err[-3000:]}")
            result = json.loads(out.strip().splitlines()[-1])
            orders += int(result["orders"])
            starts.append(float(result["start"]))
            ends.append(float(result["end"]))
            for part in spent:
                spent[part] += float(result[part])
        seconds = max(ends) - min(starts)  # from the first sync's start to the last's end
        if orders != counters * per_counter:
            raise RuntimeError(f"hall day: {orders} orders pushed, expected "
                               f"{counters * per_counter}")
        times.append(seconds)
        print(f"  hall day round {r + 1}: {seconds:.2f} s (of which push {spent['push']:.2f} s, "
              f"pull {spent['pull']:.2f} s, summed over the workstations)", flush=True)
        server.drop_database(name)
    return statistics.median(times)


# -- the command ----------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    args_in = sys.argv[1:] if argv is None else argv
    if args_in[:1] == ["generate-counter"]:  # children
        path, counter, orders, offset = args_in[1:5]
        print(json.dumps(generate_counter(path, counter, int(orders), int(offset))))
        return 0
    if args_in[:1] == ["sync-counters"]:
        print(json.dumps(sync_counters([tuple(p) for p in json.loads(args_in[2])],
                                       args_in[1])))
        return 0
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--sizes", default="2k,10k,100k")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--work", type=Path, default=Path("/tmp/bench-sync"))
    p.add_argument("--counters", type=int, default=20)
    p.add_argument("--per-counter", type=int, default=100)
    p.add_argument("--at-once", type=int, default=1, choices=(1, 2))
    p.add_argument("--no-hall", action="store_true", help="skip the hall's day")
    args = p.parse_args(args_in)
    from tests.pg_server import start_server

    ws = Workspace(args.work)
    server = start_server()
    ok = True
    try:
        for n in [parse_size(s) for s in args.sizes.split(",") if s.strip()]:
            app, floor = measure_size(ws, server, n, args.rounds)
            print(line(n, app, floor), flush=True)
        if not args.no_hall:
            total = args.counters * args.per_counter
            seconds = hall_day(ws, server, args.counters, args.per_counter, args.rounds,
                               args.at_once)
            ok = seconds < HALL_TARGET
            print(f"hall day {total} orders / {args.counters} counters: {seconds:.2f} s "
                  f"(target < {HALL_TARGET:g} s)", flush=True)
    finally:
        server.stop("fast")
        shutil.rmtree(server.root, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
