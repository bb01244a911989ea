"""`counter stock receive|transfer|show` through a real subprocess, on SQLite and PostgreSQL:
the supervisor's credentials from the environment, one line and exit 2 for a refusal, 1 for
wrong credentials, nothing written by either."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from sqlalchemy import func, select

from app.db import Database
from app.models.day import StockMovement
from app.models.stock import StockVoucher
from app.services.hall.demo import DEMO_PASSWORD


def counter(db: Database, *args: str, staff: str = "S001",
            password: str = DEMO_PASSWORD) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COUNTER_STAFF": staff, "COUNTER_STAFF_PASSWORD": password}
    return subprocess.run([sys.executable, "-m", "app", "stock", *args, "--db", db.url],
                          capture_output=True, text=True, timeout=120, env=env,
                          stdin=subprocess.DEVNULL)


def rows(db: Database, model: Any) -> int:
    with db.read() as s:
        return int(s.execute(select(func.count()).select_from(model)).scalar() or 0)


def test_receive_transfer_and_show(demo_db: Database) -> None:
    done = counter(demo_db, "receive", "--counter", "C01", "--item", "sim_card=30",
                   "--item", "value_card:5000=10", "--supplier", "市公司物流中心 出库单 07")
    assert done.returncode == 0, done.stderr
    assert "入库 / receipt C01" in done.stdout and "空白SIM/USIM卡 [sim_card]: 30 张" in done.stdout

    moved = counter(demo_db, "transfer", "--from", "C01", "--to", "C02",
                    "--item", "sim_card=12", "--note", "C02 缺卡")
    assert moved.returncode == 0, moved.stderr
    assert "调拨 / transfer C01 -> C02" in moved.stdout

    shown = counter(demo_db, "show", "--json")
    assert shown.returncode == 0, shown.stderr
    view = json.loads(shown.stdout)
    hand = {c["counter"]: c["on_hand"] for c in view["counters"]}
    assert hand["C01"]["sim_card"] == 18 and hand["C02"]["sim_card"] == 12
    assert hand["C01"]["value_card:5000"] == 10
    assert [v["kind"] for v in view["vouchers"]] == ["transfer", "receipt"]
    table = counter(demo_db, "show", staff="C001")  # any staff member may look
    assert table.returncode == 0 and "C02" in table.stdout and "12 张" in table.stdout


def test_refusals_are_one_line_and_write_nothing(demo_db: Database) -> None:
    for args, words in (
            (("receive", "--item", "sim_card=abc", "--supplier", "x"), "ITEM=N"),
            (("receive", "--item", "rocket=1", "--supplier", "x"), "未知的物品"),
            (("transfer", "--from", "C01", "--to", "C02", "--item", "sim_card=1"),
             "调出柜台库存不足")):
        result = counter(demo_db, *args)
        assert result.returncode == 2, result.stderr
        assert words in result.stderr and len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr
    clerk = counter(demo_db, "receive", "--item", "sim_card=1", "--supplier", "x", staff="C001")
    assert clerk.returncode == 1 and "权限不足" in clerk.stderr
    wrong = counter(demo_db, "show", password="not-it")
    assert wrong.returncode == 1 and "Traceback" not in wrong.stderr
    assert rows(demo_db, StockVoucher) == 0 and rows(demo_db, StockMovement) == 0
