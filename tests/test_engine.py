"""The rules engine, service by service (domain.md section 4): accept, reject, incomplete.

Each case is a request and the decision, rule codes and missing codes it must produce.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from app.core.catalog import SERVICE_CODES, get_catalog
from app.core.config import load_hall_config
from app.core.engine import evaluate
from app.core.request import RequestError, parse_request
from tests.builders import (
    AGENT_ID,
    DAY,
    NOW,
    OTHER_ID,
    as_agent,
    child_id,
    examples,
    group,
    line,
    personal,
)

CATALOG = get_catalog()
HALL = load_hall_config()
FUTURE = "2027-06-30"
PAST = "2026-01-31"


def run(req: dict[str, Any], hall: Any = HALL):
    return evaluate(parse_request(req), CATALOG, hall)


def expect(req: dict[str, Any], decision: str, rules: list[str] | None = None,
           missing: list[str] | None = None, hall: Any = HALL):
    ev = run(req, hall)
    assert ev.decision == decision, (ev.decision, [v.message for v in ev.violations], ev.missing)
    if rules is not None:
        assert sorted(v.rule for v in ev.violations) == sorted(rules)
    if missing is not None:
        assert ev.missing == missing
    return ev


# --- our example requests (tests/examples/requests.json) -----------------------------------

EXAMPLES = examples()


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["title"] for e in EXAMPLES])
def test_examples(example: dict[str, Any]) -> None:
    ev = run(example["request"])
    want = example["outcome"]
    assert ev.decision == want["decision"]
    assert [v.rule for v in ev.violations] == [v["rule"] for v in want["violations"]]
    assert ev.missing == want["missing"]
    assert [(f.item, f.amount_fen / 100) for f in ev.fees] == [
        (f["item"], f["amount"]) for f in want["fees"]]


def test_examples_cover_every_decision_customer_kind_and_presenter() -> None:
    seen = {(e["outcome"]["decision"], e["request"]["customer"]["kind"],
             e["request"]["presenter"]["role"]) for e in EXAMPLES}
    assert {d for d, _, _ in seen} == {"accepted", "rejected", "incomplete"}
    assert {k for _, k, _ in seen} == {"personal", "group"}
    assert {r for _, _, r in seen} >= {"owner", "agent"}


def test_every_service_in_catalog_accepts_a_plain_request() -> None:
    """A well-formed request for each service with what it needs is accepted."""
    needs: dict[str, dict[str, Any]] = {
        "new_activation": {"line": None, "details": {"package": "畅爽套餐"}},
        "ownership_transfer": {"documents": ["new_owner_id"], "details": {
            "new_owner_name": "王五", "new_owner_id": {"type": "resident_id",
                                                       "number": OTHER_ID}}},
        "number_change": {"details": {"new_number": "13099998888"}},
        "relocation": {"details": {"new_address": "天河路1号"}},
        "cancellation": {"details": {"reason": "出国", "retention": "attempted_failed"}},
        "resume": {"line": {"status": "suspended_keep_number"}},
        "cancel_loss": {"line": {"status": "loss_reported"}},
        "intl_roaming_open": {"details": {"destination": "日本"}},
        "intl_roaming_close": {"line": {"intl_roaming": {"open": True, "prepayment": 500}}},
        "info_change": {"details": {"scope": "customer", "changes": "地址"}},
        "product_reservation": {"details": {"action": "subscribe", "product": "视频会员"}},
        "prepayment_refund": {"documents": ["payment_invoice"],
                              "details": {"amount": 20, "paid_by": "cash"}},
        "bill_payment": {"details": {"amount": 50}},
        "points_query": {"documents": ["service_password"]},
        "points_redeem": {"documents": ["service_password"],
                          "details": {"points": 1000, "item": "话费"}},
        "bill_detail_query": {"details": {"month": "2026-10"}},
        "bill_detail_print": {"details": {"month": "2026-10"}},
        "bill_detail_mask": {"details": {"categories": "短信"}},
        "fault_report": {"details": {"fault_type": "ordinary", "description": "无信号"}},
        "account_unlock": {"documents": ["sim_card"], "line": {
            "payment": "prepaid", "prepaid_phase": "locked"}},
        "lifecycle_query": {"documents": ["service_password"], "line": {
            "payment": "prepaid", "prepaid_phase": "valid"}},
        "realname_registration": {"line": {"realname": "incomplete", "status": "single_stop"}},
        "complaint": {"line": None, "details": {"subject": "网速慢", "description": "晚上"}},
        "value_card_sale": {"line": None, "details": {"serials": "VC20261122001"}},
    }
    for code in SERVICE_CODES:
        expect(personal(code, **needs.get(code, {})), "accepted", [], [])


# --- universal checks ---------------------------------------------------------------------

def test_unknown_service_is_rejected() -> None:
    expect(personal("teleport"), "rejected", ["unknown_service"])


def test_presenter_id_always_required() -> None:
    req = personal("report_loss", presenter={"role": "owner", "name": "张三",
                                             "id_document": None})
    expect(req, "incomplete", [], ["presenter_id"])


def test_invalid_id_number_rejected_even_with_missing_papers() -> None:
    req = personal("number_change", presenter={"role": "owner", "name": "张三", "id_document": {
        "type": "resident_id", "number": "110105194912310021"}}, details={})
    ev = expect(req, "rejected", ["invalid_document_number", "document_not_accepted"])
    assert "校验位" in ev.violations[0].message


def test_resident_id_for_child_not_accepted_household_register_is() -> None:
    kid = child_id(10)
    req = personal("report_loss", customer={
        "kind": "personal", "name": "小明", "id_document": {"type": "resident_id", "number": kid}},
        presenter={"role": "owner", "name": "小明",
                   "id_document": {"type": "resident_id", "number": kid}})
    ev = expect(req, "rejected", ["document_not_accepted", "document_not_accepted"])
    assert "户口簿" in ev.violations[0].message
    doc = {"type": "household_register", "number": kid}
    ok = personal("report_loss", customer={"kind": "personal", "name": "小明", "id_document": doc},
                  presenter={"role": "owner", "name": "小明", "id_document": doc})
    expect(ok, "accepted")


def test_household_register_for_adult_not_accepted() -> None:
    doc = {"type": "household_register", "number": OTHER_ID}
    req = personal("report_loss", customer={"kind": "personal", "name": "陈静", "id_document": doc},
                   presenter={"role": "owner", "name": "陈静", "id_document": doc})
    expect(req, "rejected")


def test_group_document_for_person_not_accepted() -> None:
    req = personal("report_loss", presenter={"role": "owner", "name": "x", "id_document": {
        "type": "business_license", "number": "91310000MA1FL2X37J"}})
    assert "document_not_accepted" in [v.rule for v in run(req).violations]


def test_owner_presenting_someone_elses_id() -> None:
    req = personal("report_loss", presenter={"role": "owner", "name": "张三", "id_document": {
        "type": "resident_id", "number": OTHER_ID}})
    expect(req, "rejected", ["document_not_accepted"])


def test_bad_unit_credit_code() -> None:
    req = group("bill_detail_print", details={"month": "2026-10"})
    req["customer"]["unit"]["registration"]["number"] = "91310000MA1FL2X37K"
    expect(req, "rejected", ["invalid_document_number"])


def test_personal_agent_needs_owner_id_and_authorization() -> None:
    req = as_agent(personal("report_loss"), documents=[])
    expect(req, "incomplete", [], ["resident_id", "authorization_letter"])
    expect(as_agent(personal("report_loss"), ["resident_id", "authorization_letter"]),
           "accepted")


def test_signature_required_where_the_service_says() -> None:
    expect(personal("report_loss", signature=False), "incomplete", [], ["signature"])
    expect(personal("bill_payment", signature=False, details={"amount": 10}), "accepted")


def test_violation_beats_missing() -> None:
    req = personal("sim_replacement", line={"arrears": 58}, signature=False)
    ev = expect(req, "rejected", ["arrears_outstanding"])
    assert ev.missing == ["signature"]  # still reported, but the decision is rejected


# --- service by service --------------------------------------------------------------------

def test_new_activation_group_papers_and_preapproval_follow_up() -> None:
    req = group("new_activation", line=None, documents=[], details={"package": "集团套餐"})
    expect(req, "incomplete", [], ["authorization_letter|introduction_letter",
                                   "business_license|name_preapproval_notice",
                                   "access_agreement", "subuser_list"])
    req["documents"] = ["introduction_letter", "name_preapproval_notice", "access_agreement",
                        "subuser_list"]
    ev = expect(req, "accepted")
    assert [f.task for f in ev.follow_ups] == ["complete_identity"]
    req["customer"]["unit"]["registration"] = {"type": "name_preapproval_notice",
                                               "number": "沪名称预核(2026)第0001号"}
    req["documents"] = ["introduction_letter", "access_agreement", "subuser_list"]
    expect(req, "incomplete", [], ["name_preapproval_notice"])
    req["documents"].append("name_preapproval_notice")
    ev = expect(req, "accepted")
    assert [f.task for f in ev.follow_ups] == ["complete_identity"]


def test_new_activation_non_local_id_needs_advance_or_prepaid() -> None:
    req = personal("new_activation", line=None, details={"package": "x"})
    req["customer"]["non_local_id"] = True
    ev = expect(req, "rejected", ["advance_required"])
    assert "600.00" in ev.violations[0].message
    req["details"]["payment"] = "prepaid"
    expect(req, "accepted")
    req["details"] = {"package": "x", "advance": 600}
    ev = expect(req, "accepted")
    assert [(f.item, f.amount_fen) for f in ev.fees] == [("advance", 60000)]


def test_new_activation_group_contract_rules() -> None:
    docs = ["introduction_letter", "business_license", "access_agreement", "subuser_list"]
    req = group("new_activation", line=None, documents=docs,
                details={"package": "单位合同", "contract": "unit_mobile", "users": 30})
    ev = expect(req, "rejected", ["not_eligible"])
    assert "50" in ev.violations[0].message
    req["details"]["users"] = 60
    expect(req, "incomplete", [], ["first_month"])
    req["details"]["first_month"] = "half_month"
    ev = expect(req, "accepted")
    assert any("6GB" in n.zh for n in ev.notices)


def test_new_activation_fixed_line_fee_and_time_limit() -> None:
    req = personal("new_activation", line=None,
                   details={"package": "宽带", "line_kind": "fixed", "address": "天河路1号"})
    ev = expect(req, "accepted")
    assert [(f.item, f.amount_fen) for f in ev.fees] == [("installation_fee", 10000)]
    assert ev.effective is not None and ev.effective.kind == "time_limit"


def test_ownership_transfer_rules() -> None:
    base = {"documents": ["new_owner_id"], "details": {
        "new_owner_name": "王五", "new_owner_id": {"type": "resident_id", "number": OTHER_ID}}}
    expect(personal("ownership_transfer", line={"contract_end": FUTURE}, **base), "rejected",
           ["in_contract"])
    expect(personal("ownership_transfer", line={"nice_number_until": FUTURE}, **base),
           "rejected", ["number_locked"])
    expect(personal("ownership_transfer", line={"contract_end": PAST}, **base), "accepted")
    bad = personal("ownership_transfer", **base)
    bad["details"]["nice_number_deposit"] = True
    expect(bad, "rejected", ["not_eligible"])
    expect(personal("ownership_transfer"), "incomplete", [],
           ["new_owner_id", "new_owner_name", "new_owner_id"])
    wrong = personal("ownership_transfer", **base)
    wrong["details"]["new_owner_id"] = {"type": "resident_id", "number": "110105194912310021"}
    expect(wrong, "rejected", ["invalid_document_number"])


def test_number_change_rules() -> None:
    d = {"details": {"new_number": "13099998888"}}
    expect(personal("number_change", line={"arrears": 58}, **d), "rejected",
           ["arrears_outstanding"])
    expect(personal("number_change", line={"relocated_keep_number": "new"}, **d), "rejected",
           ["relocated_keep_number"])
    expect(personal("number_change", line={"relocated_keep_number": "old"}, **d), "rejected",
           ["relocated_keep_number"])
    for key in ("nice_number_until", "subsidy_until", "campaign_until"):
        expect(personal("number_change", line={key: FUTURE}, **d), "rejected", ["number_locked"])
        expect(personal("number_change", line={key: PAST}, **d), "accepted")
    expect(personal("number_change"), "incomplete", [], ["new_number"])
    ev = expect(personal("number_change", **d), "accepted")
    assert ev.line_changes == {"number": "13099998888"}


def test_relocation_marks_keep_number() -> None:
    ev = expect(personal("relocation", details={"new_address": "新地址"}), "accepted")
    assert ev.line_changes == {"relocated_keep_number": "new"}
    ev = expect(personal("relocation", details={"new_address": "新地址", "keep_number": False}),
                "accepted")
    assert ev.line_changes == {}


def test_cancellation_rules_and_settlement() -> None:
    d = {"details": {"reason": "出国", "retention": "attempted_failed"}}
    expect(personal("cancellation"), "incomplete", [], ["reason", "retention"])
    expect(personal("cancellation", line={"contract_end": FUTURE}, **d), "rejected",
           ["in_contract"])
    expect(personal("cancellation", line={"subsidy_until": FUTURE}, **d), "rejected",
           ["in_contract"])
    expect(personal("cancellation", line={"arrears": 12}, **d), "rejected",
           ["arrears_outstanding"])
    expect(personal("cancellation", line={"status": "cancelled"}, **d), "rejected",
           ["line_cancelled"])
    ev = expect(personal("cancellation", line={
        "intl_roaming": {"open": True, "prepayment": 500}}, **d), "accepted")
    assert [(f.item, f.amount_fen) for f in ev.fees] == [("balance_refund", -3550)]
    assert [f.task for f in ev.follow_ups] == ["refund_roaming_prepayment"]
    assert ev.follow_ups[0].due.date().isoformat() == "2027-01-22"
    assert ev.line_changes["status"] == "cancelled"
    kept = expect(personal("cancellation", details={"reason": "资费", "retention": "retained"}),
                  "accepted")
    assert kept.line_changes == {} and kept.fees == []


def test_suspend_and_resume() -> None:
    ev = expect(personal("suspend_keep_number"), "accepted")
    assert ev.line_changes == {"status": "suspended_keep_number"}
    assert ev.effective is not None and ev.effective.kind == "immediate"  # own hall
    for status in ("arrears_stop", "loss_reported", "single_stop", "suspended_keep_number"):
        expect(personal("suspend_keep_number", line={"status": status}), "rejected",
               ["not_eligible"])
    ev = expect(personal("suspend_keep_number", details={"months": 3}), "accepted")
    assert [(f.item, f.amount_fen) for f in ev.fees] == [("number_keeping_fee", 1500)]
    franchise = HALL.with_overrides({"own_hall": False})
    ev = expect(personal("suspend_keep_number"), "accepted", hall=franchise)
    assert ev.effective is not None and ev.effective.kind == "within_24h"
    expect(personal("resume"), "rejected", ["not_eligible"])
    ev = expect(personal("resume", line={"status": "suspended_keep_number"}), "accepted")
    assert ev.line_changes == {"status": "active"}
    assert any("整月" in n.zh for n in ev.notices)


def test_loss_and_cancel_loss() -> None:
    ev = expect(personal("report_loss"), "accepted")
    assert ev.line_changes == {"status": "loss_reported"}
    expect(personal("report_loss", line={"status": "loss_reported"}), "rejected",
           ["line_loss_reported"])
    expect(personal("cancel_loss"), "rejected", ["not_eligible"])
    ev = expect(personal("cancel_loss", line={"status": "loss_reported"}), "accepted")
    assert any("套餐费" in n.zh for n in ev.notices)


def test_roaming_open_and_close() -> None:
    d = {"details": {"destination": "日本"}}
    ev = expect(personal("intl_roaming_open", **d), "accepted")
    assert [(f.item, f.amount_fen) for f in ev.fees] == [("roaming_prepayment", 50000)]
    assert any("三方通话" in n.zh for n in ev.notices)
    expect(personal("intl_roaming_open"), "incomplete", [], ["destination"])
    expect(personal("intl_roaming_open", line={"arrears": 1}, **d), "rejected",
           ["arrears_outstanding"])
    expect(personal("intl_roaming_open", line={"intl_roaming": {"open": True,
                                                                "prepayment": 1}}, **d),
           "rejected", ["not_eligible"])
    exempt = expect(personal("intl_roaming_open", line={"collection_exempt": True}, **d),
                    "accepted")
    assert exempt.fees == []
    expect(personal("intl_roaming_close"), "rejected", ["not_eligible"])
    ev = expect(personal("intl_roaming_close", line={
        "intl_roaming": {"open": True, "prepayment": 500}}), "accepted")
    assert [f.task for f in ev.follow_ups] == ["refund_roaming_prepayment"]
    assert ev.follow_ups[0].due.date().isoformat() == "2027-01-22"


def test_product_reservation() -> None:
    d = {"action": "unsubscribe", "product": "老套餐"}
    expect(personal("product_reservation", line={"arrears": 5}, details=d), "rejected",
           ["arrears_outstanding"])
    expect(personal("product_reservation", line={"arrears": 5},
                    details={**d, "action": "subscribe"}), "accepted")
    ev = expect(personal("product_reservation", details={**d, "effective_date": "2027-01-01"}),
                "accepted")
    assert ev.effective is not None and ev.effective.code() == "scheduled:2027-01-01"
    g = group("product_reservation", documents=[], details=d)
    expect(g, "incomplete", [], ["authorization_letter|introduction_letter"])


def test_sim_replacement_rules() -> None:
    expect(personal("sim_replacement", line={"arrears": 58}), "rejected",
           ["arrears_outstanding"])
    expect(personal("sim_replacement", line={"status": "suspended_keep_number"}), "rejected",
           ["line_suspended"])
    expect(personal("sim_replacement", line={"status": "loss_reported"}), "rejected",
           ["line_loss_reported"])
    # A prepaid line that is suspended or lost is not barred by those two rules.
    expect(personal("sim_replacement", line={"payment": "prepaid", "prepaid_phase": "valid",
                                             "status": "loss_reported"}), "accepted")
    expect(personal("sim_replacement", line={"payment": "prepaid", "prepaid_phase": "recharge"}),
           "rejected", ["prepaid_recharge_phase"])
    expect(personal("sim_replacement", line={"payment": "prepaid", "prepaid_phase": "locked"}),
           "rejected", ["prepaid_locked_phase"])
    expect(personal("sim_replacement", details={"damaged_card": True}), "incomplete", [],
           ["damaged_sim"])
    ev = expect(personal("sim_replacement", documents=["sim_card", "damaged_sim"],
                         details={"damaged_card": True}), "accepted")
    assert [(f.item, f.amount_fen) for f in ev.fees] == [("sim_card_fee", 1000)]
    vip = expect(personal("sim_replacement", line={"vip": True}), "accepted")
    assert vip.fees == []  # VIP policy: free in the example tariff


def test_prepayment_refund() -> None:
    d = {"amount": 20, "paid_by": "card"}
    expect(personal("prepayment_refund", details=d), "incomplete", [],
           ["payment_invoice|lost_invoice_proof"])
    ev = expect(personal("prepayment_refund", documents=["lost_invoice_proof"], details=d),
                "accepted")
    assert [(f.item, f.amount_fen) for f in ev.fees] == [("prepayment_refund", -2000)]
    expect(personal("prepayment_refund", documents=["payment_invoice"], details=d,
                    line={"contract_end": FUTURE}), "rejected", ["in_contract"])
    expect(personal("prepayment_refund", documents=["payment_invoice"],
                    details={"amount": 99, "paid_by": "cash"}), "rejected", ["not_eligible"])
    g = group("prepayment_refund", details=d)
    expect(g, "incomplete", [], ["payment_invoice|lost_invoice_proof"])


def test_bill_payment_clears_arrears_with_late_fee() -> None:
    ev = expect(personal("bill_payment", line={"arrears": 58, "status": "arrears_stop"},
                         details={"amount": 58}), "accepted")
    assert ev.line_changes["arrears_fen"] == 0 and ev.line_changes["status"] == "active"
    late = expect(personal("bill_payment", line={"arrears": 100},
                           details={"amount": 110, "overdue_days": 10}), "accepted")
    assert [(f.item, f.amount_fen) for f in late.fees] == [("payment", 11000), ("late_fee", 300)]
    assert late.line_changes["arrears_fen"] == 0
    expect(personal("bill_payment"), "incomplete", [], ["amount"])


def test_points() -> None:
    expect(personal("points_query"), "incomplete", [], ["service_password"])
    d = {"points": 5000, "item": "话费"}
    expect(personal("points_redeem", documents=["service_password"], details=d), "rejected",
           ["not_eligible"])
    ev = expect(personal("points_redeem", documents=["service_password"],
                         details={"points": 200, "item": "话费"}), "accepted")
    assert ev.line_changes == {"points": 1000}


def test_bill_details() -> None:
    d = {"details": {"month": "2026-10"}}
    expect(group("bill_detail_query", documents=[], **d), "incomplete", [],
           ["introduction_letter"])
    expect(group("bill_detail_print", **d), "accepted")
    franchise = HALL.with_overrides({"own_hall": False})
    expect(group("bill_detail_print", **d), "rejected", ["not_eligible"], hall=franchise)
    ev = expect(personal("bill_detail_mask", details={"categories": "通话"}), "accepted")
    assert ev.fees == []  # default free (domain.md 4.16)
    paid = HALL.with_overrides({"tariff": {**{k: v / 100 for k, v in HALL.tariff_fen.items()},
                                           "bill_detail_mask_fee": 5}})
    ev = expect(personal("bill_detail_mask", details={"categories": "通话"}), "accepted",
                hall=paid)
    assert [(f.item, f.amount_fen) for f in ev.fees] == [("bill_detail_mask_fee", 500)]


def test_password_reset_rules() -> None:
    expect(personal("password_reset", line={"blacklisted": True}), "rejected", ["blacklisted"])
    expect(personal("password_reset", line={"arrears": 3}), "rejected", ["arrears_outstanding"])
    expect(as_agent(personal("password_reset"), ["resident_id", "authorization_letter"]),
           "rejected", ["proxy_not_allowed"])
    ev = expect(personal("password_reset"), "accepted")
    assert any("营业员不可见" in n.zh for n in ev.notices)


def test_fault_report_deadlines() -> None:
    ev = expect(personal("fault_report", details={"fault_type": "ordinary",
                                                  "description": "断网"}), "accepted")
    (fu,) = ev.follow_ups
    assert fu.task == "restore_service"
    cut = expect(personal("fault_report", details={"fault_type": "cable_cut",
                                                   "description": "光缆"}), "accepted")
    assert (cut.follow_ups[0].due - fu.due).total_seconds() == 12 * 3600
    assert cut.effective is not None and cut.effective.code() == "time_limit:PT24H"


def test_account_unlock_and_lifecycle() -> None:
    pre = {"payment": "prepaid", "prepaid_phase": "locked"}
    expect(personal("account_unlock", documents=["sim_card"]), "rejected", ["not_prepaid",
                                                                            "not_eligible"])
    expect(personal("account_unlock", documents=["sim_card"], line={**pre, "lock_expired": True}),
           "rejected", ["lock_expired"])
    expect(personal("account_unlock", line=pre), "incomplete", [], ["sim_card|service_password"])
    ev = expect(personal("account_unlock", documents=["service_password"], line=pre), "accepted")
    assert ev.line_changes == {"prepaid_phase": "valid"}  # balance 35.5 > 0
    expect(personal("lifecycle_query", documents=["sim_card"]), "rejected", ["not_prepaid"])


def test_realname_registration_by_carrier() -> None:
    stopped = {"realname": "incomplete", "status": "double_stop"}
    ev = expect(personal("realname_registration", line=stopped), "accepted")
    assert ev.line_changes == {"realname": "complete", "status": "active"}
    agent = as_agent(personal("realname_registration", line=stopped),
                     ["resident_id", "sim_card", "authorization_letter"])
    expect(agent, "rejected", ["proxy_not_allowed"])  # unicom
    for carrier in ("telecom", "mobile"):
        expect({**agent, "carrier": carrier}, "accepted")
    missing = as_agent(personal("realname_registration", line=stopped, carrier="mobile"), [])
    expect(missing, "incomplete", [], ["resident_id", "sim_card", "authorization_letter"])
    g = group("realname_registration", line=stopped, documents=[])
    expect(g, "incomplete", [], ["org_code_certificate|business_license",
                                 "introduction_letter|subuser_list", "sim_card"])
    expect(personal("realname_registration"), "rejected", ["not_eligible"])


def test_complaint_follow_ups() -> None:
    ev = expect(personal("complaint", line=None, details={"subject": "网速", "description": "慢"}),
                "accepted")
    assert [f.task for f in ev.follow_ups] == ["answer_complaint", "complaint_callback"]


def test_campaign_tiers_and_debit_card() -> None:
    d = {"action": "subscribe", "product": "网龄回馈", "campaign": "group_tenure_reward",
         "tier": "tier1_new", "group_member": True, "joined_on": "2015-03-01"}
    req = personal("product_reservation", details=d)
    expect(req, "incomplete", [], ["bank_debit_card"])
    req["documents"] = ["bank_debit_card"]
    ev = expect(req, "accepted")
    assert [(f.item, f.amount_fen) for f in ev.fees] == [("campaign_prepayment", 13900)]
    old = personal("product_reservation", documents=["bank_debit_card"],
                   details={**d, "joined_on": "2009-01-01"})
    expect(old, "rejected", ["not_eligible"])
    old["details"]["tier"] = "tier1_old"
    assert run(old).fees[0].amount_fen == 10900
    credit = personal("product_reservation", documents=["bank_debit_card"],
                      details={**d, "bank_card_kind": "credit"})
    expect(credit, "rejected", ["document_not_accepted"])
    expired = personal("product_reservation", documents=["bank_debit_card"], details=d,
                       business_date="2028-03-01")
    expect(expired, "rejected", ["not_eligible"])


def test_messages_in_english() -> None:
    ev = evaluate(parse_request(personal("sim_replacement", line={"arrears": 58})), CATALOG,
                  HALL, lang="en")
    assert ev.violations[0].message == "The line owes 58.00 yuan, which must be paid first"
    assert "58.00" in ev.violations[0].next_step


# --- malformed input ------------------------------------------------------------------------

@pytest.mark.parametrize("mutate, field", [
    (lambda r: r["line"].update(arrears="58"), "line.arrears"),
    (lambda r: r["line"].update(arrears=True), "line.arrears"),
    (lambda r: r["line"].update(arrears=-1), "line.arrears"),
    (lambda r: r["line"].update(balance=1.005), "line.balance"),
    (lambda r: r["line"].update(contract_end="2026-02-30"), "line.contract_end"),
    (lambda r: r["line"].update(status="sleeping"), "line.status"),
    (lambda r: r["line"].update(colour="red"), "line.colour"),
    (lambda r: r.update(business_date="2026-13-01"), "business_date"),
    (lambda r: r.update(extra=1), "extra"),
    (lambda r: r.update(documents="sim_card"), "documents"),
    (lambda r: r["customer"].update(kind="alien"), "customer.kind"),
    (lambda r: r["customer"].update(name="a\x00b"), "customer.name"),
    (lambda r: r["presenter"]["id_document"].update(number=12), "presenter.id_document.number"),
    (lambda r: r.update(signature="yes"), "signature"),
])
def test_malformed_fields_are_named(mutate: Any, field: str) -> None:
    req = personal("report_loss")
    mutate(req)
    with pytest.raises(RequestError) as err:
        parse_request(req)
    assert err.value.field == field


@pytest.mark.parametrize("details, field", [
    ({"new_number": "12345"}, "details.new_number"),
    ({"new_number": 13012345678}, "details.new_number"),
    ({"colour": "red"}, "details.colour"),
])
def test_malformed_details_are_named(details: dict[str, Any], field: str) -> None:
    with pytest.raises(RequestError) as err:
        run(personal("number_change", details=details))
    assert err.value.field == field


def test_missing_line_for_a_line_service() -> None:
    with pytest.raises(RequestError) as err:
        run(personal("report_loss", line=None))
    assert err.value.field == "line"


def test_agent_id_is_checked_too() -> None:
    req = as_agent(personal("report_loss"), ["resident_id", "authorization_letter"])
    req["presenter"]["id_document"]["number"] = AGENT_ID[:-1] + "0"
    expect(req, "rejected", ["invalid_document_number"])


def test_business_date_defaults_to_the_halls_local_date() -> None:
    req = parse_request({k: v for k, v in personal("report_loss").items()
                         if k != "business_date"})
    assert evaluate(req, CATALOG, HALL, now=NOW).business_date == DAY
    late = datetime(2026, 12, 31, 23, 59, 30, tzinfo=UTC)  # 07:59:30 in the hall, in 2027
    assert evaluate(req, CATALOG, HALL, now=late).business_date == date(2027, 1, 1)
    with pytest.raises(ValueError, match="now="):  # never the machine's clock
        evaluate(req, CATALOG, HALL)


def test_line_builder_defaults() -> None:
    assert line()["number"] == "13012345678"
