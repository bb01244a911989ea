"""Names of the core's codes in the language shown: services, documents, missing items,
decisions, line states. Catalog texts carry both languages; the rest is translated here."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication

from app.core import domain
from app.core.catalog import Catalog, Text
from app.core.money import format_yuan
from app.ui.kit import i18n


def lang() -> str:
    return "en" if i18n.installed_language() == "en" else "zh"


def text(t: Text) -> str:
    return t.get(lang())


def service_name(catalog: Catalog, code: str) -> str:
    svc = catalog.services.get(code)
    return text(svc.name) if svc else code


def document_name(catalog: Catalog, code: str) -> str:
    return catalog.document_name(code, lang())


def missing_name(catalog: Catalog, service: str, code: str) -> str:
    """One entry of `Evaluation.missing`, named the way the clerk knows it."""
    if "|" in code:
        either = QCoreApplication.translate("labels", " or ")
        return either.join(missing_name(catalog, service, c) for c in code.split("|"))
    if code == "presenter_id":
        return QCoreApplication.translate("labels", "the presenter's own valid ID")
    if code == "signature":
        return QCoreApplication.translate("labels", "the customer's signature")
    if code in catalog.documents:
        return document_name(catalog, code)
    svc = catalog.services.get(service)
    spec = svc.detail(code) if svc else None
    if spec is not None:
        return text(spec.label)
    from app.core.engine import CAMPAIGN_DETAILS, COMMON_DETAILS

    for d in (*COMMON_DETAILS, *CAMPAIGN_DETAILS):
        if d.key == code:
            return text(d.label)
    return code


def decision_name(decision: str) -> str:
    names = {
        "accepted": QCoreApplication.translate("labels", "Accepted"),
        "rejected": QCoreApplication.translate("labels", "Rejected"),
        "incomplete": QCoreApplication.translate("labels", "Incomplete"),
        "abandoned": QCoreApplication.translate("labels", "Abandoned"),
        "voided": QCoreApplication.translate("labels", "Voided"),
    }
    return names.get(decision, decision)


def status_name(status: str) -> str:
    if lang() == "zh":
        return domain.STATUS_ZH.get(status, status)
    return status.replace("_", " ")


def phase_name(phase: str | None) -> str:
    if not phase:
        return ""
    return domain.PHASE_ZH.get(phase, phase) if lang() == "zh" else phase


def realname_name(code: str) -> str:
    return domain.REALNAME_ZH.get(code, code) if lang() == "zh" else code.replace("_", " ")


def payment_method_name(code: str) -> str:
    names = {
        "cash": QCoreApplication.translate("labels", "Cash"),
        "card": QCoreApplication.translate("labels", "Bank card"),
        "mobile_pay": QCoreApplication.translate("labels", "Mobile payment"),
        "bank_transfer": QCoreApplication.translate("labels", "Bank transfer"),
        "other": QCoreApplication.translate("labels", "Other"),
    }
    return names.get(code, code)


def role_name(role: str) -> str:
    names = {
        "owner": QCoreApplication.translate("labels", "Owner in person"),
        "agent": QCoreApplication.translate("labels", "Agent"),
        "clerk": QCoreApplication.translate("labels", "Clerk"),
        "supervisor": QCoreApplication.translate("labels", "Supervisor"),
        "manager": QCoreApplication.translate("labels", "Hall manager"),
        "admin": QCoreApplication.translate("labels", "Administrator"),
    }
    return names.get(role, role)


def presenter_role_name(role: str, customer_kind: str) -> str:
    """Who presents, in the hall's terms (as the papers and the catalog say it): 机主本人; a
    personal customer's agent is a 代办人, a unit's person (its contact, a key person, anyone
    it sends with its letter) is a 经办人."""
    if role == "agent" and customer_kind == "group":
        return QCoreApplication.translate("labels", "Unit's agent")
    return role_name(role)


def kind_name(kind: str) -> str:
    return QCoreApplication.translate("labels", "Group customer") if kind == "group" else QCoreApplication.translate("labels", "Personal customer")


def carrier_name(code: str) -> str:
    return domain.CARRIER_ZH.get(code, code) if lang() == "zh" else code


def yuan(fen: int) -> str:
    return QCoreApplication.translate("labels", "{amount} yuan").format(amount=format_yuan(fen))


def local_time(moment: datetime, tz: str = "Asia/Shanghai", fmt: str = "%H:%M") -> str:
    return moment.astimezone(ZoneInfo(tz)).strftime(fmt)


GROUP_ORDER = ("line", "card", "money", "status", "account", "query", "care", "other")


def group_name(group: str) -> str:
    names = {
        "line": QCoreApplication.translate("labels", "Lines"),
        "card": QCoreApplication.translate("labels", "SIM card"),
        "money": QCoreApplication.translate("labels", "Payments"),
        "status": QCoreApplication.translate("labels", "Line status"),
        "account": QCoreApplication.translate("labels", "Account"),
        "query": QCoreApplication.translate("labels", "Queries"),
        "care": QCoreApplication.translate("labels", "Customer care"),
        "other": QCoreApplication.translate("labels", "Other"),
    }
    return names.get(group, group)
