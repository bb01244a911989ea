"""The frozen Linux program (PyInstaller one-folder bundle), run from the bundle itself.

Slow and opt-in: set ``COUNTER_BUILD_BUNDLE=1`` (tools/run_tests.sh does). The bundle is built with
``installer/build.sh`` unless the last build started after every file it is made from was
last changed (``COUNTER_REBUILD_BUNDLE=1`` forces a build).
Every command runs with the bundle's own executable, in a temporary working folder, with an
environment holding only what the program needs (no PYTHONPATH, no venv), so nothing can be
found in the source tree by accident.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.builders import examples

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "build" / "dist" / "counter"
EXE = BUNDLE / "counter"
STAMP = ROOT / "build" / "dist" / "counter.stamp"  # written by build.sh, dated at its start
BUILT_BY = ROOT / "build" / "dist" / "counter.testrun"  # the test run that last built it
SOURCES = ("app", "resources", "installer", "tools/pick_python.sh", "pyproject.toml")
BUILD_TIMEOUT = 900
PASSPHRASE = "bundle-test-passphrase"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.xdist_group("bundle"),  # one worker builds it, once (run with --dist loadgroup)
    pytest.mark.skipif(os.environ.get("COUNTER_BUILD_BUNDLE") != "1",
                       reason="set COUNTER_BUILD_BUNDLE=1 to build and test the bundle"),
    pytest.mark.skipif(not sys.platform.startswith("linux"),
                       reason="installer/build.sh builds the Linux bundle"),
]


def _newest_source() -> float:
    newest = 0.0
    for name in SOURCES:
        path = ROOT / name
        files = [path] if path.is_file() else path.rglob("*")
        for f in files:
            if f.is_file() and "__pycache__" not in f.parts:
                newest = max(newest, f.stat().st_mtime)
    return newest


def _fresh() -> bool:
    return EXE.is_file() and STAMP.is_file() and STAMP.stat().st_mtime > _newest_source()


@pytest.fixture(scope="module")
def bundle(testrun_uid: str) -> Iterator[Path]:
    """Built at most once per test run, under a lock: a worker never runs the bundle while
    another rebuilds it in the same folder (should the xdist group ever be split again)."""
    import fcntl  # Linux only, as this module is

    BUNDLE.parent.mkdir(parents=True, exist_ok=True)
    with open(BUNDLE.parent / "counter.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        built_by = BUILT_BY.read_text() if BUILT_BY.is_file() else ""
        if built_by == testrun_uid and EXE.is_file():
            print(f"\nreusing {BUNDLE} (built earlier in this run)")
        elif _fresh() and os.environ.get("COUNTER_REBUILD_BUNDLE") != "1":
            print(f"\nreusing {BUNDLE} (newer than its sources)")
        else:
            _build()
            BUILT_BY.write_text(testrun_uid)
        # Shared while the tests run: a build in another session waits until they are done.
        fcntl.flock(lock, fcntl.LOCK_SH)
        yield EXE


def _build() -> None:
    started = time.monotonic()
    result = subprocess.run(["bash", str(ROOT / "installer" / "build.sh")], cwd=ROOT,
                            capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, (f"build.sh failed after {elapsed:.0f}s:\n"
                                    f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    print(f"\nbuilt {BUNDLE} in {elapsed:.0f}s\n" + "\n".join(result.stdout.splitlines()[-3:]))
    assert EXE.is_file()


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "home").mkdir()
    return tmp_path


def clean_env(workdir: Path, **extra: str) -> dict[str, str]:
    """Only what the program needs: no PYTHONPATH, no venv, no real settings or keyring."""
    env = {k: os.environ[k] for k in ("PATH", "TZ") if k in os.environ}
    env.update(
        LANG="C.UTF-8",
        HOME=str(workdir / "home"),
        XDG_CONFIG_HOME=str(workdir / "home" / ".config"),
        XDG_DATA_HOME=str(workdir / "home" / ".local" / "share"),
        COUNTER_DATA_DIR=str(workdir / "data"),
        COUNTER_CONFIG_DIR=str(workdir / "config"),
        COUNTER_KEY_FILE=str(workdir / "key.json"),
        COUNTER_KEY_PASSPHRASE=PASSPHRASE,
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        QT_QPA_PLATFORM="offscreen",
    )
    env.update(extra)
    return env


def run(exe: Path, workdir: Path, *args: str, env: dict[str, str] | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(exe), *args], cwd=workdir, env=env or clean_env(workdir),
                          capture_output=True, text=True, timeout=timeout)


def create_key(exe: Path, workdir: Path) -> None:
    result = run(exe, workdir, "key", "create", "--file", str(workdir / "key.json"))
    assert result.returncode == 0, result.stderr


def test_version_matches_pyproject(bundle: Path, workdir: Path) -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"]["version"]
    result = run(bundle, workdir, "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"counter {version}"


def test_process_examples_and_print(bundle: Path, workdir: Path) -> None:
    """Every example request through the bundled catalog, rules, migrations, key and
    printing."""
    cases = examples()
    create_key(bundle, workdir)
    request = workdir / "requests.json"
    request.write_text(json.dumps([e["request"] for e in cases], ensure_ascii=False),
                       encoding="utf-8")
    db = workdir / "hall.sqlite3"
    result = run(bundle, workdir, "process", str(request), "--db", f"sqlite:///{db}",
                 "--out", "out")
    assert result.returncode == 0, result.stderr
    outcomes = json.loads(result.stdout)
    assert len(outcomes) == len(cases)
    for example, outcome in zip(cases, outcomes, strict=True):
        expected = example["outcome"]
        assert outcome["decision"] == expected["decision"], example["title"]
        assert {v["rule"] for v in outcome["violations"]} == {
            v["rule"] for v in expected.get("violations", [])}, example["title"]
    accepted = [o for o in outcomes if o["decision"] == "accepted"]
    assert accepted and all(o["order_no"] for o in accepted)
    assert db.is_file()
    printed = [Path(p) for o in accepted for p in o["documents_printed"]]
    assert printed, "accepted orders printed no papers"
    for paper in printed:
        path = paper if paper.is_absolute() else workdir / paper
        assert path.read_bytes()[:5] == b"%PDF-", path


def test_data_dir_from_counter_ini(bundle: Path, workdir: Path) -> None:
    """What the Windows installer does: counter.ini beside the program names the data folder."""
    # An installed copy of its own (hard links where the file system allows): the ini beside
    # it never shows up beside the bundle the other tests run, whatever runs at the same time.
    installed = workdir / "installed"
    try:
        shutil.copytree(bundle.parent, installed, copy_function=os.link, symlinks=True)
    except OSError:
        shutil.rmtree(installed, ignore_errors=True)
        shutil.copytree(bundle.parent, installed, symlinks=True)
    program = installed / bundle.name
    create_key(program, workdir)
    ini = installed / "counter.ini"
    data = workdir / "hall data"
    ini.write_text(f"[paths]\ndata_dir = {data}\n", encoding="utf-8")
    env = clean_env(workdir)
    del env["COUNTER_DATA_DIR"]
    result = run(program, workdir, "demo", "--customers", "3", env=env)
    assert result.returncode == 0, result.stderr
    assert (data / "counter.sqlite3").is_file()
    assert not (workdir / "home" / ".local" / "share" / "hall-counter").exists()


def test_postgresql_from_bundle(bundle: Path, workdir: Path, pg_url: str) -> None:
    """The bundled psycopg (binary, with its libpq) against a real server on 127.0.0.1."""
    create_key(bundle, workdir)
    demo = run(bundle, workdir, "demo", "--customers", "3", "--db", pg_url)
    assert demo.returncode == 0, demo.stderr
    request = workdir / "request.json"
    first = examples()[0]
    request.write_text(json.dumps(first["request"], ensure_ascii=False), encoding="utf-8")
    result = run(bundle, workdir, "process", str(request), "--db", pg_url)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["decision"] == first["outcome"]["decision"]


def test_gui_smoke_from_bundle(bundle: Path, workdir: Path) -> None:
    """Qt plugins, font, translations, icons, print support and the login window load."""
    result = run(bundle, workdir, "smoke-gui",
                 env=clean_env(workdir, COUNTER_SMOKE_EXIT_MS="1500"), timeout=60)
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    report = json.loads(result.stdout)
    assert report["ok"] and report["exit_code"] == 0
    assert all(report["checks"].values()), report
    assert report["details"]["window"] == "LoginWindow"
    internal = str(bundle.parent / "_internal")
    assert report["details"]["translations"].startswith(internal)  # not the source tree
    assert report["details"]["qt_translations"].startswith(internal)


def test_counter_window_starts_from_bundle(bundle: Path, workdir: Path) -> None:
    """`counter gui` itself: the login window reaches the screen, then the program quits."""
    create_key(bundle, workdir)
    result = run(bundle, workdir, "gui", "--db", f"sqlite:///{workdir / 'gui.sqlite3'}",
                 env=clean_env(workdir, COUNTER_BENCH_MARK="exit"), timeout=60)
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    assert "COUNTER_BENCH_MARK shown" in result.stdout


@pytest.mark.skipif(shutil.which("strace") is None, reason="needs strace")
def test_a_command_without_a_window_loads_no_qt(bundle: Path, workdir: Path) -> None:
    """PyInstaller's PySide6 run-time hook (which imported QtCore at every start) is replaced
    by installer/rth_qt_paths.py: `counter process`, `--version`... never open Qt's files."""
    trace = workdir / "trace.txt"
    result = subprocess.run(["strace", "-f", "-e", "trace=openat", "-o", str(trace),
                             str(bundle), "--version"], cwd=workdir, env=clean_env(workdir),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    opened = trace.read_text(encoding="utf-8", errors="replace")
    assert "_internal" in opened  # the trace did see the program's own files
    assert "PySide6" not in opened and "shiboken6" not in opened


def test_bundle_contents(bundle: Path) -> None:
    internal = bundle.parent / "_internal"
    migrations = internal / "app" / "migrations"
    assert (migrations / "env.py").is_file()
    assert sorted(p.name for p in (migrations / "versions").glob("*.py")) == sorted(
        p.name for p in (ROOT / "app" / "migrations" / "versions").glob("*.py"))
    for part in ("catalog", "config/hall.toml", "fonts/wqy-microhei.ttc",
                 "fonts/LICENSE-wqy-microhei.txt", "translations/counter_zh_CN.qm",
                 "icons/counter.svg", "icons/counter.png", "licenses/LGPL-3.0.txt"):
        assert (internal / "resources" / part).exists(), part
    assert not list((internal / "resources").rglob("*.ts"))
    qt = internal / "PySide6" / "Qt"
    plugins = {p.relative_to(qt / "plugins").as_posix() for p in (qt / "plugins").rglob("*.so")}
    assert "platforms/libqxcb.so" in plugins and "platforms/libqoffscreen.so" in plugins
    assert any(p.startswith("printsupport/") for p in plugins)
    unwanted = [p for p in plugins if p.startswith(("wayland", "egldevice", "generic/"))
                or p in ("platforms/libqvnc.so", "platformthemes/libqgtk3.so")]
    assert not unwanted
    assert not (qt / "lib" / "libQt6Quick.so.6").exists()
    assert {p.name for p in (qt / "translations").glob("*.qm")} <= {"qt_zh_CN.qm",
                                                                    "qtbase_zh_CN.qm"}
    size = sum(f.stat().st_size for f in bundle.parent.rglob("*") if f.is_file()
               and not f.is_symlink())
    print(f"\nbundle size: {size / 2**20:.0f} MiB")
    assert size < 400 * 2**20  # a regression guard: today about 200 MiB


@pytest.fixture(autouse=True)
def _no_ini_left() -> Iterator[None]:
    yield
    assert not (BUNDLE / "counter.ini").exists()
