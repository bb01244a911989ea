"""The rules engine: a pure function from a request to an outcome (request-format.md).

`evaluate()` reads nothing but its arguments: the request (with the line's state), the
catalog, the hall's configuration and the time of the decision (`now`, from the caller's
injected clock; never the machine's). The GUI wizard and `counter process` both call it;
recording the order is the order service's job.

Precedence: an unknown service is rejected at once; any violation gives `rejected` (even when
papers are also missing); otherwise anything missing gives `incomplete`; otherwise `accepted`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from app.clock import zone_of
from app.core import campaigns, conditions, domain
from app.core.catalog import Catalog, Choice, DetailField, Requirement, Service, Text
from app.core.config import HallConfig
from app.core.context import EvalContext, Violation, build_facts
from app.core.durations import add_duration
from app.core.effects import EFFECTS
from app.core.fees import COMPUTED
from app.core.money import format_yuan
from app.core.request import IdDocument, Request, RequestError
from app.core.validators import Check, check_document, check_mobile, normalize

# Details every service accepts besides its own.
COMMON_DETAILS = (
    DetailField("note", "text", Text("备注", "Note")),
    DetailField("payment_method", "enum", Text("付款方式", "Payment method"), choices=tuple(
        Choice(m, Text(z, m)) for m, z in domain.PAYMENT_METHOD_ZH.items())),
)
CAMPAIGN_DETAILS = campaigns.CAMPAIGN_DETAILS  # of services that take campaigns


@dataclass(frozen=True)
class RuleMessage:
    rule: str
    message: str  # in the requested language, with the facts filled in
    next_step: str


@dataclass(frozen=True)
class Fee:
    item: str
    name: Text
    amount_fen: int


@dataclass(frozen=True)
class FollowUp:
    task: str
    name: Text
    due: datetime


@dataclass(frozen=True)
class Effective:
    kind: str
    text: Text
    on: date | None = None
    limit: str | None = None

    def code(self) -> str:
        if self.kind == "scheduled" and self.on:
            return f"scheduled:{self.on.isoformat()}"
        if self.kind == "time_limit" and self.limit:
            return f"time_limit:{self.limit}"
        return self.kind


@dataclass
class Evaluation:
    """What the engine decided, plus everything the order service needs to record it."""

    service: str
    decision: str
    violations: list[RuleMessage] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    fees: list[Fee] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    effective: Effective | None = None
    notices: list[Text] = field(default_factory=list)
    line_changes: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    carrier: str = ""
    business_date: date | None = None
    documents_seen: list[str] = field(default_factory=list)
    campaign: campaigns.CampaignTerms | None = None  # the campaign tier taken, with its terms

    @property
    def total_fen(self) -> int:
        return sum(f.amount_fen for f in self.fees)


# --- details ------------------------------------------------------------------------------

def _detail_fields(service: Service) -> dict[str, DetailField]:
    out = {d.key: d for d in COMMON_DETAILS}
    if service.campaigns:
        out.update({d.key: d for d in CAMPAIGN_DETAILS})
    out.update({d.key: d for d in service.details})
    return out


def coerce_details(service: Service, raw: dict[str, Any]) -> dict[str, Any]:
    """Check each detail against its declared type; `RequestError` names the bad one."""
    from app.core import request as rq

    fields = _detail_fields(service)
    out: dict[str, Any] = {}
    for key, value in raw.items():
        path = f"details.{key}"
        spec = fields.get(key)
        if spec is None:
            raise RequestError(path, f"unknown field for service {service.code}",
                               f"{service.name.zh}没有此项")
        if value is None:
            continue
        match spec.type:
            case "text":
                out[key] = rq._str(value, path)
            case "enum":
                out[key] = rq._choice(value, path, tuple(c.value for c in spec.choices))
            case "bool":
                out[key] = rq._bool(value, path)
            case "date":
                out[key] = rq._date(value, path)
            case "money":
                out[key] = rq._money(value, path)
            case "int":
                out[key] = rq._int(value, path)
            case "mobile":
                text = rq._req_str(value, path, 20)
                if not check_mobile(text).ok:
                    raise RequestError(path, "expected a mainland mobile number (11 digits "
                                       "starting with 1)", "应为以1开头的11位手机号码")
                out[key] = text
            case "month":
                out[key] = rq._month(value, path)
            case "id_document":
                out[key] = rq._doc(value, path)
    for spec in fields.values():
        if spec.default is not None and out.get(spec.key) is None:
            out[spec.key] = spec.default
    return out


def _checked_form(service: Service, req: Request) -> dict[str, Any]:
    details = coerce_details(service, req.details)
    if service.needs_line and req.line is None:
        raise RequestError("line", f"required for service {service.code}",
                           f"{service.name.zh}需要号码信息")
    return details


def check_form(req: Request, catalog: Catalog) -> None:
    """What `evaluate` would refuse as malformed, checked with the catalog alone: the details
    by their declared types and the line of a service that needs one (`RequestError`).

    `counter process` runs it before it opens the database, so a malformed request creates
    none. An unknown service passes: it is a decision (rejected), not a malformed request.
    """
    service = catalog.services.get(req.service)
    if service is not None:
        _checked_form(service, req)


# --- documents ----------------------------------------------------------------------------

# Who showed a document, in English (the Chinese is the violation's `who`).
_WHO_EN = {"办理人证件": "The presenter's document", "客户证件": "The customer's document",
           "单位证件": "The unit's registration"}


def _check_id(doc: IdDocument, allowed: set[str], who: str, ctx_date: date,
              for_person: bool, checked: dict[tuple[str, str], Check]) -> Violation | None:
    who_en = _WHO_EN.get(who, who)
    if doc.type not in allowed:
        return Violation("document_not_accepted", {"who": who, "why": "证件类型不适用",
                                                   "who_en": who_en,
                                                   "why_en": "this type of document"})
    # The owner presents the customer's own document: its number is checked once per request.
    check = checked.get((doc.type, doc.number))
    if check is None:
        check = checked[(doc.type, doc.number)] = check_document(doc.type, doc.number,
                                                                 ctx_date)
    if not check.ok:
        return Violation("invalid_document_number", {"who": who, "why": check.reason_zh,
                                                     "who_en": who_en, "why_en": check.reason_en})
    if doc.valid_until is not None and doc.valid_until < ctx_date:
        until = doc.valid_until.isoformat()
        return Violation("document_not_accepted", {
            "who": who, "why": f"证件有效期至 {until}，已过期", "who_en": who_en,
            "why_en": f"expired (valid until {until})", "until": until})
    age = check.age_on(ctx_date)
    if for_person and age is not None:
        if doc.type == "resident_id" and age < 16:
            return Violation("document_not_accepted",
                             {"who": who, "why": f"未满16周岁（{age}岁）应出示户口簿"})
        if doc.type == "household_register" and age >= 16:
            return Violation("document_not_accepted",
                             {"who": who, "why": "年满16周岁应出示居民身份证"})
    return None


def _document_violations(req: Request, catalog: Catalog, day: date,
                         details: dict[str, Any]) -> list[Violation]:
    out: list[Violation] = []
    checked: dict[tuple[str, str], Check] = {}
    personal_ids = catalog.personal_id_types()
    group_ids = catalog.group_id_types()
    p = req.presenter
    if p is not None and p.id_document is not None:
        v = _check_id(p.id_document, personal_ids, "办理人证件", day, True, checked)
        if v:
            out.append(v)
    c = req.customer
    if c.kind == "personal" and c.id_document is not None:
        v = _check_id(c.id_document, personal_ids, "客户证件", day, True, checked)
        if v:
            out.append(v)
        elif (p is not None and p.role == "owner" and p.id_document is not None
              and normalize(p.id_document.number) != normalize(c.id_document.number)):
            out.append(Violation("document_not_accepted",
                                 {"who": "办理人证件", "why": "机主本人办理，证件应与客户登记证件一致"}))
    if c.kind == "group" and c.unit is not None and c.unit.registration is not None:
        v = _check_id(c.unit.registration, group_ids, "单位证件", day, False, checked)
        if v:
            out.append(v)
    for key, value in details.items():
        if isinstance(value, IdDocument):
            v = _check_id(value, personal_ids, f"details.{key}", day, True, checked)
            if v:
                out.append(v)
    if details.get("bank_card_kind") == "credit":
        out.append(Violation("document_not_accepted",
                             {"who": "银行卡", "why": "银讯通只能使用借记卡，不能使用信用卡"}))
    return out


def _missing(ctx: EvalContext) -> list[str]:
    req, svc = ctx.request, ctx.service
    missing: list[str] = []
    if req.presenter is None or req.presenter.id_document is None:
        missing.append("presenter_id")
    kind = req.customer.kind
    # A unit never presents itself: its person at the counter is always treated as an agent.
    role = "agent" if kind == "group" else (req.presenter.role if req.presenter else "owner")
    seen = set(req.documents)
    owner_id = req.customer.id_document.type if req.customer.id_document else "resident_id"
    unit_reg = (req.customer.unit.registration.type
                if req.customer.unit and req.customer.unit.registration else "business_license")
    requirements = list(svc.documents)
    campaign = ctx.catalog.campaigns.get(ctx.details.get("campaign") or "")
    requirements += [Requirement((doc,)) for doc in (campaign.documents if campaign else ())]
    for r in requirements:
        if kind not in r.kinds or role not in r.roles or ctx.carrier not in r.carriers:
            continue
        if not conditions.all_hold(r.when, ctx.facts):
            continue
        options = [owner_id if a == "$owner_id" else unit_reg if a == "$unit_registration" else a
                   for a in r.any_of]
        options = list(dict.fromkeys(options))
        if not seen.intersection(options):
            code = "|".join(options)
            if code not in missing:
                missing.append(code)
    for spec in _detail_fields(svc).values():
        if (spec.required and kind in spec.kinds and ctx.details.get(spec.key) is None
                and conditions.all_hold(spec.when, ctx.facts)):
            missing.append(spec.key)
    _campaign, tier = campaigns.chosen(ctx.catalog, ctx.details) if svc.campaigns else (None, None)
    missing += [k for k in (campaigns.missing_fields(tier, ctx.details) if tier else [])
                if k not in missing]
    if svc.signature and not req.signature:
        missing.append("signature")
    return missing


# --- the engine ---------------------------------------------------------------------------

def _message(catalog: Catalog, v: Violation, lang: str) -> RuleMessage:
    text = catalog.rule_texts[v.rule]
    params = {"who": "", "why": "", "amount": "", "until": "", "reason": "", "carrier": "",
              "which": "", **v.params}
    if lang.startswith("en"):  # a fact told in both languages: `why` and `why_en`
        params.update({k[:-3]: value for k, value in v.params.items() if k.endswith("_en")})
    try:
        message = text.message.get(lang).format(**params)
    except (KeyError, IndexError, ValueError):
        message = text.message.get(lang)
    return RuleMessage(v.rule, message, text.next_step.get(lang).format(**params))


def _decision_time(req: Request, hall: HallConfig, today: date | None,
                   now: datetime | None) -> tuple[date, datetime]:
    """The business date and the hall's local time of a decision, from the caller's inputs.

    `now` is the caller's clock reading (aware); the request's own business date wins over
    its local date. Without `now`, the decision is dated at the start of the business date,
    so the engine never reads the machine's clock.
    """
    zone = zone_of(hall.timezone)
    if now is not None:
        if now.tzinfo is None:
            raise ValueError("evaluate(now=...) needs a timezone-aware time")
        local = now.astimezone(zone).replace(microsecond=0)
        return req.business_date or today or local.date(), local
    day = req.business_date or today
    if day is None:
        raise ValueError("evaluate() needs now= (from the injected clock) "
                         "when the request has no business date")
    return day, datetime.combine(day, time(0), tzinfo=zone)


def evaluate(req: Request, catalog: Catalog, hall: HallConfig, *, now: datetime | None = None,
             today: date | None = None, lang: str = "zh") -> Evaluation:
    """Decide a request. Raises `RequestError` only for malformed details or a missing line.

    `now`: the instant of the decision, from the caller's injected clock (`db.clock.now()`);
    `today`: the business date to use when the request names none (else `now`'s local date).
    """
    day, now = _decision_time(req, hall, today, now)
    hall = hall.as_of(day)  # the tariff of the business date (a no-op if the caller did it)
    carrier = req.carrier or hall.carrier
    service = catalog.services.get(req.service)
    if service is None:
        v = Violation("unknown_service", {"reason": req.service})
        return Evaluation(req.service, "rejected", [_message(catalog, v, lang)],
                          carrier=carrier, business_date=day)
    details = _checked_form(service, req)
    if service.campaigns:
        details = campaigns.with_defaults(catalog, details)  # the gift handed over
    facts = build_facts(req, details, hall, carrier, day)
    ctx = EvalContext(req, service, catalog, hall, day, now, carrier, details, facts)

    violations = _document_violations(req, catalog, day, details)
    for ref in service.rules:
        impl = EFFECT_FREE_RULES.get(ref.code)
        if impl is None or not conditions.all_hold(ref.when, facts):
            continue
        found = impl(ctx, ref.params)
        if found is not None:
            violations.append(found)
    missing = _missing(ctx)

    ev = Evaluation(service.code, "accepted", carrier=carrier, business_date=day,
                    details=details, documents_seen=list(req.documents))
    ev.violations = [_message(catalog, v, lang) for v in _dedupe(violations)]
    ev.missing = missing
    ev.fees = _fees(ctx)
    if ev.violations:
        ev.decision = "rejected"
        ev.fees = []
        return ev
    ev.campaign = campaigns.terms_of(catalog, details, day) if service.campaigns else None
    if missing:
        ev.decision = "incomplete"
        return ev
    start = datetime.combine(day, now.timetz())
    ev.follow_ups = [FollowUp(f.task, f.name, add_duration(start, f.due))
                     for f in service.follow_ups if conditions.all_hold(f.when, facts)]
    ev.effective = _effective(ctx)
    ev.notices = [_fill(n.text, ctx) for n in service.notices
                  if conditions.all_hold(n.when, facts)]
    if service.effect:
        ctx_details = dict(details)
        late = next((f.amount_fen for f in ev.fees if f.item == "late_fee"), 0)
        ctx_details["_late_fee"] = late
        ev.line_changes = EFFECTS[service.effect](
            EvalContext(req, service, catalog, hall, day, now, carrier, ctx_details, facts))
    if ev.campaign is not None and ev.campaign.ends_on is not None:
        _campaign_term(ev, ev.campaign, req, now)
    return ev


def _campaign_term(ev: Evaluation, terms: campaigns.CampaignTerms, req: Request,
                   now: datetime) -> None:
    """A campaign with a term binds the line until its last day (`campaign_until`, which the
    contract and number-lock rules read) and leaves a follow-up due that day."""
    assert terms.ends_on is not None
    ev.follow_ups.append(FollowUp(campaigns.TERM_END_TASK, terms.follow_up_name(),
                                  datetime.combine(terms.ends_on, now.timetz())))
    before = req.line.campaign_until if req.line is not None else None
    ev.line_changes["campaign_until"] = max(terms.ends_on, before or terms.ends_on)


def _dedupe(violations: list[Violation]) -> list[Violation]:
    seen: set[tuple[str, str]] = set()
    out = []
    for v in violations:
        key = (v.rule, repr(sorted(v.params.items())))
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out


def _fees(ctx: EvalContext) -> list[Fee]:
    out = []
    for f in ctx.service.fees:
        if not conditions.all_hold(f.when, ctx.facts):
            continue
        if f.tariff:
            amount = ctx.hall.tariff(f.tariff)
        elif f.amount_from:
            amount = int(ctx.details.get(f.amount_from) or 0)
        else:
            amount = COMPUTED[f.compute or ""](ctx)
        if f.per:
            amount *= int(ctx.details.get(f.per) or 0)
        if amount != 0:
            out.append(Fee(f.item, f.name, amount))
    return out


def _effective(ctx: EvalContext) -> Effective:
    for e in ctx.service.effective:
        if not conditions.all_hold(e.when, ctx.facts):
            continue
        on = ctx.details.get(e.date_from) if e.date_from else None
        if e.kind == "scheduled" and on is None:
            continue
        limit = e.text.en if e.kind == "time_limit" else None
        return Effective(e.kind, e.text, on, limit)
    return Effective("immediate", Text("立即生效", "immediately"))


def _fill(text: Text, ctx: EvalContext) -> Text:
    values = {k: (format_yuan(v) if k.endswith("amount") and isinstance(v, int) else v)
              for k, v in ctx.details.items()}
    values.setdefault("roaming_prepayment",
                      format_yuan(ctx.hall.tariff_fen.get("roaming_prepayment", 0)))
    values.setdefault("number_keeping_fee",
                      format_yuan(ctx.hall.tariff_fen.get("number_keeping_monthly_fee", 0)))
    values["resume_billing"] = "整月" if ctx.hall.resume_billing == "whole_month" else "按日"
    try:
        return Text(text.zh.format_map(_Default(values)), text.en.format_map(_Default(values)))
    except (ValueError, IndexError):
        return text


class _Default(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "-"


from app.core.rules import RULES  # noqa: E402  (rules import the context types above)

EFFECT_FREE_RULES = {code: impl.check for code, impl in RULES.items() if impl.check is not None}
