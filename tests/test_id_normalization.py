"""Document numbers in their canonical form before they are checked, stored and looked up
(issue #15): spaces, dashes, full-width characters (NFKC) and a lower-case x."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from app.core.catalog import get_catalog
from app.core.engine import coerce_details
from app.core.request import RequestError, parse_request
from app.core.validators import check_document, normalize_id_number
from app.models import Customer, ServiceOrder
from app.services.hall.registry import batch_actor
from app.services.orders.service import OrderService, Submission
from tests.builders import DAY, OTHER_ID, OWNER_ID, USCC, group, personal

# The same resident ID as a clerk or a card reader may write it.
WRITTEN = [
    "310104199002154578",
    "310104-19900215-4578",
    "３１０１０４１９９００２１５４５７８",  # full-width, typed through a Chinese IME
    "310104 1990 0215 4578",
    " 310104\u300019900215\u30004578 ",  # ideographic spaces
    "310104－19900215－4578",  # full-width dashes
    "310104–19900215—4578",  # en and em dashes
]
OWNER_WRITTEN = [  # ends in X
    "11010519491231002x",
    "110105 1949 1231 002x",
    "１１０１０５１９４９１２３１００２ｘ",
    "110105-19491231-002X",
]


@pytest.mark.parametrize("text", WRITTEN)
def test_a_resident_id_as_written_becomes_its_canonical_form(text: str) -> None:
    assert normalize_id_number("resident_id", text) == OTHER_ID


@pytest.mark.parametrize("text", OWNER_WRITTEN)
def test_a_lower_case_or_full_width_x_becomes_x(text: str) -> None:
    assert normalize_id_number("resident_id", text) == OWNER_ID
    assert normalize_id_number("household_register", text) == OWNER_ID


@pytest.mark.parametrize("doc_type, text, canonical", [
    ("business_license", "9131 0000 ma1f-l2x3 7j", USCC),
    ("org_code_certificate", "ma1fl2x3-7", "MA1FL2X37"),
    ("passport", "e 1234 5678", "E12345678"),
    ("hk_macau_permit", "ｈ１２３４５６７８", "H12345678"),
    ("taiwan_permit", "1234-5678", "12345678"),
    # Types whose format is not known keep their dashes: only what is surely safe.
    ("military_id", "军字第 2001-0456 号", "军字第2001-0456号"),
    ("some_other_paper", " ab-12 34 ", "AB-1234"),
])
def test_other_types_are_normalized_only_as_far_as_safe(doc_type: str, text: str,
                                                        canonical: str) -> None:
    assert normalize_id_number(doc_type, text) == canonical


def test_normalizing_twice_changes_nothing() -> None:
    for text in [*WRITTEN, *OWNER_WRITTEN, "军字第 2001-0456 号"]:
        for doc_type in ("resident_id", "passport", "military_id"):
            once = normalize_id_number(doc_type, text)
            assert normalize_id_number(doc_type, once) == once


@pytest.mark.parametrize("text", [*WRITTEN, *OWNER_WRITTEN])
def test_the_check_takes_the_number_as_written(text: str) -> None:
    assert check_document("resident_id", text, DAY).ok


# -- the request parser ----------------------------------------------------------------------

def _with_numbers(number: str) -> dict[str, Any]:
    req = personal("report_loss")
    req["customer"]["id_document"]["number"] = number
    req["presenter"]["id_document"]["number"] = number
    return req


@pytest.mark.parametrize("text", OWNER_WRITTEN)
def test_the_parser_stores_every_id_document_canonical(text: str) -> None:
    req = parse_request(_with_numbers(text))
    assert req.customer.id_document is not None and req.presenter is not None
    assert req.customer.id_document.number == OWNER_ID
    assert req.presenter.id_document is not None
    assert req.presenter.id_document.number == OWNER_ID


def test_the_parser_normalizes_a_unit_registration() -> None:
    req = group("report_loss")
    req["customer"]["unit"]["registration"]["number"] = "9131 0000 ma1f l2x3 7j"
    unit = parse_request(req).customer.unit
    assert unit is not None and unit.registration is not None
    assert unit.registration.number == USCC


def test_an_id_document_in_the_details_is_normalized() -> None:
    catalog = get_catalog()
    details = coerce_details(catalog.services["ownership_transfer"], {
        "new_owner_name": "王五",
        "new_owner_id": {"type": "resident_id", "number": "310104 1990 0215 4578"}})
    assert details["new_owner_id"].number == OTHER_ID


@pytest.mark.parametrize("number, problem", [
    ("----", "must not be empty"),
    ("\ufdfa" * 5, "longer than 64 characters"),  # NFKC makes 15 letters of each
])
def test_a_number_that_normalizes_to_nothing_or_too_much_is_refused(number: str,
                                                                     problem: str) -> None:
    with pytest.raises(RequestError) as info:
        parse_request(_with_numbers(number))
    assert info.value.field == "customer.id_document.number" and problem in str(info.value)


def test_the_owner_is_the_customer_however_the_numbers_are_written() -> None:
    from app.core.config import load_hall_config
    from app.core.engine import evaluate

    raw = personal("report_loss")
    raw["customer"]["id_document"]["number"] = "110105-19491231-002x"
    raw["presenter"]["id_document"]["number"] = "１１０１０５１９４９１２３１００２Ｘ"
    ev = evaluate(parse_request(raw), get_catalog(), load_hall_config(), today=DAY)
    assert ev.decision == "accepted", ev.violations


# -- stored and looked up ----------------------------------------------------------------------

def test_one_person_however_the_number_is_written(order_service: OrderService) -> None:
    """Every way of writing the number finds the customer the first order made."""
    db = order_service.db
    actor = batch_actor(db)
    for i, text in enumerate(OWNER_WRITTEN):
        raw = _with_numbers(text)
        raw["line"]["number"] = f"1301234567{i}"
        result = order_service.submit(Submission(parse_request(raw)), actor)
        assert result.evaluation.decision == "accepted", result.evaluation.violations
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(Customer)).scalar() == 1
        customer = s.execute(select(Customer)).scalar_one()
        assert customer.id_masked == "110105********002X"
        assert customer.id_lookup == order_service.pd.lookup_id(OWNER_ID)
        assert customer.id_enc is not None
        assert order_service.pd.decrypt(customer.id_enc, "customer.id") == OWNER_ID
        masks = s.execute(select(ServiceOrder.presenter_id_masked)).scalars().all()
        assert masks == ["110105********002X"] * len(OWNER_WRITTEN)
