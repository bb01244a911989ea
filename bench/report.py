"""`docs/benchmarks.md`, written from `bench/run_all.py`'s results (never by hand)."""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
import time
from pathlib import Path

from bench.harness import Figure, fmt_seconds, size_label

ORDER = ("GUI start to a usable login", "`counter process` of one request", "open the database",
         "record one request", "customer by ID number", "slip + receipt",
         "CSV export, the orders file", "sync to the hall server", "generate the data")

HEAD = """# Benchmark figures

Written by `python bench/run_all.py` from its own measurements (do not edit by hand; run it
again). Each figure is measured beside a **floor that does the same work** with nothing of the
program above it, in the same run, interleaved (A B A B), and each side's figure is the median
of its rounds. *ratio* = app / floor; *target* is the highest acceptable ratio, or an absolute
time where there is no fair floor for the whole of it. Sizes are orders in the database (as
many customers, one line each, fees, payments and audit events: `bench/generate.py`).

Machine: {machine}.
Other work may have been running (load average {load} when this was written). Both sides of
a figure were measured under the same load, but a side that is busy on the CPU (the app)
loses more to other work than one that waits on the disk (a floor's fsyncs), so a loaded
machine shows higher ratios than an idle one.
"""

FLOORS = """
## What each floor does

{floors}

## Reading the figures

- *record one request*: the app's `OrderService.submit` against the very statements it sent
  (captured with their parameters), replayed on a twin copy of the file in the same
  transactions with the same pragmas (WAL, `synchronous=FULL`, foreign keys, secure delete).
  The floor shrinks when the app sends fewer statements: it is the app's own SQL, executed
  with nothing above the driver.
- *`counter process`* and *open the database* have absolute targets: the process starts
  Python, imports the program, opens and checks the database and records one order; the floor
  beside it is Python replaying the same order's statements.
- *GUI start*: from starting the process to the login being usable (the database open, the
  key and catalog loaded: `SessionController.ready`), not just the window shown.
- Peak memory is the process's high-water mark (VmHWM) where measured.
"""


def _machine() -> str:
    cpus = os.cpu_count() or 0
    try:
        from reportlab.lib import rl_accel

        accel = "rl-accel" if rl_accel._c_funcs else "no rl-accel"
    except ImportError:  # pragma: no cover
        accel = "no reportlab"
    return (f"{platform.system()} {platform.machine()}, {cpus} CPUs, Python "
            f"{sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}, {accel}")


def _cell_mb(f: Figure) -> str:
    parts = []
    if f.app_peak_mb is not None:
        parts.append(f"app {f.app_peak_mb:.0f} MB")
    if f.floor_peak_mb is not None:
        parts.append(f"floor {f.floor_peak_mb:.0f} MB")
    return ", ".join(parts)


def table(figures: list[Figure]) -> str:
    rank = {name: i for i, name in enumerate(ORDER)}
    rows = sorted(figures, key=lambda f: (rank.get(f.name, 99), f.size))
    out = ["| figure | size | app | floor | ratio | target | met | rounds | measured | notes |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for f in rows:
        notes = "; ".join(x for x in (f.note, _cell_mb(f)) if x)
        out.append(f"| {f.name} | {size_label(f.size) if f.size else '—'} | "
                   f"{fmt_seconds(f.app)} | {fmt_seconds(f.floor)} | {f.ratio:.2f}× | "
                   f"{f.target_text()} | {'yes' if f.met else '**no**'} | {f.rounds} | "
                   f"{f.measured} | {notes} |")
    return "\n".join(out)


def write_markdown(path: Path, figures: list[Figure]) -> None:
    floors = {}
    for f in figures:
        floors.setdefault(f.name, f.floor_text)
    floor_lines = "\n".join(f"- *{name}*: {text}" for name, text in
                            sorted(floors.items(), key=lambda kv: ORDER.index(kv[0])
                                   if kv[0] in ORDER else 99))
    met = sum(f.met for f in figures)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    text = (HEAD.format(machine=_machine(), load=load)
            + f"\nLast written {time.strftime('%Y-%m-%d %H:%M')}: {met} of {len(figures)} "
              "figures meet their target.\n\n"
            + table(figures) + "\n" + FLOORS.format(floors=floor_lines))
    path.write_text(text, encoding="utf-8")
