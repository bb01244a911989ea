"""`counter demo`: a demo hall to try every rule by hand.

A supervisor, two clerks, a manager and an administrator; about 200 personal and group
customers with lines in every state of domain.md section 3. ID numbers are made with valid
check digits and stored encrypted like any other.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from app.clock import business_date
from app.core.validators import resident_id_check_char, uscc_check_char
from app.db import Database
from app.models import Customer, KeyPerson, Line, Staff
from app.models.base import new_uid
from app.security import hash_password
from app.services.audit import events as audit
from app.services.customers.pii import PersonalData, default_personal_data
from app.services.hall.registry import BATCH_COUNTER, ensure_counter, ensure_hall, hall_config

DEMO_PASSWORD = "demo1234"
STAFF = (  # staff number, name, role
    ("S001", "王丽", "supervisor"),
    ("C001", "李明", "clerk"),
    ("C002", "赵敏", "clerk"),
    ("M001", "孙强", "manager"),
    ("A001", "系统管理员", "admin"),
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉鹏宇浩然晨阳欣怡子涵思远嘉琪俊杰梓萱一诺"
UNITS = ("示例物流有限公司", "城东建筑工程有限公司", "新华书店连锁有限公司", "滨江区第一中学",
         "市人民医院", "远航科技有限公司", "金桥商贸有限公司", "绿源农业合作社",
         "安顺出租汽车有限公司", "天河软件股份有限公司")
REGIONS = ("440106", "110105", "310104", "320102", "330106", "510107", "420106", "370102")


@dataclass
class DemoSummary:
    staff: int
    customers: int
    lines: int


def make_resident_id(rng: random.Random, born: date) -> str:
    body = f"{rng.choice(REGIONS)}{born:%Y%m%d}{rng.randint(0, 999):03d}"
    return body + resident_id_check_char(body)


def make_uscc(rng: random.Random) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91" + rng.choice(REGIONS) + "".join(rng.choice(alphabet) for _ in range(9))
    return body + uscc_check_char(body)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


# Every state of section 3 appears; the rest are ordinary active lines.
LINE_SCENARIOS: tuple[dict[str, object], ...] = (
    {"status": "active"},
    {"status": "arrears_stop", "arrears_fen": 5800},
    {"status": "active", "arrears_fen": 12350},
    {"status": "suspended_keep_number"},
    {"status": "loss_reported", "status_before_loss": "active"},
    {"status": "single_stop", "realname": "incomplete"},
    {"status": "double_stop", "realname": "temp_account"},
    {"status": "active", "realname": "owner_mismatch"},
    {"status": "cancelled"},
    {"status": "active", "contract_end": 400},
    {"status": "active", "nice_number_until": 200},
    {"status": "active", "subsidy_until": 150},
    {"status": "active", "campaign_until": 90},
    {"status": "active", "relocated_keep_number": "new", "kind": "fixed"},
    {"status": "active", "relocated_keep_number": "old", "kind": "fixed"},
    {"payment": "prepaid", "prepaid_phase": "unactivated"},
    {"payment": "prepaid", "prepaid_phase": "valid", "balance_fen": 3550},
    {"payment": "prepaid", "prepaid_phase": "recharge"},
    {"payment": "prepaid", "prepaid_phase": "locked"},
    {"payment": "prepaid", "prepaid_phase": "locked", "lock_expired": True},
    {"status": "active", "blacklisted": True},
    {"status": "active", "vip": True, "points": 25000},
    {"status": "active", "collection_exempt": True},
    {"status": "active", "roaming_open": True, "roaming_prepayment_fen": 50000},
)


def fill_demo(db: Database, *, customers: int = 200, seed: int = 20261122,
              personal_data: PersonalData | None = None,
              today: date | None = None, password_hash: str | None = None) -> DemoSummary:
    """Fill an empty database; refuses one that already has customers. Dates (birthdays,
    contract ends) count from `today`, by default the hall's business date by `db.clock`.
    `password_hash`: the demo staff's hash of `DEMO_PASSWORD` when the caller has one already
    (the bench generator writes a fixed one: the demo password is public)."""
    pd = personal_data or default_personal_data()
    rng = random.Random(seed)
    password_hash = password_hash or hash_password(DEMO_PASSWORD)
    with db.session() as s:
        if s.execute(select(func.count()).select_from(Customer)).scalar():
            from app.services.orders.service import OrderError

            raise OrderError("数据库中已有客户，示例数据只能装入空数据库",
                             "the database already has customers: demo data needs an empty one")
        hall = ensure_hall(s)
        today = today or business_date(db.clock, hall_config(hall).timezone)
        for code in ("C01", "C02", "C03"):
            ensure_counter(s, hall, code)
        ensure_counter(s, hall, BATCH_COUNTER, batch=True)
        existing = set(s.execute(select(Staff.staff_no)).scalars())
        for staff_no, name, role in STAFF:
            if staff_no not in existing:
                s.add(Staff(uid=new_uid(), hall_id=hall.id, staff_no=staff_no, name=name,
                            role=role, password_hash=password_hash))
        lines = 0
        for i in range(customers):
            group = i % 5 == 4
            cust = Customer(uid=new_uid(), kind="group" if group else "personal", origin="demo")
            if group:
                unit = f"{rng.choice(('城西', '高新', '南湖', '北苑', '江北'))}{UNITS[i % len(UNITS)]}"
                cust.name = cust.unit_name = unit
                prot = pd.protect_unit(make_uscc(rng))
                cust.reg_type, cust.reg_enc, cust.reg_lookup, cust.reg_masked = (
                    "business_license", prot.enc, prot.lookup, prot.masked)
                cust.contact_name = _name(rng)
                cust.contact_phone = f"139{rng.randint(0, 10**8 - 1):08d}"
                cust.key_persons = [KeyPerson(role="contact", name=cust.contact_name,
                                              phone=cust.contact_phone, title="办公室主任"),
                                    KeyPerson(role="key", name=_name(rng), title="总经理")]
            else:
                cust.name = _name(rng)
                age_days = rng.randint(17 * 365, 80 * 365) if i % 40 else rng.randint(
                    8 * 365, 15 * 365)
                born = today - timedelta(days=age_days)
                kind = "resident_id" if age_days >= 16 * 365 + 4 else "household_register"
                prot = pd.protect_id(make_resident_id(rng, born))
                cust.id_type, cust.id_enc, cust.id_lookup, cust.id_masked = (
                    kind, prot.enc, prot.lookup, prot.masked)
                cust.address_enc = pd.encrypt(f"广州市天河区{rng.randint(1, 300)}号",
                                              "customer.address")
            cust.phone = f"13{rng.randint(0, 10**9 - 1):09d}"
            s.add(cust)
            s.flush()
            for j in range(1 if not group else 3):
                scenario = dict(LINE_SCENARIOS[(i * 3 + j) % len(LINE_SCENARIOS)])
                for key in ("contract_end", "nice_number_until", "subsidy_until",
                            "campaign_until"):
                    if key in scenario:
                        scenario[key] = today + timedelta(days=int(scenario[key]))  # type: ignore[call-overload]
                number = f"1{rng.choice('3589')}{rng.randint(0, 10**9 - 1):09d}"
                line = Line(uid=new_uid(), number=number, customer_id=cust.id,
                            package=rng.choice(("冰激凌套餐129元", "畅爽套餐59元", "5G套餐199元")),
                            opened_on=today - timedelta(days=rng.randint(30, 5000)),
                            origin="demo", **{"points": rng.randint(0, 8000), **scenario})
                if "realname" not in scenario:
                    line.realname = "group_card" if group and j == 2 else "complete"
                s.add(line)
                lines += 1
        audit.record(s, "demo.fill", actor="demo", target=hall.code,  # seals the rows made
                     data={"customers": customers, "lines": lines})
        return DemoSummary(len(STAFF), customers, lines)
