"""Log-in lockout, the idle lock, and supervisor authorization (core, no Qt)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.clock import FixedClock
from app.models import ServiceOrder
from app.security import Permission, PermissionDenied
from app.services.staff import auth
from app.services.staff.auth import AuthError
from app.services.staff.session_lock import IdleLockPolicy, SessionLock
from tests.builders import personal
from tests.security_fixtures import (
    PASSWORD,
    T0,
    actor,
    events,
    open_shift,
    set_hall_config,
    staff_row,
)

# --------------------------------------------------------------------------- lockout


def test_five_failures_lock_the_account_for_fifteen_minutes(demo_db):
    db = demo_db
    for attempt in range(1, 5):
        with pytest.raises(AuthError) as err:
            auth.login(db, "C001", "wrong-password", "C01", now=T0)
        assert "工号或密码错误" in err.value.zh
        assert staff_row(db, "C001").failed_logins == attempt  # committed, not rolled back
    with pytest.raises(AuthError, match="工号或密码错误"):  # the lock is told only after
        auth.login(db, "C001", "wrong-password", "C01", now=T0)  # the right password
    assert staff_row(db, "C001").locked_until == T0 + timedelta(minutes=15)

    # Even the right password is refused while locked.
    with pytest.raises(AuthError, match="账户已锁定"):
        auth.login(db, "C001", PASSWORD, "C01", now=T0 + timedelta(minutes=14, seconds=59))

    fails = events(db, "login.fail", actor="C001")
    assert [e.data["failed"] for e in fails] == [1, 2, 3, 4, 5]
    assert fails[-1].data["locked_minutes"] == 15
    assert len(events(db, "account.lock", target="C001")) == 1
    assert len(events(db, "login.locked", actor="C001")) == 1
    assert events(db, "login.ok") == []


def test_the_lock_lifts_after_its_time(demo_db):
    db = demo_db
    for _ in range(5):
        with pytest.raises(AuthError):
            auth.login(db, "C002", "nope-nope-1", "C02", now=T0)
    later = T0 + timedelta(minutes=15, seconds=1)
    who = auth.login(db, "C002", PASSWORD, "C02", now=later)
    assert (who.staff_no, who.role, who.counter_code) == ("C002", "clerk", "C02")
    row = staff_row(db, "C002")
    assert row.locked_until is None and row.failed_logins == 0
    ok = events(db, "login.ok", actor="C002")
    assert len(ok) == 1 and ok[0].at == later


def test_a_success_resets_the_count(demo_db):
    db = demo_db
    for _ in range(4):
        with pytest.raises(AuthError):
            auth.login(db, "C001", "wrong-password", "C01", now=T0)
    auth.login(db, "C001", PASSWORD, "C01", now=T0)
    assert staff_row(db, "C001").failed_logins == 0
    with pytest.raises(AuthError, match="工号或密码错误"):
        auth.login(db, "C001", "wrong-password", "C01", now=T0)
    assert staff_row(db, "C001").failed_logins == 1


def test_lockout_follows_the_hall_settings(demo_db):
    db = demo_db
    set_hall_config(db, max_failed_logins=3, lockout_minutes=2)
    for _ in range(2):
        with pytest.raises(AuthError):
            auth.login(db, "C001", "wrong-password", "C01", now=T0)
    with pytest.raises(AuthError, match="工号或密码错误"):
        auth.login(db, "C001", "wrong-password", "C01", now=T0)
    assert staff_row(db, "C001").locked_until == T0 + timedelta(minutes=2)
    with pytest.raises(AuthError, match="账户已锁定"):
        auth.login(db, "C001", PASSWORD, "C01", now=T0 + timedelta(minutes=1))
    assert auth.login(db, "C001", PASSWORD, "C01", now=T0 + timedelta(minutes=2, seconds=1))


@pytest.mark.parametrize("value", ["5", 0, -1, 10_000, True, None, 2.5])
def test_a_bad_security_setting_is_refused_not_ignored(demo_db, value):
    from app.core.config import ConfigError

    set_hall_config(demo_db, max_failed_logins=value)
    with pytest.raises(ConfigError, match=r"hall\.config: max_failed_logins: must be a whole"):
        auth.login(demo_db, "C001", PASSWORD, "C01", now=T0)


def test_unknown_and_inactive_staff_get_the_same_answer_and_are_recorded(demo_db):
    db = demo_db
    with pytest.raises(AuthError) as unknown:
        auth.login(db, "X999", PASSWORD, "C01", now=T0)
    from app.services.staff import accounts as staff

    staff.deactivate(db, actor(db, "A001"), "C002", "离职")
    with pytest.raises(AuthError) as inactive:
        auth.login(db, "C002", PASSWORD, "C01", now=T0)
    assert unknown.value.zh == inactive.value.zh == "工号或密码错误"
    reasons = [(e.actor, e.data["reason"]) for e in events(db, "login.fail")]
    assert reasons == [("X9**", "unknown"), ("C002", "inactive")]


def test_staff_numbers_typed_with_an_ime_still_match(demo_db):
    who = auth.login(demo_db, " ｃ００１ ", PASSWORD, "c01", now=T0)
    assert (who.staff_no, who.counter_code) == ("C001", "C01")


def test_the_batch_channel_and_bad_counter_codes_are_no_login(demo_db):
    with pytest.raises(AuthError, match="批量通道"):
        auth.login(demo_db, "C001", PASSWORD, "B01", now=T0)
    with pytest.raises(AuthError, match="柜台编号无效"):
        auth.login(demo_db, "C001", PASSWORD, "C01; DROP TABLE staff", now=T0)


def test_a_password_is_never_recorded_not_even_in_the_staff_number_field(demo_db):
    with pytest.raises(AuthError):
        auth.login(demo_db, "C001", "Pw-Typo-Zq42", "C01", now=T0)
    with pytest.raises(AuthError):  # the password typed into the staff number field
        auth.login(demo_db, "Qx-Secret-91", "", "C01", now=T0)
    recorded = [(e.actor, e.target, e.data) for e in events(demo_db, "login.fail")]
    assert recorded == [("C001", "", {"failed": 1, "purpose": "login"}),
                        ("QX**********", "", {"reason": "unknown", "purpose": "login"})]


# --------------------------------------------------------------------------- idle lock


def test_idle_policy_defaults_to_five_minutes_and_follows_the_hall(demo_db):
    assert IdleLockPolicy.for_database(demo_db).idle_minutes == 5
    policy = IdleLockPolicy(5)
    assert policy.timeout_ms == 300_000
    assert not policy.due(T0, T0 + timedelta(minutes=4, seconds=59))
    assert policy.due(T0, T0 + timedelta(minutes=5))
    set_hall_config(demo_db, idle_lock_minutes=3)
    assert IdleLockPolicy.for_database(demo_db).idle_minutes == 3


def test_idle_session_locks_and_only_the_same_clerk_unlocks(demo_db, clock):
    db = demo_db  # its clock is the test's: the lock reads the database's clock
    clerk = actor(db, "C001")
    # Another clerk with a password of their own must not open C001's screen.
    from app.services.staff import accounts as staff

    staff.reset_password(db, actor(db, "A001"), "C002", "Other-clerk-77")
    lock = SessionLock(db, clerk)

    clock.advance(minutes=4)
    lock.touch()  # input resets the idle time
    clock.advance(minutes=4, seconds=59)
    assert not lock.check_idle()
    clock.advance(seconds=1)
    assert lock.check_idle() and lock.locked
    assert lock.check_idle()  # stays locked; one lock event only
    [locked] = events(db, "session.lock")
    assert (locked.actor, locked.data["reason"], locked.data["idle_minutes"]) == (
        "C001", "idle", 5)

    with pytest.raises(AuthError):
        lock.unlock("Other-clerk-77")
    assert lock.locked
    result = lock.unlock(PASSWORD)
    assert not lock.locked and result.staff_no == "C001" and not result.by_supervisor
    [unlocked] = events(db, "session.unlock")
    assert unlocked.actor == "C001" and unlocked.authorized_by is None
    fails = events(db, "login.fail", actor="C001")
    assert [e.data["purpose"] for e in fails] == ["unlock"]


def test_guessing_at_a_locked_screen_locks_the_account(demo_db):
    db = demo_db
    clock = FixedClock(T0)  # a clock of its own, handed to the lock
    lock = SessionLock(db, actor(db, "C001"), clock=clock)
    lock.lock("manual")
    for _ in range(5):
        with pytest.raises(AuthError):
            lock.unlock("guess-guess-1")
    with pytest.raises(AuthError, match="账户已锁定"):
        lock.unlock(PASSWORD)
    assert lock.locked
    clock.advance(minutes=15, seconds=1)
    lock.unlock(PASSWORD)
    assert not lock.locked


def test_a_supervisor_unlocks_and_the_record_shows_both(demo_db):
    db = demo_db
    lock = SessionLock(db, actor(db, "C001"), clock=FixedClock(T0))
    lock.lock("manual")
    with pytest.raises(PermissionDenied):
        lock.unlock_by_supervisor("C002", PASSWORD)  # a clerk is no supervisor
    assert lock.locked
    denied = events(db, "permission.denied")
    assert [(e.actor, e.target) for e in denied] == [("C002", "exception.authorize")]
    result = lock.unlock_by_supervisor("S001", PASSWORD)
    assert result.by_supervisor and result.staff_no == "S001" and not lock.locked
    [unlocked] = events(db, "session.unlock")
    assert (unlocked.actor, unlocked.authorized_by) == ("C001", "S001")


# --------------------------------------------------------------------------- authorization


@pytest.fixture
def counter_with_order(demo_db, order_service):
    """C001 at C01 with an open shift and one accepted order of theirs."""
    from app.core.request import parse_request
    from app.services.orders.service import Submission

    clerk = actor(demo_db, "C001")
    open_shift(demo_db, clerk)
    result = order_service.submit(Submission(parse_request(personal("report_loss"))), clerk)
    assert result.order_no
    return clerk, result.order_no


def test_supervisor_authorization_shows_both_people(demo_db, order_service,
                                                    counter_with_order):
    from app.core.request import parse_request
    from app.services.orders.service import Submission
    from app.services.orders.void import void_order

    db = demo_db
    clerk, order_no = counter_with_order
    with pytest.raises(PermissionDenied):
        void_order(db, clerk, order_no, "客户撤销")
    authorized = auth.authorize(db, clerk, "S001", PASSWORD, Permission.ORDER_VOID, "客户撤销申请")
    assert (authorized.staff_no, authorized.authorized_by) == ("C001", "S001")
    void_order(db, authorized, order_no, "客户撤销")

    [grant] = events(db, "exception.authorize")
    assert (grant.actor, grant.authorized_by, grant.target, grant.counter) == (
        "C001", "S001", "order.void", "C01")
    assert grant.data["reason"] == "客户撤销申请"
    [void] = events(db, "order.void")
    assert (void.actor, void.authorized_by, void.target) == ("C001", "S001", order_no)

    # An order submitted under the authorization names the supervisor on the order itself.
    req = parse_request(personal("report_loss", line={"number": "13012340009"}))
    result = order_service.submit(Submission(req), authorized)
    supervisor_id = staff_row(db, "S001").id
    with db.read() as s:
        order = s.execute(select(ServiceOrder).where(ServiceOrder.order_no == result.order_no)
                          ).scalar_one()
        assert (order.staff_id, order.authorized_by) == (clerk.staff_id, supervisor_id)
    [accept] = events(db, "order.accept", target=result.order_no)
    assert (accept.actor, accept.authorized_by) == ("C001", "S001")


def test_an_authorization_covers_one_permission_for_a_while(demo_db):
    db = demo_db
    clerk = actor(db, "C001")
    authorized = auth.authorize(db, clerk, "S001", PASSWORD, Permission.ORDER_VOID,
                                "作废", now=T0)
    auth.require(db, authorized, Permission.ORDER_VOID, now=T0 + timedelta(minutes=9))
    with pytest.raises(PermissionDenied):  # another right is not covered
        auth.require(db, authorized, Permission.EXPORT_UNMASKED, now=T0)
    with pytest.raises(PermissionDenied):  # it expires (default 10 minutes)
        auth.require(db, authorized, Permission.ORDER_VOID, now=T0 + timedelta(minutes=11))
    with pytest.raises(PermissionDenied):  # it belongs to that counter
        auth.require(db, replace(authorized, counter_code="C02"), Permission.ORDER_VOID,
                     now=T0)
    set_hall_config(db, authorization_minutes=30)  # the hall may allow longer
    auth.require(db, authorized, Permission.ORDER_VOID, now=T0 + timedelta(minutes=29))
    refused = events(db, "permission.denied", actor="C001")
    assert [(e.target, e.authorized_by) for e in refused] == [
        ("export.unmasked", "S001"), ("order.void", "S001"), ("order.void", "S001")]


def test_a_made_up_authorization_is_refused(demo_db):
    forged = replace(actor(demo_db, "C001"), authorized_by="S001")
    with pytest.raises(PermissionDenied):
        auth.require(demo_db, forged, Permission.ORDER_VOID)


def test_an_authorization_ends_with_the_supervisors_role(demo_db):
    from app.services.staff import accounts as staff

    db = demo_db
    authorized = auth.authorize(db, actor(db, "C001"), "S001", PASSWORD,
                                Permission.ORDER_VOID, "作废")
    staff.change_role(db, actor(db, "A001"), "S001", "clerk")
    with pytest.raises(PermissionDenied):
        auth.require(db, authorized, Permission.ORDER_VOID)


@pytest.mark.parametrize(("who", "permission", "missing"), [
    ("C002", Permission.ORDER_VOID, "exception.authorize"),  # a clerk authorizes nothing
    ("A001", Permission.ORDER_VOID, "exception.authorize"),  # the admin has no business rights
    ("S001", Permission.STAFF_ADMIN, "staff.admin"),  # nor the supervisor set-up rights
])
def test_only_a_holder_of_the_right_may_authorize(demo_db, who, permission, missing):
    with pytest.raises(PermissionDenied):
        auth.authorize(demo_db, actor(demo_db, "C001"), who, PASSWORD, permission, "原因")
    [denied] = events(demo_db, "permission.denied")
    assert (denied.actor, denied.target) == (who, missing)
    assert events(demo_db, "exception.authorize") == []


def test_authorization_needs_a_reason_another_person_and_the_right_password(demo_db):
    db = demo_db
    supervisor = actor(db, "S001")
    with pytest.raises(AuthError, match="原因"):
        auth.authorize(db, actor(db, "C001"), "S001", PASSWORD, Permission.ORDER_VOID, "  ")
    with pytest.raises(AuthError, match="不能为自己授权"):
        auth.authorize(db, supervisor, "s001", PASSWORD, Permission.ORDER_VOID, "原因")
    with pytest.raises(AuthError, match="工号或密码错误"):
        auth.authorize(db, actor(db, "C001"), "S001", "not-the-password", Permission.ORDER_VOID,
                       "原因")
    assert staff_row(db, "S001").failed_logins == 1  # counts toward the supervisor's lockout
    [fail] = events(db, "login.fail")
    assert (fail.actor, fail.counter, fail.data["purpose"]) == ("S001", "C01", "authorize")
