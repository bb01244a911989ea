"""Codes of domain.md that the code itself relies on (the rest lives in the catalog)."""

from __future__ import annotations

CARRIERS = ("unicom", "mobile", "telecom")
CUSTOMER_KINDS = ("personal", "group")
PRESENTER_ROLES = ("owner", "agent")
PAYMENT_KINDS = ("postpaid", "prepaid")
LINE_STATUSES = (
    "active",
    "suspended_keep_number",
    "loss_reported",
    "single_stop",
    "double_stop",
    "arrears_stop",
    "cancelled",
)
RELOCATED = ("none", "new", "old")
PREPAID_PHASES = ("unactivated", "valid", "recharge", "locked")
REALNAME = ("complete", "temp_account", "incomplete", "owner_mismatch", "group_card")
PAYMENT_METHODS = ("cash", "card", "mobile_pay", "bank_transfer", "other")

STATUS_ZH = {
    "active": "正常",
    "suspended_keep_number": "停机保号",
    "loss_reported": "挂失",
    "single_stop": "单停",
    "double_stop": "双停",
    "arrears_stop": "欠费停机",
    "cancelled": "已销户",
}
PHASE_ZH = {"unactivated": "未激活期", "valid": "有效期", "recharge": "充值期", "locked": "锁定期"}
REALNAME_ZH = {
    "complete": "已实名",
    "temp_account": "临时账户",
    "incomplete": "登记信息不完整",
    "owner_mismatch": "机主与使用者不一致",
    "group_card": "集团卡",
}
CARRIER_ZH = {"unicom": "中国联通", "mobile": "中国移动", "telecom": "中国电信"}
PAYMENT_METHOD_ZH = {
    "cash": "现金",
    "card": "银行卡",
    "mobile_pay": "移动支付",
    "bank_transfer": "银行转账",
    "other": "其他",
}
