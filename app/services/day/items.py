"""What the counter counts at opening and closing, and the opening checklist (三清三检).

Item codes are stable strings stored in `stock_count`, `stock_movement` and
`shift_close_line`:

* ``sim_card``: blank SIM/USIM cards; ``invoice``: blank invoices (with first/last number);
* ``value_card:<face value in fen>``: value cards (有价卡) by face value;
* ``gift:<gift code>``: campaign gifts, codes from `resources/catalog/campaigns.toml`;
* ``cash:<denomination in fen>``: notes and coins of the cash float;
* ``money:<payment method>``: money taken per payment method (closing only).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core import domain
from app.core.catalog import Catalog, get_catalog
from app.core.money import format_yuan

SIM_CARD = "sim_card"
INVOICE = "invoice"
VALUE_CARD_FACES_FEN = (3000, 5000, 10000)
# Notes and coins of the float, largest first: 100, 50, 20, 10, 5, 1 yuan; 5 and 1 jiao.
DENOMINATIONS_FEN = (10000, 5000, 2000, 1000, 500, 100, 50, 10)


@dataclass(frozen=True)
class CheckItem:
    code: str
    group: str  # clean | count | check | staff
    zh: str
    en: str


# domain.md section 6: "three cleans, three checks", then the staff check.
CHECKLIST: tuple[CheckItem, ...] = (
    CheckItem("clean_hall", "clean", "营业厅内外环境清洁", "Hall clean inside and out"),
    CheckItem("count_sim_cards", "count", "清点SIM卡", "SIM cards counted"),
    CheckItem("count_value_cards", "count", "清点有价卡", "Value cards counted"),
    CheckItem("count_invoices", "count", "清点发票", "Invoices counted"),
    CheckItem("count_small_change", "count", "清点备用零钞", "Small change counted"),
    CheckItem("check_terminals", "check", "柜台终端设备正常", "Counter terminals work"),
    CheckItem("check_counterfeit_detector", "check", "验钞机正常", "Counterfeit-note detector works"),
    CheckItem("check_official_seal", "check", "业务印章齐全", "Official seal present"),
    CheckItem("check_supplies", "check", "办公及客户用品齐全", "Office and customer supplies"),
    CheckItem("check_self_service", "check", "自助终端正常", "Self-service terminals work"),
    CheckItem("check_bill_query", "check", "话费查询设备正常", "Bill-query devices work"),
    CheckItem("check_demo_area", "check", "演示体验区正常", "Demonstration area ready"),
    CheckItem("check_consumables", "check", "耗材充足", "Consumables stocked"),
    CheckItem("staff_appearance", "staff", "仪容仪表规范", "Staff appearance"),
    CheckItem("staff_attitude", "staff", "服务态度良好", "Staff attitude"),
    CheckItem("staff_campaigns", "staff", "熟悉当日营销活动及业务流程",
              "Knows today's campaigns and procedures"),
)
CHECKLIST_CODES = tuple(c.code for c in CHECKLIST)


def cash_item(denomination_fen: int) -> str:
    return f"cash:{denomination_fen}"


def value_card_item(face_fen: int) -> str:
    return f"value_card:{face_fen}"


def gift_item(gift_code: str) -> str:
    return f"gift:{gift_code}"


def money_item(method: str) -> str:
    return f"money:{method}"


def is_cash(item: str) -> bool:
    return item.startswith("cash:")


def denomination_of(item: str) -> int:
    return int(item.split(":", 1)[1])


def campaign_gifts(catalog: Catalog | None = None) -> dict[str, str]:
    """Gift code -> Chinese name, for every gift any campaign tier hands out."""
    catalog = catalog or get_catalog()
    gifts: dict[str, str] = {}
    for campaign in catalog.campaigns.values():
        for tier in campaign.tiers:
            for gift in tier.gifts:  # every gift a customer may pick
                gifts.setdefault(gift.code, gift.name.zh)
    return gifts


def stock_items(catalog: Catalog | None = None) -> list[str]:
    """Every countable item (not cash), in the order the dialogs and reports show them."""
    return ([SIM_CARD]
            + [value_card_item(f) for f in VALUE_CARD_FACES_FEN]
            + [INVOICE]
            + [gift_item(g) for g in campaign_gifts(catalog)])


def item_label(item: str, catalog: Catalog | None = None) -> str:
    """The Chinese name of an item code, as the report and the dialogs print it."""
    kind, _, rest = item.partition(":")
    if item == SIM_CARD:
        return "空白SIM/USIM卡"
    if item == INVOICE:
        return "空白发票"
    if kind == "value_card":
        return f"有价卡 {format_yuan(int(rest)).removesuffix('.00')} 元"
    if kind == "gift":
        return campaign_gifts(catalog).get(rest, rest)
    if kind == "cash":
        return "现金"
    if kind == "money":
        return "现金" if rest == "cash" else domain.PAYMENT_METHOD_ZH.get(rest, rest)
    return item


def item_unit(item: str) -> str:
    kind = item.partition(":")[0]
    return {"sim_card": "张", "value_card": "张", "invoice": "份", "gift": "份"}.get(kind, "")


def denomination_label(denomination_fen: int) -> str:
    if denomination_fen >= 100:
        return f"{denomination_fen // 100} 元"
    return f"{denomination_fen // 10} 角"


def cash_total(cash: dict[int, int]) -> int:
    """The float in fen from counts per denomination."""
    return sum(d * n for d, n in cash.items())


def describe_quantity(item: str, value: int) -> str:
    """A count or an amount as text ("3 张", "58.00 元")."""
    if item.startswith("money:") or is_cash(item):
        return f"{format_yuan(value)} 元"
    return f"{value} {item_unit(item)}".strip()
