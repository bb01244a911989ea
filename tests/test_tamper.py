"""Tampering with business rows or with the audit log past the program shows in
`counter audit verify`, which names every row (or event) concerned.

A day's worth of business is recorded through the services (the demo hall's staff and
customers, a batch of orders with fees and payments, a void, a role change, a deactivated
account, a log-out); then each test changes the database with plain SQL, as someone with the
file or a login on the server but without the hall's key could, in one of many ways, and the
check must fail naming what was touched. An untouched database verifies. Runs on SQLite and on
PostgreSQL (`db`).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text, update

from app.cli import main
from app.core.request import parse_request
from app.db import Database
from app.models import AuditEvent, Base, Customer, Line, ServiceOrder
from app.security import hash_password
from app.services.audit.events import anchor_head, chain_key
from app.services.audit.verify import AuditReport, verify_audit
from app.services.hall.demo import fill_demo
from app.services.hall.registry import batch_actor
from app.services.orders.service import OrderService, Submission
from app.services.orders.void import void_order
from app.services.staff import accounts, auth
from tests.builders import examples
from tests.security_fixtures import actor

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Hall:
    db: Database
    url: str
    paid: str  # an order with a fee and a payment (bill payment)
    voided: str  # an order a supervisor voided
    plain: str  # an accepted order without fees (a loss report)
    customer: str  # uid of a customer an order made
    line: str  # number of a line an order changed


@pytest.fixture
def hall(db: Database, db_url: str) -> Hall:
    # The key store is the test's own copy of the key file (tests/conftest.py): the heads it
    # keeps are this test's.
    fill_demo(db, customers=12)
    service, batch = OrderService(db), batch_actor(db)
    numbers: dict[str, str] = {}
    for case in examples():
        result = service.submit(Submission(parse_request(case["request"])), batch)
        if result.order_no:
            numbers.setdefault(case["request"]["service"], result.order_no)
    extra = service.submit(Submission(parse_request(examples()[1]["request"]), occurrence=1),
                           batch)
    assert extra.order_no
    void_order(db, actor(db, "S001"), extra.order_no, "金额输错")
    admin = actor(db, "A001")
    accounts.change_role(db, admin, "M001", "supervisor")
    accounts.deactivate(db, admin, "C002", "离职")
    auth.logout(db, admin)  # a log-out keeps the chain's head in the key store
    with db.read() as s:
        activation = s.execute(select(ServiceOrder).where(
            ServiceOrder.order_no == numbers["new_activation"])).scalar_one()
        customer = s.get(Customer, activation.customer_id)
        loss = s.execute(select(ServiceOrder).where(
            ServiceOrder.order_no == numbers["report_loss"])).scalar_one()
        line = s.get(Line, loss.line_id)
        assert customer is not None and line is not None
    return Hall(db, db_url, numbers["bill_payment"], extra.order_no, numbers["report_loss"],
                customer.uid, line.number)


def sql(db: Database, *statements: Any, **params: Any) -> None:
    """Plain SQL in one transaction, past the program (a forger's tools)."""
    with db.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement) if isinstance(statement, str) else statement, params)


def order_id(db: Database, order_no: str) -> int:
    with db.read() as s:
        return int(s.execute(select(ServiceOrder.id).where(ServiceOrder.order_no == order_no)
                             ).scalar_one())


def newest_seq(db: Database, action: str | None = None) -> int:
    with db.read() as s:
        query = select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1)
        if action:
            query = query.where(AuditEvent.action == action)
        return int(s.execute(query).scalar_one())


def check(db: Database) -> tuple[AuditReport, str]:
    report = verify_audit(db)
    return report, report.describe()


# --------------------------------------------------------------------------- the ways


def order_total(h: Hall) -> list[str]:
    sql(h.db, "UPDATE service_order SET total_fen = total_fen + 100 WHERE order_no = :n",
        n=h.paid)
    return [f"订单 {h.paid} 与第", f"order {h.paid} (", "changed outside the program"]


def order_voided(h: Hall) -> list[str]:
    sql(h.db, "UPDATE service_order SET status = 'voided' WHERE order_no = :n", n=h.plain)
    return [f"订单 {h.plain} 与第"]


def void_undone(h: Hall) -> list[str]:
    sql(h.db, "UPDATE service_order SET status = 'accepted', voided_at = NULL, "
              "voided_by = NULL, void_reason = NULL WHERE order_no = :n", n=h.voided)
    return [f"订单 {h.voided} 与第", "(order.void)"]


def order_deleted(h: Hall) -> list[str]:
    oid = order_id(h.db, h.paid)
    children = [t.name for t in Base.metadata.sorted_tables
                if "order_id" in t.c and t.name != "service_order"]
    sql(h.db, *(f"DELETE FROM {name} WHERE order_id = :o" for name in children),
        "DELETE FROM service_order WHERE id = :o", o=oid)
    return [f"订单 {h.paid} 已不在数据库中", "deleted outside the program"]


def order_forged(h: Hall) -> list[str]:
    t = Base.metadata.tables["service_order"]
    copied = [c.name for c in t.columns if c.name not in ("id", "uid", "order_no",
                                                          "idempotency_key")]
    forged = "DEMO01-B01-20261122-99999-Z"
    sql(h.db, f"INSERT INTO service_order (uid, order_no, {', '.join(copied)}) "
              f"SELECT '00000000-0000-4000-8000-00000000f0f0', :forged, {', '.join(copied)} "
              "FROM service_order WHERE order_no = :n", n=h.paid, forged=forged)
    return [f"订单 {forged} 没有任何审计事件", "inserted outside the program"]


def fee_amount(h: Hall) -> list[str]:
    sql(h.db, "UPDATE order_fee SET amount_fen = 1 WHERE order_id = :o",
        o=order_id(h.db, h.paid))
    return [f"订单 {h.paid} 与第"]


def payment_amount(h: Hall) -> list[str]:
    sql(h.db, "UPDATE order_payment SET amount_fen = amount_fen - 5000 WHERE order_id = :o",
        o=order_id(h.db, h.paid))
    return [f"订单 {h.paid} 与第"]


def document_seen(h: Hall) -> list[str]:
    sql(h.db, "INSERT INTO order_document (order_id, code, original_seen, copy_retained) "
              "VALUES (:o, 'authorization_letter', true, true)", o=order_id(h.db, h.plain))
    return [f"订单 {h.plain} 与第"]


def customer_name(h: Hall) -> list[str]:
    sql(h.db, "UPDATE customer SET name = '李鬼' WHERE uid = :u", u=h.customer)
    return [f"客户 {h.customer} 与第"]


def customer_id_masked(h: Hall) -> list[str]:
    sql(h.db, "UPDATE customer SET id_masked = '110***********0000' WHERE uid = :u",
        u=h.customer)
    return [f"客户 {h.customer} 与第"]


def line_status(h: Hall) -> list[str]:
    sql(h.db, "UPDATE line SET status = 'active' WHERE number = :n", n=h.line)
    return [f"线路 {h.line} 与第"]


def staff_role(h: Hall) -> list[str]:
    sql(h.db, "UPDATE staff SET role = 'supervisor' WHERE staff_no = 'C001'")
    return ["员工 C001 与第", "(demo.fill)"]


def staff_reactivated(h: Hall) -> list[str]:
    sql(h.db, "UPDATE staff SET active = true WHERE staff_no = 'C002'")
    return ["员工 C002 与第", "(staff.deactivate)"]


def staff_password(h: Hall) -> list[str]:
    """A password of the forger's choosing put on the supervisor's account."""
    sql(h.db, "UPDATE staff SET password_hash = :h WHERE staff_no = 'S001'",
        h=hash_password("Forger-pass-77"))
    return ["员工 S001 与第"]


def staff_forged(h: Hall) -> list[str]:
    sql(h.db, "INSERT INTO staff (uid, hall_id, staff_no, name, role, password_hash, active, "
              "failed_logins, created_at) SELECT '00000000-0000-4000-8000-0000000000aa', "
              "hall_id, 'A009', '影子', 'admin', password_hash, true, 0, created_at "
              "FROM staff WHERE staff_no = 'A001'")
    return ["员工 A009 没有任何审计事件"]


def newest_events_deleted(h: Hall) -> list[str]:
    head = newest_seq(h.db)
    sql(h.db, "DELETE FROM audit_event WHERE seq > :s", s=head - 3)
    # The log-out's head is in the key store; the role change and the deactivation went with
    # the deleted events, so the accounts they sealed no longer match an event.
    return [f"截断（锚点 {head} 不存在）", f"密钥存储 / key store: {head}", "员工 C002"]


def all_events_deleted(h: Hall) -> list[str]:
    sql(h.db, "DELETE FROM audit_event")
    return ["审计日志为空，但数据库中有业务数据", f"订单 {h.paid} 没有任何审计事件",
            "员工 A001 没有任何审计事件"]


def event_data_edited(h: Hall) -> list[str]:
    with h.db.read() as s:
        event = s.execute(select(AuditEvent).where(AuditEvent.target == h.paid,
                                                   AuditEvent.action == "order.accept")
                          ).scalar_one()
        seq, data = event.seq, dict(event.data)
    data["total_fen"] = 1
    sql(h.db, update(AuditEvent.__table__).where(AuditEvent.__table__.c.seq == seq)
        .values(data=data))
    return ["审计链被破坏", f"seq {seq} (order.accept, "]


def event_seal_swapped(h: Hall) -> list[str]:
    """The seal of the paid order, after its total was changed, replaced by a plain hash."""
    with h.db.read() as s:
        event = s.execute(select(AuditEvent).where(AuditEvent.target == h.paid,
                                                   AuditEvent.action == "order.accept")
                          ).scalar_one()
        seq, data = event.seq, json.loads(json.dumps(event.data))
    data["rows"] = {k: "0" * 64 for k in data["rows"]}
    sql(h.db, update(AuditEvent.__table__).where(AuditEvent.__table__.c.seq == seq)
        .values(data=data))
    return ["审计链被破坏", f"seq {seq} (order.accept, ", f"订单 {h.paid} 与第"]


WAYS: list[Callable[[Hall], list[str]]] = [
    order_total, order_voided, void_undone, order_deleted, order_forged, fee_amount,
    payment_amount, document_seen, customer_name, customer_id_masked, line_status, staff_role,
    staff_reactivated, staff_password, staff_forged, newest_events_deleted, all_events_deleted,
    event_data_edited, event_seal_swapped,
]


@pytest.mark.parametrize("way", WAYS, ids=[w.__name__ for w in WAYS])
def test_every_way_of_tampering_fails_and_names_the_row(hall: Hall,
                                                        way: Callable[[Hall], list[str]]) -> None:
    expected = way(hall)
    report, text_ = check(hall.db)
    assert not report.ok, text_
    for part in expected:
        assert part in text_, (part, text_)


def test_an_untouched_database_verifies(hall: Hall) -> None:
    report, text_ = check(hall.db)
    assert report.ok, text_
    assert report.rows_checked > 12 * 2 and not report.rows
    assert "密钥存储 / key store" not in text_  # the sources are told only on a failure
    # The real command, as the hall runs it (the test's own key store in its environment).
    hall.db.dispose()
    proc = subprocess.run([sys.executable, "-m", "app", "audit", "verify", "--db", hall.url],
                          capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env=os.environ.copy())
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "审计链完整" in proc.stdout and "business rows match" in proc.stdout


def test_the_command_fails_and_prints_one_line_per_row(hall: Hall) -> None:
    sql(hall.db, "UPDATE order_fee SET amount_fen = 1 WHERE order_id = :o",
        o=order_id(hall.db, hall.paid))
    sql(hall.db, "UPDATE line SET status = 'active' WHERE number = :n", n=hall.line)
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["audit", "verify", "--db", hall.url])
    lines = out.getvalue().strip().splitlines()
    assert code == 1, out.getvalue() + err.getvalue()
    assert lines[0].startswith("业务数据与审计记录不符") and "2 rows" in lines[0]
    assert any(f"订单 {hall.paid}" in line for line in lines[1:])
    assert any(f"线路 {hall.line}" in line for line in lines[1:])


def first_event_uid(db: Database) -> str:
    with db.read() as s:
        return str(s.execute(text("SELECT uid FROM audit_event ORDER BY seq LIMIT 1")).scalar())


def test_the_key_store_keeps_the_head_and_an_edited_head_shows(hall: Hall) -> None:
    key_file = Path(os.environ["COUNTER_KEY_FILE"])
    chain = first_event_uid(hall.db)  # the store may keep other chains too (MAX_HEADS)
    doc = json.loads(key_file.read_text())
    [head] = [h for h in doc["audit_heads"] if h["chain"] == chain]
    assert head["seq"] == newest_seq(hall.db, "logout")
    # Adding events past the head is fine; moving the head is not.
    anchor_head(hall.db)
    doc = json.loads(key_file.read_text())
    [head] = [h for h in doc["audit_heads"] if h["chain"] == chain]
    head["seq"] -= 1
    key_file.write_text(json.dumps(doc))
    report, text_ = check(hall.db)
    assert not report.ok and "密钥存储中本审计链的链头记录无法验证" in text_
    assert chain_key()  # the key itself is untouched: the file still opens
    from app.security import load_master_key

    assert load_master_key()


def test_an_empty_log_with_orders_fails(db: Database) -> None:
    service = OrderService(db)
    result = service.submit(Submission(parse_request(examples()[1]["request"])), batch_actor(db))
    assert result.order_no
    sql(db, "DELETE FROM audit_event")
    report, text_ = check(db)
    assert not report.ok and report.checked == 0
    assert text_.startswith("业务数据与审计记录不符：审计日志为空")


@pytest.mark.postgres
def test_the_sync_server_keeps_the_head_of_each_workstation(pg_url: str, tmp_path: Path,
                                                            clock: Any) -> None:
    """The newest events of a workstation deleted after its push: the head the server took
    shows the cut (`--server`), as it does for the server's copy of the chain. (The test's
    key store keeps no head of this chain: no log-out, fewer than 50 events.)"""
    from app.db import open_database
    from app.services.sync.run import run_sync, server_audit_head, verify_origin_chain

    url = f"sqlite:///{tmp_path / 'ws.sqlite3'}"
    ws = open_database(url, clock=clock)
    server = open_database(pg_url, clock=clock)
    try:
        fill_demo(ws, customers=3)
        for _ in range(2):
            auth.login(ws, "C001", "demo1234", "C01")  # events that seal no row
        run_sync(ws, pg_url, origin="WST")
        head = newest_seq(ws)
        assert server_audit_head(ws, pg_url) == (head, _hash_of(ws, head))
        assert verify_origin_chain(server, "WST").ok
        sql(ws, "DELETE FROM audit_event WHERE seq > :s", s=head - 2)
        assert verify_audit(ws).ok  # a shorter chain is whole: alone, it cannot tell
        out = io.StringIO()
        with redirect_stdout(out), redirect_stderr(io.StringIO()):
            code = main(["audit", "verify", "--db", url, "--server", pg_url])
        assert code == 1 and f"截断（锚点 {head} 不存在）" in out.getvalue()
        assert f"同步服务器 / sync server: {head}" in out.getvalue()
        # On the server, the newest events of the workstation's copy deleted: the same.
        sql(server, "DELETE FROM synced_audit_event WHERE origin = 'WST' AND seq = :s", s=head)
        assert not verify_origin_chain(server, "WST").ok
    finally:
        ws.dispose()
        server.dispose()


def _hash_of(db: Database, seq: int) -> str:
    with db.read() as s:
        return str(s.execute(select(AuditEvent.hash).where(AuditEvent.seq == seq)).scalar_one())
