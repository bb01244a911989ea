"""The first start of an empty database: the hall, this counter and its first account."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.core import domain
from app.db import Database
from app.models import Staff
from app.models.base import new_uid
from app.security import check_password_policy, hash_password
from app.services.audit import events as audit
from app.services.hall.registry import ensure_counter, ensure_hall
from app.services.orders.service import OrderError

SETUP_ROLES = ("manager", "admin")


@dataclass(frozen=True)
class FirstRun:
    hall_name: str
    hall_code: str
    carrier: str
    counter_code: str
    staff_no: str
    staff_name: str
    password: str
    role: str = "manager"


def check_first_run(f: FirstRun) -> str | None:
    """The first problem with the form, in Chinese, or None."""
    if not f.hall_name.strip():
        return "请填写营业厅名称"
    if not f.hall_code.strip().isalnum() or not 2 <= len(f.hall_code.strip()) <= 16:
        return "营业厅编码应为2至16位字母或数字"
    if f.carrier not in domain.CARRIERS:
        return "请选择运营商"
    if not f.counter_code.strip().isalnum() or not 1 <= len(f.counter_code.strip()) <= 8:
        return "柜台编码应为1至8位字母或数字"
    if not f.staff_no.strip().isalnum() or len(f.staff_no.strip()) > 20:
        return "工号应为字母或数字，最多20位"
    if not f.staff_name.strip():
        return "请填写管理员姓名"
    if f.role not in SETUP_ROLES:
        return "角色无效"
    return check_password_policy(f.password, username=f.staff_no.strip())


def run_first_setup(db: Database, f: FirstRun) -> None:
    """Name the hall, create the counter and the first account; refuses a database with staff."""
    problem = check_first_run(f)
    if problem:
        raise OrderError(problem, "the set-up form is not valid")
    with db.session() as s:
        if s.execute(select(Staff.id).limit(1)).first() is not None:
            raise OrderError("数据库中已有员工账号，不能再次初始设置",
                             "the database already has staff accounts")
        hall = ensure_hall(s)
        hall.name, hall.code, hall.carrier = (f.hall_name.strip(), f.hall_code.strip().upper(),
                                              f.carrier)
        counter = ensure_counter(s, hall, f.counter_code.strip().upper())
        staff = Staff(uid=new_uid(), hall_id=hall.id, staff_no=f.staff_no.strip(),
                      name=f.staff_name.strip(), role=f.role,
                      password_hash=hash_password(f.password))
        s.add(staff)
        s.flush()
        audit.record(s, "setup.first_run", actor=staff.staff_no, actor_staff_id=staff.id,
                     counter=counter.code, data={"hall": hall.code, "carrier": hall.carrier})
