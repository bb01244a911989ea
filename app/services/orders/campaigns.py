"""Campaigns at the counter, the parts that read the database: the gifts a tier offers with
what this counter has of each, whether a line took a campaign's first tier before, and the
campaign section of an order's papers (by name, with the terms as recorded).

The rules (fields, tiers, terms) are the core's (`app.core.campaigns`); handing the gift over
and refusing it when none is counted here is the stock's (`app.services.stock.issues`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.core import campaigns
from app.core.catalog import CampaignTier, Catalog, Text
from app.db import Database
from app.models import ServiceOrder
from app.printing import CampaignRow
from app.services.day.items import gift_item
from app.services.hall.registry import Actor

# Details printed in the campaign section by name rather than as raw codes among the details.
CHOICE_KEYS = ("campaign", "tier", "gift")
TIER1_PREFIX = "tier1"  # tiers a later tier's `details.took_tier1` refers to


@dataclass(frozen=True)
class GiftChoice:
    code: str
    name: Text
    on_hand: int | None  # at the clerk's counter; None when not known (no counter)


def gift_choices(db: Database, actor: Actor, tier: CampaignTier) -> list[GiftChoice]:
    """The gifts `tier` offers, each with how many this counter has now (the stock's own
    count: `app.services.stock.ledger.on_hand`)."""
    if not tier.gifts:
        return []
    if actor.channel != "counter":
        return [GiftChoice(g.code, g.name, None) for g in tier.gifts]
    from app.services.stock.ledger import on_hand

    with db.read() as s:
        have = on_hand(s, actor.counter_id)
    return [GiftChoice(g.code, g.name, max(0, have.get(gift_item(g.code), 0)))
            for g in tier.gifts]


def took_first_tier(db: Database, line_number: str, campaign: str) -> bool:
    """Whether an accepted order of this line took a first tier of `campaign` (so the wizard
    can tick "took tier 1" for the clerk, who may still change it)."""
    with db.read() as s:
        rows = s.execute(select(ServiceOrder.details).where(
            ServiceOrder.line_number == line_number, ServiceOrder.status == "accepted",
            ServiceOrder.service.in_(("product_reservation", "new_activation")))).scalars()
        return any(isinstance(d, dict) and d.get("campaign") == campaign
                   and str(d.get("tier") or "").startswith(TIER1_PREFIX) for d in rows)


def detail_label(key: str) -> str | None:
    """The Chinese label of a campaign field (joined_on -> 入网日期), for the papers."""
    spec = campaigns.field_spec(key)
    return spec.label.zh if spec is not None else None


def detail_value(key: str, value: Any) -> Any:
    """A campaign field's value as the papers say it (debit -> 借记卡)."""
    kind = campaigns.BANK_CARD_KINDS.get(value) if key == "bank_card_kind" and \
        isinstance(value, str) else None
    return kind.zh if kind is not None else value


def campaign_row(catalog: Catalog, order: ServiceOrder) -> CampaignRow | None:
    """The campaign section of the order's papers: the terms recorded with the order (what
    the customer signed), else (an order recorded before terms were kept) the catalog's."""
    details = order.details or {}
    code = details.get("campaign")
    if not code:
        return None
    recorded: dict[str, Any] | None = (order.outcome or {}).get("campaign")
    if isinstance(recorded, dict):
        gift = recorded.get("gift_name") or {}
        return CampaignRow(_zh(recorded.get("campaign_name"), code),
                           _zh(recorded.get("tier_name"), str(details.get("tier") or "")),
                           gift.get("zh") if isinstance(gift, dict) else None,
                           _zh(recorded.get("words"), ""))
    terms = campaigns.terms_of(catalog, details, order.business_date)
    if terms is None:
        campaign = catalog.campaigns.get(code)
        return CampaignRow(campaign.name.zh if campaign else str(code),
                           str(details.get("tier") or "—"), None, "—")
    return CampaignRow(terms.campaign_name.zh, terms.tier_name.zh,
                       terms.gift_name.zh if terms.gift_name else None, terms.words("zh"))


def _zh(value: Any, default: str) -> str:
    return str(value.get("zh") or default) if isinstance(value, dict) else default
