"""`counter hall show` and `counter hall set` as a hall runs them, on SQLite and PostgreSQL:
credentials from the environment, one line naming the key for a bad value (exit 2), a clerk
refused (exit 1), and a running program's order service seeing the change."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app.db import Database
from app.services.hall.demo import DEMO_PASSWORD
from app.services.orders.service import OrderService
from tests.security_fixtures import events

ROOT = Path(__file__).resolve().parents[1]
FAR = "2099-01-01"  # a tariff date after any day these tests run on


def counter(*args: str, staff: str | None = "M001") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COUNTER_STAFF")}
    if staff:
        env.update(COUNTER_STAFF=staff, COUNTER_STAFF_PASSWORD=DEMO_PASSWORD)
    return subprocess.run([sys.executable, "-m", "app", "hall", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=300, stdin=subprocess.DEVNULL, env=env)


def test_hall_show_and_set_from_the_command_line(demo_db: Database, db_url: str) -> None:
    service = OrderService(demo_db)  # a program already running on this database
    assert service.hall_config().idle_lock_minutes == 5
    shown = counter("show", "--db", db_url)
    assert shown.returncode == 0, shown.stderr
    assert "idle_lock_minutes" in shown.stdout and "tariff.sim_card_fee" in shown.stdout
    assert "counter.B01" in shown.stdout and "默认/default" in shown.stdout

    changed = counter("set", "idle_lock_minutes", "4", "--db", db_url, "--reason", "试运行")
    assert changed.returncode == 0, changed.stderr
    assert "idle_lock_minutes = 4" in changed.stdout
    assert service.refresh_config().idle_lock_minutes == 4  # no restart
    tariff = counter("set", "tariff.sim_card_fee", "15.50", "--from", FAR, "--db", db_url)
    assert tariff.returncode == 0 and f"from {FAR}: 15.50" in tariff.stdout, tariff.stderr
    added = counter("set", "counter.C08", "8号柜台", "--db", db_url)
    assert added.returncode == 0, added.stderr

    data = json.loads(counter("show", "--json", "--db", db_url, staff="S001").stdout)
    settings = {s["key"]: s for s in data["settings"]}
    assert (settings["idle_lock_minutes"]["value"], settings["idle_lock_minutes"]["source"]) \
        == (4, "hall")
    assert settings["lockout_minutes"]["source"] == "default"
    sim = next(t for t in data["tariff"] if t["item"] == "sim_card_fee")
    assert sim["scheduled"] == [{"from": FAR, "amount_fen": 1550}]
    assert {"code": "C08", "name": "8号柜台", "batch": False} in data["counters"]
    assert [e.target for e in events(demo_db, "hall.setting")] == ["idle_lock_minutes"]
    assert [e.actor for e in events(demo_db, "tariff.update")] == ["M001"]


def test_hall_set_refusals_are_one_line(demo_db: Database, db_url: str) -> None:
    bad = counter("set", "star", "9", "--db", db_url)
    assert bad.returncode == 2 and "star" in bad.stderr and "1 至 5" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.stderr
    past = counter("set", "tariff.sim_card_fee", "9", "--from", "2000-01-01", "--db", db_url)
    assert past.returncode == 2 and "不能早于今天" in past.stderr
    bad_date = counter("set", "tariff.sim_card_fee", "9", "--from", "2026-02-30", "--db", db_url)
    assert bad_date.returncode == 2
    clerk = counter("set", "idle_lock_minutes", "30", "--db", db_url, staff="C001")
    assert clerk.returncode == 1 and "权限不足" in clerk.stderr
    nobody = counter("show", "--db", db_url, staff=None)
    assert nobody.returncode == 2 and "COUNTER_STAFF" in nobody.stderr
    assert events(demo_db, "hall.setting") == []
