"""What the wizard has collected so far, as plain data (no Qt), and the `Request` built from it.

`VisitState` is the single source of truth of a visit: pages read it when shown and write it
when left; it is what a draft saves (`to_dict` / `from_dict`). The checklist rows come from
the catalog's requirements for the customer kind, presenter role and carrier; whether the
request is complete is decided by the engine alone (`OrderService.evaluate`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from app.core.catalog import Catalog, DetailField, Service
from app.core.engine import CAMPAIGN_DETAILS, COMMON_DETAILS
from app.core.request import Customer, IdDocument, LineState, Presenter, Request, Unit
from app.core.validators import normalize_id_number

PAGES = ("service", "customer", "presenter", "documents", "details", "verdict", "payment",
         "signature", "done")
ID_CATEGORIES = ("personal_id", "group_id")


@dataclass
class DocCheck:
    """One row of the checklist: a requirement and what the clerk did with it."""

    options: list[str]
    chosen: str
    original_seen: bool = False
    copy_retained: bool = False
    id_number: str = ""  # an ID document's number as typed, to check it
    scan_path: str = ""
    scan_sha256: str = ""
    conditional: bool = False  # needed only in some cases (a `when` in the catalog)

    @property
    def key(self) -> str:
        return "|".join(self.options)


@dataclass
class VisitState:
    service: str = ""
    customer_id: int | None = None
    new_customer: bool = False
    kind: str = "personal"
    customer_name: str = ""
    customer_id_type: str = "resident_id"
    customer_id_number: str = ""
    unit_name: str = ""
    unit_reg_type: str = "business_license"
    unit_reg_id_number: str = ""
    non_local_id: bool = False
    line_number: str | None = None
    presenter_role: str = "owner"
    presenter_name: str = ""
    presenter_id_type: str = "resident_id"
    presenter_id_number: str = ""
    presenter_id_valid_until: str = ""  # ISO date of the ID's last valid day; "" long-term/unknown
    documents: dict[str, DocCheck] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    payment_method: str = "cash"
    tendered: str = ""
    reference: str = ""
    paper_signature: bool = False
    started_at: str = ""  # ISO instant from the injected clock, set by whoever starts the visit
    page: str = "service"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VisitState:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        docs = {k: DocCheck(**v) for k, v in (known.pop("documents", None) or {}).items()}
        return cls(**known, documents=docs)

    @property
    def role(self) -> str:
        """A unit never presents itself: its person at the counter is always an agent."""
        return "agent" if self.kind == "group" else self.presenter_role

    def started(self) -> datetime | None:
        try:
            return datetime.fromisoformat(self.started_at)
        except ValueError:
            return None


# --- the checklist --------------------------------------------------------------------------

def checklist(service: Service, state: VisitState, carrier: str) -> list[DocCheck]:
    """A row per requirement that applies to this customer kind, presenter role and carrier.

    `$owner_id` and `$unit_registration` become the customer's document types. Rows the clerk
    already worked on keep what was ticked.
    """
    owner_id = state.customer_id_type or "resident_id"
    unit_reg = state.unit_reg_type or "business_license"
    rows: list[DocCheck] = []
    seen: set[str] = set()
    for r in service.documents:
        if state.kind not in r.kinds or state.role not in r.roles or carrier not in r.carriers:
            continue
        options = [owner_id if a == "$owner_id" else unit_reg if a == "$unit_registration"
                   else a for a in r.any_of]
        options = list(dict.fromkeys(options))
        key = "|".join(options)
        if key in seen:
            continue
        seen.add(key)
        old = state.documents.get(key)
        if old is not None:
            old.conditional = bool(r.when)
            rows.append(old)
        else:
            rows.append(DocCheck(options, options[0], copy_retained=service.copies_retained,
                                 conditional=bool(r.when)))
    return rows


def implied_details(service: Service, state: VisitState) -> None:
    """A paper seen that is asked for only when a yes/no detail is set (the damaged card taken
    back, asked when "damaged card" is ticked) answers that question: the detail is set, so
    the clerk does not tick the same fact twice."""
    bools = {d.key for d in service.details if d.type == "bool"}
    seen = {d.chosen for d in state.documents.values() if d.original_seen}
    for r in service.documents:
        if len(r.when) != 1 or not seen.intersection(r.any_of):
            continue
        cond = r.when[0]
        if (cond.op is None and not cond.negate and len(cond.path) == 2
                and cond.path[0] == "details" and cond.path[1] in bools):
            state.details.setdefault(cond.path[1], True)


def detail_specs(service: Service, kind: str) -> list[DetailField]:
    """The details the form asks for: the service's own (for this customer kind) and a note.
    A campaign's fields are the campaign box's (`app.ui.wizard.campaign_box`): exactly those
    the chosen campaign needs."""
    own = [d for d in service.details if kind in d.kinds]
    extra = [d for d in COMMON_DETAILS if d.key == "note"]
    keys = {d.key for d in own}
    return own + [d for d in extra if d.key not in keys]


# --- building the request -------------------------------------------------------------------

class DetailValueError(ValueError):
    def __init__(self, key: str, problem_zh: str) -> None:
        super().__init__(f"{key}: {problem_zh}")
        self.key, self.problem_zh = key, problem_zh


def _detail_value(spec: DetailField | None, value: Any) -> Any:
    """The form's value as the request format has it (money in yuan as a number, ...)."""
    if spec is None:
        return value
    if spec.type == "money":
        try:
            return Decimal(str(value).strip())
        except InvalidOperation:
            raise DetailValueError(spec.key, "金额格式错误") from None
    if spec.type == "int":
        try:
            return int(str(value).strip())
        except ValueError:
            raise DetailValueError(spec.key, "应为整数") from None
    if spec.type == "id_document":
        if not isinstance(value, dict) or not value.get("id_number"):
            return None
        return {"type": value.get("type") or "resident_id", "number": value["id_number"]}
    return value


def request_details(service: Service, state: VisitState) -> dict[str, Any]:
    specs = {d.key: d for d in (*COMMON_DETAILS, *CAMPAIGN_DETAILS, *service.details)}
    out: dict[str, Any] = {}
    for key, value in state.details.items():
        if value is None or value == "" or (isinstance(value, dict) and not any(value.values())):
            continue
        converted = _detail_value(specs.get(key), value)
        if converted is not None:
            out[key] = converted
    return out


def _document(doc_type: str, typed: str, valid_until: str = "") -> IdDocument | None:
    """The document as the core checks and stores it (canonical number), or None if blank."""
    number = normalize_id_number(doc_type, typed)
    until = date.fromisoformat(valid_until) if valid_until else None
    return IdDocument(doc_type, number, until) if number else None


def build_request(catalog: Catalog, state: VisitState, line: LineState | None, *,
                  signature: bool, documents_override: tuple[str, ...] | None = None) -> Request:
    """The `Request` of this visit (the same dataclasses `counter process` parses into)."""
    service = catalog.services[state.service]
    # The owner presenting their own ID: the validity read or typed is that document's.
    own = (state.presenter_role == "owner"
           and state.presenter_id_number.upper() == state.customer_id_number.upper())
    id_doc = _document(state.customer_id_type, state.customer_id_number,
                       state.presenter_id_valid_until if own else "")
    unit = None
    if state.kind == "group":
        reg = _document(state.unit_reg_type, state.unit_reg_id_number)
        unit = Unit(state.unit_name.strip() or state.customer_name.strip(), reg)
    customer = Customer(kind=state.kind,
                        name=(state.customer_name or state.unit_name).strip() or "-",
                        id_document=id_doc if state.kind == "personal" else None,
                        unit=unit, non_local_id=state.non_local_id)
    presenter_doc = _document(state.presenter_id_type, state.presenter_id_number,
                              state.presenter_id_valid_until)
    presenter = Presenter(role=state.role, name=state.presenter_name.strip(),
                          id_document=presenter_doc)
    if documents_override is not None:
        docs = documents_override
    else:
        docs = tuple(dict.fromkeys(d.chosen for d in state.documents.values()
                                   if d.original_seen))
    return Request(service=service.code, carrier=None, business_date=None, customer=customer,
                   presenter=presenter, line=line if service.needs_line else None,
                   documents=docs, details=request_details(service, state),
                   signature=signature)
