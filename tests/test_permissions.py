"""Every permission allowed and refused in the core, each refusal audited.

`auth.require` is the one gate: first the whole role table through it, then each protected
action through the function that does it (a refused action writes nothing but the refusal).
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from app.core.request import parse_request
from app.models import Customer, ServiceOrder, Staff
from app.security import Permission, PermissionDenied, has_permission
from app.services.customers.pii_access import reveal, reveal_customer_id
from app.services.hall import settings as hall_settings
from app.services.hall.registry import batch_actor, ensure_hall
from app.services.hall.settings_keys import SettingsError
from app.services.orders.service import Submission
from app.services.orders.void import void_order
from app.services.staff import accounts as staff
from app.services.staff import auth
from app.services.staff.accounts import AdminError
from tests.builders import DAY, personal
from tests.security_fixtures import PASSWORD, actor, events, open_shift, row_counts, staff_row

STAFF = {"clerk": "C001", "supervisor": "S001", "manager": "M001", "admin": "A001"}


def test_require_follows_the_role_table_for_every_permission(demo_db):
    db = demo_db
    expected_refusals = []
    for role, staff_no in STAFF.items():
        who = actor(db, staff_no)
        for permission in Permission:
            if has_permission(role, permission):
                auth.require(db, who, permission)
                assert auth.allowed(db, who, permission)
            else:
                assert not auth.allowed(db, who, permission)
                with pytest.raises(PermissionDenied) as err:
                    auth.require(db, who, permission)
                assert err.value.message_zh.startswith("权限不足")
                expected_refusals.append((staff_no, str(permission)))
    refused = [(e.actor, e.target) for e in events(db, "permission.denied")]
    assert refused == expected_refusals
    assert len(refused) >= 15  # the table really separates duties
    # What a clerk may not do names who may: "作废订单需要值班长权限".
    with pytest.raises(PermissionDenied, match="作废订单需要值班长权限"):
        auth.require(db, actor(db, "C001"), Permission.ORDER_VOID)


def test_the_role_is_read_from_the_database_not_from_the_session(demo_db):
    db = demo_db
    supervisor = actor(db, "S001")
    auth.require(db, supervisor, Permission.ORDER_VOID)
    staff.change_role(db, actor(db, "A001"), "S001", "clerk")
    with pytest.raises(PermissionDenied):
        auth.require(db, supervisor, Permission.ORDER_VOID)  # the window's old Actor
    manager = actor(db, "M001")
    staff.deactivate(db, actor(db, "A001"), "M001", "调岗")
    with pytest.raises(PermissionDenied):
        auth.require(db, manager, Permission.ORDER_CREATE)
    # Someone pretending to be a supervisor in a made-up Actor gets nowhere either.
    with pytest.raises(PermissionDenied):
        auth.require(db, replace(actor(db, "C001"), role="manager"), Permission.STAFF_ADMIN)


# --------------------------------------------------------------------------- orders


def test_order_create_is_checked_when_an_order_is_submitted(demo_db, order_service):
    db = demo_db
    request = parse_request(personal("report_loss"))
    admin = actor(db, "A001")
    before = row_counts(db)
    with pytest.raises(PermissionDenied):
        order_service.submit(Submission(request), admin)
    after = row_counts(db)
    assert after.pop("audit_event") == before.pop("audit_event") + 1
    assert after == before  # no order, no intake entry, no customer
    [denied] = events(db, "permission.denied")
    assert (denied.actor, denied.target) == ("A001", "order.create")

    clerk = actor(db, "C001")
    open_shift(db, clerk)
    assert order_service.submit(Submission(request), clerk).order_no
    assert order_service.submit(Submission(request), batch_actor(db)).order_no  # batch = clerk


def test_void_is_for_supervisors(demo_db, order_service):
    db = demo_db
    result = order_service.submit(Submission(parse_request(personal("report_loss"))),
                                  batch_actor(db))
    with pytest.raises(PermissionDenied):
        void_order(db, actor(db, "C001"), result.order_no, "客户撤销")
    with db.read() as s:
        assert s.execute(select(ServiceOrder.status)).scalar() == "accepted"
    void_order(db, actor(db, "S001"), result.order_no, "客户撤销")
    with db.read() as s:
        assert s.execute(select(ServiceOrder.status)).scalar() == "voided"
    assert [e.actor for e in events(db, "order.void")] == ["S001"]
    assert [(e.actor, e.target) for e in events(db, "permission.denied")] == [
        ("C001", "order.void")]


# --------------------------------------------------------------------------- the hall's day


def test_shift_and_day_rights_are_checked_by_the_day_module(demo_db):
    day = pytest.importorskip("app.services.day.shifts")

    from app.services.day.counts import Counts
    from app.services.day.items import CHECKLIST_CODES
    from app.services.day.signoff import sign_off_day

    db = demo_db
    checks = {code: True for code in CHECKLIST_CODES}
    with pytest.raises(PermissionDenied):
        day.open_shift(db, actor(db, "A001"), checks, Counts())  # no business rights
    with pytest.raises(PermissionDenied):
        sign_off_day(db, actor(db, "C001"), DAY)
    refused = [(e.actor, e.target) for e in events(db, "permission.denied")]
    assert refused == [("A001", "shift.open"), ("C001", "day.signoff")]
    day.open_shift(db, actor(db, "C001"), checks, Counts())


# --------------------------------------------------------------------------- staff and tariff


def test_staff_administration_is_for_admins_and_managers(demo_db):
    db = demo_db
    for staff_no in ("C001", "S001"):
        with pytest.raises(PermissionDenied):
            staff.create_staff(db, actor(db, staff_no), "C009", "钱七", "clerk", "Start-pass-99")
        with pytest.raises(PermissionDenied):
            staff.reset_password(db, actor(db, staff_no), "C002", "Start-pass-99")
        with pytest.raises(PermissionDenied):
            staff.list_staff(db, actor(db, staff_no))
    with db.read() as s:
        assert s.execute(select(Staff).where(Staff.staff_no == "C009")).first() is None

    admin = actor(db, "A001")
    created = staff.create_staff(db, admin, " c009 ", "钱七", "clerk", "Start-pass-99")
    assert (created.staff_no, created.role, created.active) == ("C009", "clerk", True)
    assert auth.login(db, "C009", "Start-pass-99", "C03")
    assert staff_row(db, "C009").password_hash.startswith("$argon2id$")
    staff.change_role(db, actor(db, "M001"), "C009", "supervisor",  # two-person rule
                      second=staff.SecondPerson("S001", PASSWORD))
    staff.deactivate(db, admin, "C009", "试用期结束")
    assert [s.staff_no for s in staff.list_staff(db, admin)] == [
        "A001", "C001", "C002", "C009", "M001", "S001"]
    recorded = [(e.action, e.actor, e.target) for e in events(db)
                if e.action.startswith("staff.")]
    assert recorded == [("staff.create", "A001", "C009"), ("staff.role", "M001", "C009"),
                        ("staff.deactivate", "A001", "C009")]
    assert "Start-pass-99" not in repr([e.data for e in events(db)])


@pytest.mark.parametrize(("call", "message"), [
    (lambda db, a: staff.create_staff(db, a, "C001", "重复", "clerk", "Start-pass-99"), "已存在"),
    (lambda db, a: staff.create_staff(db, a, "C010", "新人", "boss", "Start-pass-99"), "角色无效"),
    (lambda db, a: staff.create_staff(db, a, "C010", "新人", "clerk", "short1"), "至少需要 8"),
    (lambda db, a: staff.create_staff(db, a, "C010", "新人", "clerk", "password123"), "过于常见"),
    (lambda db, a: staff.create_staff(db, a, "C010", "新人", "clerk", "xC010x-pass"), "工号"),
    (lambda db, a: staff.create_staff(db, a, "C'--", "新人", "clerk", "Start-pass-99"), "工号"),
    (lambda db, a: staff.create_staff(db, a, "C010", "\x00", "clerk", "Start-pass-99"), "姓名"),
    (lambda db, a: staff.change_role(db, a, "A001", "manager"), "自己的角色"),
    (lambda db, a: staff.deactivate(db, a, "A001", "离职"), "自己的账号"),
    (lambda db, a: staff.deactivate(db, a, "C001", " "), "原因"),
    (lambda db, a: staff.reset_password(db, a, "NOBODY", "Start-pass-99"), "没有工号"),
])
def test_staff_administration_refuses_bad_input_and_writes_nothing(demo_db, call, message):
    before = row_counts(demo_db)
    with pytest.raises(AdminError, match=message):
        call(demo_db, actor(demo_db, "A001"))
    assert row_counts(demo_db) == before


def test_a_password_reset_lifts_the_lockout(demo_db):
    from app.services.staff.auth import AuthError

    db = demo_db
    for _ in range(5):
        with pytest.raises(AuthError):
            auth.login(db, "C001", "wrong-password", "C01")
    staff.reset_password(db, actor(db, "A001"), "C001", "Fresh-start-2026")
    assert auth.login(db, "C001", "Fresh-start-2026", "C01")
    with pytest.raises(AuthError):
        auth.login(db, "C001", PASSWORD, "C01")
    staff.unlock_account(db, actor(db, "A001"), "C001")
    assert [e.action for e in events(db) if e.action.startswith("staff.")] == [
        "staff.password_reset", "staff.unlock"]


def test_anyone_changes_their_own_password_knowing_the_old_one(demo_db):
    from app.services.staff.auth import AuthError

    db = demo_db
    clerk = actor(db, "C002")
    with pytest.raises(AuthError, match="原密码错误"):
        staff.change_own_password(db, clerk, "not-it-at-all", "Brand-new-77")
    staff.change_own_password(db, clerk, PASSWORD, "Brand-new-77")
    assert auth.login(db, "C002", "Brand-new-77", "C02")
    assert [e.action for e in events(db, actor="C002")] == [
        "login.fail", "staff.password_change", "login.ok"]


def test_tariffs_are_for_tariff_admins_and_validated(demo_db):
    db = demo_db
    for staff_no in ("C001", "S001"):
        with pytest.raises(PermissionDenied):
            hall_settings.update_tariff(db, actor(db, staff_no), {"sim_card_fee": "12.00"})
    admin = actor(db, "A001")
    for bad, message in [({"sim_card_fee": "-1"}, "不小于0"), ({"sim_card_fee": "1.005"}, "两位小数"),
                         ({"sim_card_fee": "abc"}, "不是有效金额"), ({"sim_card_fee": None}, "金额"),
                         ({"sim_card_fee": "NaN"}, "不小于0"), ({"sim_card_fee": True}, "金额"),
                         ({"no_such_fee": "1"}, "没有这个项目"), ({}, "没有要修改")]:
        before = row_counts(db)
        with pytest.raises(SettingsError, match=message):
            hall_settings.update_tariff(db, admin, bad)
        assert row_counts(db) == before
    effective = hall_settings.update_tariff(db, admin, {"sim_card_fee": "12.50",
                                                        "relocation_fee": 60}, reason="2027 年资费")
    assert effective.tariff_fen["sim_card_fee"] == 1250
    with db.read() as s:
        stored = hall_settings.current_config(s, ensure_hall(s)).as_of(DAY)
    assert stored.tariff_fen["sim_card_fee"] == 1250
    assert stored.tariff_fen["relocation_fee"] == 6000
    assert stored.tariff_fen["roaming_prepayment"] == 50000  # the other items stay
    [change] = events(db, "tariff.update")
    assert change.actor == "A001"
    assert change.data["changes"]["sim_card_fee"] == {"from_fen": 1000, "to_fen": 1250}


# --------------------------------------------------------------------------- personal data


def test_full_id_numbers_only_for_pii_view_full_and_every_view_audited(demo_db):
    from app.services.customers.pii import default_personal_data

    db = demo_db
    with db.read() as s:
        cust = s.execute(select(Customer).where(Customer.kind == "personal")
                         .order_by(Customer.id)).scalars().first()
        group = s.execute(select(Customer).where(Customer.kind == "group")
                          .order_by(Customer.id)).scalars().first()
    clear = default_personal_data().decrypt(cust.id_enc, "customer.id")
    for staff_no in ("C001", "A001"):
        with pytest.raises(PermissionDenied):
            reveal_customer_id(db, actor(db, staff_no), cust.id, reason="核对")
    assert events(db, "pii.view") == []

    shown = reveal_customer_id(db, actor(db, "S001"), cust.id, reason="客户要求核对")
    assert shown == clear and len(shown) == 18
    unit = reveal_customer_id(db, actor(db, "M001"), group.id)
    assert len(unit) == 18 and unit != group.reg_masked
    address = reveal(db, actor(db, "S001"), "customer.address", cust.id)
    assert address.startswith("广州市天河区")

    views = events(db, "pii.view")
    assert [(e.actor, e.target, e.data["field"]) for e in views] == [
        ("S001", cust.uid, "customer.id"), ("M001", group.uid, "customer.reg"),
        ("S001", cust.uid, "customer.address")]
    assert views[0].data["masked"] == cust.id_masked
    assert views[0].data["reason"] == "客户要求核对"
    assert clear not in repr([e.data for e in events(db)])  # the value itself is never logged
    assert [(e.actor, e.target) for e in events(db, "permission.denied")] == [
        ("C001", "pii.view_full"), ("A001", "pii.view_full")]


def test_a_supervisor_can_authorize_a_clerk_to_view_once(demo_db):
    db = demo_db
    with db.read() as s:
        cust_id = s.execute(select(Customer.id).where(Customer.kind == "personal")).scalar()
    clerk = auth.authorize(db, actor(db, "C001"), "S001", PASSWORD, Permission.PII_VIEW_FULL,
                           "客户本人要求核对证件")
    assert len(reveal_customer_id(db, clerk, cust_id)) == 18
    [view] = events(db, "pii.view")
    assert (view.actor, view.authorized_by) == ("C001", "S001")
