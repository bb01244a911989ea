"""What a printed paper shows: a plain, already-masked view of one order.

The printing package never reads the database and never sees a full ID number: the core builds
an `OrderPaper` (masking personal data on the way) and the renderers only lay it out.
Amounts are integer fen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class DocumentRow:
    name: str  # Chinese name of the paper, e.g. "居民身份证"
    original_seen: bool
    copy_retained: bool


@dataclass(frozen=True)
class FeeRow:
    name: str  # e.g. "补卡费"
    amount_fen: int


@dataclass(frozen=True)
class PaymentRow:
    method: str  # e.g. "现金", "银行卡"
    amount_fen: int  # what the hall keeps (实收)
    tendered_fen: int | None = None  # cash handed over, when counted (e.g. 20.00 for 10.00)

    @property
    def received_fen(self) -> int:
        """What the customer handed over (收款): the cash tendered, else the amount."""
        return self.tendered_fen if self.tendered_fen is not None else self.amount_fen


@dataclass(frozen=True)
class FollowUpRow:
    name: str  # e.g. "国际漫游预付款退还"
    due: datetime


@dataclass(frozen=True)
class CampaignRow:
    """The campaign an order takes, by name, with its terms in words (Chinese)."""

    name: str  # e.g. "政企集团成员网龄回馈"
    tier: str  # e.g. "一档（2011年1月1日及以后入网）"
    gift: str | None  # e.g. "5L食用油一桶"
    terms: str  # e.g. "最低消费每月 19 元，合约期 10 个月（…），每月返还 12 元，预存款可退"


@dataclass(frozen=True)
class SignatureInfo:
    png: bytes | None  # the drawn signature, or None when signed on paper
    signed_at: datetime | None
    content_hash: str  # hex SHA-256 of the order content the signature is bound to
    on_paper: bool = False


@dataclass(frozen=True)
class OrderPaper:
    order_no: str
    hall_name: str
    hall_code: str
    counter_no: str
    clerk_name: str
    clerk_no: str
    created_at: datetime  # local time of the hall
    business_date: str  # YYYY-MM-DD
    service_code: str
    service_name: str  # Chinese
    customer_kind: str  # "personal" | "group"
    customer_name: str
    customer_id_type: str  # Chinese name of the document type
    customer_id_masked: str  # e.g. 440106********3414 (never the full number)
    presenter_role: str  # "owner" | "agent"
    presenter_name: str
    presenter_id_type: str
    presenter_id_masked: str
    line_number: str | None
    unit_name: str | None = None
    unit_registration_masked: str | None = None
    details: list[tuple[str, str]] = field(default_factory=list)  # (label, value), Chinese
    documents: list[DocumentRow] = field(default_factory=list)
    fees: list[FeeRow] = field(default_factory=list)
    payments: list[PaymentRow] = field(default_factory=list)
    change_fen: int = 0
    notices: list[str] = field(default_factory=list)  # Chinese sentences the service requires
    follow_ups: list[FollowUpRow] = field(default_factory=list)
    effective: str = ""  # Chinese, e.g. "立即生效", "24小时内生效", "预约生效 2027-01-01"
    signature: SignatureInfo | None = None
    reprint_count: int = 0  # 0 for the first print; n>0 prints "补打（第n次）"
    voided: bool = False
    campaign: CampaignRow | None = None

    @property
    def total_fen(self) -> int:
        return sum(f.amount_fen for f in self.fees)

    @property
    def paid_fen(self) -> int:
        return sum(p.amount_fen for p in self.payments)
