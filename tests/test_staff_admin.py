"""Staff administration in the core, on SQLite and PostgreSQL: who may do it, the two-person
rule for rights beyond a clerk's, the password an administrator set that must be changed
before anything else, lockout and unlock, and every change in the audit log (never a
password)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from app.security import Permission, PermissionDenied
from app.services.hall.first_run import FirstRun, run_first_setup
from app.services.staff import accounts as staff
from app.services.staff import auth
from app.services.staff.accounts import AdminError, SecondPerson, SecondPersonRequired
from app.services.staff.auth import AuthError, PasswordChangeRequired
from tests.security_fixtures import PASSWORD, actor, events, open_shift, row_counts, staff_row

NEW = "Start-pass-99"  # a first password an administrator gives
OWN = "Chosen-by-me-42"  # the password its owner chooses


def staff_events(db):  # type: ignore[no-untyped-def]
    return [(e.action, e.actor, e.target, e.authorized_by) for e in events(db)
            if e.action.startswith("staff.")]


def test_a_clerk_and_a_supervisor_are_refused_every_administration_in_the_core(demo_db):
    db = demo_db
    calls = {
        "list": lambda a: staff.list_staff(db, a),
        "create": lambda a: staff.create_staff(db, a, "C009", "钱七", "clerk", NEW),
        "reset": lambda a: staff.reset_password(db, a, "C002", NEW),
        "unlock": lambda a: staff.unlock_account(db, a, "C002"),
        "deactivate": lambda a: staff.deactivate(db, a, "C002", "离职"),
        "reactivate": lambda a: staff.reactivate(db, a, "C002", NEW),
        "role": lambda a: staff.change_role(db, a, "C002", "clerk"),
    }
    before = row_counts(db)
    for who in ("C001", "S001"):
        for call in calls.values():
            with pytest.raises(PermissionDenied, match="权限不足：管理员工账号"):
                call(actor(db, who))
    refused = [(e.actor, e.target) for e in events(db, "permission.denied")]
    assert refused == [(who, "staff.admin") for who in ("C001", "S001") for _ in calls]
    after = row_counts(db)
    assert after.pop("audit_event") == before.pop("audit_event") + len(refused)
    assert after == before  # nothing but the refusals was written


def test_making_someone_a_supervisor_needs_a_second_supervisor(demo_db):
    db = demo_db
    manager = actor(db, "M001")
    before = row_counts(db)
    with pytest.raises(SecondPersonRequired, match="两人规则"):
        staff.change_role(db, manager, "C001", "supervisor")
    with pytest.raises(AdminError, match="本人"):
        staff.change_role(db, manager, "C001", "supervisor", second=SecondPerson("m001", PASSWORD))
    with pytest.raises(AdminError, match="本人确认"):
        staff.change_role(db, manager, "C001", "supervisor", second=SecondPerson("C001", PASSWORD))
    assert row_counts(db) == before  # bad input: nothing written, not even a log-in attempt
    assert staff_row(db, "C001").role == "clerk"

    # A clerk cannot confirm, and a wrong password is a failed log-in that counts.
    with pytest.raises(PermissionDenied):
        staff.change_role(db, manager, "C001", "supervisor", second=SecondPerson("C002", PASSWORD))
    with pytest.raises(AuthError, match="工号或密码错误"):
        staff.change_role(db, manager, "C001", "supervisor", second=SecondPerson("S001", "nope"))
    assert staff_row(db, "C001").role == "clerk"
    assert staff_row(db, "S001").failed_logins == 1
    [denied] = events(db, "permission.denied")
    assert (denied.actor, denied.target, denied.data["purpose"]) == (
        "C002", "exception.authorize", "two_person")
    [failed] = events(db, "login.fail")
    assert (failed.actor, failed.data["purpose"]) == ("S001", "two_person")

    info = staff.change_role(db, manager, "C001", "supervisor",
                             second=SecondPerson(" s001 ", PASSWORD))
    assert info.role == "supervisor"
    assert auth.allowed(db, actor(db, "C001"), Permission.ORDER_VOID)
    [changed] = events(db, "staff.role")
    assert (changed.actor, changed.target, changed.authorized_by) == ("M001", "C001", "S001")
    assert changed.data == {"from": "clerk", "to": "supervisor", "confirmed_by": "S001",
                            "rows": changed.data["rows"]}

    # Taking rights away is one person's decision; so is a role a clerk's rights cover.
    staff.change_role(db, manager, "C001", "clerk")
    staff.change_role(db, manager, "A001", "clerk")  # an administrator given a clerk's work
    assert staff_row(db, "A001").role == "clerk"


@pytest.mark.parametrize("call", [
    lambda db, a, second: staff.create_staff(db, a, "S009", "周九", "supervisor", NEW,
                                             second=second),
    lambda db, a, second: staff.create_staff(db, a, "A009", "系统管理员2", "admin", NEW,
                                             second=second),
    lambda db, a, second: staff.reset_password(db, a, "S001", NEW, second=second),
    lambda db, a, second: staff.change_role(db, a, "S001", "manager", second=second),
], ids=["create-supervisor", "create-admin", "reset-supervisor", "supervisor-to-manager"])
def test_every_way_to_a_supervisors_rights_needs_the_second_person(demo_db, call):
    db = demo_db
    admin = actor(db, "A001")
    before = row_counts(db)
    with pytest.raises(SecondPersonRequired):
        call(db, admin, None)
    assert row_counts(db) == before
    call(db, admin, SecondPerson("M001", PASSWORD))
    [(_action, who, _target, by)] = staff_events(db)
    assert (who, by) == ("A001", "M001")


def test_reactivating_a_supervisor_needs_the_second_person_a_clerk_does_not(demo_db):
    db = demo_db
    admin = actor(db, "A001")
    staff.deactivate(db, admin, "S001", "调岗")
    staff.deactivate(db, admin, "C002", "离职")
    staff.reactivate(db, admin, "C002", NEW)
    with pytest.raises(SecondPersonRequired):
        staff.reactivate(db, admin, "S001", NEW)
    assert not staff_row(db, "S001").active
    staff.reactivate(db, admin, "S001", NEW, second=SecondPerson("M001", PASSWORD))
    assert staff_row(db, "S001").active and staff_row(db, "S001").must_change_password
    assert [e[0] for e in staff_events(db)] == [
        "staff.deactivate", "staff.deactivate", "staff.reactivate", "staff.reactivate"]


def test_with_nobody_else_to_confirm_one_administrator_may_and_it_is_on_record(db):
    run_first_setup(db, FirstRun("新厅", "NEW01", "telecom", "C01", "M900", "王经理",
                                 "Manager-pass-2026"))
    manager = actor(db, "M900")
    staff.create_staff(db, manager, "C101", "李一", "clerk", NEW)
    first = staff.create_staff(db, manager, "S101", "张二", "supervisor", NEW)
    assert first.role == "supervisor" and first.must_change_password
    [made] = [e for e in events(db, "staff.create") if e.target == "S101"]
    assert made.authorized_by is None
    assert (made.data["confirmed_by"], made.data["no_second_supervisor"]) == (None, True)
    # Now there is someone: the next supervisor needs them, once they chose their password.
    with pytest.raises(SecondPersonRequired):
        staff.create_staff(db, manager, "S102", "赵三", "supervisor", NEW)
    with pytest.raises(AuthError, match="须先修改自己的密码"):
        staff.create_staff(db, manager, "S102", "赵三", "supervisor", NEW,
                           second=SecondPerson("S101", NEW))
    staff.change_own_password(db, auth.login(db, "S101", NEW, "C01"), NEW, OWN)
    staff.create_staff(db, manager, "S102", "赵三", "supervisor", NEW,
                       second=SecondPerson("S101", OWN))
    [second] = [e for e in events(db, "staff.create") if e.target == "S102"]
    assert (second.authorized_by, second.data["confirmed_by"]) == ("S101", "S101")
    assert "no_second_supervisor" not in second.data
    # A supervisor who left takes their confirming right with them.
    staff.deactivate(db, manager, "S101", "离职")
    staff.deactivate(db, manager, "S102", "调往他厅")
    staff.change_role(db, manager, "C101", "supervisor")
    assert events(db, "staff.role")[-1].data["no_second_supervisor"] is True


def test_a_confirming_supervisor_must_have_chosen_their_own_password(demo_db):
    db = demo_db
    admin = actor(db, "A001")
    staff.reset_password(db, admin, "S001", NEW, second=SecondPerson("M001", PASSWORD))
    with pytest.raises(AuthError, match="须先修改自己的密码"):
        staff.change_role(db, admin, "C001", "supervisor", second=SecondPerson("S001", NEW))
    assert staff_row(db, "C001").role == "clerk"
    refusal = events(db, "permission.denied")[-1]
    assert (refusal.actor, refusal.data["reason"]) == ("S001", "password_change_required")
    # Nor may they authorize an exception at a clerk's counter meanwhile.
    with pytest.raises(AuthError, match="须先修改自己的密码"):
        auth.authorize(db, actor(db, "C001"), "S001", NEW, Permission.ORDER_VOID, "作废")


def test_a_password_set_by_an_administrator_must_be_changed_before_anything_else(demo_db):
    db = demo_db
    admin = actor(db, "A001")
    created = staff.create_staff(db, admin, "C009", "钱七", "clerk", NEW)
    assert created.must_change_password
    clerk = auth.login(db, "C009", NEW, "C03")  # the log-in is accepted ...
    assert auth.password_change_pending(db, clerk)
    [ok] = events(db, "login.ok", actor="C009")
    assert ok.data == {"must_change_password": True}
    for permission in (Permission.SHIFT_OPEN, Permission.ORDER_CREATE):
        assert not auth.allowed(db, clerk, permission)
        with pytest.raises(PasswordChangeRequired, match="请先修改密码"):
            auth.require(db, clerk, permission)  # ... but every service refuses
    with pytest.raises(PasswordChangeRequired):
        open_shift(db, clerk)
    refused = [e for e in events(db, "permission.denied") if e.actor == "C009"]
    assert {e.data["reason"] for e in refused} == {"password_change_required"}
    assert len(refused) == 3

    with pytest.raises(AdminError, match="不能与旧密码相同"):
        staff.change_own_password(db, clerk, NEW, NEW)
    staff.change_own_password(db, clerk, NEW, OWN)
    assert not auth.password_change_pending(db, clerk)
    open_shift(db, clerk)  # the same session goes on
    [changed] = events(db, "staff.password_change")
    assert (changed.actor, changed.data["forced"]) == ("C009", True)

    # A reset sets it again, and lifts a lockout; one's own password is changed, not reset.
    staff.reset_password(db, admin, "C009", NEW)
    assert staff_row(db, "C009").must_change_password
    with pytest.raises(AdminError, match="不能重置自己的密码"):
        staff.reset_password(db, admin, "A001", NEW)
    with pytest.raises(AuthError):
        auth.login(db, "C009", OWN, "C03")


def test_lockout_shows_in_the_list_and_an_administrator_unlocks(demo_db, clock):
    db = demo_db
    for _ in range(5):
        with pytest.raises(AuthError):
            auth.login(db, "C002", "wrong-password-1", "C02")
    with pytest.raises(AuthError, match="账户已锁定"):
        auth.login(db, "C002", PASSWORD, "C02")
    admin = actor(db, "A001")
    now = clock.now()
    listed = {i.staff_no: i for i in staff.list_staff(db, admin)}
    assert listed["C002"].locked(now) and not listed["C001"].locked(now)
    assert not listed["C002"].locked(now + timedelta(minutes=16))  # 15 minutes by default
    assert (listed["A001"].role, listed["A001"].active, listed["A001"].must_change_password) \
        == ("admin", True, False)
    unlocked = staff.unlock_account(db, admin, "c002")
    assert not unlocked.locked(now)
    assert auth.login(db, "C002", PASSWORD, "C02")
    assert ("staff.unlock", "A001", "C002", None) in staff_events(db)
    assert [e.target for e in events(db, "account.lock")] == ["C002"]


def test_every_change_is_audited_and_no_password_is_ever_recorded(demo_db):
    db = demo_db
    admin, manager = actor(db, "A001"), actor(db, "M001")
    staff.create_staff(db, admin, "C009", "钱七", "clerk", NEW)
    staff.reset_password(db, admin, "C001", "Reset-pass-31")
    staff.unlock_account(db, admin, "C001")
    staff.change_role(db, admin, "C009", "supervisor", second=SecondPerson("S001", PASSWORD))
    staff.deactivate(db, manager, "C009", "试用期结束")
    staff.reactivate(db, admin, "C009", "Again-pass-77", second=SecondPerson("S001", PASSWORD))
    clerk = auth.login(db, "C001", "Reset-pass-31", "C01")
    staff.change_own_password(db, clerk, "Reset-pass-31", OWN)
    assert staff_events(db) == [
        ("staff.create", "A001", "C009", None),
        ("staff.password_reset", "A001", "C001", None),
        ("staff.unlock", "A001", "C001", None),
        ("staff.role", "A001", "C009", "S001"),
        ("staff.deactivate", "M001", "C009", None),
        ("staff.reactivate", "A001", "C009", "S001"),
        ("staff.password_change", "C001", "C001", None),
    ]
    everything = json.dumps([(e.actor, e.target, e.data) for e in events(db)],
                            ensure_ascii=False)
    for secret in (NEW, "Reset-pass-31", "Again-pass-77", OWN, PASSWORD):
        assert secret not in everything
