"""The service catalog: data in `resources/catalog/`, validated when it loads.

One TOML file per service (documents per customer kind, presenter role and carrier; details to
record; rules by code; fees from the tariff; time to effect; follow-ups; notices), plus the
document types, rule messages and campaigns. This module holds what the catalog is made of and
`get_catalog()`; `app.core.catalog_loader` reads and checks the files. A mistake in the data
stops start-up with a `CatalogError` that names the file and the entry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from app.core import domain
from app.core.conditions import Condition

DETAIL_TYPES = ("text", "enum", "bool", "date", "money", "mobile", "int", "month", "id_document")
EFFECTIVE_KINDS = ("immediate", "within_24h", "scheduled", "time_limit")
PLACEHOLDERS = ("$owner_id", "$unit_registration")
SERVICE_CODES = (
    "new_activation", "ownership_transfer", "number_change", "relocation", "cancellation",
    "suspend_keep_number", "resume", "report_loss", "cancel_loss", "intl_roaming_open",
    "intl_roaming_close", "info_change", "product_reservation", "sim_replacement",
    "prepayment_refund", "bill_payment", "points_query", "points_redeem", "bill_detail_query",
    "bill_detail_print", "bill_detail_mask", "password_reset", "fault_report",
    "account_unlock", "lifecycle_query", "realname_registration", "complaint",
    "value_card_sale",
)


class CatalogError(ValueError):
    def __init__(self, file: str, entry: str, problem: str) -> None:
        super().__init__(f"{file}: {entry}: {problem}")
        self.file, self.entry, self.problem = file, entry, problem


@dataclass(frozen=True)
class Text:
    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang.startswith("en") else self.zh


@dataclass(frozen=True)
class DocumentType:
    code: str
    name: Text
    category: str  # personal_id | group_id | supporting | pseudo
    expires: bool = False  # has a validity period: its last day is recorded and checked


@dataclass(frozen=True)
class Requirement:
    any_of: tuple[str, ...]
    kinds: tuple[str, ...] = domain.CUSTOMER_KINDS
    roles: tuple[str, ...] = domain.PRESENTER_ROLES
    carriers: tuple[str, ...] = domain.CARRIERS
    when: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class Choice:
    value: str
    label: Text


@dataclass(frozen=True)
class DetailField:
    key: str
    type: str
    label: Text
    required: bool = False
    choices: tuple[Choice, ...] = ()
    when: tuple[Condition, ...] = ()
    kinds: tuple[str, ...] = domain.CUSTOMER_KINDS
    default: Any = None


@dataclass(frozen=True)
class RuleRef:
    code: str
    params: Mapping[str, Any]
    when: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class FeeRef:
    item: str
    name: Text
    tariff: str | None = None  # a key of the hall's tariff table
    amount_from: str | None = None  # a details key holding the amount
    compute: str | None = None  # a named computation in app.core.fees
    per: str | None = None  # a details key to multiply by (e.g. months)
    when: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class FollowUpRef:
    task: str
    name: Text
    due: str  # ISO-8601 duration: P2M, PT12H, P1D
    when: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class EffectiveRef:
    kind: str
    text: Text
    date_from: str | None = None  # details key of a scheduled date
    when: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class Notice:
    text: Text
    when: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class Service:
    code: str
    name: Text
    group: str
    needs_line: bool
    signature: bool
    copies_retained: bool
    documents: tuple[Requirement, ...]
    details: tuple[DetailField, ...]
    rules: tuple[RuleRef, ...]
    fees: tuple[FeeRef, ...]
    follow_ups: tuple[FollowUpRef, ...]
    effective: tuple[EffectiveRef, ...]
    notices: tuple[Notice, ...]
    effect: str | None  # a named change to the line in app.core.effects
    campaigns: bool = False
    shortcut: str = ""
    description: Text = Text("", "")

    def detail(self, key: str) -> DetailField | None:
        return next((d for d in self.details if d.key == key), None)


@dataclass(frozen=True)
class Gift:
    code: str  # stock item `gift:<code>` (app.services.day.items)
    name: Text


@dataclass(frozen=True)
class CampaignTier:
    code: str
    name: Text
    eligibility: tuple[Condition, ...]
    prepayment_fen: int
    gift_code: str | None  # the default gift: the first of `gifts`
    gift_name: Text | None
    monthly_minimum_fen: int
    term_months: int
    free_to_use_fen: int
    monthly_return_fen: int
    refundable: bool
    gifts: tuple[Gift, ...] = ()  # the gifts the customer may choose from (one is handed over)

    def gift(self, code: str | None) -> Gift | None:
        """The gift `code` if this tier offers it; without a code, the default gift."""
        if not code:
            return self.gifts[0] if self.gifts else None
        return next((g for g in self.gifts if g.code == code), None)


@dataclass(frozen=True)
class Campaign:
    code: str
    name: Text
    start: date
    end: date
    services: tuple[str, ...]
    documents: tuple[str, ...]
    tiers: tuple[CampaignTier, ...]
    notes: Text

    def tier(self, code: str) -> CampaignTier | None:
        return next((t for t in self.tiers if t.code == code), None)


@dataclass(frozen=True)
class RuleText:
    code: str
    name: Text
    message: Text  # may hold {placeholders} the rule fills in
    next_step: Text


@dataclass
class Catalog:
    services: dict[str, Service]
    documents: dict[str, DocumentType]
    rule_texts: dict[str, RuleText]
    campaigns: dict[str, Campaign]
    source: Path = field(default=Path())

    def document_name(self, code: str, lang: str = "zh") -> str:
        doc = self.documents.get(code)
        return doc.name.get(lang) if doc else code

    def personal_id_types(self) -> set[str]:
        return {c for c, d in self.documents.items() if d.category == "personal_id"}

    def group_id_types(self) -> set[str]:
        return {c for c, d in self.documents.items() if d.category == "group_id"}

    def expiring_types(self) -> set[str]:
        """Document types with a validity period (the GUI asks for its last day)."""
        return {c for c, d in self.documents.items() if d.expires}


_cache: dict[Path, Catalog] = {}
_default: Catalog | None = None


def default_catalog_dir() -> Path:
    from app.resources import resource_path

    return resource_path("catalog")


def get_catalog(directory: Path | None = None) -> Catalog:
    """The catalog, loaded once per process (it is immutable data)."""
    if directory is None:  # the shipped one: found once, not a path resolved per order
        global _default
        if _default is None:
            _default = get_catalog(default_catalog_dir())
        return _default
    d = directory.resolve()
    if d not in _cache:
        from app.core.catalog_loader import load_catalog  # the loader reads these types

        _cache[d] = load_catalog(d)
    return _cache[d]


ServiceFilter = Callable[[Service], bool]
