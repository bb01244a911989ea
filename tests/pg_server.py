"""A real, throw-away PostgreSQL server for the tests.

`start_server()` runs `initdb` into a fresh temporary folder and starts `postgres` on a free
port of 127.0.0.1 (its unix socket also in that folder); tests/conftest.py holds the fixtures
(`pg_server` once per session, or per pytest-xdist worker; `pg_url`, `db_url`) and stops it at
the end. The binaries come from the Debian packages (`/usr/lib/postgresql/*/bin`, see
`tools/install_system_deps.sh`); without them the PostgreSQL tests are skipped with the
reason.

`initdb` refuses to run as root, so under root the server runs as the `postgres` system user
(`runuser -u postgres --`) and the folder is given to that user. Clients connect over TCP with
a password (scram-sha-256), as a workstation would.

The server keeps the real time even when the tests run under `faketime`: libfaketime's
variables are taken out of its environment (a server whose clock jumps or stands still would
time out its own start-up and its connections, and tell us nothing about the program).
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SUPERUSER = "postgres"
PASSWORD = "pg-test-password"  # a throw-away server on 127.0.0.1 only
APP_USER = "counter"
APP_PASSWORD = "counter-sync-pw"


def find_bindir() -> Path | None:
    override = os.environ.get("COUNTER_PG_BINDIR")
    if override and (Path(override) / "initdb").exists():
        return Path(override)
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def real_time_env() -> dict[str, str]:
    """This process's environment without libfaketime (see the module's docstring)."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("FAKETIME", "DONT_FAKE_MONOTONIC")) and k != "LD_PRELOAD"}


@dataclass
class PgServer:
    bindir: Path
    root: Path
    port: int
    run_as: list[str] = field(default_factory=list)  # ["runuser", "-u", "postgres", "--"]
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.data = self.root / "data"
        self.sockets = self.root / "sockets"
        self.log = self.root / "server.log"

    # -- commands ------------------------------------------------------------------------------
    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self.run_as, *args], capture_output=True, text=True,
                              check=check, timeout=120, env=real_time_env())

    def init(self) -> None:
        pwfile = self.root / "pw"
        pwfile.write_text(PASSWORD + "\n")
        self._own(pwfile)
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", SUPERUSER,
                  "--pwfile", str(pwfile), "--auth-local=trust",
                  "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        pwfile.unlink()
        self.configure()

    def configure(self) -> None:
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(f"\nlisten_addresses = '127.0.0.1'\nport = {self.port}\n"
                       f"unix_socket_directories = '{self.sockets}'\n"
                       # fsync off only risks an OS crash; synchronous_commit stays on, or a
                       # crash of the server (the tests stop it with -m immediate) would lose
                       # commits already reported to the client.
                       "fsync = off\nfull_page_writes = off\n"
                       "max_connections = 100\nshared_buffers = 64MB\n")

    def start(self) -> None:
        result = self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l",
                           str(self.log), "-w", "-t", "60", "start", check=False)
        if result.returncode != 0:
            raise RuntimeError(f"postgres did not start: {result.stderr}\n{self.read_log()}")

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w",
                  "stop", check=False)

    def is_running(self) -> bool:
        return self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "status",
                         check=False).returncode == 0

    def read_log(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def _own(self, path: Path) -> None:
        if self.run_as:
            shutil.chown(path, SUPERUSER, SUPERUSER)

    # -- SQL as the superuser --------------------------------------------------------------------
    def admin(self, sql: str, dbname: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER,
                             password=PASSWORD, dbname=dbname, autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def url(self, dbname: str, *, password: bool = True) -> str:
        auth = f"{APP_USER}:{APP_PASSWORD}" if password else APP_USER
        return f"postgresql+psycopg://{auth}@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, prefix: str = "t", template: str | None = None) -> str:
        """A new database owned by the application user (empty, or a copy of `template`,
        which no one may be connected to); its name."""
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        copy = f' TEMPLATE "{template}"' if template else ""
        self.admin(f'CREATE DATABASE "{name}" OWNER {APP_USER}{copy}')
        return name

    def drop_database(self, name: str) -> None:
        with contextlib.suppress(Exception):
            self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def ensure_running(self) -> None:
        """Start the server again after a test that stopped it (the next must not break)."""
        if not self.is_running():
            self.start()

    def remove(self) -> None:
        self.stop("immediate")
        deadline = time.monotonic() + 10
        while self.is_running() and time.monotonic() < deadline:
            time.sleep(0.1)
        shutil.rmtree(self.root, ignore_errors=True)


def start_server() -> PgServer:
    """A running server with the application's role; `pytest.skip` without PostgreSQL."""
    bindir = find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin): "
                    "install the Debian package `postgresql` (tools/install_system_deps.sh)")
    run_as: list[str] = []
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser is None:
            pytest.skip("running as root without `runuser`: initdb refuses to run as root")
        run_as = [runuser, "-u", SUPERUSER, "--"]
    # Not under pytest's tmp folder: its 0700 parents would keep the postgres user out.
    root = Path(tempfile.mkdtemp(prefix="counter-pg-"))
    os.chmod(root, 0o755)
    server = PgServer(bindir, root, free_port(), run_as)
    server.sockets.mkdir()
    if run_as:
        for path in (root, server.sockets):
            shutil.chown(path, SUPERUSER, SUPERUSER)
    try:
        server.init()
        for attempt in range(3):
            try:
                server.start()
                break
            except RuntimeError:
                # Another process (a second xdist worker) took the free port in between.
                if attempt == 2 or "could not bind" not in server.read_log():
                    raise
                server.port = free_port()
                server.configure()  # the last `port =` line wins
        server.admin(f"CREATE ROLE {APP_USER} LOGIN PASSWORD '{APP_PASSWORD}' CREATEDB")
    except Exception:
        server.remove()
        raise
    return server
