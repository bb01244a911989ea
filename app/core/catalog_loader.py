"""Reading the catalog's TOML files into `app.core.catalog` types, checking every entry.

Every code the data names (a rule, its parameters, a line effect, a computed fee, a document,
a detail) must exist; a mistake stops start-up with a `CatalogError` naming file and entry.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import os
import pickle
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from app.core import conditions, domain
from app.core.catalog import (
    DETAIL_TYPES,
    EFFECTIVE_KINDS,
    PLACEHOLDERS,
    SERVICE_CODES,
    Campaign,
    CampaignTier,
    Catalog,
    CatalogError,
    Choice,
    DetailField,
    DocumentType,
    EffectiveRef,
    FeeRef,
    FollowUpRef,
    Gift,
    Notice,
    Requirement,
    RuleRef,
    RuleText,
    Service,
    Text,
)
from app.core.conditions import Condition
from app.core.money import MoneyError, yuan_to_fen

GIFT_CODE = re.compile(r"[a-z0-9_]{1,40}")


@dataclass(frozen=True)
class Registries:
    """What the code implements; the catalog may only name these."""

    rules: Mapping[str, frozenset[str]]  # rule code -> accepted params
    effects: frozenset[str]
    computed_fees: frozenset[str]


class _Reader:
    def __init__(self, file: str, entry: str) -> None:
        self.file, self.entry = file, entry

    def fail(self, problem: str, entry: str | None = None) -> CatalogError:
        return CatalogError(self.file, entry or self.entry, problem)

    def text(self, raw: Any, what: str) -> Text:
        if not isinstance(raw, dict) or not raw.get("zh") or not raw.get("en"):
            raise self.fail(f"{what} needs a Chinese (zh) and an English (en) text")
        return Text(str(raw["zh"]), str(raw["en"]))

    def conds(self, raw: Any) -> tuple[Condition, ...]:
        items = [raw] if isinstance(raw, str) else (raw or [])
        try:
            return tuple(conditions.parse(c) for c in items)
        except conditions.ConditionError as exc:
            raise self.fail(str(exc)) from None

    def codes(self, raw: Any, allowed: tuple[str, ...], what: str) -> tuple[str, ...]:
        if raw is None:
            return allowed
        values = tuple(raw)
        bad = [v for v in values if v not in allowed]
        if bad:
            raise self.fail(f"unknown {what} {', '.join(bad)}")
        return values


def _load_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise CatalogError(str(path), "file", f"cannot be read: {exc.strerror}") from None
    parsed = _parsed.get()
    if parsed is not None:
        hit = parsed.get(path, data)
        if hit is not None:
            return hit
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(path.name, "file", f"not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise CatalogError(path.name, "file", "not UTF-8 text") from None
    if parsed is not None:
        parsed.put(path, data, raw)
    return raw


class _TomlData(pickle.Unpickler):
    """Reads back what tomllib returns (dicts, lists, text, numbers, dates) and nothing else:
    a cache file that was tampered with cannot name any other class."""

    _ALLOWED = frozenset({("datetime", "date"), ("datetime", "datetime"), ("datetime", "time"),
                          ("datetime", "timezone"), ("datetime", "timedelta")})

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in self._ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not catalog data")


def _data_only(blob: bytes) -> Any:
    return _TomlData(io.BytesIO(blob)).load()


class _ParsedFiles:
    """tomllib's reading of each catalog file, kept beside the catalog (in its `__pycache__`,
    as Python keeps compiled modules beside their source) under the SHA-256 of the file's
    exact bytes. Parsing the 31 files in pure Python is most of loading the catalog (~10 ms of
    every `counter` start); every check of the entries still runs on each load, so only the
    text-to-data step is skipped, and only for a file whose bytes are the ones parsed before:
    an edited file (whatever its size or time) is parsed again. A cache that cannot be read,
    written or trusted is simply not used."""

    NAME = "catalog-toml.pickle"

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.file = directory / "__pycache__" / self.NAME
        self.stored: dict[str, tuple[str, bytes]] = {}
        self.seen: dict[str, tuple[str, bytes]] = {}
        self.missed = False
        with contextlib.suppress(Exception):  # absent, damaged, tampered with: parse instead
            with self.file.open("rb") as fh:
                stored = _data_only(fh.read())
            if isinstance(stored, dict):
                self.stored = stored

    def get(self, path: Path, data: bytes) -> dict[str, Any] | None:
        key, digest = path.relative_to(self.directory).as_posix(), hashlib.sha256(data).hexdigest()
        entry = self.stored.get(key)
        if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == digest:
            with contextlib.suppress(Exception):
                raw = _data_only(entry[1])
                if isinstance(raw, dict):
                    self.seen[key] = entry
                    return raw
        return None

    def put(self, path: Path, data: bytes, raw: dict[str, Any]) -> None:
        # Pickled now, before the checks read it (nothing they do can end up in the cache).
        self.seen[path.relative_to(self.directory).as_posix()] = (
            hashlib.sha256(data).hexdigest(), pickle.dumps(raw, protocol=pickle.HIGHEST_PROTOCOL))
        self.missed = True

    def save(self) -> None:
        """After a catalog loaded without error: keep what was parsed (atomically; several
        programs may start at once). A folder that cannot be written keeps no cache."""
        if not self.missed:
            return
        tmp = self.file.with_name(f"{self.NAME}.{os.getpid()}.{id(self)}.tmp")  # one per load
        with contextlib.suppress(OSError):
            self.file.parent.mkdir(exist_ok=True)
            tmp.write_bytes(pickle.dumps(self.seen, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, self.file)
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


_parsed: ContextVar[_ParsedFiles | None] = ContextVar("catalog_parsed_files", default=None)


@contextlib.contextmanager
def _parsed_files(directory: Path) -> Iterator[None]:
    files = _ParsedFiles(directory)
    token = _parsed.set(files)
    try:
        yield
    finally:
        _parsed.reset(token)
    files.save()  # reached only when the catalog loaded: a failed load keeps nothing


T = TypeVar("T")


def _guarded(path: Path, load: Callable[[], T]) -> T:
    """Run one file's reader; a value of the wrong shape (a number where a list belongs, a
    missing key) becomes a `CatalogError` naming the file instead of a traceback."""
    try:
        return load()
    except CatalogError:
        raise
    except (KeyError, TypeError, AttributeError, ValueError, IndexError) as exc:
        detail = f"missing {exc}" if isinstance(exc, KeyError) else str(exc)
        raise CatalogError(path.name, "file", f"malformed entry ({detail})") from None


def _documents(path: Path) -> dict[str, DocumentType]:
    raw = _load_toml(path)
    out: dict[str, DocumentType] = {}
    for code, entry in raw.get("document", {}).items():
        r = _Reader(path.name, f"document.{code}")
        cat = entry.get("category")
        if cat not in ("personal_id", "group_id", "supporting", "pseudo"):
            raise r.fail("category must be personal_id, group_id, supporting or pseudo")
        expires = entry.get("expires", False)
        if not isinstance(expires, bool):
            raise r.fail("expires must be true or false")
        out[code] = DocumentType(code, r.text(entry.get("name"), "name"), cat, expires)
    return out


def _rule_texts(path: Path, registries: Registries) -> dict[str, RuleText]:
    raw = _load_toml(path)
    out: dict[str, RuleText] = {}
    for code, entry in raw.get("rule", {}).items():
        r = _Reader(path.name, f"rule.{code}")
        if code not in registries.rules:
            raise r.fail("this rule has no implementation")
        out[code] = RuleText(code, r.text(entry.get("name"), "name"),
                             r.text(entry.get("message"), "message"),
                             r.text(entry.get("next_step", {"zh": "-", "en": "-"}), "next_step"))
    missing = set(registries.rules) - set(out)
    if missing:
        raise CatalogError(path.name, ", ".join(sorted(missing)), "rule has no message")
    return out


def _money_field(r: _Reader, raw: Any, what: str) -> int:
    try:
        return yuan_to_fen(Decimal(str(raw or 0)))
    except MoneyError:
        raise r.fail(f"{what} is not an amount in yuan with at most 2 decimals") from None


def _gifts(r: _Reader, raw: Mapping[str, Any]) -> tuple[Gift, ...]:
    """`gift = {code, name}` (one gift) or `gifts = [{code, name}, ...]` (the customer picks
    one, the first is the default)."""
    if raw.get("gift") is not None and raw.get("gifts") is not None:
        raise r.fail("give either gift or gifts, not both")
    listed: Any = raw.get("gifts")
    if listed is None:
        listed = [raw["gift"]] if raw.get("gift") is not None else []
    if not isinstance(listed, list):
        raise r.fail("gifts must be a list of {code, name}")
    gifts: list[Gift] = []
    for g in listed:
        gift_code = g.get("code") if isinstance(g, dict) else None
        if not isinstance(gift_code, str) or not GIFT_CODE.fullmatch(gift_code):
            raise r.fail("a gift needs a code of lower-case letters, digits and _")
        if any(x.code == gift_code for x in gifts):
            raise r.fail(f"gift {gift_code} listed twice")
        gifts.append(Gift(gift_code, r.text(g.get("name"), "gift name")))
    return tuple(gifts)


def _term_months(r: _Reader, raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= 120:
        raise r.fail("term_months must be a whole number of months from 0 to 120")
    return raw


def _check_tier(r: _Reader, tier: CampaignTier) -> None:
    """The prepayment is what the customer may use at once plus what comes back month by
    month over the term; eligibility names only the campaign fields the counter asks for."""
    returned = tier.monthly_return_fen * tier.term_months
    if tier.prepayment_fen != tier.free_to_use_fen + returned:
        raise r.fail("prepayment must equal free_to_use + monthly_return x term_months")
    if tier.monthly_minimum_fen and not tier.term_months:
        raise r.fail("a monthly minimum needs a term (term_months)")
    from app.core.campaigns import ELIGIBILITY_FIELDS

    for cond in tier.eligibility:
        if cond.path[0] == "details" and (len(cond.path) != 2
                                          or cond.path[1] not in ELIGIBILITY_FIELDS):
            raise r.fail(f"eligibility {cond.source!r}: details.<field> must be one of "
                         f"{', '.join(ELIGIBILITY_FIELDS)}")


def _campaigns(path: Path) -> dict[str, Campaign]:
    raw = _load_toml(path)
    out: dict[str, Campaign] = {}
    for entry in raw.get("campaign", []):
        code = entry.get("code", "?")
        r = _Reader(path.name, f"campaign.{code}")
        tiers = []
        for t in entry.get("tier", []):
            tr = _Reader(path.name, f"campaign.{code}.tier.{t.get('code', '?')}")
            gifts = _gifts(tr, t)
            tier = CampaignTier(
                code=t["code"], name=tr.text(t.get("name"), "name"),
                eligibility=tr.conds(t.get("eligibility")),
                prepayment_fen=_money_field(tr, t.get("prepayment"), "prepayment"),
                gift_code=gifts[0].code if gifts else None,
                gift_name=gifts[0].name if gifts else None,
                monthly_minimum_fen=_money_field(tr, t.get("monthly_minimum"), "monthly_minimum"),
                term_months=_term_months(tr, t.get("term_months", 0)),
                free_to_use_fen=_money_field(tr, t.get("free_to_use"), "free_to_use"),
                monthly_return_fen=_money_field(tr, t.get("monthly_return"), "monthly_return"),
                refundable=bool(t.get("refundable", True)),
                gifts=gifts,
            )
            _check_tier(tr, tier)
            tiers.append(tier)
        if not tiers:
            raise r.fail("a campaign needs at least one tier")
        start, end = entry.get("start"), entry.get("end")
        if not isinstance(start, date) or not isinstance(end, date) or end < start:
            raise r.fail("start and end must be dates, end not before start")
        services = r.codes(entry.get("services", []), SERVICE_CODES, "service")
        out[code] = Campaign(code, r.text(entry.get("name"), "name"), start, end, services,
                             tuple(entry.get("documents", [])), tuple(tiers),
                             r.text(entry.get("notes", {"zh": "-", "en": "-"}), "notes"))
    return out


def _service(path: Path, raw: dict[str, Any], documents: dict[str, DocumentType],
             registries: Registries) -> Service:
    code = raw.get("code")
    r = _Reader(path.name, f"service {code}")
    if code not in SERVICE_CODES:
        raise r.fail(f"unknown service code {code!r}")
    known_docs = set(documents) | set(PLACEHOLDERS)

    reqs = []
    for i, d in enumerate(raw.get("documents", [])):
        r.entry = f"service {code}: documents[{i}]"
        any_of = tuple(d.get("any_of", []))
        if not any_of:
            raise r.fail("any_of must list at least one document")
        unknown = [a for a in any_of if a not in known_docs]
        if unknown:
            raise r.fail(f"unknown document code {', '.join(unknown)}")
        reqs.append(Requirement(
            any_of,
            r.codes(d.get("kinds"), domain.CUSTOMER_KINDS, "customer kind"),
            r.codes(d.get("roles"), domain.PRESENTER_ROLES, "presenter role"),
            r.codes(d.get("carriers"), domain.CARRIERS, "carrier"),
            r.conds(d.get("when")),
        ))

    details = []
    for d in raw.get("details", []):
        r.entry = f"service {code}: details.{d.get('key', '?')}"
        if d.get("type") not in DETAIL_TYPES:
            raise r.fail(f"type must be one of {', '.join(DETAIL_TYPES)}")
        choices = tuple(Choice(c["value"], r.text(c.get("label"), "choice label"))
                        for c in d.get("choices", []))
        if d["type"] == "enum" and not choices:
            raise r.fail("an enum needs choices")
        details.append(DetailField(
            d["key"], d["type"], r.text(d.get("label"), "label"), bool(d.get("required")),
            choices, r.conds(d.get("when")),
            r.codes(d.get("kinds"), domain.CUSTOMER_KINDS, "customer kind"), d.get("default")))
    detail_keys = {d.key for d in details}

    rules = []
    for rr in raw.get("rules", []):
        rr = {"code": rr} if isinstance(rr, str) else dict(rr)
        rcode = rr.pop("code", "?")
        r.entry = f"service {code}: rules.{rcode}"
        if rcode not in registries.rules:
            raise r.fail("this rule has no implementation")
        when = r.conds(rr.pop("when", None))
        bad_params = set(rr) - registries.rules[rcode]
        if bad_params:
            raise r.fail(f"unknown parameter {', '.join(sorted(bad_params))}")
        rules.append(RuleRef(rcode, rr, when))

    fees = []
    for f in raw.get("fees", []):
        r.entry = f"service {code}: fees.{f.get('item', '?')}"
        sources = [k for k in ("tariff", "amount_from", "compute") if f.get(k)]
        if len(sources) != 1:
            raise r.fail("a fee takes exactly one of tariff, amount_from or compute")
        if f.get("compute") and f["compute"] not in registries.computed_fees:
            raise r.fail(f"no computation named {f['compute']!r}")
        for key in (f.get("amount_from"), f.get("per")):
            if key and key not in detail_keys:
                raise r.fail(f"{key!r} is not a detail of this service")
        fees.append(FeeRef(f["item"], r.text(f.get("name"), "name"), f.get("tariff"),
                           f.get("amount_from"), f.get("compute"), f.get("per"),
                           r.conds(f.get("when"))))

    follow_ups = []
    for f in raw.get("follow_ups", []):
        r.entry = f"service {code}: follow_ups.{f.get('task', '?')}"
        due = str(f.get("due", ""))
        from app.core.durations import DurationError, parse_duration

        try:
            parse_duration(due)
        except DurationError as exc:
            raise r.fail(str(exc)) from None
        follow_ups.append(FollowUpRef(f["task"], r.text(f.get("name"), "name"), due,
                                      r.conds(f.get("when"))))

    effective = []
    for e in raw.get("effective", []):
        r.entry = f"service {code}: effective"
        if e.get("kind") not in EFFECTIVE_KINDS:
            raise r.fail(f"kind must be one of {', '.join(EFFECTIVE_KINDS)}")
        if e.get("date_from") and e["date_from"] not in detail_keys:
            raise r.fail(f"{e['date_from']!r} is not a detail of this service")
        effective.append(EffectiveRef(e["kind"], r.text(e.get("text"), "text"),
                                      e.get("date_from"), r.conds(e.get("when"))))
    if not effective:
        raise CatalogError(path.name, f"service {code}", "effective is missing")

    notices = []
    for n in raw.get("notices", []):
        r.entry = f"service {code}: notices"
        notices.append(Notice(r.text(n.get("text"), "text"), r.conds(n.get("when"))))

    r.entry = f"service {code}"
    effect = raw.get("effect")
    if effect is not None and effect not in registries.effects:
        raise r.fail(f"no line effect named {effect!r}")
    return Service(
        code=code, name=r.text(raw.get("name"), "name"), group=str(raw.get("group", "other")),
        needs_line=bool(raw.get("needs_line", True)), signature=bool(raw.get("signature", True)),
        copies_retained=bool(raw.get("copies_retained", True)), documents=tuple(reqs),
        details=tuple(details), rules=tuple(rules), fees=tuple(fees),
        follow_ups=tuple(follow_ups), effective=tuple(effective), notices=tuple(notices),
        effect=effect, campaigns=bool(raw.get("campaigns", False)),
        shortcut=str(raw.get("shortcut", "")),
        description=r.text(raw.get("description", {"zh": "-", "en": "-"}), "description"),
    )


def _service_file(path: Path, documents: dict[str, DocumentType],
                  registries: Registries) -> Service:
    return _service(path, _load_toml(path), documents, registries)


def load_catalog(directory: Path, registries: Registries | None = None) -> Catalog:
    """Load and validate the whole catalog; raise `CatalogError` naming file and entry."""
    if registries is None:
        registries = default_registries()
    with _parsed_files(directory):
        return _load_catalog(directory, registries)


def _load_catalog(directory: Path, registries: Registries) -> Catalog:
    docs_path, rules_path = directory / "documents.toml", directory / "rules.toml"
    campaigns_path = directory / "campaigns.toml"
    documents = _guarded(docs_path, functools.partial(_documents, docs_path))
    rule_texts = _guarded(rules_path, functools.partial(_rule_texts, rules_path, registries))
    campaigns = _guarded(campaigns_path, functools.partial(_campaigns, campaigns_path))
    services: dict[str, Service] = {}
    service_dir = directory / "services"
    for path in sorted(service_dir.glob("*.toml")):
        svc = _guarded(path, functools.partial(_service_file, path, documents, registries))
        if svc.code in services:
            raise CatalogError(path.name, f"service {svc.code}", "defined twice")
        services[svc.code] = svc
    absent = [c for c in SERVICE_CODES if c not in services]
    if absent:
        raise CatalogError(str(service_dir), ", ".join(absent), "service missing from catalog")
    return Catalog(services, documents, rule_texts, campaigns, directory)


def default_registries() -> Registries:
    from app.core import effects, fees, rules

    return Registries(
        rules={code: impl.params for code, impl in rules.RULES.items()},
        effects=frozenset(effects.EFFECTS),
        computed_fees=frozenset(fees.COMPUTED),
    )
