"""Money paid out by `counter process` needs a supervisor for the run: from `COUNTER_STAFF` /
`COUNTER_STAFF_PASSWORD`, checked like a log-in and audited; without one, a batch that pays
money out is refused before any of its orders is written. Runs on SQLite and on PostgreSQL
(`db_url`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db import Database
from app.models import ServiceOrder
from app.services.hall.demo import DEMO_PASSWORD, fill_demo
from tests.builders import examples, personal
from tests.security_fixtures import events, row_counts, staff_row

ROOT = Path(__file__).resolve().parents[1]
REFUND = personal("prepayment_refund", details={"amount": 20, "paid_by": "cash"},
                  documents=["payment_invoice"])


@pytest.fixture
def batch_file(db: Database, tmp_path: Path) -> Path:
    fill_demo(db, customers=5)
    path = tmp_path / "requests.json"
    path.write_text(json.dumps([examples()[1]["request"], REFUND], ensure_ascii=False),
                    encoding="utf-8")
    return path


def process(path: Path, url: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("COUNTER_STAFF")}
    return subprocess.run([sys.executable, "-m", "app", "process", str(path), "--db", url],
                          capture_output=True, text=True, cwd=ROOT, timeout=300,
                          stdin=subprocess.DEVNULL, env={**environ, **env})


def test_a_refund_without_a_supervisor_refuses_the_whole_batch(db: Database, db_url: str,
                                                               batch_file: Path) -> None:
    before = row_counts(db)
    proc = process(batch_file, db_url)
    assert proc.returncode == 2 and proc.stdout == ""
    assert "COUNTER_STAFF" in proc.stderr and "第 2 条" in proc.stderr
    after = row_counts(db)
    changed = {t: n - before[t] for t, n in after.items() if n != before[t]}
    assert changed.get("audit_event") == 1 and "service_order" not in changed
    [denied] = events(db, "permission.denied")
    assert (denied.actor, denied.target) == ("batch", "refund.approve")


def test_a_supervisor_authorizes_the_run(db: Database, db_url: str, batch_file: Path) -> None:
    proc = process(batch_file, db_url, COUNTER_STAFF="s001",
                   COUNTER_STAFF_PASSWORD=DEMO_PASSWORD)
    assert proc.returncode == 0, proc.stderr
    payment, refund = json.loads(proc.stdout)
    assert payment["order_no"] and refund["order_no"]
    with db.read() as s:
        order = s.execute(select(ServiceOrder).where(
            ServiceOrder.order_no == refund["order_no"])).scalar_one()
    assert (order.channel, order.total_fen, order.authorized_by) == (
        "batch", -2000, staff_row(db, "S001").id)
    [grant] = events(db, "exception.authorize")
    assert (grant.actor, grant.authorized_by, grant.target) == ("batch", "S001", "refund.approve")
    [accept] = events(db, "order.accept", target=refund["order_no"])
    assert accept.authorized_by == "S001"


@pytest.mark.parametrize(("staff_no", "password", "message"), [
    ("S001", "wrong-password-1", "工号或密码错误"),
    ("C001", DEMO_PASSWORD, "权限不足"),  # a clerk cannot authorize a refund
])
def test_wrong_or_insufficient_credentials_write_no_order(db: Database, db_url: str,
                                                         batch_file: Path, staff_no: str,
                                                         password: str, message: str) -> None:
    proc = process(batch_file, db_url, COUNTER_STAFF=staff_no, COUNTER_STAFF_PASSWORD=password)
    assert proc.returncode == 1 and message in proc.stderr
    with db.read() as s:
        assert s.execute(select(ServiceOrder.id)).first() is None
