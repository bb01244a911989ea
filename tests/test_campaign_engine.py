"""Campaigns at the counter, in the pure core (issue #14): each tier taken or refused by its
own data, the refusal in words (never a condition's source), the fields a campaign asks for,
the tier proposed from them, the gift, and the terms with their end date, follow-up and line
lock."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from app.core import campaigns
from app.core.catalog import CatalogError, default_catalog_dir, get_catalog
from app.core.catalog_loader import load_catalog
from app.core.conditions import parse
from app.core.config import load_hall_config
from app.core.context import build_facts
from app.core.engine import Evaluation, evaluate
from app.core.request import parse_request
from tests.builders import DAY, NOW, line, personal

CATALOG = get_catalog()
HALL = load_hall_config()
TENURE = CATALOG.campaigns["group_tenure_reward"]
MEMBER = {"group_member": True}


def reserve(tier: str, documents: tuple[str, ...] = ("bank_debit_card",),
            campaign: str = "group_tenure_reward", **fields: Any) -> dict[str, Any]:
    details = {"action": "subscribe", "product": "网龄回馈", "campaign": campaign,
               "tier": tier, **fields}
    return personal("product_reservation", details=details, documents=list(documents))


def run(req: dict[str, Any], lang: str = "zh") -> Evaluation:
    return evaluate(parse_request(req), CATALOG, HALL, now=NOW, lang=lang)


def refusal(ev: Evaluation) -> str:
    assert ev.decision == "rejected", (ev.decision, ev.missing)
    assert [v.rule for v in ev.violations] == ["not_eligible"]
    return ev.violations[0].message


# --- each tier, eligible and not ------------------------------------------------------------

@pytest.mark.parametrize("tier, fields, fee", [
    ("tier1_new", {**MEMBER, "joined_on": "2011-01-01"}, 13900),
    ("tier1_new", {**MEMBER, "joined_on": "2019-06-30", "took_tier1": False}, 13900),
    ("tier1_old", {**MEMBER, "joined_on": "2010-12-31"}, 10900),
    ("tier2", {**MEMBER, "took_tier1": True}, 9900),
])
def test_an_eligible_tier_is_accepted_with_its_prepayment(tier: str, fields: dict[str, Any],
                                                          fee: int) -> None:
    ev = run(reserve(tier, **fields))
    assert ev.decision == "accepted", [v.message for v in ev.violations]
    assert [(f.item, f.amount_fen) for f in ev.fees] == [("campaign_prepayment", fee)]
    assert ev.campaign is not None and ev.campaign.tier == tier


@pytest.mark.parametrize("tier, fields, words", [
    ("tier1_new", {**MEMBER, "joined_on": "2010-12-31"},
     "参加“一档（2011年1月1日及以后入网）”，入网日期为 2010-12-31，须不早于 2011-01-01；"
     "可办理“一档（2011年1月1日前入网）”"),
    ("tier1_new", {"joined_on": "2015-03-01"},
     "参加“一档（2011年1月1日及以后入网）”，集团成员为“否”，须为“是”"),
    ("tier1_new", {**MEMBER, "joined_on": "2015-03-01", "took_tier1": True},
     "已参加一档为“是”，须为“否”；可办理“二档（已参加一档）”"),
    ("tier1_old", {**MEMBER, "joined_on": "2011-01-01"},
     "入网日期为 2011-01-01，须早于 2011-01-01；可办理“一档（2011年1月1日及以后入网）”"),
    ("tier2", {**MEMBER, "joined_on": "2015-03-01"}, "已参加一档为“否”，须为“是”"),
    ("tier2", {"took_tier1": True}, "集团成员为“否”，须为“是”"),
])
def test_an_ineligible_tier_is_refused_in_words(tier: str, fields: dict[str, Any],
                                                words: str) -> None:
    message = refusal(run(reserve(tier, **fields)))
    assert words in message
    assert "details." not in message and ">=" not in message  # never the condition's source


def test_the_refusal_in_english() -> None:
    message = refusal(run(reserve("tier1_old", **MEMBER, joined_on="2015-03-01"), lang="en"))
    assert message == ("Not eligible: for Tier 1 (joined before 2011-01-01), Joined on is "
                       "2015-03-01: must be before 2011-01-01; Tier 1 (joined on or after "
                       "2011-01-01) may be taken")


def test_a_campaign_without_conditions_needs_no_fields() -> None:
    ev = run(reserve("sticker_card", documents=(), campaign="mobile_bus_card"))
    assert ev.decision == "accepted", [v.message for v in ev.violations]
    assert ev.campaign is not None and ev.campaign.gift == "bus_sticker_card"
    assert ev.follow_ups == [] and "campaign_until" not in ev.line_changes  # no term


def test_a_field_the_tier_needs_left_empty_makes_the_request_incomplete() -> None:
    ev = run(reserve("tier1_new", **MEMBER))
    assert ev.decision == "incomplete" and ev.missing == ["joined_on"]
    assert ev.violations == []
    assert ev.campaign is not None  # the terms can be shown before the customer signs


def test_tier_names_not_codes_when_no_tier_is_chosen() -> None:
    message = refusal(run(reserve("tier9", **MEMBER)))
    assert "一档（2011年1月1日及以后入网）、一档（2011年1月1日前入网）、二档（已参加一档）" in message
    assert "tier1_new" not in message


def test_the_debit_card_and_the_campaign_dates_still_hold() -> None:
    fields = {**MEMBER, "joined_on": "2015-03-01"}
    assert run(reserve("tier1_new", documents=(), **fields)).missing == ["bank_debit_card"]
    credit = run(reserve("tier1_new", bank_card_kind="credit", **fields))
    assert [v.rule for v in credit.violations] == ["document_not_accepted"]
    late = reserve("tier1_new", **fields)
    late["business_date"] = "2028-01-02"
    assert "2026-01-01 至 2027-12-31" in refusal(evaluate(parse_request(late), CATALOG, HALL))


# --- what the counter asks, and the proposal --------------------------------------------------

def test_each_campaign_asks_for_exactly_the_fields_its_tiers_read() -> None:
    asked = {code: [f.key for f in campaigns.fields_needed(c)]
             for code, c in CATALOG.campaigns.items()}
    assert asked == {"group_tenure_reward": ["bank_card_kind", "joined_on", "group_member",
                                             "took_tier1"],
                     "broadband_speedup": [], "mobile_bus_card": []}
    assert campaigns.tier_fields(TENURE.tiers[2]) == ["group_member", "took_tier1"]


@pytest.mark.parametrize("fields, proposed", [
    ({**MEMBER, "joined_on": date(2015, 3, 1)}, "tier1_new"),
    ({**MEMBER, "joined_on": date(2009, 3, 1)}, "tier1_old"),
    ({**MEMBER, "joined_on": date(2009, 3, 1), "took_tier1": True}, "tier2"),
    ({"joined_on": date(2015, 3, 1)}, None),  # not a group member: no tier
    (MEMBER, None),  # the join date decides between the first tiers
])
def test_the_engine_proposes_the_tier_the_fields_allow(fields: dict[str, Any],
                                                       proposed: str | None) -> None:
    req = parse_request(reserve("tier1_new"))
    facts = build_facts(req, {"campaign": TENURE.code, **fields}, HALL, "unicom", DAY)
    tier = campaigns.propose_tier(TENURE, facts)
    assert (tier.code if tier else None) == proposed


# --- the gift -------------------------------------------------------------------------------

def test_the_gift_defaults_to_the_first_and_may_be_chosen_among_the_tiers() -> None:
    fields = {**MEMBER, "joined_on": "2015-03-01"}
    assert run(reserve("tier1_new", **fields)).details["gift"] == "cooking_oil_5l"
    rice = run(reserve("tier1_new", gift="rice_5kg", **fields))
    assert rice.decision == "accepted" and rice.campaign is not None
    assert rice.campaign.gift_name is not None and rice.campaign.gift_name.zh == "5kg大米一袋"
    message = refusal(run(reserve("tier1_new", gift="cooking_oil_4l", **fields)))
    assert "没有赠品" in message and "5L食用油一桶、5kg大米一袋" in message


# --- the terms ------------------------------------------------------------------------------

def test_the_terms_in_words_with_the_term_end_follow_up_and_line_lock() -> None:
    ev = run(reserve("tier1_new", **MEMBER, joined_on="2015-03-01"))
    terms = ev.campaign
    assert terms is not None and terms.ends_on == date(2027, 9, 21)
    assert terms.words("zh") == ("预存 139 元（其中 19 元可即时使用），最低消费每月 19 元，"
                                 "合约期 10 个月（2026-11-22 至 2027-09-21），每月返还 12 元，"
                                 "预存款可退")
    assert terms.words("en") == ("prepay 139 yuan (19 yuan usable at once), minimum spend 19 "
                                 "yuan a month, term 10 months (2026-11-22 to 2027-09-21), 12 "
                                 "yuan returned each month, prepayment refundable")
    [follow_up] = ev.follow_ups
    assert follow_up.task == "campaign_term_end"
    assert follow_up.due == datetime(2027, 9, 21, 10, 0, tzinfo=NOW.tzinfo)
    assert "政企集团成员网龄回馈" in follow_up.name.zh
    assert ev.line_changes == {"campaign_until": date(2027, 9, 21)}
    recorded = terms.to_json()
    assert recorded["monthly_minimum_fen"] == 1900 and recorded["term_months"] == 10
    assert recorded["monthly_return_fen"] == 1200 and recorded["refundable"] is True
    assert recorded["ends_on"] == "2027-09-21" and recorded["gift"] == "cooking_oil_5l"


def test_a_later_lock_on_the_line_is_kept() -> None:
    req = reserve("tier1_new", **MEMBER, joined_on="2015-03-01")
    req["line"] = line(campaign_until="2028-06-30")
    assert run(req).line_changes == {"campaign_until": date(2028, 6, 30)}


def test_tier_two_has_no_term() -> None:
    ev = run(reserve("tier2", **MEMBER, took_tier1=True))
    assert ev.campaign is not None
    assert ev.campaign.words() == "预存 99 元，无最低消费，无合约期，预存款不退"
    assert ev.follow_ups == [] and ev.line_changes == {}


@pytest.mark.parametrize("start, months, end", [
    (date(2026, 11, 22), 10, date(2027, 9, 21)),
    (date(2026, 3, 1), 1, date(2026, 3, 31)),
    (date(2027, 1, 31), 1, date(2027, 2, 28)),
    (date(2027, 12, 31), 2, date(2028, 2, 29)),
    (date(2026, 5, 15), 12, date(2027, 5, 14)),
    (date(2026, 5, 15), 0, None),
])
def test_term_end_is_the_last_day_of_the_term(start: date, months: int,
                                              end: date | None) -> None:
    assert campaigns.term_end(start, months) == end


def test_a_condition_not_on_a_field_is_described_by_its_source() -> None:
    words = campaigns.describe(parse("line.payment == prepaid"), {})
    assert "line.payment == prepaid" in words.zh


# --- the catalog's checks -------------------------------------------------------------------

def _catalog_with(tmp_path: Path, old: str, new: str) -> Path:
    target = tmp_path / "catalog"
    shutil.copytree(default_catalog_dir(), target)
    path = target / "campaigns.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


@pytest.mark.parametrize("old, new, problem", [
    ("prepayment = 139.00", "prepayment = 138.00", "prepayment must equal"),
    ('"details.took_tier1"]', '"details.took_tier_1"]', "details.<field> must be one of"),
    ("term_months = 10", "term_months = -1", "term_months must be a whole number"),
    ('gifts = [{ code = "cooking_oil_5l"', 'gift = { code = "x" }\ngifts = [{ code = "cooking_oil_5l"',
     "either gift or gifts"),
    ('{ code = "rice_5kg"', '{ code = "cooking_oil_5l"', "listed twice"),
])
def test_the_catalog_refuses_campaign_data_that_does_not_add_up(
        tmp_path: Path, old: str, new: str, problem: str) -> None:
    with pytest.raises(CatalogError) as refused:
        load_catalog(_catalog_with(tmp_path, old, new))
    assert refused.value.file == "campaigns.toml" and problem in refused.value.problem
