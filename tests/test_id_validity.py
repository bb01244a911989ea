"""ID validity (issue #14): the residence permits of Hong Kong, Macau and Taiwan residents and
the foreigner's permanent residence ID as document types with their number checks; an ID
document's expiry date read from a request, refused when past (`document_not_accepted`, the
date in both languages), recorded on the order, sealed, exported and imported."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from app.core.catalog import get_catalog
from app.core.config import load_hall_config
from app.core.engine import evaluate
from app.core.request import RequestError, parse_request
from app.core.validators import (
    check_document,
    check_foreigner_permanent_id,
    check_resident_id,
    mrz_check_digit,
    resident_id_check_char,
)
from app.db import Database
from app.models import OrderDocument, ServiceOrder
from app.services.audit.verify import verify_audit
from app.services.hall.registry import batch_actor
from app.services.orders.idempotency import canonical_request
from app.services.orders.service import OrderService, Submission
from tests.builders import DAY, OWNER_ID, as_agent, personal

HALL = load_hall_config()


def gb11643(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


HK = gb11643("81000019900101002")     # a Hong Kong resident's permit, born 1990-01-01
MACAU = gb11643("82000019851224003")
TAIWAN = gb11643("83000020010630001")
FOREIGN_2023 = gb11643("93184019850612001")  # Shanghai (31), USA (840), born 1985-06-12
FOREIGN_OLD = "KAZ110090123105"  # 2004/2017 card: 3 letters, region 1100, 901231, 0, check 5


def run(req: dict[str, Any], lang: str = "zh") -> Any:
    return evaluate(parse_request(req), get_catalog(), HALL, today=DAY, lang=lang)


def with_docs(req: dict[str, Any], doc: dict[str, Any], *, customer: bool = True,
              presenter: bool = True) -> dict[str, Any]:
    req = copy.deepcopy(req)
    if customer:
        req["customer"]["id_document"] = dict(doc)
    if presenter:
        req["presenter"]["id_document"] = dict(doc)
    return req


# --- numbers ------------------------------------------------------------------------------

@pytest.mark.parametrize(("doc_type", "number"), [
    ("hk_macau_residence_permit", HK), ("hk_macau_residence_permit", MACAU),
    ("taiwan_residence_permit", TAIWAN), ("foreigner_permanent_id", FOREIGN_2023),
    ("foreigner_permanent_id", FOREIGN_OLD), ("foreigner_permanent_id", "kaz-1100 9012 3105"),
])
def test_new_document_numbers_pass_their_checks(doc_type: str, number: str) -> None:
    check = check_document(doc_type, number, DAY)
    assert check.ok, check.reason_zh
    assert check.birth_date is not None


@pytest.mark.parametrize(("doc_type", "number", "reason"), [
    ("hk_macau_residence_permit", TAIWAN, "应以 810000、820000 开头"),  # Taiwan's, not HK's
    ("taiwan_residence_permit", HK, "应以 830000 开头"),
    ("hk_macau_residence_permit", HK[:-1] + ("0" if HK[-1] != "0" else "1"), "校验位错误"),
    ("hk_macau_residence_permit", HK[:17], "应为18位"),
    ("hk_macau_residence_permit", gb11643("81000019901301002"), "出生日期不存在"),
    ("foreigner_permanent_id", "1" + FOREIGN_2023[1:], "以9开头"),
    ("foreigner_permanent_id", gb11643("99984019850612001"), "省份代码无效"),
    ("foreigner_permanent_id", FOREIGN_2023[:-1] + ("1" if FOREIGN_2023[-1] != "1" else "2"),
     "校验位错误"),
    ("foreigner_permanent_id", "KAZ110090123104", "校验位错误"),
    ("foreigner_permanent_id", "KA1110090123105", "3位字母加12位数字"),
    ("foreigner_permanent_id", "KAZ110091323105", "出生日期不存在"),
    ("foreigner_permanent_id", "KAZ1100901231", "应为18位（2023年版）或15位"),
])
def test_wrong_numbers_are_refused_with_the_reason(doc_type: str, number: str,
                                                   reason: str) -> None:
    check = check_document(doc_type, number, DAY)
    assert not check.ok and reason in check.reason_zh, check.reason_zh
    assert check.reason_en


def test_the_old_foreigner_number_uses_the_travel_document_check_digit() -> None:
    # ICAO 9303: K=20, A=10, Z=35 and the digits, weighted 7, 3, 1: 265 -> 5.
    assert mrz_check_digit("KAZ11009012310") == "5"
    born = check_foreigner_permanent_id(FOREIGN_OLD, DAY).birth_date
    assert born == date(1990, 12, 31)
    # A two-digit year is the latest century not after the business date.
    young = "USA3100" + "150301" + "1"
    assert check_foreigner_permanent_id(young + mrz_check_digit(young),
                                        DAY).birth_date == date(2015, 3, 1)


def test_a_permit_number_typed_as_a_resident_id_names_the_right_type() -> None:
    check = check_resident_id(HK, DAY)
    assert not check.ok and "港澳台居民居住证" in check.reason_zh


def test_the_catalog_knows_the_types_and_which_expire() -> None:
    catalog = get_catalog()
    new = {"hk_macau_residence_permit", "taiwan_residence_permit", "foreigner_permanent_id"}
    assert new <= catalog.personal_id_types()
    assert new | {"resident_id", "passport"} <= catalog.expiring_types()
    assert "household_register" not in catalog.expiring_types()
    assert catalog.document_name("taiwan_residence_permit") == "台湾居民居住证"


# --- the engine ---------------------------------------------------------------------------

@pytest.mark.parametrize(("doc_type", "number"), [
    ("hk_macau_residence_permit", HK), ("taiwan_residence_permit", TAIWAN),
    ("foreigner_permanent_id", FOREIGN_2023), ("foreigner_permanent_id", FOREIGN_OLD)])
def test_the_new_types_are_accepted_where_the_resident_id_is(doc_type: str, number: str) -> None:
    doc = {"type": doc_type, "number": number, "valid_until": "2030-06-30"}
    for service, extra in (("report_loss", {}),
                           ("new_activation", {"line": None,
                                               "details": {"package": "畅爽套餐59元"}})):
        ev = run(with_docs(personal(service, **extra), doc))
        assert (ev.decision, ev.violations) == ("accepted", []), ev.violations
    # An agent must bring the owner's own document: "$owner_id" is the permit's type.
    agent = as_agent(with_docs(personal("report_loss"), doc, presenter=False),
                     documents=["authorization_letter"])
    assert run(agent).missing == [doc_type]
    agent["documents"].append(doc_type)
    assert run(agent).decision == "accepted"


def test_an_expired_document_is_refused_with_its_date_in_both_languages() -> None:
    yesterday = (DAY - timedelta(days=1)).isoformat()
    req = personal("report_loss")
    req["presenter"]["id_document"]["valid_until"] = yesterday
    ev = run(req)
    assert ev.decision == "rejected"
    [v] = ev.violations
    assert v.rule == "document_not_accepted"
    assert v.message == f"办理人证件不适用：证件有效期至 {yesterday}，已过期"
    [en] = run(req, lang="en").violations
    assert en.message == ("The presenter's document is not accepted: expired "
                          f"(valid until {yesterday})")
    # The customer's own document too (an agent brings the owner's ID).
    agent = as_agent(personal("report_loss"))
    agent["customer"]["id_document"]["valid_until"] = yesterday
    [owner] = run(agent).violations
    assert owner.rule == "document_not_accepted" and owner.message.startswith("客户证件不适用")


def test_a_document_valid_through_the_business_date_is_accepted() -> None:
    for until in (DAY.isoformat(), None):
        req = personal("report_loss")
        if until:
            req["presenter"]["id_document"]["valid_until"] = until
        assert run(req).decision == "accepted"


def test_an_expiry_date_must_be_a_calendar_date() -> None:
    req = personal("report_loss")
    req["presenter"]["id_document"]["valid_until"] = "2030-02-30"
    with pytest.raises(RequestError) as err:
        parse_request(req)
    assert err.value.field == "presenter.id_document.valid_until"
    req["presenter"]["id_document"]["valid_until"] = "长期"
    with pytest.raises(RequestError):
        parse_request(req)


def test_a_request_without_expiry_keeps_its_idempotency_key() -> None:
    """Keys of orders recorded before expiry dates existed still match the same request."""
    plain = canonical_request(parse_request(personal("report_loss")))
    assert b"valid_until" not in plain
    dated = personal("report_loss")
    dated["presenter"]["id_document"]["valid_until"] = "2030-01-01"
    assert b'"valid_until":"2030-01-01"' in canonical_request(parse_request(dated))


# --- recording ----------------------------------------------------------------------------

def _documents(db: Database, order_no: str) -> list[tuple[str, str | None, date | None]]:
    with db.read() as s:
        return [(d.code, d.number_masked, d.valid_until) for d in s.execute(
            select(OrderDocument).join(ServiceOrder, ServiceOrder.id == OrderDocument.order_id)
            .where(ServiceOrder.order_no == order_no).order_by(OrderDocument.id)).scalars()]


def test_the_expiry_is_recorded_sealed_and_travels_in_an_export(order_service: OrderService,
                                                                 db: Database,
                                                                 tmp_path: Any) -> None:
    actor = batch_actor(db)
    plain = order_service.submit(Submission(parse_request(personal("report_loss"))), actor)
    assert _documents(db, plain.order_no) == []  # no date given: nothing new is written

    req = with_docs(personal("report_loss", line={**personal("report_loss")["line"],
                                                  "number": "13012349999"}),
                    {"type": "hk_macau_residence_permit", "number": HK,
                     "valid_until": "2030-06-30"})
    dated = order_service.submit(Submission(parse_request(req)), actor)
    assert dated.order_no
    assert _documents(db, dated.order_no) == [
        ("hk_macau_residence_permit", "810000********0027", date(2030, 6, 30))]
    report = verify_audit(db)
    assert report.ok, report.describe()

    # The seal covers the date: an edit behind the program's back shows.
    with db.session() as s:
        s.execute(update(OrderDocument).where(OrderDocument.valid_until.is_not(None))
                  .values(valid_until=date(2040, 1, 1)))
    tampered = verify_audit(db)
    assert not tampered.ok and any(dated.order_no in p.label for p in tampered.rows)


def test_an_expiry_joins_its_paper_row_when_the_type_is_listed(order_service: OrderService,
                                                               db: Database) -> None:
    agent = as_agent(personal("report_loss"), documents=["resident_id", "authorization_letter"])
    agent["customer"]["id_document"]["valid_until"] = "2031-01-31"
    result = order_service.submit(Submission(parse_request(agent)), batch_actor(db))
    masked = OWNER_ID[:6] + "*" * 8 + OWNER_ID[-4:]
    assert _documents(db, result.order_no) == [
        ("resident_id", masked, date(2031, 1, 31)), ("authorization_letter", None, None)]


def test_requests_example_file_holds_an_expired_and_a_permit_case() -> None:
    from tests.builders import examples

    titles = {e["title"]: e for e in examples()}
    expired = [e for t, e in titles.items() if "expired" in t]
    permit = [e for t, e in titles.items() if "residence permit" in t]
    assert expired and permit
    for case in expired + permit:
        ev = run(case["request"])
        assert ev.decision == case["outcome"]["decision"]
    assert json.dumps(permit[0]["request"]).count("hk_macau_residence_permit") == 2
