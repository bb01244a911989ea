"""我的待办 (the first-ask chain) through the services, on SQLite and PostgreSQL: a clerk's own
follow-ups, complaints and faults with their deadlines, overdue first; "due today" in the
hall's zone; closing with a result (required) by the owner or a supervisor, others refused
and the refusal audited; hand-overs kept as history (from, to, by, why); the supervisor's
view of every item; the overdue list the sign-off checklist reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.clock import FixedClock
from app.core.request import parse_request
from app.models import AuditEvent, FollowUpTask
from app.models.day import Complaint, FaultTicket
from app.security import PermissionDenied
from app.services.audit.verify import verify_audit
from app.services.day import registers, todo
from app.services.day.counts import Counts
from app.services.day.errors import DayError
from app.services.day.items import CHECKLIST_CODES
from app.services.day.shifts import open_shift
from app.services.hall.demo import DEMO_PASSWORD
from app.services.orders.service import OrderService, Submission
from app.services.staff.auth import login
from tests.builders import HALL_ZONE, NOW, OWNER, PERSON
from tests.builders import counter_line as line


def request(service: str, details: dict[str, Any], with_line: dict[str, Any] | None) -> Any:
    raw: dict[str, Any] = {"service": service, "customer": PERSON, "presenter": OWNER,
                           "documents": [], "details": details, "signature": True}
    if with_line is not None:
        raw["line"] = with_line
    return parse_request(raw)


@pytest.fixture
def hall(demo_db: Any, clock: FixedClock) -> dict[str, Any]:
    db = demo_db
    h = {"db": db, "clock": clock, "svc": OrderService(db),
         "c1": login(db, "C001", DEMO_PASSWORD, "C01"),
         "c2": login(db, "C002", DEMO_PASSWORD, "C02"),
         "sup": login(db, "S001", DEMO_PASSWORD, "C03")}
    for clerk in (h["c1"], h["c2"]):
        open_shift(db, clerk, dict.fromkeys(CHECKLIST_CODES, True), Counts(stock={}))
    return h


def serve(h: dict[str, Any], who: str, service: str, details: dict[str, Any],
          with_line: dict[str, Any] | None = None) -> Any:
    order = h["svc"].submit(Submission(request(service, details, with_line)), h[who])
    assert order.order_no, order
    return order


def day_of_items(h: dict[str, Any]) -> dict[str, Any]:
    """Clerk 1: a roaming refund (two months), a complaint (48 h), a fault (12 h); clerk 2:
    a complaint entered in the register, promised for 23:30 tonight in the hall."""
    serve(h, "c1", "intl_roaming_close", {},
          line("18612340001", intl_roaming={"open": True, "prepayment": 500}))
    serve(h, "c1", "complaint", {"subject": "乱扣费", "description": "本月多扣 10 元"})
    serve(h, "c1", "fault_report", {"fault_type": "ordinary", "description": "无信号"},
          line("18612340002"))
    tonight = NOW.replace(hour=23, minute=30)
    direct = registers.register_complaint(h["db"], h["c2"], customer_name="张三",
                                          subject="服务态度", description="排队时被插队",
                                          promised_at=tonight)
    return {"direct": direct, "tonight": tonight}


def audit_actions(db: Any, since: int = 0) -> list[tuple[str, str, str]]:
    with db.read() as s:
        return [(a, actor, target) for a, actor, target in s.execute(
            select(AuditEvent.action, AuditEvent.actor, AuditEvent.target)
            .where(AuditEvent.seq > since).order_by(AuditEvent.seq))]


def last_seq(db: Any) -> int:
    with db.read() as s:
        return s.execute(select(AuditEvent.seq).order_by(AuditEvent.seq.desc())).scalar() or 0


def test_my_items_overdue_first_and_due_today_in_the_halls_zone(hall: dict[str, Any]) -> None:
    db, c1, c2 = hall["db"], hall["c1"], hall["c2"]
    made = day_of_items(hall)
    mine = todo.my_items(db, c1)
    # The complaint's and the fault's own tasks show through their register entries only.
    assert [(i.kind, i.stage) for i in mine] == [
        ("fault", "restore"), ("complaint", "answer"), ("follow_up", "follow_up")]
    assert all(i.owner_no == "C001" and not i.overdue for i in mine)
    refund = mine[2]
    assert "漫游预付款" in refund.title and refund.line_number == "18612340001"
    assert refund.due_at is not None and refund.due_at.astimezone(HALL_ZONE).date() == \
        NOW.date().replace(month=1, year=2027)
    assert mine[0].due_today and not mine[1].due_today  # 22:00 tonight; in two days
    assert todo.my_counts(db, c1) == todo.TodoCounts(3, 0)

    # 13 hours later the fault is overdue; 49 hours later the complaint too, longest first.
    later = todo.my_items(db, c1, at=NOW + timedelta(hours=13))
    assert [(i.kind, i.overdue) for i in later] == [
        ("fault", True), ("complaint", False), ("follow_up", False)]
    late = todo.my_items(db, c1, at=NOW + timedelta(hours=49))
    assert [(i.kind, i.overdue) for i in late][:2] == [("fault", True), ("complaint", True)]
    assert todo.my_counts(db, c1, at=NOW + timedelta(hours=49)) == todo.TodoCounts(3, 2)

    # Clerk 2 sees only their own complaint. At 01:00 the next morning in the hall (still
    # the 22nd in UTC) it is overdue and no longer "due today": dates are the hall's.
    (theirs,) = todo.my_items(db, c2)
    assert (theirs.kind, theirs.id, theirs.due_today) == ("complaint", made["direct"], True)
    after_midnight = NOW.replace(hour=1) + timedelta(days=1)
    assert after_midnight.astimezone(UTC).date() == made["tonight"].astimezone(UTC).date()
    (theirs,) = todo.my_items(db, c2, at=after_midnight)
    assert theirs.overdue and not theirs.due_today


def test_close_with_a_result_by_the_owner_or_a_supervisor(hall: dict[str, Any]) -> None:
    db, c1, c2, sup = hall["db"], hall["c1"], hall["c2"], hall["sup"]
    day_of_items(hall)
    fault, complaint, refund = todo.my_items(db, c1)
    with pytest.raises(DayError, match="请填写办理结果"):
        todo.close_item(db, c1, "follow_up", refund.id, "   ")
    seq = last_seq(db)
    with pytest.raises(registers.NotOwner, match="本人负责"):
        todo.close_item(db, c2, "follow_up", refund.id, "已退款")
    with pytest.raises(registers.NotOwner):
        todo.close_item(db, c2, "fault", fault.id, "已修复")
    with pytest.raises(registers.NotOwner):
        todo.close_item(db, c2, "complaint", complaint.id, "已答复")
    assert audit_actions(db, seq) == [
        ("first_ask.refused", "C002", f"follow_up:{refund.id}"),
        ("first_ask.refused", "C002", f"fault:{fault.id}"),
        ("first_ask.refused", "C002", f"complaint:{complaint.id}")]
    assert todo.my_counts(db, c1).open == 3  # nothing written by the refusals

    hall["clock"].advance(hours=1)
    seq = last_seq(db)
    todo.close_item(db, c1, "follow_up", refund.id, "预付款 500 元已退还至银行卡")
    with db.read() as s:
        task = s.get(FollowUpTask, refund.id)
        assert task is not None and task.status == "done" and task.done_by == c1.staff_id
        assert task.note == "预付款 500 元已退还至银行卡" and task.done_at == hall["clock"].now()
    with pytest.raises(DayError, match="已办结"):
        todo.close_item(db, c1, "follow_up", refund.id, "again")

    # The complaint: the answer first (its visit comes next), then the visit closes it.
    todo.close_item(db, c1, "complaint", complaint.id, "已核实多扣 10 元，已退回")
    stages = {(i.kind, i.id): i.stage for i in todo.my_items(db, c1)}
    assert stages[("complaint", complaint.id)] == "callback"
    with pytest.raises(DayError, match="回访结果"):
        todo.close_item(db, c1, "complaint", complaint.id, "客户满意",
                        callback_result="happy")
    todo.close_item(db, c1, "complaint", complaint.id, "客户表示满意",
                    callback_result="satisfied")
    # A supervisor restores the clerk's fault (someone else's item: allowed).
    todo.close_item(db, sup, "fault", fault.id, "更换基站板卡")
    assert todo.my_items(db, c1) == []
    with db.read() as s:
        c = s.get(Complaint, complaint.id)
        assert c is not None and c.status == "closed" and c.callback_note == "客户表示满意"
        f = s.get(FaultTicket, fault.id)
        assert f is not None and (f.status, f.restored_by, f.note) == (
            "restored", sup.staff_id, "更换基站板卡")
        linked = dict(s.execute(select(FollowUpTask.task, FollowUpTask.status).where(
            FollowUpTask.task.in_(("answer_complaint", "complaint_callback",
                                   "restore_service")))).all())
    assert linked == {"answer_complaint": "done", "complaint_callback": "done",
                      "restore_service": "done"}
    assert audit_actions(db, seq) == [
        ("follow_up.close", "C001", f"follow_up:{refund.id}"),
        ("complaint.answer", "C001", f"complaint:{complaint.id}"),
        ("complaint.callback", "C001", f"complaint:{complaint.id}"),
        ("fault.restore", "S001", f"fault:{fault.id}")]
    assert verify_audit(db).ok


def test_a_complaints_own_task_is_closed_through_the_complaint(hall: dict[str, Any]) -> None:
    db, c1 = hall["db"], hall["c1"]
    serve(hall, "c1", "complaint", {"subject": "乱扣费", "description": "多扣"})
    with db.read() as s:
        task_id = s.execute(select(FollowUpTask.id).where(
            FollowUpTask.task == "answer_complaint")).scalar_one()
    with pytest.raises(DayError, match="随投诉或障碍单办理"):
        todo.close_item(db, c1, "follow_up", task_id, "done")
    with pytest.raises(DayError, match="随投诉或障碍单办理"):
        todo.hand_over_item(db, c1, "follow_up", task_id, "C002", "休假")
    with pytest.raises(DayError, match="待办类型"):
        todo.close_item(db, c1, "order", task_id, "done")


def test_hand_over_keeps_the_history(hall: dict[str, Any]) -> None:
    db, c1, c2, sup = hall["db"], hall["c1"], hall["c2"], hall["sup"]
    made = day_of_items(hall)
    _fault, complaint, refund = todo.my_items(db, c1)
    with pytest.raises(DayError, match="转交原因"):
        todo.hand_over_item(db, c1, "follow_up", refund.id, "C002", "")
    with pytest.raises(DayError, match="不存在"):
        todo.hand_over_item(db, c1, "follow_up", refund.id, "C999", "休假")
    seq = last_seq(db)
    with pytest.raises(registers.NotOwner):  # clerk 2 cannot take clerk 1's complaint
        todo.hand_over_item(db, c2, "complaint", complaint.id, "C002", "我来跟进")
    assert audit_actions(db, seq) == [
        ("first_ask.refused", "C002", f"complaint:{complaint.id}")]

    todo.hand_over_item(db, c1, "complaint", complaint.id, "C002", "本人明日休息")
    hall["clock"].advance(minutes=30)
    todo.hand_over_item(db, sup, "complaint", complaint.id, "C001", "赵敏临时外出")
    hall["clock"].advance(minutes=30)
    todo.hand_over_item(db, c1, "follow_up", refund.id, "C002", "客户改到二号柜台办理")
    # The complaint went to clerk 2 and came back; the refund is now clerk 2's.
    mine = {(i.kind, i.id): i for i in todo.my_items(db, c1)}
    assert ("follow_up", refund.id) not in mine
    assert mine[("complaint", complaint.id)].handovers == 2
    theirs = {(i.kind, i.id) for i in todo.my_items(db, c2)}
    assert theirs == {("follow_up", refund.id), ("complaint", made["direct"])}
    history = todo.history(db, "complaint", complaint.id)
    assert [(h.from_name, h.to_name, h.by_name, h.reason) for h in history] == [
        ("李明", "赵敏", "李明", "本人明日休息"), ("赵敏", "李明", "王丽", "赵敏临时外出")]
    assert history[1].at - history[0].at == timedelta(minutes=30)
    with db.read() as s:  # the complaint's own tasks follow it
        owners = set(s.execute(select(FollowUpTask.owner_staff_id).where(
            FollowUpTask.task.in_(("answer_complaint", "complaint_callback")))).scalars())
    assert owners == {c1.staff_id}
    # The new owner closes it; the old one may not any more.
    with pytest.raises(registers.NotOwner):
        todo.close_item(db, c1, "follow_up", refund.id, "已退款")
    todo.close_item(db, c2, "follow_up", refund.id, "已退款 500 元")
    assert [a for a, _, _ in audit_actions(db, seq)].count("handover") == 3


def test_the_supervisor_sees_every_item_overdue_first(hall: dict[str, Any]) -> None:
    db, c1, sup = hall["db"], hall["c1"], hall["sup"]
    made = day_of_items(hall)
    seq = last_seq(db)
    with pytest.raises(PermissionDenied):
        todo.all_items(db, c1)
    assert audit_actions(db, seq) == [("permission.denied", "C001", "exception.authorize")]
    at = NOW + timedelta(hours=14)  # clerk 2's complaint (23:30) and the fault (22:00) late
    items = todo.all_items(db, sup, at=at)
    assert [(i.kind, i.owner_no, i.overdue) for i in items] == [
        ("fault", "C001", True), ("complaint", "C002", True), ("complaint", "C001", False),
        ("follow_up", "C001", False)]
    assert items[1].id == made["direct"]
    # The sign-off checklist's question: complaints past their promised answer.
    late = todo.overdue_items(db, sup.hall_id, at, kinds=("complaint",))
    assert [(i.id, i.stage) for i in late] == [(made["direct"], "answer")]
    assert [i.kind for i in todo.overdue_items(db, sup.hall_id, at)] == ["fault", "complaint"]
    assert todo.overdue_items(db, sup.hall_id, NOW) == []


def test_colleagues_to_hand_over_to(hall: dict[str, Any]) -> None:
    names = dict(todo.colleagues(hall["db"], hall["c1"]))
    assert {"C001", "C002", "S001"} <= set(names)
    assert all(isinstance(n, str) and n for n in names.values())


def test_due_times_are_instants(hall: dict[str, Any]) -> None:
    """The items' deadlines are aware datetimes (compared as instants, shown in the zone)."""
    day_of_items(hall)
    for item in todo.all_items(hall["db"], hall["sup"]):
        assert isinstance(item.due_at, datetime) and item.due_at.tzinfo is not None
