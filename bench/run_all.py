"""Every figure of the program against a floor that does the same work, in one run.

    python bench/run_all.py [--sizes 10k,100k,1m] [--figures record,search,...] [--rounds 3]
                            [--work /tmp/counter-bench] [--no-write]

For each size (orders, with as many customers; `bench/generate.py` makes the database) every
figure is measured beside its floor, A B A B, and each side's figure is the median of its
rounds. It prints ``figure | size | app | floor | ratio | target`` and writes
`docs/benchmarks.md` from the results file in the work folder, which keeps the latest result
of every figure and size (so the 1M run can come last, on its own).

Figures (`--figures`, default all): generate, open, record, process, search, papers, export,
sync, gui. `sync` needs PostgreSQL's binaries (Debian's `postgresql` package) and is skipped
without them. Run it on an otherwise idle machine: ``nice -n 19`` is fine (both sides alike).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import (
    PYTHON,
    ROOT,
    Figure,
    Workspace,
    copy_db,
    interleave,
    parse_size,
    remove_db,
    run_child,
    size_label,
    timed_process,
)
from bench.report import write_markdown

FIGURES = ("generate", "open", "record", "process", "search", "papers", "export", "sync",
           "gui")
BIG = 1_000_000  # from here on, the slow figures run one round (they take minutes)


class Run:
    def __init__(self, ws: Workspace, rounds: int) -> None:
        self.ws = ws
        self.rounds = rounds
        self.figures: list[Figure] = []

    def rounds_for(self, n: int, slow: bool) -> int:
        return 1 if slow and n >= BIG else self.rounds

    def add(self, fig: Figure) -> None:
        self.figures.append(fig)
        print(row_text(fig), flush=True)

    def child(self, module: str, *args: Any) -> dict[str, Any]:
        return run_child(module, *(str(a) for a in args), work=self.ws.root)

    # -- the figures ---------------------------------------------------------------------
    def generate(self, n: int) -> None:
        made = self.ws.scratch(f"gen-{size_label(n)}.sqlite3")
        floor = self.ws.scratch("gen-floor.sqlite3")
        peaks: dict[str, float] = {}

        def a(_i: int) -> float:
            out = self.child("fig_db", "generate", made, n)
            peaks["app"] = max(peaks.get("app", 0), out["peak_mb"])
            return float(out["seconds"])

        def b(_i: int) -> float:
            out = self.child("fig_db", "copy", made, floor)
            peaks["floor"] = max(peaks.get("floor", 0), out["peak_mb"])
            return float(out["seconds"])

        rounds = self.rounds_for(n, slow=True)
        app, fl, samples = interleave(a, b, rounds)
        remove_db(floor)
        for suffix in ("", "-wal", "-shm", ".health"):
            src, dst = Path(f"{made}{suffix}"), Path(f"{self.ws.base(n)}{suffix}")
            dst.unlink(missing_ok=True)
            if src.exists():
                src.replace(dst)
        self.add(Figure("generate the data", n, app, fl, 2.0, rounds=rounds,
                        floor_text="the same rows copied by INSERT … SELECT",
                        app_peak_mb=peaks.get("app"), floor_peak_mb=peaks.get("floor"),
                        samples=samples))

    def open(self, n: int) -> None:
        out = self.child("fig_db", "open", self.ws.base(n), max(5, self.rounds))
        app, fl = _median(out["app"]), _median(out["floor"])
        self.add(Figure("open the database", n, app, fl, 0.1, absolute=True,
                        rounds=len(out["app"]), floor_text="sqlite3.connect + schema version",
                        note="the bench's own bar: it must not grow with the file",
                        samples=out))

    def record(self, n: int) -> None:
        out = self.child("fig_record", self.ws.base(n), self.ws.root, self.rounds, 40)
        rec, found = out["record"], out["search"]
        self.add(Figure("record one request", n, _median(rec["app"]), _median(rec["floor"]),
                        3.0, rounds=self.rounds,
                        floor_text=f"the same {rec['statements']} statements replayed "
                                   "in raw sqlite3, same pragmas",
                        samples={"app": rec["app"], "floor": rec["floor"]}))
        self.add(Figure("customer by ID number", n, _median(found["app"]),
                        _median(found["floor"]), 3.0, rounds=self.rounds,
                        floor_text="the same two keyed hashes + the same query in raw sqlite3",
                        note=f"{found['found']} of {found['lookups']} IDs found",
                        samples={"app": found["app"], "floor": found["floor"]}))

    def search(self, n: int) -> None:
        if not any(f.name == "customer by ID number" and f.size == n for f in self.figures):
            self.record(n)

    def process(self, n: int) -> None:
        from bench.fig_record import process_floor, record_steps

        steps = record_steps(self.ws.root, self.ws.base(n))
        twin = process_floor(self.ws.root, self.ws.base(n))
        if not steps.exists() or not twin.exists() or _stale(twin, self.ws.base(n)):
            self.record(n)
        env = self.ws.env()
        a_db, b_db = self.ws.scratch("process-a.sqlite3"), self.ws.scratch("process-b.sqlite3")
        requests = _process_requests(self.ws.root, self.ws.base(n), self.rounds + 1)

        def a(i: int) -> float:
            copy_db(self.ws.base(n), a_db)
            return timed_process([PYTHON, "-m", "app", "process", str(requests[i]), "--db",
                                  f"sqlite:///{a_db}"], env=env)

        def b(_i: int) -> float:
            copy_db(twin, b_db)
            return timed_process([PYTHON, "-m", "bench.replay", str(b_db), str(steps)],
                                 env=env)

        a(self.rounds)  # warm the file cache and Python's bytecode for both
        b(0)
        app, fl, samples = interleave(a, b, self.rounds)
        self.add(Figure("`counter process` of one request", n, app, fl, 0.5, absolute=True,
                        rounds=self.rounds, samples=samples,
                        floor_text="python + the same order's statements in raw sqlite3"))

    def papers(self, n: int) -> None:
        out = self.child("fig_papers", self.rounds, 15)
        self.add(Figure("slip + receipt", 0, _median(out["app"]), _median(out["floor"]), 1.3,
                        rounds=self.rounds, samples={"app": out["app"], "floor": out["floor"]},
                        floor_text="reportlab canvas: same text, subset CJK font, Code128, "
                                   "signature",
                        note="rl-accel in use" if out["accelerated"] else "no rl-accel"))

    def export(self, n: int) -> None:
        from bench.fig_export import floor_argv

        db = copy_db(self.ws.base(n), self.ws.scratch("export.sqlite3"))
        outs: dict[str, Any] = {}

        def a(_i: int) -> float:
            outs.update(self.child("fig_export", db, self.ws.scratch("export-a")))
            return float(outs["seconds"])

        def b(_i: int) -> float:
            target = self.ws.scratch("export-b.csv")
            return timed_process(floor_argv(db, target), env=self.ws.env())

        rounds = self.rounds_for(n, slow=True)
        app, fl, samples = interleave(a, b, rounds)
        self.add(Figure("CSV export, the orders file", n, app, fl, 2.0, rounds=rounds,
                        samples=samples, app_peak_mb=outs.get("peak_mb"),
                        floor_text="`sqlite3 -csv` of the same SELECT",
                        note=f"whole export {outs.get('whole', 0):.1f} s"))

    def sync(self, n: int) -> None:
        try:
            from tests.pg_server import find_bindir, start_server
        except ImportError:
            return
        if find_bindir() is None:
            print(f"sync ({size_label(n)}): skipped, no PostgreSQL binaries", flush=True)
            return
        server = start_server()
        ws = copy_db(self.ws.base(n), self.ws.scratch("sync-ws.sqlite3"))
        synced: list[str] = []
        peaks: dict[str, float] = {}
        try:
            def a(_i: int) -> float:
                copy_db(self.ws.base(n), ws)
                url = server.url(server.create_database("bench"))
                synced.append(url)
                out = self.child("fig_sync", "sync", f"sqlite:///{ws}", url)
                peaks["app"] = out["peak_mb"]
                return float(out["seconds"])

            def b(_i: int) -> float:
                raw = server.url(server.create_database("raw"))
                out = self.child("fig_sync", "copy", synced[-1], raw)
                peaks["floor"] = out["peak_mb"]
                return float(out["seconds"])

            rounds = self.rounds_for(n, slow=True)
            app, fl, samples = interleave(a, b, rounds)
        finally:
            server.stop("fast")
            shutil.rmtree(server.root, ignore_errors=True)
        self.add(Figure("sync to the hall server", n, app, fl, 2.0, rounds=rounds,
                        samples=samples, app_peak_mb=peaks.get("app"),
                        floor_peak_mb=peaks.get("floor"),
                        floor_text="COPY of the same rows into an empty server database"))

    def gui(self, n: int) -> None:
        env = self.ws.env()
        db = copy_db(self.ws.base(n), self.ws.scratch("gui.sqlite3"))
        app_argv = [PYTHON, "-m", "bench.gui_start", f"sqlite:///{db}"]
        bare_argv = [PYTHON, "-m", "bench.gui_start", "--bare"]
        def start(argv: list[str]) -> float:
            return timed_process(argv, env=env, marker="BENCH_", timeout=120)

        start(app_argv)  # warm the file cache for both
        start(bare_argv)
        app, fl, samples = interleave(lambda _i: start(app_argv), lambda _i: start(bare_argv),
                                      max(5, self.rounds))
        # The login is usable before the database is loaded (a log-in sent then is held and
        # goes on by itself): how long such a clerk waits is said beside the figure.
        from bench.harness import fmt_seconds

        loaded = _median([start([*app_argv, "--until-ready"]) for _ in range(3)])
        self.add(Figure("GUI start to a usable login", n, app, fl, 2.0, rounds=len(
            samples["app"]), samples=samples, floor_text="a bare PySide6 window with a form",
            note=f"database, key and catalog loaded at {fmt_seconds(loaded)}"))


def _median(xs: list[float]) -> float:
    import statistics

    return statistics.median(xs)


def _stale(path: Path, base: Path) -> bool:
    return path.stat().st_mtime < base.stat().st_mtime


def _process_requests(work: Path, base: Path, count: int) -> list[Path]:
    """One SIM replacement per run, each on another generated line (a new order each)."""
    import sqlite3

    from tests.builders import personal

    con = sqlite3.connect(f"file:{base}?mode=ro", uri=True)
    numbers = [r[0] for r in con.execute(
        "SELECT number FROM line WHERE origin = 'gen' ORDER BY id DESC LIMIT ?", (count,))]
    con.close()
    out = []
    for i, number in enumerate(numbers):
        req = personal("sim_replacement", documents=["sim_card"])
        req.pop("business_date")  # the machine's day: `counter process` runs on its clock
        req["line"]["number"] = number
        path = work / f"process-{i}.json"
        path.write_text(json.dumps(req, ensure_ascii=False), encoding="utf-8")
        out.append(path)
    return out


def row_text(f: Figure) -> str:
    from bench.harness import fmt_seconds

    size = size_label(f.size) if f.size else "—"
    ratio = "" if f.floor <= 0 else f"{f.ratio:.2f}×"
    return (f"{f.name} | {size} | {fmt_seconds(f.app)} | {fmt_seconds(f.floor)} | {ratio} | "
            f"{f.target_text()} | {'met' if f.met else 'NOT MET'}")


def save_results(path: Path, figures: list[Figure]) -> list[Figure]:
    """Merge this run's figures into the results file; returns all of them."""
    stored: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
    stamp = time.strftime("%Y-%m-%d %H:%M")
    for f in figures:
        stored[f"{f.name}@{f.size}"] = {**f.to_json(), "measured": stamp}
    path.write_text(json.dumps(stored, ensure_ascii=False, indent=1))
    return [Figure.from_json(d) for d in stored.values()]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--sizes", default="10k,100k,1m")
    p.add_argument("--figures", default=",".join(FIGURES))
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--work", type=Path, default=Path("/tmp/counter-bench"))
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    p.add_argument("--no-write", action="store_true", help="do not rewrite the markdown")
    p.add_argument("--report-only", action="store_true",
                   help="measure nothing: write the markdown from the stored results")
    args = p.parse_args(argv)
    if args.report_only:
        write_markdown(args.out, save_results(args.work / "results.json", []))
        print(f"written {args.out}")
        return 0
    wanted = [f.strip() for f in args.figures.split(",") if f.strip()]
    unknown = set(wanted) - set(FIGURES)
    if unknown:
        p.error(f"unknown figures: {', '.join(sorted(unknown))}")
    run = Run(Workspace(args.work), args.rounds)
    print("figure | size | app | floor | ratio | target | verdict", flush=True)
    papers_done = False
    failed: list[str] = []
    for n in [parse_size(s) for s in args.sizes.split(",") if s.strip()]:
        if "generate" in wanted or not run.ws.base(n).exists():
            run.generate(n)
        for name in wanted:
            if name == "generate" or (name == "papers" and papers_done):
                continue
            step: Callable[[int], None] = getattr(run, name)
            # What the bench wrote before is on disk first: the generator writes with
            # synchronous=OFF, and the kernel was still writing its 2.5 GB back while the
            # next figures ran (`counter process`'s floor at 1M: 36 ms -> 81 ms).
            os.sync()
            try:
                step(n)
            except Exception as exc:  # one figure failing must not lose the others
                failed.append(f"{name} ({size_label(n)}): {exc}")
                print(f"{name} | {size_label(n)} | FAILED: {str(exc).splitlines()[0]}",
                      flush=True)
            finally:
                run.ws.clear_scratch()
            papers_done = papers_done or name == "papers"
    results = save_results(args.work / "results.json", run.figures)
    if not args.no_write:
        write_markdown(args.out, results)
        print(f"written {args.out}")
    for line in failed:
        print(f"failed: {line}", file=sys.stderr)
    return 0 if all(f.met for f in run.figures) and not failed else 1


if __name__ == "__main__":
    raise SystemExit(main())
