"""Campaigns at the counter (营销活动): the fields a campaign asks for, the tier a customer may
take and why another is refused (in words, never a condition's source), the gift, and the
terms an order records.

Pure functions over the catalog's data (`resources/catalog/campaigns.toml`) and a request's
coerced details; the engine and the `not_eligible` rule call them, the wizard asks them which
fields to show and which tier to propose.

A tier's term runs from the business date for `term_months` months: a 10-month term taken on
2026-11-22 ends on 2027-09-21 (its last day). Its prepayment is what may be used at once
(`free_to_use`) plus what comes back each month of the term (`monthly_return`); the catalog
loader checks that the two add up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from app.core.catalog import Campaign, CampaignTier, Catalog, DetailField, Gift, Text
from app.core.conditions import Condition
from app.core.durations import add_months
from app.core.money import format_yuan

CAMPAIGN_DETAILS = (
    DetailField("campaign", "text", Text("营销活动", "Campaign")),
    DetailField("tier", "text", Text("活动档次", "Tier")),
    DetailField("gift", "text", Text("赠品", "Gift")),
    DetailField("bank_card_kind", "text", Text("银行卡类型", "Bank card kind")),
    DetailField("joined_on", "date", Text("入网日期", "Joined on")),
    DetailField("group_member", "bool", Text("集团成员", "Group member")),
    DetailField("took_tier1", "bool", Text("已参加一档", "Took tier 1")),
)
# The details a tier's eligibility may read (`details.<field>` in campaigns.toml).
ELIGIBILITY_FIELDS = ("joined_on", "group_member", "took_tier1")
# A campaign paid through bank-linked payment asks which kind of card is shown (a credit card
# is refused by the engine).
BANK_CARD_DOCUMENT = "bank_debit_card"
BANK_CARD_KINDS = {"debit": Text("借记卡", "Debit card"), "credit": Text("信用卡", "Credit card")}
TERM_END_TASK = "campaign_term_end"
_SPECS = {d.key: d for d in CAMPAIGN_DETAILS}


def field_spec(key: str) -> DetailField | None:
    return _SPECS.get(key)


def yuan(fen: int) -> str:
    """An amount as the slip says it: 58, 19.50."""
    return format_yuan(fen).removesuffix(".00")


# --- which fields, which tier --------------------------------------------------------------

def _detail_key(cond: Condition) -> str | None:
    return cond.path[1] if cond.path[0] == "details" and len(cond.path) == 2 else None


def tier_fields(tier: CampaignTier) -> list[str]:
    """The details this tier's eligibility reads, in the order of `CAMPAIGN_DETAILS`."""
    keys = {_detail_key(c) for c in tier.eligibility}
    return [k for k in ELIGIBILITY_FIELDS if k in keys]


def fields_needed(campaign: Campaign) -> list[DetailField]:
    """What the counter asks for this campaign: every field its tiers' eligibility reads
    (so that a tier can be proposed), and the bank card's kind when it is paid by card."""
    keys = {k for t in campaign.tiers for k in tier_fields(t)}
    if BANK_CARD_DOCUMENT in campaign.documents:
        keys.add("bank_card_kind")
    return [d for d in CAMPAIGN_DETAILS if d.key in keys]


def _absent(details: Mapping[str, Any], key: str) -> bool:
    """A field not given. A yes/no field is never absent: not ticked is no."""
    spec = _SPECS.get(key)
    return details.get(key) is None and not (spec is not None and spec.type == "bool")


def missing_fields(tier: CampaignTier, details: Mapping[str, Any]) -> list[str]:
    """The fields this tier needs that the request leaves empty (it is then incomplete)."""
    return [k for k in tier_fields(tier) if _absent(details, k)]


def unmet(tier: CampaignTier, facts: dict[str, Any]) -> list[Condition]:
    """The tier's conditions the request does not meet; a condition on a field not given yet
    is not counted (the field is missing, not failed)."""
    details = facts.get("details") or {}
    return [c for c in tier.eligibility if not c.evaluate(facts)
            and not ((key := _detail_key(c)) is not None and _absent(details, key))]


def eligible_tiers(campaign: Campaign, facts: dict[str, Any]) -> list[CampaignTier]:
    """The tiers whose every condition holds on what was given (fields left empty count as
    not holding here: a proposal needs them)."""
    return [t for t in campaign.tiers if all(c.evaluate(facts) for c in t.eligibility)]


def propose_tier(campaign: Campaign, facts: dict[str, Any]) -> CampaignTier | None:
    """The tier to offer: the first one, in the catalog's order, the customer may take."""
    found = eligible_tiers(campaign, facts)
    return found[0] if found else None


_OPS = {  # op -> (zh for dates, zh for numbers, en for dates, en for numbers)
    ">=": ("不早于", "不少于", "on or after", "at least"),
    ">": ("晚于", "多于", "after", "more than"),
    "<=": ("不晚于", "不超过", "on or before", "at most"),
    "<": ("早于", "少于", "before", "less than"),
    "==": ("为", "为", "", ""),
    "!=": ("不能为", "不能为", "not", "not"),
}


def _shown(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return ("yes" if value else "no") if lang == "en" else ("是" if value else "否")
    if isinstance(value, date):
        return value.isoformat()
    return "-" if value is None else str(value)


def describe(cond: Condition, details: Mapping[str, Any]) -> Text:
    """Why one condition fails, in words: "入网日期为 2009-01-01，须不早于 2011-01-01"."""
    key = _detail_key(cond)
    spec = _SPECS.get(key or "")
    if spec is None:
        return Text(f"不满足条件“{cond.source}”", f"the condition {cond.source!r} is not met")
    label = spec.label
    value = details.get(spec.key)
    if cond.op is None:  # a yes/no field
        want = not cond.negate
        return Text(f"{label.zh}为“{_shown(bool(value), 'zh')}”，须为“{_shown(want, 'zh')}”",
                    f"{label.en} is {_shown(bool(value), 'en')}: must be {_shown(want, 'en')}")
    if value is None:
        return Text(f"未填写{label.zh}", f"{label.en} is not given")
    zh_date, zh_num, en_date, en_num = _OPS[cond.op]
    is_date = isinstance(cond.value, date)
    wanted = _shown(cond.value, "zh")
    en_op = en_date if is_date else en_num
    return Text(f"{label.zh}为 {_shown(value, 'zh')}，须{zh_date if is_date else zh_num} {wanted}",
                f"{label.en} is {_shown(value, 'en')}: must be "
                f"{en_op + ' ' if en_op else ''}{wanted}")


# --- the chosen campaign --------------------------------------------------------------------

def chosen(catalog: Catalog, details: Mapping[str, Any]
           ) -> tuple[Campaign | None, CampaignTier | None]:
    campaign = catalog.campaigns.get(details.get("campaign") or "")
    tier = campaign.tier(details.get("tier") or "") if campaign else None
    return campaign, tier


def chosen_gift(catalog: Catalog, details: Mapping[str, Any]) -> Gift | None:
    """The gift the order hands over: the one chosen, or the tier's default."""
    _campaign, tier = chosen(catalog, details)
    return tier.gift(details.get("gift")) if tier else None


def with_defaults(catalog: Catalog, details: dict[str, Any]) -> dict[str, Any]:
    """The details with the tier's default gift filled in when none was chosen (so the order
    records the gift it hands over)."""
    _campaign, tier = chosen(catalog, details)
    if tier is not None and tier.gifts and not details.get("gift"):
        return {**details, "gift": tier.gifts[0].code}
    return details


def problem(catalog: Catalog, service: str, day: date, details: Mapping[str, Any],
            facts: dict[str, Any]) -> Text | None:
    """Why the campaign asked for cannot be taken, in Chinese and English; None when it can
    (or when none is asked for)."""
    code = details.get("campaign")
    if not code:
        return None
    campaign = catalog.campaigns.get(code)
    if campaign is None:
        return Text(f"营销活动“{code}”不存在", f"there is no campaign {code!r}")
    name = campaign.name
    if service not in campaign.services:
        return Text(f"营销活动“{name.zh}”不适用于本业务", f"{name.en} is not offered with this service")
    if not campaign.start <= day <= campaign.end:
        return Text(f"营销活动“{name.zh}”办理时间为 {campaign.start} 至 {campaign.end}",
                    f"{name.en} runs from {campaign.start} to {campaign.end}")
    tier = campaign.tier(details.get("tier") or "")
    if tier is None:
        return Text(f"请选择活动档次（{'、'.join(t.name.zh for t in campaign.tiers)}）",
                    f"choose a tier ({'; '.join(t.name.en for t in campaign.tiers)})")
    if details.get("gift") and tier.gift(details["gift"]) is None:
        offered = "、".join(g.name.zh for g in tier.gifts) or "无"
        return Text(f"“{tier.name.zh}”没有赠品“{details['gift']}”（可选：{offered}）",
                    f"{tier.name.en} offers no gift {details['gift']!r}")
    failed = unmet(tier, facts)
    if not failed:
        return None
    why = describe(failed[0], details)
    other = propose_tier(campaign, facts)
    hint_zh = f"；可办理“{other.name.zh}”" if other is not None else ""
    hint_en = f"; {other.name.en} may be taken" if other is not None else ""
    return Text(f"参加“{tier.name.zh}”，{why.zh}{hint_zh}",
                f"for {tier.name.en}, {why.en}{hint_en}")


# --- the terms ------------------------------------------------------------------------------

def term_end(start: date, months: int) -> date | None:
    """The last day of a term of `months` months from `start` (None: no term): the day
    before the same day `months` later (2026-11-22 + 10 -> 2027-09-21), or the month's last
    day when that month is too short (2027-01-31 + 1 -> 2027-02-28)."""
    if months <= 0:
        return None
    same_day = add_months(start, months)  # clamped to the month's last day
    return same_day if same_day.day < start.day else same_day - timedelta(days=1)


@dataclass(frozen=True)
class CampaignTerms:
    """What the customer agrees to, as recorded on the order and printed on the slip."""

    campaign: str
    campaign_name: Text
    tier: str
    tier_name: Text
    gift: str | None
    gift_name: Text | None
    prepayment_fen: int
    free_to_use_fen: int
    monthly_minimum_fen: int
    term_months: int
    monthly_return_fen: int
    refundable: bool
    starts_on: date
    ends_on: date | None

    def words(self, lang: str = "zh") -> str:
        """The terms in one sentence: "预存 139 元（其中 19 元可即时使用），最低消费每月
        19 元，合约期 10 个月（2026-11-22 至 2027-09-21），每月返还 12 元，预存款可退"."""
        en = lang.startswith("en")
        parts: list[str] = []
        if self.prepayment_fen:
            text = (f"prepay {yuan(self.prepayment_fen)} yuan" if en
                    else f"预存 {yuan(self.prepayment_fen)} 元")
            if self.monthly_return_fen and self.free_to_use_fen:
                text += (f" ({yuan(self.free_to_use_fen)} yuan usable at once)" if en
                         else f"（其中 {yuan(self.free_to_use_fen)} 元可即时使用）")
            parts.append(text)
        if self.monthly_minimum_fen:
            parts.append(f"minimum spend {yuan(self.monthly_minimum_fen)} yuan a month" if en
                         else f"最低消费每月 {yuan(self.monthly_minimum_fen)} 元")
        else:
            parts.append("no minimum spend" if en else "无最低消费")
        if self.ends_on is not None:
            span = f"{self.starts_on.isoformat()} {'to' if en else '至'} {self.ends_on.isoformat()}"
            parts.append(f"term {self.term_months} months ({span})" if en
                         else f"合约期 {self.term_months} 个月（{span}）")
        else:
            parts.append("no term" if en else "无合约期")
        if self.monthly_return_fen:
            parts.append(f"{yuan(self.monthly_return_fen)} yuan returned each month" if en
                         else f"每月返还 {yuan(self.monthly_return_fen)} 元")
        if self.prepayment_fen:
            parts.append(("prepayment refundable" if self.refundable else
                          "prepayment not refundable") if en
                         else ("预存款可退" if self.refundable else "预存款不退"))
        return (", " if en else "，").join(parts)

    def follow_up_name(self) -> Text:
        """The follow-up at the term's end (at most 100 characters, as stored)."""
        return Text(f"营销活动合约期满：{self.campaign_name.zh}（{self.tier_name.zh}）"[:100],
                    f"Campaign term ends: {self.campaign_name.en} ({self.tier_name.en})"[:100])

    def to_json(self) -> dict[str, Any]:
        def text(t: Text | None) -> dict[str, str] | None:
            return {"zh": t.zh, "en": t.en} if t is not None else None

        return {
            "campaign": self.campaign, "campaign_name": text(self.campaign_name),
            "tier": self.tier, "tier_name": text(self.tier_name),
            "gift": self.gift, "gift_name": text(self.gift_name),
            "prepayment_fen": self.prepayment_fen, "free_to_use_fen": self.free_to_use_fen,
            "monthly_minimum_fen": self.monthly_minimum_fen, "term_months": self.term_months,
            "monthly_return_fen": self.monthly_return_fen, "refundable": self.refundable,
            "starts_on": self.starts_on.isoformat(),
            "ends_on": self.ends_on.isoformat() if self.ends_on else None,
            "words": {"zh": self.words("zh"), "en": self.words("en")},
        }


def terms_of(catalog: Catalog, details: Mapping[str, Any], day: date) -> CampaignTerms | None:
    """The terms of the campaign tier the details choose, taken on business date `day`."""
    campaign, tier = chosen(catalog, details)
    if campaign is None or tier is None:
        return None
    gift = tier.gift(details.get("gift"))
    return CampaignTerms(
        campaign.code, campaign.name, tier.code, tier.name, gift.code if gift else None,
        gift.name if gift else None, tier.prepayment_fen, tier.free_to_use_fen,
        tier.monthly_minimum_fen, tier.term_months, tier.monthly_return_fen, tier.refundable,
        day, term_end(day, tier.term_months))
