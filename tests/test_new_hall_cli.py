"""Issue #14's "new hall" entirely through the command line, on SQLite and PostgreSQL: every
step a real `counter` process (`python -m app`), from an EMPTY database to a signed-off day,
as tests/test_new_hall.py does it through the services.

`counter hall init` sets the hall up; `counter hall set` adds counters; `counter staff add`
makes two clerks and a second supervisor, who each change their password (`counter staff
passwd`) before anything else is allowed; `counter stock receive` fills the counters;
`counter day shift open` opens the clerks' shifts; `counter day record` sells a campaign
(refused at a counter without the gift) and takes a complaint and a payment at the clerks'
counters; `counter day shift close` closes them (a difference beyond tolerance approved there
by a supervisor, one inside it explained); `counter day checklist|approve|signoff` settles and
signs the day off; `counter staff list`, `counter hall show` and `counter audit verify` see
the result.

The processes run under libfaketime with the hall's clock at tests.builders.NOW when the test
starts (one offset for all of them, so time runs on from one command to the next): the
campaign has an end date, and the test must not depend on the day it runs.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.builders import DAY, NOW
from tests.pg_server import real_time_env
from tests.test_new_hall import (  # noqa: F401  (empty_url: the fixture, used by name)
    FIRST,
    INVOICE_RANGES,
    MANAGER_PASSWORD,
    OWN,
    campaign_request,
    complaint_request,
    empty_url,
    payment_request,
)

ROOT = Path(__file__).resolve().parents[1]
SLEEP_FIX = ROOT / "build" / "faketime" / "sleep_fix.so"
# libfaketime preloaded directly, not through the `faketime` wrapper: the wrapper makes a named
# semaphore per process id and fails ("sem_open: File exists") when a killed wrapper of another
# test left one behind under a process id that came round again.
LIBFAKETIME = next(iter(sorted(Path("/usr/lib").glob("*/faketime/libfaketime.so.1"))), None)
CREDENTIAL_VARIABLES = ("COUNTER_STAFF", "COUNTER_STAFF_PASSWORD", "COUNTER_NEW_PASSWORD",
                        "COUNTER_SECOND_STAFF", "COUNTER_SECOND_STAFF_PASSWORD")


@pytest.fixture(scope="module")
def faketime_ready() -> None:
    """libfaketime, and the monotonic-sleep fix tools/run_at.sh builds (with `cc`)."""
    if shutil.which("faketime") is None or LIBFAKETIME is None or (
            not SLEEP_FIX.exists() and shutil.which("cc") is None):
        pytest.skip("faketime and a C compiler are needed (bash tools/install_system_deps.sh)")
    subprocess.run(["bash", str(ROOT / "tools" / "run_at.sh"), "@2026-11-22 02:00:00", "true"],
                   check=True, env=real_time_env(), timeout=120)


class Counter:
    """`counter ARGS... --db URL` as its own process, with only the variables given, no
    terminal, and the wall clock moved so that the first call starts at `NOW`."""

    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        real_now = int(subprocess.run(["date", "+%s"], capture_output=True, text=True,
                                      env=real_time_env(), check=True).stdout)
        self.offset = int(NOW.timestamp()) - real_now

    def __call__(self, *args: str, who: tuple[str, str] | None = None,
                 db: bool = True, **variables: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in real_time_env().items() if k not in CREDENTIAL_VARIABLES}
        env.update(LD_PRELOAD=f"{LIBFAKETIME}:{SLEEP_FIX}", FAKETIME=f"{self.offset:+d}",
                   DONT_FAKE_MONOTONIC="1", FAKETIME_FORCE_MONOTONIC_FIX="0", **variables)
        if who is not None:
            env.update(COUNTER_STAFF=who[0], COUNTER_STAFF_PASSWORD=who[1])
        command = [sys.executable, "-m", "app", *args]
        if db:
            command += ["--db", self.db_url]
        return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env,
                              stdin=subprocess.DEVNULL, timeout=300)


def ok(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 0, (proc.args, proc.stdout, proc.stderr)
    return proc.stdout


def refused(proc: subprocess.CompletedProcess[str], code: int, words: str) -> None:
    """Exit status `code` and one line (no traceback) saying `words`."""
    assert proc.returncode == code, (proc.args, proc.stdout, proc.stderr)
    assert words in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr


def opening(counter: str, stock: dict[str, int]) -> list[str]:
    first, last = INVOICE_RANGES[counter]
    return ([f"--count={item}={n}" for item, n in stock.items()]
            + ["--invoices", f"{first}-{last}", "--cash", "100=5", "--cash", "10=10"])


def closing(preview: dict[str, Any], counter: str, cash_short_fen: int = 0) -> list[str]:
    """What the clerk counts at closing: what the preview expects, the cash `cash_short_fen`
    short (in one-yuan coins)."""
    lines = {ln["item"]: ln["expected"] for ln in preview["lines"]}
    cash = lines.pop("money:cash") - cash_short_fen
    args = [f"--count={item}={n}" for item, n in lines.items() if not item.startswith("money:")]
    args += ["--invoices", f"{preview['invoice_first_expected']}-{INVOICE_RANGES[counter][1]}",
             "--cash", f"100={cash // 10000}", "--cash", f"1={cash % 10000 // 100}"]
    return args


@pytest.mark.slow  # about 45 processes per database
def test_a_new_hall_runs_its_first_day_through_the_command_line(
        faketime_ready: None, empty_url: str, tmp_path: Path) -> None:  # noqa: F811
    counter = Counter(empty_url)
    manager = ("M01", MANAGER_PASSWORD)
    clerk1, clerk2, sup = (("C101", OWN["C101"]), ("C102", OWN["C102"]),
                           ("S201", OWN["S201"]))

    # -- the hall ------------------------------------------------------------------------------
    init = ["hall", "init", "--name", "人民路营业厅", "--code", "rm01", "--carrier", "unicom",
            "--manager", "M01", "--manager-name", "赵敏"]
    refused(counter(*init[:5], "x", *init[6:], COUNTER_NEW_PASSWORD=MANAGER_PASSWORD), 2,
            "营业厅编码应为2至16位字母或数字")
    refused(counter(*init), 2, "COUNTER_NEW_PASSWORD")  # no password, no terminal
    assert "hall set up: RM01 人民路营业厅" in ok(counter(*init,
                                                        COUNTER_NEW_PASSWORD=MANAGER_PASSWORD))
    refused(counter(*init, COUNTER_NEW_PASSWORD=MANAGER_PASSWORD), 1, "已有员工账号")
    ok(counter("hall", "set", "counter.C02", "2号柜台", who=manager))
    ok(counter("hall", "set", "counter.C03", "值班长台", who=manager))

    # -- staff: each new account changes its password before anything else --------------------
    for no, name, role in (("C101", "钱一", "clerk"), ("C102", "孙二", "clerk"),
                           ("S201", "周丽", "supervisor")):
        added = ok(counter("staff", "add", no, "--name", name, "--role", role, who=manager,
                           COUNTER_NEW_PASSWORD=FIRST[no]))
        assert "must change the password at the next log-in" in added
    refused(counter("day", "shift", "open", "--checked", who=("C101", FIRST["C101"])), 1,
            "请先修改密码")
    for no in FIRST:
        ok(counter("staff", "passwd", who=(no, FIRST[no]), COUNTER_NEW_PASSWORD=OWN[no]))

    # -- stock in, shifts open -----------------------------------------------------------------
    stock = {"C01": {"sim_card": 50, "gift:rice_5kg": 5, "invoice": 100},
             "C02": {"sim_card": 20, "invoice": 50}}
    for code, items in stock.items():
        ok(counter("stock", "receive", "--at", "C03", "--counter", code, "--supplier",
                   "市公司物流中心 出库单 1122-07", *[f"--item={i}={n}" for i, n in items.items()],
                   who=sup))
    refused(counter("day", "shift", "open", *opening("C01", stock["C01"]), who=clerk1), 2,
            "--checked")
    refused(counter("day", "shift", "open", "--checked", "--cash", "3=1", who=clerk1), 2,
            "不支持的面额")
    assert "shift opened: C01 C101" in ok(counter(
        "day", "shift", "open", "--checked", *opening("C01", stock["C01"]), who=clerk1))
    assert "not passed: check_self_service" in ok(counter(
        "day", "shift", "open", "--counter", "C02", "--checked", "--failed",
        "check_self_service", "--note", "自助终端故障，已报修", *opening("C02", stock["C02"]),
        who=clerk2))

    # -- the day at the clerks' counters -------------------------------------------------------
    requests = tmp_path / "requests"
    requests.mkdir()
    (requests / "campaign.json").write_text(json.dumps(campaign_request(), ensure_ascii=False),
                                            encoding="utf-8")
    (requests / "counter2.json").write_text(json.dumps(
        [complaint_request(), payment_request()], ensure_ascii=False), encoding="utf-8")
    campaign = str(requests / "campaign.json")
    refused(counter("day", "record", campaign, "--counter", "C02", who=clerk2), 1,
            "本柜台无库存：5kg大米一袋现有 0 份")
    sold = json.loads(ok(counter("day", "record", campaign, "--out", str(tmp_path / "papers"),
                                 who=clerk1)))
    assert sold["decision"] == "accepted" and sold["order_no"].startswith("RM01-C01-20261122-")
    assert sold["fees"] == [{"item": "campaign_prepayment", "amount": 139.0}]
    assert any(p.endswith("_slip.pdf") for p in sold["documents_printed"])
    again = json.loads(ok(counter("day", "record", campaign, "--jsonl", who=clerk1)))
    assert again["replay"] is True and again["order_no"] == sold["order_no"]  # not twice
    taken = [json.loads(line) for line in ok(counter(
        "day", "record", str(requests / "counter2.json"), "--counter", "C02", "--jsonl",
        who=clerk2)).splitlines()]
    assert [o["decision"] for o in taken] == ["accepted", "accepted"]
    assert [f["task"] for f in taken[0]["follow_ups"]] == ["answer_complaint",
                                                           "complaint_callback"]

    # -- the shifts close ----------------------------------------------------------------------
    preview1 = json.loads(ok(counter("day", "shift", "preview", "--json", who=clerk1)))
    assert {ln["item"]: ln["expected"] for ln in preview1["lines"]} == {
        "sim_card": 50, "invoice": 99, "gift:rice_5kg": 4, "money:cash": 60000 + 13900}
    short = closing(preview1, "C01", cash_short_fen=2000)  # 20 yuan: beyond the tolerance
    refused(counter("day", "shift", "close", *short, "--explain", "cash=点钞有误", who=clerk1),
            2, "COUNTER_SECOND_STAFF")
    closed1 = ok(counter("day", "shift", "close", *short, "--explain", "cash=点钞有误",
                         "--note", "已复点", who=clerk1, COUNTER_SECOND_STAFF=sup[0],
                         COUNTER_SECOND_STAFF_PASSWORD=sup[1]))
    assert "approved by S201" in closed1 and "-20.00 元" in closed1
    preview2 = json.loads(ok(counter("day", "shift", "preview", "--counter", "C02", "--json",
                                     who=clerk2)))
    short = closing(preview2, "C02", cash_short_fen=100)  # a yuan: inside the tolerance
    refused(counter("day", "shift", "close", "--counter", "C02", *short, who=clerk2), 1,
            "请填写说明")
    ok(counter("day", "shift", "close", "--counter", "C02", *short, "--explain",
               "cash=找零少收1元", who=clerk2))

    # -- the sign-off ----------------------------------------------------------------------------
    at_c03 = ("--counter", "C03")
    found = json.loads(ok(counter("day", "checklist", "--json", *at_c03, who=sup)))
    assert found["business_date"] == DAY.isoformat()
    [item] = found["items"]
    assert item["kind"] == "difference" and item["blocking"] and "C102" in item["zh"]
    refused(counter("day", "signoff", *at_c03, who=sup), 1, "差异未审批")
    refused(counter("day", "approve", str(item["shift"]), "--note", "已核实", *at_c03,
                    who=clerk1), 1, "权限不足")
    assert "differences approved" in ok(counter(
        "day", "approve", str(item["shift"]), "--note", "短款已由营业员补齐", *at_c03, who=sup))
    assert "nothing to settle" in ok(counter("day", "checklist", *at_c03, who=sup))
    assert "day signed off: 2026-11-22 周丽" in ok(counter("day", "signoff", "--notes",
                                                         "新厅首日", *at_c03, who=sup))
    refused(counter("day", "signoff", *at_c03, who=sup), 1, "已日结签核")

    # -- what the hall looks like now ------------------------------------------------------------
    accounts = [json.loads(line) for line in ok(counter("staff", "list", "--json",
                                                        who=manager)).splitlines()]
    assert [(a["staff_no"], a["role"], a["active"], a["must_change_password"])
            for a in accounts] == [("C101", "clerk", True, False), ("C102", "clerk", True, False),
                                   ("M01", "manager", True, False),
                                   ("S201", "supervisor", True, False)]
    hall = json.loads(ok(counter("hall", "show", "--json", who=sup)))
    assert (hall["hall"], hall["name"]) == ("RM01", "人民路营业厅")
    assert [c["code"] for c in hall["counters"] if not c["batch"]] == ["C01", "C02", "C03"]
    assert "人民路营业厅" in ok(counter("hall", "show", who=manager))
    assert "audit chain intact" in ok(counter("audit", "verify"))
    engine = create_engine(empty_url)
    try:
        with engine.connect() as conn:
            shifts = conn.execute(text("SELECT status FROM shift ORDER BY id")).scalars().all()
            signed = conn.execute(text("SELECT business_date FROM day_signoff")).scalars().all()
            orders = conn.execute(text("SELECT count(*) FROM service_order")).scalar()
    finally:
        engine.dispose()
    assert shifts == ["approved", "approved"] and orders == 3
    assert [str(d)[:10] for d in signed] == [DAY.isoformat()]


@pytest.mark.parametrize(("args", "words"), [
    (["day", "shift", "open", "--checked", "--count", "nonsense=1"], "未知的清点项目"),
    (["day", "shift", "open", "--checked", "--count", "sim_card=-1"], "a whole number >= 0"),
    (["day", "shift", "open", "--checked", "--failed", "clean_halls"], "unknown check"),
    (["day", "shift", "open", "--checked", "--cash", "100=five"], "a whole number >= 0"),
    (["day", "shift", "close", "--money", "cash=10"], "unknown method cash"),
    (["day", "shift", "close", "--money", "card=1.234"], "an amount in yuan"),
    (["day", "shift", "close", "--explain", "sim=lost"], "unknown item: sim"),
    (["day", "shift", "close", "--invoices", "00010001"], "FIRST-LAST"),
    (["day", "shift", "close", "--count", "sim_card"], "ITEM=N"),
    (["day", "checklist"], "COUNTER_STAFF"),  # no credentials and no terminal to ask on
    (["day", "record", "/nonexistent/requests.json"], "cannot read"),
    (["hall", "init", "--name", "新厅", "--code", "NH01", "--carrier", "unicom", "--manager",
      "M01", "--manager-name", "赵敏", "--counter", "B01"], "批量受理通道"),
])
def test_bad_input_exits_2_before_anything_is_opened(
        args: list[str], words: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import io

    from app.cli import main

    for name in CREDENTIAL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COUNTER_NEW_PASSWORD", MANAGER_PASSWORD)
    monkeypatch.setattr(sys, "stdin", io.StringIO())
    path = tmp_path / "never.sqlite3"
    assert main([*args, "--db", f"sqlite:///{path}"]) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1, err
    assert not path.exists()
