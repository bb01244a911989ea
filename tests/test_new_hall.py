"""Issue #14's "new hall", entirely through the services, on SQLite and PostgreSQL: from an
EMPTY database (no tables, no hall, nobody) to a signed-off day.

The hall is set up as the window's first-run dialogs do it (the manager's account), gets a
second counter, two clerks and a second supervisor (alone: nobody else could confirm yet; from
then on the two-person rule holds), each new account changes its password before doing
anything; stock is received; two clerks open their shifts, one sells a campaign (its gift
from the counter's stock, refused at a counter without it) and the other takes a complaint
and a payment; the shifts close (one a yuan short, explained); the supervisor's checklist
blocks the sign-off until the difference is approved with the supervisor's own credentials;
the day is signed off and the audit chain holds. tests/test_new_hall_cli.py does the same
through the `counter` commands."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from app.clock import FixedClock
from app.core.request import parse_request
from app.db import Database, open_database
from app.models import AuditEvent, FollowUpTask, ServiceOrder, Staff
from app.models.day import Complaint, DaySignoff, Shift
from app.services.audit.verify import verify_audit
from app.services.day.counts import Counts
from app.services.day.errors import DayError
from app.services.day.items import CHECKLIST_CODES, INVOICE, SIM_CARD, gift_item, money_item
from app.services.day.shifts import Approval, close_shift, open_shift, preview_close
from app.services.day.signoff import SignoffRefused, approve_difference, checklist, sign_off_day
from app.services.day.todo import my_items
from app.services.hall.first_run import FirstRun, run_first_setup
from app.services.hall.registry import get_hall
from app.services.hall.settings import set_from_text, show_settings
from app.services.orders.service import OrderError, OrderService, Submission
from app.services.staff.accounts import (
    SecondPersonRequired,
    change_own_password,
    change_role,
    create_staff,
    list_staff,
)
from app.services.staff.auth import PasswordChangeRequired, login
from app.services.stock.ledger import StockShortage, on_hand
from app.services.stock.vouchers import receive
from tests.builders import DAY, OWNER, PERSON, counter_line, examples

MANAGER_PASSWORD = "Hall-manager-26"
FIRST = {"C101": "Start-pass-11", "C102": "Start-pass-12", "S201": "Start-pass-21"}
OWN = {"C101": "Own-choice-101", "C102": "Own-choice-102", "S201": "Own-choice-201"}
RICE = gift_item("rice_5kg")
# What the supervisor receives (入库) for each counter before the day starts.
RECEIPTS = {"C01": {SIM_CARD: 50, RICE: 5, INVOICE: 100}, "C02": {SIM_CARD: 20, INVOICE: 50}}
INVOICE_RANGES = {"C01": ("00010001", "00010100"), "C02": ("00020001", "00020050")}
FLOAT = {10000: 5, 1000: 10}  # the opening cash: 600 yuan


# -- the day's requests (also used by tests/test_new_hall_cli.py) -----------------------------

def campaign_request() -> dict[str, Any]:
    """tests/examples' tier-1 tenure reward (the customer picks the rice), dated today."""
    [found] = [e["request"] for e in examples()
               if e["title"].startswith("Group tenure reward, tier 1")]
    req = copy.deepcopy(found)
    req.pop("business_date")  # the hall's business date, whatever day the clock says
    return req


def complaint_request() -> dict[str, Any]:
    return {"service": "complaint", "customer": PERSON, "presenter": OWNER, "documents": [],
            "details": {"subject": "网速慢", "description": "晚上八点后网速很慢",
                        "contact_phone": "13912345678"}, "signature": True}


def payment_request() -> dict[str, Any]:
    return {"service": "bill_payment", "customer": PERSON, "presenter": OWNER,
            "line": counter_line(), "documents": [], "details": {"amount": 100},
            "signature": True}


# -- an empty database ---------------------------------------------------------------------

@pytest.fixture
def empty_url(db_backend: str, tmp_path: Any, request: pytest.FixtureRequest) -> str:
    """A database with nothing in it: a SQLite file not made yet, or a PostgreSQL database
    just created (no tables); the program migrates it when it first opens it."""
    if db_backend == "sqlite":
        return f"sqlite:///{tmp_path / 'new-hall.sqlite3'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def new_db(empty_url: str, clock: FixedClock) -> Iterator[Database]:
    db = open_database(empty_url, clock=clock)
    yield db
    db.dispose()


def _serve(svc: OrderService, clerk: Any, raw: dict[str, Any], clock: FixedClock) -> Any:
    try:
        return svc.submit(Submission(parse_request(raw)), clerk)
    finally:
        clock.advance(minutes=5)


def _close_as_counted(db: Database, clerk: Any, *, cash_short_fen: int = 0,
                      why: str = "") -> Any:
    """Close with what the preview expects (cash `cash_short_fen` short, explained)."""
    p = preview_close(db, clerk)
    money = {ln.item.split(":")[1]: ln.expected for ln in p.lines if ln.money}
    cash = money.pop("cash") - cash_short_fen
    stock = {ln.item: ln.expected for ln in p.lines if not ln.money}
    _, last = INVOICE_RANGES[clerk.counter_code]
    counts = Counts(stock=stock, cash={10000: cash // 10000, 100: cash % 10000 // 100},
                    invoice_first=p.invoice_first_expected, invoice_last=last, money=money)
    return close_shift(db, clerk, counts, {money_item("cash"): why} if why else {})


def test_a_new_hall_runs_its_first_day_through_the_services(new_db: Database,
                                                            clock: FixedClock) -> None:
    db = new_db
    with db.read() as s:  # truly empty: no hall, nobody
        assert get_hall(s) is None and s.execute(select(func.count(Staff.id))).scalar() == 0
    with pytest.raises(OrderError, match="没有营业厅"):
        OrderService(db).refresh_config()

    # -- the hall, as the first-run dialogs set it up ------------------------------------------
    form = FirstRun("人民路营业厅", "rm01", "unicom", "C01", "M01", "赵敏", MANAGER_PASSWORD)
    run_first_setup(db, form)
    with pytest.raises(OrderError, match="已有员工账号"):
        run_first_setup(db, form)  # never twice
    manager = login(db, "M01", MANAGER_PASSWORD, "C01")
    assert manager.role == "manager"
    set_from_text(db, manager, "counter.C02", "2号柜台")
    set_from_text(db, manager, "counter.C03", "值班长台")
    view = show_settings(db, manager)
    assert (view.hall_code, view.hall_name) == ("RM01", "人民路营业厅")
    assert [c.code for c in view.counters if not c.batch] == ["C01", "C02", "C03"]

    # -- staff: two clerks and a second supervisor ---------------------------------------------
    for no, name, role in (("C101", "钱一", "clerk"), ("C102", "孙二", "clerk"),
                           ("S201", "周丽", "supervisor")):
        info = create_staff(db, manager, no, name, role, FIRST[no])
        assert info.must_change_password
    with db.read() as s:  # the first supervisor after the manager: nobody else could confirm
        made = s.execute(select(AuditEvent.data).where(
            AuditEvent.action == "staff.create", AuditEvent.target == "S201")).scalar_one()
    assert made["no_second_supervisor"] is True
    with pytest.raises(SecondPersonRequired):  # from now on S201 must confirm such a change
        change_role(db, manager, "C102", "supervisor")

    actors = {}
    for no in FIRST:
        counter = {"C101": "C01", "C102": "C02", "S201": "C03"}[no]
        first = login(db, no, FIRST[no], counter)
        if no != "S201":
            with pytest.raises(PasswordChangeRequired):
                open_shift(db, first, dict.fromkeys(CHECKLIST_CODES, True), Counts())
        change_own_password(db, first, FIRST[no], OWN[no])
        actors[no] = login(db, no, OWN[no], counter)
    clerk1, clerk2, sup = actors["C101"], actors["C102"], actors["S201"]
    assert not any(i.must_change_password for i in list_staff(db, manager))

    # -- stock in, shifts open ------------------------------------------------------------------
    for counter, items in RECEIPTS.items():
        receive(db, sup, items, supplier="市公司物流中心 出库单 1122-07", counter=counter)
    for clerk in (clerk1, clerk2):
        first_no, last_no = INVOICE_RANGES[clerk.counter_code]
        open_shift(db, clerk, dict.fromkeys(CHECKLIST_CODES, True),
                   Counts(stock=RECEIPTS[clerk.counter_code], cash=FLOAT,
                          invoice_first=first_no, invoice_last=last_no))

    # -- the day: a campaign, a complaint, a payment ----------------------------------------
    svc = OrderService(db)
    with pytest.raises(StockShortage, match="本柜台无库存"):  # no rice at counter 2
        _serve(svc, clerk2, campaign_request(), clock)
    sold = _serve(svc, clerk1, campaign_request(), clock)
    assert sold.order_no and sold.outcome()["fees"] == [
        {"item": "campaign_prepayment", "amount": 139.0}]
    complaint = _serve(svc, clerk2, complaint_request(), clock)
    paid = _serve(svc, clerk2, payment_request(), clock)
    assert complaint.order_no and paid.order_no
    with db.read() as s:
        assert s.execute(select(func.count(ServiceOrder.id))).scalar() == 3  # not the refused
        c01 = s.execute(select(Shift.counter_id).where(Shift.staff_id == clerk1.staff_id)
                        ).scalar_one()
        assert on_hand(s, c01)[RICE] == 4
        term_end = s.execute(select(FollowUpTask).where(
            FollowUpTask.task == "campaign_term_end")).scalar_one()
        assert term_end.owner_staff_id == clerk1.staff_id
        owned = s.execute(select(Complaint.owner_staff_id)).scalar_one()
    assert owned == clerk2.staff_id  # first-ask: the clerk who took it owns it
    assert ("complaint", "answer") in {(i.kind, i.stage) for i in my_items(db, clerk2)}

    # -- the shifts close; the sign-off checks ------------------------------------------------
    _close_as_counted(db, clerk1)
    assert kinds(checklist(db, sup, DAY).blocking) == ["open_shift"]
    closed = _close_as_counted(db, clerk2, cash_short_fen=100, why="找零少收1元")
    assert closed.approved_by is None  # inside the tolerance: the clerk closes alone
    found = checklist(db, sup, DAY)
    assert [i.key for i in found.items] == [f"difference:{closed.shift.id}"]
    with pytest.raises(SignoffRefused, match="差异未审批"):
        sign_off_day(db, sup, DAY)
    with pytest.raises(DayError, match="本人"):  # the supervisor's own credentials only
        approve_difference(db, sup, closed.shift.id, Approval("M01", MANAGER_PASSWORD, "已核实"))
    approve_difference(db, sup, closed.shift.id, Approval("S201", OWN["S201"], "短款已补齐"))
    assert checklist(db, sup, DAY).clear
    signed = sign_off_day(db, sup, DAY, notes="新厅首日")
    assert signed.supervisor == "周丽"
    with db.read() as s:
        day = s.execute(select(DaySignoff)).scalar_one()
        assert day.business_date == DAY and day.summary["shifts"] == 2
        assert sorted(o[1:] for o in day.summary["orders"]) == [["accepted", 3, 23900]]
    with pytest.raises(OrderError, match="已日结签核"):  # the day is locked
        open_shift(db, clerk1, dict.fromkeys(CHECKLIST_CODES, True), Counts(), business_date=DAY)
    report = verify_audit(db)
    assert report.ok, report


def kinds(items: Any) -> list[str]:
    return [i.kind for i in items]
