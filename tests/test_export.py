"""Export and import: masked by default, unmasked only for a supervisor with a reason (and
audited), CSV that Excel and `csv.reader` read with the Chinese intact, XLSX that openpyxl
opens, a manifest whose sums match, and JSON Lines that import into an empty database and
export again byte for byte: from SQLite and from a PostgreSQL server alike (`db_url`)."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.core.request import parse_request
from app.db import Database, open_database
from app.models import AuditEvent, Customer, FollowUpTask, ServiceOrder
from app.security import PermissionDenied
from app.services.exchange import export as export_module
from app.services.exchange.errors import ExportError
from app.services.exchange.export import ExportRequest, export_data
from app.services.exchange.export_manifest import read_manifest
from app.services.exchange.importer import import_export
from app.services.hall.demo import DEMO_PASSWORD
from app.services.hall.registry import Actor, batch_actor
from app.services.orders.service import OrderService, Submission
from app.services.orders.void import void_order
from app.services.staff.auth import login
from tests.builders import AGENT_ID, DAY, OWNER_ID, USCC, as_agent, group, personal
from tests.gui.ui_fixtures import op_runner

ROOT = Path(__file__).resolve().parents[1]
_ = op_runner  # a fixture (for the dialog's test)
FULL_IDS = (OWNER_ID, AGENT_ID, USCC)


def record_day(db: Database) -> dict[str, Any]:
    """A day at the hall: personal, group and agent orders, follow-ups, a void, an intake
    entry, a shift with its counts and a complaint."""
    service = OrderService(db)
    actor = batch_actor(db)
    requests = [
        personal("report_loss"),
        personal("bill_payment", details={"amount": 30}),
        personal("intl_roaming_close", line={"intl_roaming": {"open": True, "prepayment": 500}}),
        personal("fault_report", details={"fault_type": "ordinary", "description": "无信号"}),
        group("sim_replacement", documents=["introduction_letter", "sim_card"]),
        as_agent(personal("report_loss"), documents=["resident_id", "authorization_letter"]),
        personal("points_query"),  # incomplete: the intake log
    ]
    orders = []
    for req in requests:
        result = service.submit(Submission(parse_request(req)), actor)
        if result.order_no:
            orders.append(result.order_no)
    supervisor = login(db, "S001", DEMO_PASSWORD, "C01")
    void_order(db, supervisor, orders[1], "客户要求撤销")
    from app.models.day import Complaint, Shift, StockCount

    with db.session() as s:
        now = db.clock.now()
        shift = Shift(hall_id=actor.hall_id, counter_id=supervisor.counter_id,
                      staff_id=supervisor.staff_id, business_date=DAY, status="closed",
                      opened_at=now, closed_at=now, checklist={"clean_hall": True})
        shift.counts = [StockCount(phase="open", item="sim_card", quantity=50)]
        s.add(shift)
        s.add(Complaint(hall_id=actor.hall_id, business_date=DAY, customer_name="陈静",
                        contact_phone="13912345678", line_number="13012345678",
                        subject="话费争议", description="对上月账单有疑问",
                        owner_staff_id=supervisor.staff_id,
                        promised_at=now + timedelta(hours=48)))
    return {"orders": orders, "supervisor": supervisor}


@pytest.fixture
def day_db(demo_db: Database) -> Database:
    record_day(demo_db)
    return demo_db


def supervisor(db: Database) -> Actor:
    return login(db, "S001", DEMO_PASSWORD, "C01")


def run_export(db: Database, actor: Actor, out: Path, fmt: str = "jsonl",
               **kw: Any) -> export_module.ExportResult:
    return export_data(db, actor, ExportRequest(DAY, DAY, fmt, out, **kw))  # type: ignore[arg-type]


def all_text(folder: Path) -> str:
    """Every exported byte as text (XLSX unzipped)."""
    import zipfile

    parts = []
    for path in folder.iterdir():
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                parts += [z.read(n).decode("utf-8") for n in z.namelist()]
        else:
            parts.append(path.read_text(encoding="utf-8-sig"))
    return "\n".join(parts)


def same_files(a: Path, b: Path) -> None:
    ma, mb = read_manifest(a), read_manifest(b)
    assert ma.pop("created_at") and mb.pop("created_at")
    assert ma == mb
    for f in ma["files"]:
        assert (a / f["name"]).read_bytes() == (b / f["name"]).read_bytes(), f["name"]


# -- masking and permissions -----------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl"])
def test_masked_by_default_in_every_format(day_db: Database, tmp_path: Path, fmt: str) -> None:
    result = run_export(day_db, batch_actor(day_db), tmp_path / fmt, fmt)
    assert result.masked and result.rows("orders") == 6 and result.rows("intake") == 1
    assert result.rows("follow_ups") == 2 and result.rows("shifts") == 1
    assert result.rows("complaints") == 1
    text = all_text(tmp_path / fmt)
    for full in (*FULL_IDS, "张三", "李四", "陈静", "13912345678"):
        assert full not in text, full
    assert "110105********002X" in text and "张*" in text and "陈*" in text
    assert "139****5678" in text
    # Line numbers are phone numbers: masked in the columns, details, line states, audit data.
    assert "13012345678" not in text and "130****5678" in text


def test_unmasked_is_refused_for_a_clerk_and_recorded(day_db: Database, tmp_path: Path) -> None:
    clerk = login(day_db, "C001", DEMO_PASSWORD, "C02")
    with pytest.raises(PermissionDenied) as info:
        run_export(day_db, clerk, tmp_path / "x", masked=False, reason="核对客户资料")
    assert "值班长" in info.value.args[0]
    assert not (tmp_path / "x").exists()
    with day_db.read() as s:
        last = s.execute(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).scalar_one()
    assert (last.action, last.actor) == ("permission.denied", "C001")
    assert last.data["permission"] == "export.unmasked"


def test_unmasked_for_a_supervisor_with_a_reason_is_audited(day_db: Database,
                                                          tmp_path: Path) -> None:
    boss = supervisor(day_db)
    with pytest.raises(ExportError, match="reason"):
        run_export(day_db, boss, tmp_path / "none", masked=False, reason=" ")
    result = run_export(day_db, boss, tmp_path / "full", masked=False,
                        reason="公安机关协查函 2026-118 号")
    text = all_text(tmp_path / "full")
    assert OWNER_ID in text and AGENT_ID in text and USCC in text and "张三" in text
    assert "陈静" in text and "13912345678" in text and "13012345678" in text
    manifest = read_manifest(tmp_path / "full")
    assert manifest["masked"] is False and manifest["reason"] == "公安机关协查函 2026-118 号"
    assert manifest["actor"] == "S001" and manifest["undecryptable"] == 0
    with day_db.read() as s:
        events = s.execute(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(2)
                           ).scalars().all()
    done, begun = events
    assert begun.action == "export.unmasked" and begun.actor == "S001"
    assert begun.data["reason"] == "公安机关协查函 2026-118 号"
    assert done.action == "export" and done.data["masked"] is False
    digest = hashlib.sha256((tmp_path / "full" / "manifest.json").read_bytes()).hexdigest()
    assert done.data["manifest_sha256"] == digest
    assert result.rows("orders") == 6


# -- the files -----------------------------------------------------------------------------------

def test_csv_reads_back_with_the_chinese_intact(day_db: Database, tmp_path: Path) -> None:
    run_export(day_db, batch_actor(day_db), tmp_path, "csv")
    with open(tmp_path / "orders.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header, data = rows[0], rows[1:]
    assert header[0] == "order_no"  # no BOM glued to the first column name
    by = [dict(zip(header, r, strict=True)) for r in data]
    group_row = next(r for r in by if r["customer_kind"] == "group")
    assert group_row["unit_name"] == "上海示例物流有限公司"
    assert group_row["customer_name"] == "上海示例物流有限公司"  # a unit: not personal data
    assert group_row["presenter_name"] == "周*"
    assert group_row["fees"] == "sim_card_fee:10.00" or group_row["fees"].endswith(":10.00")
    voided = next(r for r in by if r["status"] == "voided")
    assert voided["void_reason"] == "客户要求撤销" and voided["voided_by"] == "S001"
    with open(tmp_path / "intake.csv", encoding="utf-8-sig", newline="") as fh:
        intake = list(csv.DictReader(fh))
    assert intake[0]["decision"] == "incomplete" and "service_password" in intake[0]["missing"]
    with open(tmp_path / "complaints.csv", encoding="utf-8-sig", newline="") as fh:
        complaint = next(csv.DictReader(fh))
    assert complaint["subject"] == "话费争议" and complaint["description"] == "对上月账单有疑问"


def test_xlsx_opens_in_openpyxl_with_the_same_rows_as_csv(day_db: Database,
                                                        tmp_path: Path) -> None:
    run_export(day_db, batch_actor(day_db), tmp_path / "csv", "csv")
    run_export(day_db, batch_actor(day_db), tmp_path / "xlsx", "xlsx")
    with open(tmp_path / "csv" / "orders.csv", encoding="utf-8-sig", newline="") as fh:
        from_csv = list(csv.reader(fh))
    book = load_workbook(tmp_path / "xlsx" / "orders.xlsx", read_only=True)
    sheet = book["orders"]
    from_xlsx = [["" if v is None else str(v) for v in row]
                 for row in sheet.iter_rows(values_only=True)]
    book.close()
    assert from_xlsx == from_csv


def test_manifest_lists_every_file_with_its_sum(day_db: Database, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export_module, "EXTRA_TABLES",
                        {**export_module.EXTRA_TABLES, "tickets": "no_such_table"})
    out = tmp_path / "out"
    run_export(day_db, batch_actor(day_db), out, "csv")
    manifest = read_manifest(out)
    assert manifest["range"] == {"from": DAY.isoformat(), "to": DAY.isoformat()}
    assert manifest["masked"] is True and manifest["format"] == "csv"
    assert "tickets" in manifest["skipped"]
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([f["name"] for f in manifest["files"]] + ["manifest.json"])
    for f in manifest["files"]:
        data = (out / f["name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == f["sha256"] and len(data) == f["bytes"]
    orders = next(f for f in manifest["files"] if f["dataset"] == "orders")
    assert orders["rows"] == 6
    with pytest.raises(ExportError, match="already"):  # never over an earlier export
        run_export(day_db, batch_actor(day_db), out, "csv")


def test_a_cancelled_export_leaves_nothing(day_db: Database, tmp_path: Path) -> None:
    class Stop(Exception):
        pass

    calls = []

    def check() -> None:
        calls.append(1)
        if len(calls) > 2:
            raise Stop

    out = tmp_path / "out"
    with pytest.raises(Stop):
        export_data(day_db, batch_actor(day_db), ExportRequest(DAY, DAY, "csv", out),
                    check=check)
    assert not out.exists()  # not even the folder it made


def test_every_export_is_in_the_audit_trail(day_db: Database, tmp_path: Path) -> None:
    run_export(day_db, batch_actor(day_db), tmp_path / "a", "csv")
    run_export(day_db, batch_actor(day_db), tmp_path / "b", "xlsx")
    with day_db.read() as s:
        events = s.execute(select(AuditEvent).where(AuditEvent.action == "export")
                           .order_by(AuditEvent.seq)).scalars().all()
    assert [e.data["format"] for e in events] == ["csv", "xlsx"]
    assert all(e.actor == "batch" and e.data["masked"] is True for e in events)


# -- import ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("masked", [True, False])
def test_export_import_export_is_byte_identical(day_db: Database, tmp_path: Path,
                                                masked: bool) -> None:
    actor = batch_actor(day_db) if masked else supervisor(day_db)
    reason = "" if masked else "迁移到新服务器"
    first = tmp_path / "first"
    run_export(day_db, actor, first, masked=masked, reason=reason)
    # From either backend into a new SQLite file (a server's export to a workstation, too).
    target = open_database(f"sqlite:///{tmp_path / 'copy.sqlite3'}", clock=day_db.clock)
    try:
        result = import_export(target, first)
        assert result.masked is masked
        assert result.counts["orders"] == 6 and result.counts["follow_ups"] == 2
        # S001 came in with the orders; a log-in would add an event of this database's own
        actor = batch_actor(target) if masked else imported_supervisor(target)
        second = tmp_path / "second"
        run_export(target, actor, second, masked=masked, reason=reason)
        same_files(first, second)
        with target.read() as s:
            customer = s.execute(select(Customer).where(Customer.kind == "personal")
                                 .limit(1)).scalar_one()
            if masked:  # imported as masked records: no number to find them by
                assert customer.id_enc is None and customer.id_lookup is None
                assert customer.name.endswith("*")
            else:
                from app.services.customers.pii import default_personal_data

                assert customer.id_lookup == default_personal_data().lookup_id(OWNER_ID)
            assert s.execute(select(func.count()).select_from(FollowUpTask)).scalar() == 2
            voided = s.execute(select(ServiceOrder).where(ServiceOrder.status == "voided")
                               ).scalar_one()
            assert voided.void_reason == "客户要求撤销"
        from app.services.sync.run import verify_origin_chain

        origin = read_audit_origin(first)
        # A masked trail's hashes cover the phone numbers it no longer shows.
        assert verify_origin_chain(target, origin).ok is not masked
    finally:
        target.dispose()


def imported_supervisor(db: Database) -> Actor:
    from app.models import Counter, Staff
    from app.services.hall.registry import staff_actor

    with db.session() as s:
        staff = s.execute(select(Staff).where(Staff.staff_no == "S001")).scalar_one()
        staff.role, staff.active = "supervisor", True
        counter = s.execute(select(Counter).where(Counter.code == "C01")).scalar_one()
        return staff_actor(s, staff, counter)


def read_audit_origin(folder: Path) -> str:
    with open(folder / "audit.jsonl", encoding="utf-8") as fh:
        return str(json.loads(fh.readline())["origin"])


def test_import_needs_an_empty_database_and_intact_files(day_db: Database,
                                                         tmp_path: Path) -> None:
    run_export(day_db, batch_actor(day_db), tmp_path / "x")
    with pytest.raises(ExportError, match="empty"):
        import_export(day_db, tmp_path / "x")
    path = tmp_path / "x" / "orders.jsonl"
    path.write_bytes(path.read_bytes().replace("张*".encode(), "王*".encode(), 1))
    target = open_database(f"sqlite:///{tmp_path / 'copy.sqlite3'}", clock=day_db.clock)
    try:
        with pytest.raises(ExportError, match="SHA-256"):
            import_export(target, tmp_path / "x")
        with target.read() as s:
            assert not s.execute(select(func.count()).select_from(ServiceOrder)).scalar()
    finally:
        target.dispose()
    run_export(day_db, batch_actor(day_db), tmp_path / "csv", "csv")
    with pytest.raises(ExportError, match="JSON Lines"):
        import_export(day_db, tmp_path / "csv")


def test_cli_export_and_import(day_db: Database, db_url: str, tmp_path: Path) -> None:
    def counter(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True,
                              text=True, cwd=ROOT, timeout=300, stdin=subprocess.DEVNULL,
                              env={**os.environ, **(env or {})})

    day = DAY.isoformat()
    out = tmp_path / "out"
    boss_env = {"COUNTER_STAFF": "S001", "COUNTER_STAFF_PASSWORD": DEMO_PASSWORD}
    proc = counter("export", "--db", db_url, "--from", day, "--to", day, "--format", "jsonl",
                   "--out", str(out), env=boss_env)
    assert proc.returncode == 0, proc.stderr
    assert "orders.jsonl: 6 rows" in proc.stdout
    no_password = counter("export", "--db", db_url, "--from", day, "--to", day, "--out",
                          str(tmp_path / "u"), "--unmasked", "--staff", "S001", "--reason",
                          "公安机关协查")
    assert no_password.returncode == 2 and "COUNTER_STAFF_PASSWORD" in no_password.stderr
    clerk = counter("export", "--db", db_url, "--from", day, "--to", day, "--out",
                    str(tmp_path / "c"), "--unmasked", "--staff", "C001", "--reason", "看看数据",
                    env={"COUNTER_STAFF_PASSWORD": DEMO_PASSWORD})
    assert clerk.returncode == 1 and "权限不足" in clerk.stderr
    boss = counter("export", "--db", db_url, "--from", day, "--to", day, "--out",
                   str(tmp_path / "s"), "--unmasked", "--staff", "S001", "--reason",
                   "公安机关协查", env={"COUNTER_STAFF_PASSWORD": DEMO_PASSWORD})
    assert boss.returncode == 0 and "UNMASKED" in boss.stdout
    bad_date = counter("export", "--db", db_url, "--from", "2026-13-01", "--to", day, "--out",
                       str(tmp_path / "d"))
    assert bad_date.returncode == 2
    copy_url = f"sqlite:///{tmp_path / 'copy.sqlite3'}"
    from app.services.hall.first_run import FirstRun, run_first_setup

    copy = open_database(copy_url, clock=day_db.clock)  # set up with its manager, no data
    run_first_setup(copy, FirstRun("分厅", "DEMO01", "unicom", "C01", "M900", "王经理",
                                   "Import-Manager-2026"))
    copy.dispose()
    manager_env = {"COUNTER_STAFF": "M900", "COUNTER_STAFF_PASSWORD": "Import-Manager-2026"}
    imported = counter("import", "--db", copy_url, str(out), env=manager_env)
    assert imported.returncode == 0 and "orders 6" in imported.stdout, imported.stderr
    again = counter("import", "--db", copy_url, str(out), env=manager_env)
    assert again.returncode == 2 and "empty" in again.stderr


# -- the dialog ------------------------------------------------------------------------------------

@pytest.mark.gui
def test_export_dialog_runs_in_the_background(day_db: Database, tmp_path: Path,
                                             op_runner: Any, qtbot: Any) -> None:
    from app.ui.data.export_dialog import ExportDialog

    clerk = login(day_db, "C001", DEMO_PASSWORD, "C02")
    dialog = ExportDialog(op_runner, day_db, clerk, base_folder=tmp_path, today=DAY)
    qtbot.addWidget(dialog)
    assert not dialog.unmasked.isEnabled()  # a clerk cannot even choose it
    dialog.fmt.setCurrentIndex(dialog.fmt.findData("csv"))
    with qtbot.waitSignal(dialog.exported, timeout=30000) as blocker:
        dialog.start.click()
    result = blocker.args[0]
    assert result.masked and result.rows("orders") == 6
    assert result.directory.parent == tmp_path and (result.directory / "orders.csv").exists()
    assert "orders 6" in dialog.status.text()
    op_runner.wait_idle()

    boss = supervisor(day_db)
    dialog = ExportDialog(op_runner, day_db, boss, base_folder=tmp_path, today=DAY)
    qtbot.addWidget(dialog)
    dialog.unmasked.setChecked(True)
    assert dialog.reason.isEnabled()
    dialog.start.click()  # no reason yet: nothing starts
    assert op_runner.pending_count() == 0 and dialog.status.text()
    dialog.reason.setPlainText("公安机关协查")
    with qtbot.waitSignal(dialog.exported, timeout=30000) as blocker:
        dialog.start.click()
    assert blocker.args[0].masked is False
    op_runner.wait_idle()
