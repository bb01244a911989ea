"""What every figure of `bench/run_all.py` shares: the figure itself, A-B interleaving,
children that report their own peak memory, the work folder with its databases.

A figure is always measured against its floor *in the same run*: the app (A) and the floor
(B) alternate, A B A B, and each side's figure is the median of its rounds, so a machine that
gets busier half-way slows both sides alike.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PYTHON = sys.executable
DAY = date(2026, 11, 22)  # the business date of the generated orders
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # tests' frozen clock
PASSPHRASE = "bench-passphrase-not-secret"


@dataclass
class Figure:
    """One row of the table: the app's time, its floor's, and the target on their ratio
    (or on the app's time alone when `absolute` is set, in seconds)."""

    name: str
    size: int
    app: float  # seconds (median of rounds)
    floor: float
    target: float  # the highest acceptable ratio (or seconds, when absolute)
    absolute: bool = False
    rounds: int = 1
    floor_text: str = ""  # what the floor does
    note: str = ""
    app_peak_mb: float | None = None
    floor_peak_mb: float | None = None
    samples: dict[str, list[float]] = field(default_factory=dict)
    measured: str = ""  # when (the results file keeps each figure's latest run)

    @property
    def ratio(self) -> float:
        return self.app / self.floor if self.floor > 0 else float("inf")

    @property
    def met(self) -> bool:
        return (self.app <= self.target) if self.absolute else (self.ratio <= self.target)

    def target_text(self) -> str:
        return f"≤ {fmt_seconds(self.target)}" if self.absolute else f"≤ {self.target:g}×"

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio, "met": self.met}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Figure:
        data = {k: v for k, v in data.items() if k not in ("ratio", "met")}
        return cls(**data)


def fmt_seconds(s: float) -> str:
    if s >= 10:
        return f"{s:.1f} s"
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 0.01:
        return f"{s * 1000:.0f} ms"
    if s >= 0.001:
        return f"{s * 1000:.2f} ms"
    return f"{s * 1e6:.0f} µs"


def size_label(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else (
        f"{n // 1000}k" if n % 1000 == 0 else str(n))


def parse_size(text: str) -> int:
    t = text.strip().lower()
    mult = {"k": 1000, "m": 1_000_000}.get(t[-1:], 1)
    return int(float(t.rstrip("km")) * mult)


def interleave(a: Callable[[int], float], b: Callable[[int], float], rounds: int
               ) -> tuple[float, float, dict[str, list[float]]]:
    """A B A B ...: `rounds` of each, alternating; the medians and all samples (seconds).
    Each callable gets the round's number and returns the seconds it measured."""
    xs: list[float] = []
    ys: list[float] = []
    for i in range(rounds):
        xs.append(a(i))
        ys.append(b(i))
    return statistics.median(xs), statistics.median(ys), {"app": xs, "floor": ys}


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss would include a parent's)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_env(work: Path) -> dict[str, str]:
    """The environment of every child: a throw-away key, data and settings folders."""
    key = work / "bench-key.json"
    env = dict(os.environ)
    env.update(COUNTER_KEY_FILE=str(key), COUNTER_KEY_PASSPHRASE=PASSPHRASE,
               COUNTER_DATA_DIR=str(work / "data"), COUNTER_CONFIG_DIR=str(work / "config"),
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
               QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    env.pop("COUNTER_DB", None)
    # Python keeps compiled modules, as an installed program has them: a start is measured,
    # not a compilation of the whole program.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def ensure_key(work: Path) -> None:
    work.mkdir(parents=True, exist_ok=True)
    key = work / "bench-key.json"
    os.environ.update({k: v for k, v in bench_env(work).items()
                       if k.startswith(("COUNTER_", "PYTHON_KEYRING", "QT_QPA"))})
    if not key.exists():
        from app.security import create_key_file

        create_key_file(key, PASSPHRASE)


def run_child(module: str, *args: str, work: Path, timeout: float = 7200) -> dict[str, Any]:
    """`python -m bench.<module> args...` in a fresh process; the JSON of its last line."""
    proc = subprocess.run([PYTHON, "-m", f"bench.{module}", *args], capture_output=True,
                          text=True, check=False, cwd=ROOT, env=bench_env(work),
                          timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"bench.{module} {' '.join(args)} failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def timed_process(argv: Sequence[str], *, env: dict[str, str], marker: str | None = None,
                  stdout_to: Path | None = None, timeout: float = 3600) -> float:
    """Wall seconds of a process, from its start to its exit (or to its `marker` line)."""
    started = time.perf_counter()
    if marker is None:
        with (stdout_to.open("wb") if stdout_to else open(os.devnull, "wb")) as out:
            proc = subprocess.run(list(argv), stdout=out, stderr=subprocess.PIPE, env=env,
                                  cwd=ROOT, timeout=timeout, check=False)
        seconds = time.perf_counter() - started
        if proc.returncode != 0:
            raise RuntimeError(f"{argv[:4]} failed: {proc.stderr.decode()[-2000:]}")
        return seconds
    log = Path(env.get("COUNTER_DATA_DIR", "/tmp")).parent / "children-stderr.log"
    with log.open("ab") as err:
        child = subprocess.Popen(list(argv), stdout=subprocess.PIPE, stderr=err, text=True,
                                 env=env, cwd=ROOT)
    assert child.stdout is not None
    watchdog = threading.Timer(timeout, child.kill)  # a start that hangs ends the figure
    watchdog.start()
    seen = None
    for line in child.stdout:
        if line.startswith(marker):
            seen = time.perf_counter() - started
            if "FAILED" in line:
                child.kill()
                raise RuntimeError(f"{argv[:4]}: {line.strip()}")
            break
    child.stdout.close()
    child.wait(timeout=120)
    watchdog.cancel()
    if seen is None:
        raise RuntimeError(f"no {marker!r} from {argv[:4]}")
    return seen


def remove_db(path: Path) -> None:
    """A database file with its WAL, shared memory and health record."""
    for suffix in ("", "-wal", "-shm", ".health"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def copy_db(src: Path, dst: Path) -> Path:
    """A copy of a closed database file (its WAL folded in first, if any)."""
    remove_db(dst)
    shutil.copyfile(src, dst)
    # On disk before the timed program opens it: otherwise SQLite's checkpoint at close pays
    # for writing back the copy (0.6 s at 1M orders), a cost of the bench, not of the program.
    with open(dst, "rb+") as fh:
        os.fsync(fh.fileno())
    health = Path(f"{src}.health")
    if health.exists():  # the copy is the same file: it keeps the record of its last check
        shutil.copyfile(health, Path(f"{dst}.health"))
        os.utime(dst, ns=(src.stat().st_atime_ns, src.stat().st_mtime_ns))
    return dst


class Workspace:
    """The bench's folder: the key, and per size the generated database all figures use."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._scratch: set[Path] = set()
        root.mkdir(parents=True, exist_ok=True)
        ensure_key(root)

    def base(self, n: int) -> Path:
        return self.root / f"base-{size_label(n)}.sqlite3"

    def scratch(self, name: str) -> Path:
        path = self.root / name
        self._scratch.add(path)
        return path

    def clear_scratch(self) -> None:
        """Remove the copies a figure made, once it is measured. At 1M orders each is 2.4 GB:
        left behind they kept the page cache full, every later copy waited on reclaim, and
        `counter process` measured after `record` at 1M took 413 ms instead of 366 ms."""
        for path in self._scratch:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                remove_db(path)
        self._scratch.clear()

    def env(self) -> dict[str, str]:
        return bench_env(self.root)
