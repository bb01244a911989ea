"""The masked CSV orders file on SQLite, now written line by line by SQLite itself
(`export_csv_lines`), is byte for byte what the Python rows and `csv` writer made, also for
the texts that need care: commas, quotes and line ends (quoted, quotes doubled), texts that
would start a formula (an apostrophe first), names already masked, compound surnames and
separators, a unit's name (not masked), phone numbers that are not mobile numbers, details
holding names and phone numbers, a void's reason."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from app.db import Database
from app.models import Customer, ServiceOrder
from app.services.exchange import export as export_module
from app.services.exchange import export_records
from app.services.exchange.export import ExportRequest, export_data
from tests.builders import DAY
from tests.test_export import record_day, supervisor

NAMES = ["=HYPERLINK(\"x\")", "王,小\"明\"", "欧阳娜娜", "阿依古丽·买买提", "张*", "+86 李四",
         "-负号", "@at", "\t制表", "JOHN SMITH", "多行\r\n名字", ""]
LINES = ["020-12345678", "+8613812345678", "138****1234", "13812345678", "=1+2", "10086",
         "", None]
REASONS = ["客户要求, 撤销", "说\"不要了\"", "=cmd|' /C calc'!A0", "行一\n行二", None, "-"]
DETAILS: list[dict[str, Any]] = [
    {}, {"new_owner": {"name": "赵六", "id_type": "resident_id"}, "agent_phone": "13900001111"},
    {"note": "a,b \"q\"\n尾", "new_number": "13700002222", "list": [{"name": "钱七"}]},
    {"contact_phone": "0755-88889999", "amount": 30}]


def tricky(db: Database) -> None:
    """Every order and customer given some of the texts above."""
    with db.session() as s:
        orders = s.scalars(select(ServiceOrder.id).order_by(ServiceOrder.id)).all()
        for i, oid in enumerate(orders):
            s.execute(update(ServiceOrder).where(ServiceOrder.id == oid).values(
                presenter_name=NAMES[(i * 5) % len(NAMES)],
                line_number=LINES[i % len(LINES)], void_reason=REASONS[i % len(REASONS)],
                effective=["=SUM(A1)", "immediately", None][i % 3],
                details=DETAILS[i % len(DETAILS)],
                presenter_id_masked=["+44****", "1101**********1234", None][i % 3]))
        customers = s.scalars(select(Customer.id).order_by(Customer.id)).all()
        for i, cid in enumerate(customers):
            s.execute(update(Customer).where(Customer.id == cid).values(
                name=NAMES[i % len(NAMES)],
                unit_name=["=单位,有限公司", "某某公司", None][i % 3],
                id_masked=["-1****", "1101**********1234"][i % 2]))


def export_orders(db: Database, out: Path) -> bytes:
    result = export_data(db, supervisor(db), ExportRequest(DAY, DAY, "csv", out))
    return (result.directory / "orders.csv").read_bytes()


def test_finished_lines_are_the_python_rows_byte_for_byte(
        demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not demo_db.is_sqlite:
        pytest.skip("the finished lines are SQLite's (PostgreSQL builds rows in Python)")
    record_day(demo_db)
    tricky(demo_db)
    used = []
    real = export_records.csv_lines
    monkeypatch.setattr(export_records, "csv_lines",
                        lambda *a: used.append(1) or real(*a))  # type: ignore[func-returns-value]
    fast = export_orders(demo_db, tmp_path / "fast")
    assert used, "the masked CSV on SQLite takes the finished lines"
    monkeypatch.setattr(export_module, "finished_lines", lambda db, req: False)
    slow = export_orders(demo_db, tmp_path / "slow")
    assert fast == slow
    rows = list(csv.DictReader(fast.decode("utf-8-sig").splitlines(keepends=True)))
    assert len(rows) >= 6
    text = fast.decode("utf-8-sig")
    assert "'=cmd" in text and "'=SUM(A1)" in text and '"\'=单位,有限公司"' in text
    assert any(r["presenter_name"].startswith("'=") for r in rows)  # masked, still inert
    assert "赵六" not in text and "13900001111" not in text  # masked in the details
    assert any(r["void_reason"] == "行一\n行二" for r in rows)  # quoted, read back whole
    assert any(r["void_reason"] == "说\"不要了\"" for r in rows)
