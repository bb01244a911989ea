"""Central sync against a real PostgreSQL server (tests/pg_server.py).

Three workstations serving customers at the same time while syncing; a `counter sync` process
killed with SIGKILL at random moments and restarted; the server stopped in the middle of a
sync and started again. After each, the server holds every order exactly once (same uid, same
fees and payments), every audit event under its workstation with its chain intact, and nothing
on a workstation was lost. Also: edits of one line at two counters (the higher version wins,
both kept in the history), numbers taken twice (an issue, not a stuck sync), credentials, and
a counter working directly on PostgreSQL.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter as Tally
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.clock import FixedClock
from app.core.request import parse_request
from app.db import Database, open_database
from app.models import (
    AuditEvent,
    FollowUpTask,
    IntakeEntry,
    Line,
    LineHistory,
    OrderFee,
    OrderPayment,
    ServiceOrder,
    SyncedAuditEvent,
    SyncIssue,
)
from app.services.hall.registry import Actor, ensure_counter, ensure_hall
from app.services.orders.service import OrderService, Submission
from app.services.sync.credentials import ENV_PASSWORD, keyring_entry, resolve_server_url
from app.services.sync.errors import SyncUnavailable
from app.services.sync.run import SyncClient, run_sync, sync_with_retry, verify_origin_chain
from app.services.sync.state import pending_changes, read_status
from bench.generate import generate  # bench/ sits beside tests/ (pytest's pythonpath)
from tests.builders import DAY, examples, personal
from tests.gui.ui_fixtures import op_runner
from tests.pg_server import PgServer
from tests.sync_progress import wait_for_orders
from tests.test_sync_conflicts import decide_all

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.postgres
_ = op_runner  # a fixture (the status-bar widget's tests); pg_server and pg_url: conftest


# -- helpers -------------------------------------------------------------------------------------

@pytest.fixture
def workstation(tmp_path: Path, clock: FixedClock) -> Iterator[Callable[[str], Database]]:
    """Opens a workstation's database `<name>.sqlite3` (made here, or by `generate` before),
    on the test's clock; all closed at the end."""
    opened: list[Database] = []

    def open_(name: str) -> Database:
        db = open_database(f"sqlite:///{tmp_path / f'{name}.sqlite3'}", clock=clock)
        opened.append(db)
        return db

    yield open_
    for db in opened:
        db.dispose()


def counter_actor(db: Database, code: str) -> Actor:
    """A batch actor on a counter of its own (distinct counter codes: distinct order numbers)."""
    with db.session() as s:
        hall = ensure_hall(s)
        counter = ensure_counter(s, hall, code, batch=True)
        return Actor(None, "batch", "批量受理", "clerk", hall.id, counter.id, counter.code,
                     channel="batch")


def line_request(line: dict[str, Any], i: int) -> dict[str, Any]:
    """A mix of accepted services (line changes, fees, payments, follow-ups) and an incomplete
    one (intake log) on a line pulled from the server."""
    state = {"number": line["number"], "status": "active", "arrears": 0}
    kinds = [("report_loss", {}), ("bill_payment", {"details": {"amount": 30}}),
             ("cancel_loss", {"line": {**state, "status": "loss_reported"}}),
             ("sim_replacement", {"documents": ["sim_card"]}),
             ("intl_roaming_open", {"details": {"destination": "日本"}}),
             ("points_query", {})]
    service, over = kinds[i % len(kinds)]
    over = {"line": state, **over}
    return personal(service, **over)


SERVED = itertools.count()  # each customer served is a request of its own (idempotency)


def serve(db: Database, actor: Actor, lines: list[dict[str, Any]], n: int,
          seed: int, pause: float = 0.0) -> list[str]:
    """`n` customers served one after the other (`pause` seconds apart)."""
    service = OrderService(db)
    rng = random.Random(seed)
    done = []
    for i in range(n):
        if pause:
            time.sleep(pause)
        line = rng.choice(lines)
        result = service.submit(Submission(parse_request(line_request(line, i)),
                                           request_id=f"served-{next(SERVED)}"), actor)
        if result.order_no:
            done.append(result.order_no)
    return done


def active_lines(db: Database, limit: int = 12) -> list[dict[str, Any]]:
    with db.read() as s:
        rows = s.execute(select(Line.number, Line.uid).where(
            Line.status == "active", Line.payment == "postpaid", Line.arrears_fen == 0,
            Line.blacklisted.is_(False), Line.contract_end.is_(None),
            Line.realname == "complete").order_by(Line.number).limit(limit)).all()
    return [{"number": r.number, "uid": r.uid} for r in rows]


def count(db: Database, model: Any, *where: Any) -> int:
    with db.read() as s:
        return int(s.execute(select(func.count()).select_from(model).where(*where)).scalar()
                   or 0)


def orders_of(db: Database) -> dict[str, tuple[str, int, int, int, str]]:
    """order_no -> (uid, total, number of fees, number of payments, status)."""
    with db.read() as s:
        fees = dict(s.execute(select(OrderFee.order_id, func.count()).group_by(OrderFee.order_id)
                              ).all())
        pays = dict(s.execute(select(OrderPayment.order_id, func.count())
                              .group_by(OrderPayment.order_id)).all())
        return {o.order_no: (o.uid, o.total_fen, fees.get(o.id, 0), pays.get(o.id, 0), o.status)
                for o in s.execute(select(ServiceOrder.id, ServiceOrder.order_no,
                                          ServiceOrder.uid, ServiceOrder.total_fen,
                                          ServiceOrder.status))}


def assert_on_server(server: Database, workstations: dict[str, Database]) -> None:
    """Every order of every workstation is on the server exactly once, as it is locally;
    intake entries and follow-ups too; audit events per origin, chains intact."""
    on_server = orders_of(server)
    expected: dict[str, Any] = {}
    for ws in workstations.values():  # each also holds the hall's orders it pulled
        for order_no, order in orders_of(ws).items():
            assert expected.setdefault(order_no, order) == order, \
                "one order number, two different orders"
    assert on_server == expected
    with server.read() as s:
        dupes = s.execute(select(ServiceOrder.uid).group_by(ServiceOrder.uid)
                          .having(func.count() > 1)).all()
        assert not dupes
        server_intake = set(s.execute(select(IntakeEntry.uid)).scalars())
        server_followups = set(s.execute(select(FollowUpTask.uid)).scalars())
    for origin, ws in workstations.items():
        with ws.read() as s:
            assert set(s.execute(select(IntakeEntry.uid)).scalars()) <= server_intake
            assert set(s.execute(select(FollowUpTask.uid)).scalars()) <= server_followups
            local_events = s.execute(select(AuditEvent.uid, AuditEvent.seq, AuditEvent.hash)
                                     .order_by(AuditEvent.seq)).all()
        with server.read() as s:
            remote = s.execute(select(SyncedAuditEvent.uid, SyncedAuditEvent.seq,
                                      SyncedAuditEvent.hash)
                               .where(SyncedAuditEvent.origin == origin)
                               .order_by(SyncedAuditEvent.seq)).all()
        assert [tuple(r) for r in remote] == [tuple(r) for r in local_events]
        result = verify_origin_chain(server, origin)
        assert result.ok, result.reason
        assert result.checked == len(local_events)
        assert pending_changes(ws) == 0


# -- the tests -------------------------------------------------------------------------------------

@pytest.fixture
def server(pg_url: str, clock: FixedClock) -> Any:
    db = open_database(pg_url, clock=clock)
    from app.services.hall.demo import fill_demo

    fill_demo(db, customers=40, today=DAY)
    yield db
    db.dispose()


@pytest.mark.slow
def test_three_workstations_serve_and_sync_at_the_same_time(
        workstation: Callable[[str], Database], server: Database, pg_url: str) -> None:
    names = ("WS1", "WS2", "WS3")
    stations = {n: workstation(n) for n in names}
    for name, ws in stations.items():
        run_sync(ws, pg_url, origin=name)  # the first sync brings the hall's customers
    lines = active_lines(stations["WS1"])
    assert len(lines) >= 8 and active_lines(stations["WS3"]) == lines
    actors = {n: counter_actor(stations[n], f"B0{i + 1}") for i, n in enumerate(names)}
    # The same line changed at all three counters before any of them syncs: a conflict.
    contested = lines[0]
    before = count(server, ServiceOrder)
    served: dict[str, list[str]] = {n: serve(stations[n], actors[n], [contested], 1, seed=0)
                                    for n in names}

    errors: list[BaseException] = []
    serving_done = threading.Event()
    runs = Tally[str]()
    pulled_while_serving = Tally[str]()

    def serving(name: str, seed: int) -> None:
        try:
            served[name] += serve(stations[name], actors[name], lines, 80, seed, pause=0.03)
        except BaseException as exc:
            errors.append(exc)

    def syncing(name: str) -> None:
        client = SyncClient(stations[name], pg_url)  # kept, as the status-bar widget does
        try:
            while not serving_done.is_set():
                report = client.run()
                runs[name] += 1
                pulled_while_serving[name] += report.pulled.get("line", 0)
                time.sleep(0.02)
        except BaseException as exc:
            errors.append(exc)
        finally:
            client.close()

    servers = [threading.Thread(target=serving, args=(n, i)) for i, n in enumerate(names)]
    syncers = [threading.Thread(target=syncing, args=(n,)) for n in names]
    for t in servers + syncers:
        t.start()
    for t in servers:
        t.join(timeout=300)
    serving_done.set()
    for t in syncers:
        t.join(timeout=300)
    assert not errors, errors
    # The syncs really ran while customers were being served, and brought the other
    # counters' line changes in between.
    assert all(runs[n] >= 2 for n in names), runs
    assert sum(pulled_while_serving.values()) > 0
    local_counts = {n: count(ws, ServiceOrder) for n, ws in stations.items()}
    for _ in range(2):  # everyone pushes, then everyone pulls what the others pushed
        for ws in stations.values():
            report = run_sync(ws, pg_url)
            # the line changes of the last moments may still be conflicts (decided below)
            assert all(i.kind == "line_conflict" for i in report.issues), report.issues
    # every workstation now holds the whole hall's orders (its own and those it pulled)
    assert {n: count(ws, ServiceOrder) for n, ws in stations.items()} == dict.fromkeys(
        stations, count(server, ServiceOrder))
    # Every order served is there once, and nothing else was added. (How many were served
    # depends on timing: a line waiting for a supervisor's decision refuses changes.)
    assert count(server, ServiceOrder) >= max(local_counts.values())
    assert all(len(served[n]) > 1 for n in names), served
    assert set(orders_of(server)) >= {o for done in served.values() for o in done}
    assert count(server, ServiceOrder) == before + sum(len(d) for d in served.values())
    assert_on_server(server, stations)
    # Lines changed at two counters from one version are conflicts; once a supervisor decided
    # them (here: keep the server's), everyone pulls the decided line.
    decide_all(server)
    for ws in stations.values():
        run_sync(ws, pg_url)

    # Every workstation ends with the server's version of every line.
    with server.read() as s:
        truth = {r.uid: (r.version, r.updated_at, r.origin, r.status, r.balance_fen)
                 for r in s.execute(select(Line)).scalars()}
        contested_history = s.execute(
            select(LineHistory.version, LineHistory.origin)
            .where(LineHistory.line_uid == contested["uid"])).all()
    for ws in stations.values():
        with ws.read() as s:
            local = {r.uid: (r.version, r.updated_at, r.origin, r.status, r.balance_fen)
                     for r in s.execute(select(Line)).scalars() if r.uid in truth}
        assert local == truth
    # The three edits of the same version of the contested line are all in its history.
    by_version = Tally(v for v, _ in contested_history)
    assert max(by_version.values()) >= 3
    assert {o for _, o in contested_history} >= {"B01", "B02", "B03"}


def test_higher_version_wins_and_both_are_kept(workstation: Callable[[str], Database],
                                              server: Database, pg_url: str) -> None:
    a, b = workstation("a"), workstation("b")
    run_sync(a, pg_url, origin="A")
    run_sync(b, pg_url, origin="B")
    line = active_lines(a, 1)[0]
    # A changes the line twice (version 3), B once (version 2): A wins whatever the order.
    serve(a, counter_actor(a, "B01"), [line], 1, seed=1)
    serve(a, counter_actor(a, "B01"), [line], 1, seed=2)
    serve(b, counter_actor(b, "B02"), [line], 1, seed=3)
    run_sync(b, pg_url)
    run_sync(a, pg_url)
    run_sync(b, pg_url)
    with server.read() as s:
        srv = s.execute(select(Line).where(Line.uid == line["uid"])).scalar_one()
        history = set(s.execute(select(LineHistory.version, LineHistory.origin)
                                .where(LineHistory.line_uid == line["uid"])).all())
    assert (srv.version, srv.origin) == (3, "B01")
    assert {(2, "B02"), (3, "B01"), (2, "B01")} <= history
    with b.read() as s:
        mine = s.execute(select(Line).where(Line.uid == line["uid"])).scalar_one()
        local_history = set(s.execute(select(LineHistory.version, LineHistory.origin)
                                      .where(LineHistory.line_uid == line["uid"])).all())
    assert (mine.version, mine.origin, mine.updated_at) == (3, "B01", srv.updated_at)
    assert (2, "B02") in local_history  # B's own version stays in its history


def test_number_taken_twice_is_an_issue_not_a_stuck_sync(
        workstation: Callable[[str], Database], server: Database, pg_url: str) -> None:
    a, b = workstation("a"), workstation("b")
    run_sync(a, pg_url, origin="A")
    run_sync(b, pg_url, origin="B")
    req = personal("new_activation", line=None,
                   details={"number": "13300000001", "package": "畅爽套餐59元"})
    req.pop("line")
    for ws, code in ((a, "B01"), (b, "B02")):
        result = OrderService(ws).submit(Submission(parse_request(req)), counter_actor(ws, code))
        assert result.evaluation.decision == "accepted", result.outcome()
    assert not run_sync(a, pg_url).issues
    report = run_sync(b, pg_url)
    # B's line is refused on the server (pushed), A's is refused here (pulled), and B's order
    # goes up without its line link.
    assert sorted(i.kind for i in report.issues) == ["missing_parent", "number_taken",
                                                     "number_taken"]
    assert_on_server(server, {"A": a, "B": b})
    with server.read() as s:
        orders = s.execute(select(ServiceOrder.line_number, ServiceOrder.line_id)
                           .where(ServiceOrder.service == "new_activation")).all()
        assert sorted(n for n, _ in orders) == ["13300000001", "13300000001"]
        assert sum(1 for _, lid in orders if lid is None) == 1  # B's order kept, unlinked
        assert sorted(s.execute(select(SyncIssue.kind)).scalars()) == ["missing_parent",
                                                                      "number_taken"]
    assert read_status(b).issues == 3
    assert not run_sync(b, pg_url).issues  # nothing repeats, nothing is stuck


@pytest.mark.slow
def test_sync_process_killed_with_sigkill_and_restarted(
        tmp_path: Path, workstation: Callable[[str], Database], server: Database,
        pg_url: str) -> None:
    ws_url = f"sqlite:///{tmp_path / 'ws.sqlite3'}"
    generate(ws_url, orders=8000, customers=3000, day=DAY)
    ws = workstation("ws")
    before = orders_of(ws)
    cmd = [sys.executable, "-m", "app", "sync", "--db", ws_url, "--server", pg_url,
           "--origin", "WSK", "--retries", "0", "--batch", "700"]
    rng = random.Random(7)
    kills, on_server_at_kill = 0, []
    for attempt in range(15):
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, cwd=ROOT)
        # Python needs ~0.7 s to start: the first kills land in the start-up and the schema
        # check; the later ones wait until the run has pushed orders (however loaded the
        # machine is) and then strike at a random moment between and inside batches.
        try:
            if attempt < 4:
                proc.wait(timeout=rng.uniform(0.75, 2.0))
            else:
                wait_for_orders(proc, server, more_than=max(on_server_at_kill, default=0))
                proc.wait(timeout=rng.uniform(0.0, 0.4))
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
            on_server_at_kill.append(count(server, ServiceOrder))
            continue
        _out, err = proc.communicate()
        assert proc.returncode == 0, err
        break
    else:
        final = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=600)
        assert final.returncode == 0, final.stderr
    assert kills >= 2, "the sync finished before it could be interrupted: make it bigger"
    assert any(0 < n < len(before) for n in on_server_at_kill), on_server_at_kill
    assert orders_of(ws) == before  # the workstation lost nothing
    assert ws.integrity_ok()
    assert_on_server(server, {"WSK": ws})
    with server.read() as s:
        assert s.execute(select(func.count()).select_from(OrderFee)).scalar() == count(
            ws, OrderFee)
    ws.dispose()


@pytest.mark.slow
def test_server_stopped_in_the_middle_of_a_sync(
        tmp_path: Path, workstation: Callable[[str], Database], server: Database, pg_url: str,
        pg_server: PgServer) -> None:
    ws_url = f"sqlite:///{tmp_path / 'ws.sqlite3'}"
    generate(ws_url, orders=6000, customers=2000, day=DAY)
    ws = workstation("ws")
    client = SyncClient(ws, pg_url, origin="WSS", push_rows=1500)
    failure: list[BaseException] = []

    def work() -> None:
        try:
            client.run()
        except BaseException as exc:
            failure.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    deadline = time.monotonic() + 120
    while count(server, ServiceOrder) == 0 and thread.is_alive():
        assert time.monotonic() < deadline
        time.sleep(0.02)
    server.dispose()
    pg_server.stop("immediate")  # a crash of the server, mid-batch
    thread.join(timeout=120)
    try:
        assert failure and isinstance(failure[0], SyncUnavailable), failure
        assert "无法连接同步服务器" in failure[0].zh
        assert "counter-sync-pw" not in str(failure[0])  # the password is never shown
        status = read_status(ws)
        assert status.failures == 1 and status.last_error and status.waiting > 0
        # The counter goes on while the server is away.
        actor = counter_actor(ws, "B09")
        line = active_lines(ws, 1)
        extra = serve(ws, actor, line, 3, seed=9) if line else []
        with pytest.raises(SyncUnavailable):
            run_sync(ws, pg_url)
    finally:
        pg_server.start()
    report = sync_with_retry(ws, pg_url, attempts=10, base=0.2, cap=1.0)
    assert report.waiting == 0
    assert read_status(ws).failures == 0 and read_status(ws).last_error is None
    assert_on_server(server, {"WSS": ws})
    assert set(extra) <= set(orders_of(server))
    ws.dispose()


def test_server_away_from_the_start(workstation: Callable[[str], Database]) -> None:
    ws = workstation("ws")
    from tests.pg_server import free_port

    url = f"postgresql+psycopg://counter:secret@127.0.0.1:{free_port()}/nowhere"
    with pytest.raises(SyncUnavailable) as info:
        run_sync(ws, url, origin="WS1")
    assert "secret" not in str(info.value) and "本机照常受理" in str(info.value)
    status = read_status(ws)
    assert status.failures == 1 and "127.0.0.1" in (status.last_error or "")
    sleeps: list[float] = []
    with pytest.raises(SyncUnavailable):
        sync_with_retry(ws, url, attempts=4, sleep=sleeps.append)
    assert sleeps == [2.0, 4.0, 8.0]
    assert read_status(ws).failures == 5


def test_credentials_from_url_environment_and_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.backend import KeyringBackend

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]
        store: dict[tuple[str, str], str] = {}  # noqa: RUF012

        def get_password(self, service: str, username: str) -> str | None:
            return self.store.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.store[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.store.pop((service, username), None)

    url = "postgresql+psycopg://counter@db.hall.lan:5432/hall"
    assert keyring_entry(url) == "sync:postgresql+psycopg://counter@db.hall.lan:5432/hall"
    assert keyring_entry(url.replace("counter@", "counter:pw@")) == keyring_entry(url)
    monkeypatch.delenv(ENV_PASSWORD, raising=False)
    assert resolve_server_url(url) == url  # nothing anywhere: no password
    previous = keyring.get_keyring()
    keyring.set_keyring(Memory())
    try:
        Memory.store[("hall-counter", keyring_entry(url))] = "from-keyring"
        assert ":from-keyring@" in resolve_server_url(url)
        monkeypatch.setenv(ENV_PASSWORD, "from-env")
        assert ":from-env@" in resolve_server_url(url)
        assert ":given@" in resolve_server_url(url.replace("counter@", "counter:given@"))
    finally:
        keyring.set_keyring(previous)


def test_cli_sync_and_status(tmp_path: Path, server: Database, pg_url: str,
                             pg_server: PgServer) -> None:
    ws_url = f"sqlite:///{tmp_path / 'ws.sqlite3'}"
    generate(ws_url, orders=50, customers=20, day=DAY)
    no_password = pg_url.replace(":counter-sync-pw@", "@")
    env = {**os.environ, ENV_PASSWORD: "counter-sync-pw"}
    proc = subprocess.run([sys.executable, "-m", "app", "sync", "--db", ws_url, "--server",
                           no_password, "--origin", "CLI1"], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "service_order 50" in proc.stdout and "counter-sync-pw" not in proc.stdout
    status = subprocess.run([sys.executable, "-m", "app", "sync", "--db", ws_url, "--status"],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert "waiting: 0" in status.stdout and "last error: -" in status.stdout
    wrong = subprocess.run([sys.executable, "-m", "app", "sync", "--db", ws_url, "--server",
                            no_password.replace(f":{pg_server.port}/", ":1/"), "--retries",
                            "0"], capture_output=True, text=True, env=env, cwd=ROOT,
                           timeout=120)
    assert wrong.returncode == 1 and "无法连接同步服务器" in wrong.stderr
    assert "Traceback" not in wrong.stderr


def test_counter_runs_directly_on_postgresql(pg_url: str, tmp_path: Path,
                                             clock: FixedClock) -> None:
    """`counter demo` and `counter process` on the server itself (a new, empty database: the
    command migrates it), as on SQLite."""
    cases = examples()
    requests = tmp_path / "requests.json"
    requests.write_text(json.dumps([e["request"] for e in cases], ensure_ascii=False),
                        encoding="utf-8")
    demo = subprocess.run([sys.executable, "-m", "app", "demo", "--db", pg_url,
                           "--customers", "30"], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)
    assert demo.returncode == 0, demo.stderr

    def process(path: Path) -> list[dict[str, Any]]:
        proc = subprocess.run([sys.executable, "-m", "app", "process", str(path), "--db",
                               pg_url], capture_output=True, text=True, cwd=ROOT, timeout=300)
        assert proc.returncode == 0, proc.stderr
        found = json.loads(proc.stdout)
        return found if isinstance(found, list) else [found]

    first, again = process(requests), process(requests)
    assert [o["decision"] for o in first] == [e["outcome"]["decision"] for e in cases]
    numbers = [o["order_no"] for o in first if o["order_no"]]
    assert len(numbers) == len(set(numbers)) >= 2
    # The same batch run again records nothing twice: its orders come back as replays.
    assert [o["order_no"] for o in again] == [o["order_no"] for o in first]
    assert all(o.get("replay") for o in again if o["order_no"])
    other = tmp_path / "other.json"
    other.write_text(json.dumps(personal("report_loss", line={"number": "13012349999"}),
                                ensure_ascii=False), encoding="utf-8")
    [new] = process(other)
    assert int(new["order_no"].split("-")[3]) == len(numbers) + 1  # the serial goes on
    db = open_database(pg_url, clock=clock)
    try:
        assert count(db, ServiceOrder) == len(numbers) + 1
        from app.services.audit.verify import verify_audit

        assert verify_audit(db).ok
    finally:
        db.dispose()


def test_generated_orders_continue_with_the_order_service(
        tmp_path: Path, workstation: Callable[[str], Database]) -> None:
    url = f"sqlite:///{tmp_path / 'g.sqlite3'}"
    result = generate(url, orders=300, customers=100, day=DAY)
    assert (result.orders, result.customers, result.fees) == (300, 100, 200)
    db = workstation("g")
    try:
        line = active_lines(db, 1)
        actor = counter_actor(db, "C01")
        done = serve(db, actor, line, 2, seed=1)
        assert done and all(n.startswith(f"DEMO01-C01-{DAY:%Y%m%d}-") for n in done)
        assert int(done[0].split("-")[3]) == 101  # C01 made every third of the 300
        from app.services.audit.verify import verify_audit

        assert verify_audit(db).ok
        with db.read() as s:
            from app.models import Customer
            from app.services.customers.pii import default_personal_data

            masked, lookup = s.execute(select(Customer.id_masked, Customer.id_lookup)
                                       .limit(1)).one()
        assert len(lookup) == 64 and masked[6:14] == "********"
        assert default_personal_data().lookup_id("11010519491231002X") != lookup
    finally:
        db.dispose()



# -- the status-bar widget -------------------------------------------------------------------------

@pytest.mark.gui
def test_status_widget_syncs_in_the_background(tmp_path: Path,
                                               workstation: Callable[[str], Database],
                                               server: Database, pg_url: str,
                                               op_runner: Any, qtbot: Any) -> None:
    from app.ui.data.sync_status import SyncStatusWidget

    ws_url = f"sqlite:///{tmp_path / 'ws.sqlite3'}"
    generate(ws_url, orders=30, customers=10, day=DAY)
    ws = workstation("ws")
    widget = SyncStatusWidget(op_runner, ws, pg_url, origin="GUI1", start=False)
    qtbot.addWidget(widget)
    op_runner.wait_idle()
    assert widget.property("syncState") == "off"
    with qtbot.waitSignal(widget.synced, timeout=60000) as blocker:
        widget.sync_now()
    assert blocker.args[0].pushed["service_order"] == 30
    op_runner.wait_idle()
    assert widget.property("syncState") == "ok" and "0" in widget.text.text()
    assert widget.timer.isActive()  # the next sync is scheduled
    widget.stop()
    assert count(server, ServiceOrder) == 30
    ws.dispose()


@pytest.mark.gui
def test_status_widget_shows_an_unreachable_server(workstation: Callable[[str], Database],
                                                   op_runner: Any, qtbot: Any) -> None:
    from app.ui.data.sync_status import SyncStatusWidget
    from tests.pg_server import free_port

    ws = workstation("ws")
    url = f"postgresql+psycopg://counter:pw@127.0.0.1:{free_port()}/hall"
    widget = SyncStatusWidget(op_runner, ws, url, origin="GUI2", start=False)
    qtbot.addWidget(widget)
    widget.sync_now()
    op_runner.wait_idle(30)
    qtbot.waitUntil(lambda: widget.property("syncState") == "error", timeout=10000)
    assert "pw" not in widget.toolTip() and "127.0.0.1" in widget.toolTip()
    assert widget.timer.isActive() and widget.timer.remainingTime() < 10_000  # 2 s, not 5 min
    widget.stop()
    ws.dispose()
