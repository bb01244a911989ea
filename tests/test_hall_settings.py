"""The hall's settings through the service: shown with their source, changed with checks that
name the key, audited, refused to a clerk in the core, and in force without a restart; the
tariff changes from a date, keeping the old amount for the days before it."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.clock import FixedClock
from app.core.catalog import get_catalog
from app.core.config import TariffChange, load_hall_config
from app.core.engine import evaluate
from app.core.request import parse_request
from app.db import Database
from app.models import OrderFee, ServiceOrder
from app.security import PermissionDenied
from app.services.day.counts import hall_tolerance
from app.services.hall.registry import batch_actor, ensure_hall
from app.services.hall.settings import (
    HallChanges,
    current_config,
    save,
    set_from_text,
    show_settings,
)
from app.services.hall.settings_keys import SettingsError
from app.services.orders.service import OrderService, Submission
from app.services.staff import auth
from tests.builders import DAY, NOW, personal
from tests.security_fixtures import actor, events, row_counts

LATER = DAY + timedelta(days=10)


def sim_fee(service: OrderService, **over: Any) -> int:
    """What a SIM replacement costs, as the engine prices it now (the order's own day)."""
    req = personal("sim_replacement", **over)
    if "business_date" not in over:
        del req["business_date"]  # the hall's business date now, from the clock
    ev = service.evaluate(parse_request(req))
    assert ev.decision == "accepted", ev.violations
    return sum(f.amount_fen for f in ev.fees if f.item == "sim_card_fee")


def test_the_engine_prices_by_the_tariff_of_the_business_date() -> None:
    """Pure: the configuration carries the dated changes; the business date picks one."""
    cfg = replace(load_hall_config(), tariff_changes=(
        TariffChange(LATER, 2, "sim_card_fee", 1300), TariffChange(LATER, 1, "sim_card_fee", 1200),
        TariffChange(DAY, 3, "relocation_fee", 6000)))

    def fee(day: date, item: str = "sim_card_fee") -> int:
        req = parse_request(personal("sim_replacement", business_date=day.isoformat()))
        ev = evaluate(req, get_catalog(), cfg, now=NOW)
        return sum(f.amount_fen for f in ev.fees if f.item == item)

    assert fee(DAY) == 1000 and fee(LATER - timedelta(days=1)) == 1000
    assert fee(LATER) == 1300  # two changes from one date: the later one (seq) wins
    assert cfg.as_of(DAY).tariff("relocation_fee") == 6000
    assert cfg.as_of(DAY - timedelta(days=1)).tariff("relocation_fee") == 5000
    assert cfg.as_of(DAY).as_of(LATER).tariff("sim_card_fee") == 1000  # resolved stays put


def test_show_lists_every_setting_with_where_it_comes_from(demo_db: Database) -> None:
    view = show_settings(demo_db, actor(demo_db, "M001"))
    assert view.today == DAY and view.can_change and view.can_change_tariff
    assert (view.value("idle_lock_minutes"), view.source("idle_lock_minutes")) == (5, "default")
    assert view.source("name") == "hall" and view.value("carrier") == "unicom"
    assert view.value("difference_tolerance_fen.cash") == 1000  # the shift close's default
    assert view.value("late_fee_rate_per_day") == "0.003"
    sim = next(t for t in view.tariffs if t.item == "sim_card_fee")
    assert (sim.amount_fen, sim.source, sim.scheduled) == (1000, "default", ())
    assert {"C01", "B01"} <= {c.code for c in view.counters}
    assert next(c for c in view.counters if c.code == "B01").batch
    # A supervisor may look, not change.
    look = show_settings(demo_db, actor(demo_db, "S001"))
    assert not look.can_change and not look.can_change_tariff


def test_a_change_is_checked_audited_and_in_force_at_once(demo_db: Database) -> None:
    db, manager = demo_db, actor(demo_db, "M001")
    service = OrderService(db)
    assert service.hall_config().idle_lock_minutes == 5  # cached before the change
    view = set_from_text(db, manager, "idle_lock_minutes", "3", reason="柜台在入口旁")
    assert (view.value("idle_lock_minutes"), view.source("idle_lock_minutes")) == (3, "hall")
    assert auth.load_policy(db).idle_lock_minutes == 3  # the lock screen's next read
    assert service.refresh_config().idle_lock_minutes == 3  # the order service's cache too
    assert service.hall_config().idle_lock_minutes == 3
    [event] = events(db, "hall.setting")
    assert (event.actor, event.target) == ("M001", "idle_lock_minutes")
    assert event.data == {"from": 5, "to": 3, "reason": "柜台在入口旁"}
    set_from_text(db, manager, "idle_lock_minutes", "3")  # no change: no event
    assert len(events(db, "hall.setting")) == 1
    # Several at once, typed values as the form sends them; a column of the hall row too.
    save(db, manager, HallChanges(settings={
        "star": 5, "timezone": "Asia/Urumqi", "suspend_barred_statuses": ["cancelled"],
        "own_hall": False, "difference_tolerance_fen.cash": 500,
        "difference_tolerance_fen.stock": 1, "late_fee_rate_per_day": "0.0050"}))
    view = show_settings(db, manager)
    assert view.value("star") == 5 and view.value("own_hall") is False
    assert view.value("late_fee_rate_per_day") == "0.005"
    assert view.value("suspend_barred_statuses") == ["cancelled"]
    with db.read() as s:
        hall = ensure_hall(s)
        assert hall.star == 5 and "star" not in hall.config
        tolerance = hall_tolerance(s, hall.id)  # what the shift close reads
    assert (tolerance.cash_fen, tolerance.stock) == (500, 1)
    assert service.refresh_config().timezone == "Asia/Urumqi"
    assert len(events(db, "hall.setting")) == 8


@pytest.mark.parametrize(("key", "value", "words"), [
    ("idle_lock_minutes", "0", "1 至 480"),
    ("idle_lock_minutes", "five", "整数"),
    ("star", "6", "1 至 5"),
    ("carrier", "acme", "unicom"),
    ("timezone", "Mars/Olympus", "时区"),
    ("timezone", "localtime", "时区"),
    ("late_fee_rate_per_day", "2", "0 至 1"),
    ("own_hall", "maybe", "true 或 false"),
    ("suspend_barred_statuses", "cancelled,sleeping", "只能包含"),
    ("difference_tolerance_fen.cash", "-5", "0 至"),
    ("code", "NEW01", "不能修改"),
    ("no_such_setting", "1", "没有这个设置项"),
    ("tariff.sim_card_fee", "-1", "不小于0"),
    ("tariff.sim_card_fee", "1.005", "两位小数"),
    ("tariff.no_such_fee", "1", "没有这个项目"),
    ("counter.C-9", "9号柜台", "柜台编码"),
    ("counter.B01", "改名", "批量"),
    ("counter.C09", "", "柜台名称"),
])
def test_invalid_values_are_refused_naming_the_key(demo_db: Database, key: str, value: str,
                                                   words: str) -> None:
    manager = actor(demo_db, "M001")
    before = row_counts(demo_db)
    with pytest.raises(SettingsError) as refused:
        set_from_text(demo_db, manager, key, value)
    assert key.split(".")[0] in refused.value.key and refused.value.key in str(refused.value)
    assert words in refused.value.message_zh and refused.value.message_en
    assert row_counts(demo_db) == before  # nothing written, not even an audit event


def test_a_clerk_is_refused_in_the_core_and_a_supervisor_may_only_look(
        demo_db: Database) -> None:
    db = demo_db
    clerk, supervisor = actor(db, "C001"), actor(db, "S001")
    with pytest.raises(PermissionDenied):
        show_settings(db, clerk)
    for who, key in ((clerk, "idle_lock_minutes"), (supervisor, "idle_lock_minutes"),
                     (supervisor, "tariff.sim_card_fee"), (supervisor, "counter.C07")):
        with pytest.raises(PermissionDenied):
            set_from_text(db, who, key, "30")
    refusals = events(db, "permission.denied")
    assert [(e.actor, e.target) for e in refusals] == [
        ("C001", "hall.settings"), ("C001", "hall.settings"), ("S001", "hall.settings"),
        ("S001", "tariff.admin"), ("S001", "hall.settings")]
    assert events(db, "hall.setting") == [] and events(db, "tariff.update") == []
    assert show_settings(db, supervisor).value("idle_lock_minutes") == 5


def test_a_tariff_change_from_a_later_date_prices_orders_from_that_date(
        demo_db: Database, clock: FixedClock) -> None:
    db, manager = demo_db, actor(demo_db, "M001")
    service = OrderService(db)
    assert sim_fee(service) == 1000
    view = set_from_text(db, manager, "tariff.sim_card_fee", "12.00", valid_from=LATER,
                         reason="2026年12月资费调整")
    sim = next(t for t in view.tariffs if t.item == "sim_card_fee")
    assert (sim.amount_fen, sim.scheduled) == (1000, ((LATER, 1200),))  # waits for its date
    assert sim_fee(service) == 1000  # today: still the old amount
    before = service.submit(Submission(parse_request(personal("sim_replacement"))),
                            batch_actor(db))
    clock.set(clock.now() + timedelta(days=9))
    assert sim_fee(service) == 1000  # the day before
    clock.set(clock.now() + timedelta(days=1))
    assert sim_fee(service) == 1200  # from its date on, without a restart
    # An order of a day before the change keeps the old amount, recorded or priced now.
    assert sim_fee(service, business_date=DAY.isoformat()) == 1000
    with db.read() as s:
        order = s.execute(select(ServiceOrder).where(
            ServiceOrder.order_no == before.order_no)).scalar_one()
        fees = s.execute(select(OrderFee.amount_fen).where(
            OrderFee.order_id == order.id, OrderFee.item == "sim_card_fee")).scalars().all()
    assert fees == [1000]
    [event] = events(db, "tariff.update")
    assert event.actor == "M001" and event.data == {
        "changes": {"sim_card_fee": {"from_fen": 1000, "to_fen": 1200}},
        "valid_from": LATER.isoformat(), "reason": "2026年12月资费调整"}


def test_the_tariff_history_is_kept_and_no_change_reaches_back(demo_db: Database) -> None:
    db, manager = demo_db, actor(demo_db, "M001")
    with pytest.raises(SettingsError, match="不能早于今天"):
        set_from_text(db, manager, "tariff.sim_card_fee", "8", valid_from=DAY - timedelta(1))
    set_from_text(db, manager, "tariff.sim_card_fee", "11", valid_from=DAY)
    set_from_text(db, manager, "tariff.sim_card_fee", "12", valid_from=LATER)
    set_from_text(db, manager, "tariff.sim_card_fee", "13", valid_from=LATER)  # replaces 12
    set_from_text(db, manager, "tariff.sim_card_fee", "11")  # in force already: not recorded
    view = show_settings(db, manager)
    assert [(h.valid_from, h.amount_fen, h.set_by) for h in view.history] == [
        (DAY, 1100, "M001"), (LATER, 1200, "M001"), (LATER, 1300, "M001")]
    sim = next(t for t in view.tariffs if t.item == "sim_card_fee")
    assert (sim.amount_fen, sim.source, sim.since, sim.scheduled) == (
        1100, "dated", DAY, ((LATER, 1200), (LATER, 1300)))
    with db.read() as s:
        cfg = current_config(s, ensure_hall(s))
    assert cfg.as_of(LATER - timedelta(1)).tariff("sim_card_fee") == 1100
    assert cfg.as_of(LATER).tariff("sim_card_fee") == 1300
    assert cfg.as_of(DAY - timedelta(1)).tariff("sim_card_fee") == 1000
    assert len(events(db, "tariff.update")) == 3


def test_counters_are_added_and_renamed(demo_db: Database) -> None:
    db, manager = demo_db, actor(demo_db, "M001")
    view = set_from_text(db, manager, "counter.c07", "7号柜台（VIP）")
    # Typed with a Chinese IME: full-width brackets are stored as plain ones (NFKC).
    assert ("C07", "7号柜台(VIP)", False) in {(c.code, c.name, c.batch) for c in view.counters}
    set_from_text(db, manager, "counter.C07", "7号柜台")
    assert [(e.target, e.data) for e in events(db, "hall.counter")] == [
        ("C07", {"name": "7号柜台(VIP)", "from": None}),
        ("C07", {"name": "7号柜台", "from": "7号柜台(VIP)"})]
    clerk = auth.login(db, "C001", "demo1234", "C07")  # a clerk can work there now
    assert clerk.counter_code == "C07"


def test_two_saves_at_once_keep_both_changes(demo_db: Database) -> None:
    """The hall row is locked for a save: neither writes the settings from a stale copy."""
    db, manager = demo_db, actor(demo_db, "M001")
    with db.read() as s:
        rev = ensure_hall(s).settings_rev
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def change(key: str, value: str) -> None:
        try:
            start.wait(10)
            set_from_text(db, manager, key, value)
        except BaseException as exc:  # reported below, on the test's thread
            failures.append(exc)

    threads = [threading.Thread(target=change, args=args) for args in
               (("lockout_minutes", "30"), ("complaint_answer_hours", "24"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not failures and not any(t.is_alive() for t in threads)
    view = show_settings(db, manager)
    assert (view.value("lockout_minutes"), view.value("complaint_answer_hours")) == (30, 24)
    with db.read() as s:
        assert ensure_hall(s).settings_rev == rev + 2
