"""Transport security of sync, against real servers on this machine's network address.

* The connection parameters: a remote host gets ``sslmode=verify-full`` and the CA file;
  ``require`` only by an explicit setting; weaker modes, a missing CA file and a password in a
  remote URL are refused before connecting; loopback and Unix sockets are left alone.
* A fake server on the non-loopback address that declines TLS and asks for a cleartext
  password (what issue 13 found): sync never sends it -- not even a start-up message --
  while a client that allows plain connections (libpq's default ``prefer``) does.
* A real PostgreSQL with TLS on the network address (a certificate for that address from a
  CA made in the test): sync works with the CA file, fails with another CA or with only the
  system's CAs, and works with ``require``; the session really is encrypted.
* Two workstations setting up an empty server at once: no "duplicate key ...
  pg_type_typname_nsp_index" (the migration takes an advisory lock).
* The sync password kept in the key file where no secure keyring exists, encrypted.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from app.clock import FixedClock
from app.db import Database, open_database
from app.models import ServiceOrder
from app.services.sync.credentials import ENV_PASSWORD, keyring_entry, resolve_server_url
from app.services.sync.errors import SyncError, SyncUnavailable
from app.services.sync.run import run_sync
from app.services.sync.transport import ENV_CA_FILE, ENV_SSLMODE, is_local, secure_url
from bench.generate import generate
from tests.builders import DAY
from tests.pg_server import APP_PASSWORD, APP_USER, PgServer, start_server

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.postgres


def network_address() -> str | None:
    """This machine's own non-loopback IPv4 address (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: only picks the outgoing interface
            address = str(s.getsockname()[0])
        except OSError:
            return None
    return None if ipaddress.ip_address(address).is_loopback else address


ADDRESS = network_address()
needs_address = pytest.mark.skipif(ADDRESS is None, reason="no non-loopback IPv4 address")


@pytest.fixture(autouse=True)
def _no_tls_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (ENV_SSLMODE, ENV_CA_FILE, ENV_PASSWORD, "PGHOST", "PGSSLMODE", "PGSSLROOTCERT"):
        monkeypatch.delenv(name, raising=False)


# -- the parameters ------------------------------------------------------------------------------

def test_connection_parameters_for_remote_and_local_hosts(tmp_path: Path) -> None:
    ca = tmp_path / "hall-ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    remote = "postgresql+psycopg://counter@db.hall.lan:5432/hall"
    query = make_url(secure_url(remote, environ={ENV_CA_FILE: str(ca)})).query
    assert dict(query) == {"sslmode": "verify-full", "sslrootcert": str(ca)}
    assert dict(make_url(secure_url(remote, ca_file=str(ca), environ={})).query)[
        "sslrootcert"] == str(ca)
    # No CA file set: the system's CAs, still verify-full.
    assert dict(make_url(secure_url(remote, environ={})).query) == {
        "sslmode": "verify-full", "sslrootcert": "system"}
    # `require` only by an explicit setting; never less than TLS.
    assert dict(make_url(secure_url(remote, environ={ENV_SSLMODE: "require"})).query) == {
        "sslmode": "require"}
    assert dict(make_url(secure_url(remote, sslmode="require", environ={})).query) == {
        "sslmode": "require"}
    for weak in ("disable", "allow", "prefer", "require"):
        with pytest.raises(SyncError, match="sslmode"):
            secure_url(f"{remote}?sslmode={weak}", environ={})
    with pytest.raises(SyncError, match=ENV_SSLMODE):
        secure_url(remote, environ={ENV_SSLMODE: "prefer"})
    with pytest.raises(SyncError, match="CA"):
        secure_url(remote, environ={ENV_CA_FILE: str(tmp_path / "missing.pem")})
    for address in ("10.1.2.3", "[fe80::1]", "hall-server"):
        assert not is_local(f"postgresql+psycopg://counter@{address}/hall", environ={})
    # This machine: loopback addresses, localhost and Unix sockets are left as they are.
    for url in ("postgresql+psycopg://counter@127.0.0.1:5432/hall",
                "postgresql+psycopg://counter@127.8.9.1/hall",
                "postgresql+psycopg://counter@localhost/hall",
                "postgresql+psycopg://counter@[::1]:5432/hall",
                "postgresql+psycopg://counter@/hall?host=/var/run/postgresql",
                "postgresql+psycopg://counter@/hall"):
        assert secure_url(url, environ={}) == url
    # A libpq default host from the environment counts too.
    assert not is_local("postgresql+psycopg://counter@/hall", environ={"PGHOST": "10.0.0.5"})


def test_a_password_in_a_remote_url_is_refused_before_connecting(
        tmp_path: Path, clock: FixedClock) -> None:
    ws = open_database(f"sqlite:///{tmp_path / 'ws.sqlite3'}", clock=clock)
    try:
        with pytest.raises(SyncError, match="--set-password") as info:
            run_sync(ws, "postgresql+psycopg://counter:secret@10.255.255.1:5432/hall")
        assert "secret" not in str(info.value) and not isinstance(info.value, SyncUnavailable)
    finally:
        ws.dispose()


# -- a server that declines TLS and asks for the password in clear --------------------------------

SSL_REQUEST, GSS_REQUEST = 80877103, 80877104


class CleartextTrap:
    """Speaks just enough of the PostgreSQL protocol: declines TLS and GSS encryption, then
    asks for a cleartext password and keeps whatever the client sends."""

    def __init__(self, host: str) -> None:
        self.sock = socket.create_server((host, 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.received: list[bytes] = []  # everything clients sent, per connection
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(5)
                self.received.append(self._talk(conn))

    @staticmethod
    def _read(conn: socket.socket, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = conn.recv(n - len(data))
            if not chunk:
                raise ConnectionError
            data += chunk
        return data

    def _talk(self, conn: socket.socket) -> bytes:
        seen = b""
        try:
            while True:  # encryption requests, then the start-up message
                head = self._read(conn, 8)
                length, code = struct.unpack("!ii", head)
                body = self._read(conn, length - 8)
                seen += head + body
                if code in (SSL_REQUEST, GSS_REQUEST):
                    conn.sendall(b"N")
                    continue
                break
            conn.sendall(b"R" + struct.pack("!ii", 8, 3))  # AuthenticationCleartextPassword
            kind = self._read(conn, 1)
            length = struct.unpack("!i", self._read(conn, 4))[0]
            seen += kind + self._read(conn, length - 4)
            conn.sendall(b"E" + struct.pack("!i", 4 + 7) + b"SFATAL\x00\x00")
        except (ConnectionError, OSError):
            pass
        return seen

    def wait(self, timeout: float = 10.0) -> None:
        """Until a connection's talk is recorded: the client may see the server's answer (and
        the test go on) before the serving thread has stored what it received."""
        deadline = time.monotonic() + timeout
        while not self.received and time.monotonic() < deadline:
            time.sleep(0.01)

    def close(self) -> None:
        self._stop.set()
        self.thread.join(timeout=5)
        self.sock.close()


@pytest.fixture
def trap() -> Iterator[CleartextTrap]:
    assert ADDRESS is not None
    server = CleartextTrap(ADDRESS)
    yield server
    server.close()


@needs_address
def test_sync_never_sends_the_password_to_a_server_without_tls(
        trap: CleartextTrap, tmp_path: Path, clock: FixedClock,
        monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "hall-secret-4711"
    # What issue 13 found: a client that allows a plain connection hands the password over.
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(host=ADDRESS, port=trap.port, user="counter", dbname="hall",
                        password=secret, sslmode="prefer", connect_timeout=5).close()
    trap.wait()
    assert any(secret.encode() in r for r in trap.received)
    trap.received.clear()

    monkeypatch.setenv(ENV_PASSWORD, secret)
    ws = open_database(f"sqlite:///{tmp_path / 'ws.sqlite3'}", clock=clock)
    try:
        with pytest.raises(SyncError) as info:
            run_sync(ws, f"postgresql+psycopg://counter@{ADDRESS}:{trap.port}/hall",
                     origin="WS1")
    finally:
        ws.dispose()
    # A setting to fix, not a server that is away (no retries), in one line.
    assert not isinstance(info.value, SyncUnavailable)
    assert "SSL" in str(info.value) and "密码未发送" in str(info.value)
    assert secret not in str(info.value) and "\n" not in str(info.value)
    trap.wait()
    assert trap.received, "the sync never reached the trap"
    for sent in trap.received:
        assert secret.encode() not in sent
        # Only TLS (and GSS) requests: no start-up message, so no user name either.
        assert b"counter" not in sent and b"user" not in sent
        assert len(sent) % 8 == 0
        assert {struct.unpack("!ii", sent[i:i + 8])[1] for i in range(0, len(sent), 8)} <= {
            SSL_REQUEST, GSS_REQUEST}


# -- a real server with TLS on the network address ------------------------------------------------

def _ca(name: str) -> tuple[Any, Any]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)  # fixed: valid whatever the test's date
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + dt.timedelta(days=365 * 60))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False,
                                         decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    return key, cert


def _server_cert(ca_key: Any, ca_cert: Any, address: str) -> tuple[Any, Any]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, address)]))
            .issuer_name(ca_cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + dt.timedelta(days=365 * 60))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address(address))]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return key, cert


def _pem(obj: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    if hasattr(obj, "private_bytes"):
        return bytes(obj.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return bytes(obj.public_bytes(serialization.Encoding.PEM))


class TlsServer:
    def __init__(self, server: PgServer, ca_file: Path, other_ca_file: Path) -> None:
        self.server, self.ca_file, self.other_ca_file = server, ca_file, other_ca_file


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsServer]:
    """A PostgreSQL of its own listening on 127.0.0.1 and on the network address, TLS on, with
    a certificate for the network address; from there only TLS connections are accepted."""
    if ADDRESS is None:
        pytest.skip("no non-loopback IPv4 address")
    server = start_server()
    try:
        folder = tmp_path_factory.mktemp("tls")
        ca_key, ca_cert = _ca("hall test CA")
        key, cert = _server_cert(ca_key, ca_cert, ADDRESS)
        _other_key, other_cert = _ca("some other CA")
        (folder / "ca.pem").write_bytes(_pem(ca_cert))
        (folder / "other-ca.pem").write_bytes(_pem(other_cert))
        for name, data in (("server.crt", _pem(cert)), ("server.key", _pem(key))):
            path = server.data / name
            path.write_bytes(data)
            path.chmod(0o600)
            if server.run_as:
                shutil.chown(path, "postgres", "postgres")
        with (server.data / "postgresql.conf").open("a") as conf:
            conf.write(f"\nlisten_addresses = '127.0.0.1,{ADDRESS}'\nssl = on\n"
                       "ssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n")
        with (server.data / "pg_hba.conf").open("a") as hba:
            hba.write(f"\nhostssl all all {ADDRESS}/32 scram-sha-256\n"
                      f"hostnossl all all {ADDRESS}/32 reject\n")
        server.stop()
        server.start()
        yield TlsServer(server, folder / "ca.pem", folder / "other-ca.pem")
    finally:
        server.remove()


@pytest.fixture
def remote(tls_server: TlsServer) -> Iterator[str]:
    """A fresh database on the TLS server, as a URL over the network address (no password)."""
    name = tls_server.server.create_database()
    yield f"postgresql+psycopg://{APP_USER}@{ADDRESS}:{tls_server.server.port}/{name}"
    tls_server.server.drop_database(name)


@pytest.fixture
def workstation(tmp_path: Path, clock: FixedClock) -> Iterator[Callable[[str], Database]]:
    dbs: list[Database] = []

    def make(name: str, orders: int = 30) -> Database:
        url = f"sqlite:///{tmp_path / name}.sqlite3"
        generate(url, orders=orders, customers=10, day=DAY)
        db = open_database(url, clock=clock)
        dbs.append(db)
        return db

    yield make
    for db in dbs:
        db.dispose()


def orders_on(url: str, ca_file: Path | None = None) -> int:
    """Orders on the server (0 before any schema is there)."""
    ca = str(ca_file) if ca_file else None
    db = open_database(secure_url(resolve_server_url(url), ca_file=ca), migrate=False)
    try:
        with db.read() as s:
            if not s.execute(text("SELECT to_regclass('service_order')")).scalar():
                return 0
            return int(s.execute(select(func.count()).select_from(ServiceOrder)).scalar() or 0)
    finally:
        db.dispose()


def test_sync_over_tls_checks_the_servers_certificate(
        tls_server: TlsServer, remote: str, workstation: Callable[[str], Database],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_PASSWORD, APP_PASSWORD)
    ws = workstation("ws")
    # Signed by another CA, or only the system's CAs: refused before anything is sent.
    for setting in ({ENV_CA_FILE: str(tls_server.other_ca_file)}, {}):
        monkeypatch.delenv(ENV_CA_FILE, raising=False)
        for key, value in setting.items():
            monkeypatch.setenv(key, value)
        with pytest.raises(SyncError, match="certificate verify failed") as info:
            run_sync(ws, remote, origin="TLS1")
        assert not isinstance(info.value, SyncUnavailable)
        assert orders_on(remote, tls_server.ca_file) == 0
    monkeypatch.setenv(ENV_CA_FILE, str(tls_server.ca_file))
    report = run_sync(ws, remote, origin="TLS1")
    assert report.pushed["service_order"] == 30 and not report.refused
    assert orders_on(remote) == 30
    # The session really is encrypted, as the server sees it.
    params = make_url(secure_url(remote))
    with psycopg.connect(host=params.host, port=params.port, user=APP_USER,
                         password=APP_PASSWORD, dbname=params.database,
                         **dict(params.query)) as conn:
        ssl, version = conn.execute("SELECT ssl, version FROM pg_stat_ssl "
                                    "WHERE pid = pg_backend_pid()").fetchone() or (None, None)
    assert ssl is True and str(version).startswith("TLS")


def test_sslmode_require_by_explicit_setting(
        tls_server: TlsServer, remote: str, workstation: Callable[[str], Database],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_PASSWORD, APP_PASSWORD)
    ws = workstation("ws", orders=5)
    report = run_sync(ws, remote, origin="TLS2", sslmode="require")
    assert report.pushed["service_order"] == 5


def test_loopback_without_tls_still_works(workstation: Callable[[str], Database],
                                          pg_url: str) -> None:
    assert secure_url(pg_url) == pg_url  # the session's test server has no TLS at all
    report = run_sync(workstation("ws", orders=5), pg_url, origin="LOOP")
    assert report.pushed["service_order"] == 5


# -- set-up of an empty server by two workstations at once ----------------------------------------
# Processes, as two workstations are: Alembic keeps its context in module globals, so two
# threads of one process cannot migrate at the same time whatever the server does.

GATED_OPEN = """
import os, sys, time
gate = sys.argv[2]
while not os.path.exists(gate):
    time.sleep(0.005)
from app.db import open_database
open_database(sys.argv[1]).dispose()
"""


def test_migrations_of_an_empty_server_at_once(pg_server: PgServer, tmp_path: Path) -> None:
    """Only the schema set-up: four processes upgrade one empty database at the same moment
    (each waits for a gate file after its start-up, then all open the database)."""
    for round_ in range(3):
        name = pg_server.create_database()
        gate = tmp_path / f"gate{round_}"
        procs = [subprocess.Popen([sys.executable, "-c", "import app.db\n" + GATED_OPEN,
                                   pg_server.url(name), str(gate)], cwd=ROOT, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for _ in range(4)]
        time.sleep(1.5)  # all four started and imported, waiting at the gate
        gate.touch()
        results = [p.communicate(timeout=300) for p in procs]
        pg_server.drop_database(name)
        for proc, (_out, err) in zip(procs, results, strict=True):
            assert proc.returncode == 0, err
            assert "pg_type_typname_nsp_index" not in err


def test_two_workstations_first_sync_to_an_empty_server_at_once(
        pg_server: PgServer, tmp_path: Path) -> None:
    """Two `counter sync` processes, each the first sync of its workstation, to one empty
    server: migration, feed triggers, claims and the hall's rows; both go through."""
    urls = []
    for i, code in enumerate(("C01", "C02")):
        url = f"sqlite:///{tmp_path / f'ws{i}'}.sqlite3"
        generate(url, orders=20, customers=10, day=DAY, counters=(code,))
        urls.append(url)
        if i:  # generate() numbers the lines alike: the second hall's customers have others
            ws = open_database(url)
            try:
                with ws.session() as s:
                    for table, column in (("line", "number"), ("service_order", "line_number")):
                        s.execute(text(f"UPDATE {table} SET {column} = "
                                       f"CAST(CAST({column} AS INTEGER) + 100000 AS TEXT)"))
            finally:
                ws.dispose()
    for round_ in range(2):
        name = pg_server.create_database()
        server = pg_server.url(name)
        procs = [subprocess.Popen([sys.executable, "-m", "app", "sync", "--db", url, "--server",
                                   server, "--origin", f"R{round_}W{i}", "--retries", "0"],
                                  cwd=ROOT, text=True, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE) for i, url in enumerate(urls)]
        results = [p.communicate(timeout=300) for p in procs]
        try:
            for proc, (_out, err) in zip(procs, results, strict=True):
                assert proc.returncode == 0, err
                assert "duplicate key" not in err
            assert orders_on(server) == 40
        finally:
            pg_server.drop_database(name)
        # The next round starts over on a new server: the workstations forget the old one and
        # queue again the orders each recorded itself (not those it pulled from the other).
        for url, code in zip(urls, ("C01", "C02"), strict=True):
            ws = open_database(url)
            try:
                with ws.session() as s:
                    s.execute(text("DELETE FROM sync_state WHERE key LIKE '%.mark'"))
                    s.execute(text("INSERT INTO sync_outbox (tbl, row_id) "
                                   "SELECT 'service_order', o.id FROM service_order o "
                                   "JOIN counter c ON c.id = o.counter_id WHERE c.code = :code"),
                              {"code": code})
            finally:
                ws.dispose()


# -- the password in the key file -----------------------------------------------------------------

def test_sync_password_kept_in_the_key_file_without_a_keyring(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from app.security import open_key_file
    from app.services.sync import credentials

    monkeypatch.setattr("app.security.secure_keyring_available", lambda: False)
    path = Path(os.environ["COUNTER_KEY_FILE"])
    passphrase = os.environ["COUNTER_KEY_PASSPHRASE"]
    key_before = open_key_file(path, passphrase)
    url = "postgresql+psycopg://counter@db.hall.lan:5432/hall"
    where = credentials.store_server_password(url, "kept-in-key-file-99")
    assert where == str(path)
    assert b"kept-in-key-file-99" not in path.read_bytes()  # encrypted
    assert (path.stat().st_mode & 0o777) == 0o600
    assert open_key_file(path, passphrase) == key_before  # the hall's key is untouched
    assert ":kept-in-key-file-99@" in resolve_server_url(url)
    assert make_url(resolve_server_url(url.replace("db.hall.lan", "other.lan"))).password \
        is None
    # The password belongs to its server: copied to another entry it does not decrypt.
    import json

    doc = json.loads(path.read_text())
    doc["sync_passwords"][keyring_entry(url.replace("db.hall", "x"))] = \
        doc["sync_passwords"][keyring_entry(url)]
    path.write_text(json.dumps(doc))
    assert make_url(resolve_server_url(url.replace("db.hall", "x"))).password is None
