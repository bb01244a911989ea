"""The campaign part of the details page: the campaign, exactly the fields its tiers read
(join date, group membership, previous tier), the tier (proposed from those fields until the
clerk picks one), the gift among those this counter has, and the terms in words.

Which fields, which tier and why one is refused are the core's (`app.core.campaigns`); the
engine decides in the end (the verdict). The gifts' counts are read on a worker.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from PySide6.QtCore import Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QWidget,
)

from app.core import campaigns
from app.core.catalog import Campaign, CampaignTier, Choice, DetailField
from app.core.context import build_facts
from app.ui.kit import labels
from app.ui.wizard.base import hint
from app.ui.wizard.controller import VisitController
from app.ui.wizard.fields import BAD_STYLE, OK_STYLE, DetailEditor
from app.ui.wizard.state import DocCheck

KEYS = tuple(d.key for d in campaigns.CAMPAIGN_DETAILS)
# The card's kind is free text in a request; at the counter it is one of two.
_CARD_FIELD = campaigns.field_spec("bank_card_kind")
assert _CARD_FIELD is not None
BANK_CARD = DetailField(_CARD_FIELD.key, "enum", _CARD_FIELD.label, choices=tuple(
    Choice(code, name) for code, name in campaigns.BANK_CARD_KINDS.items()))


class CampaignBox(QGroupBox):
    changed = Signal()

    def __init__(self, controller: VisitController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("campaignBox")
        self.setTitle(self.tr("Campaign"))
        self.controller = controller
        self.editors: dict[str, DetailEditor] = {}
        self.doc_ticks: dict[str, QCheckBox] = {}
        self._clerk_tier = False  # the clerk picked a tier: stop following the proposal
        self._loaded = False
        self._clerk_fields: set[str] = set()
        self._seen_docs: set[str] = set()  # campaign papers ticked (the documents page drops them)
        self._gift_seq = 0
        self._gifts_for: CampaignTier | None = None  # the tier whose gifts the list shows
        self.choice = QComboBox()
        self.choice.setObjectName("campaignChoice")
        self.notes = hint()
        self.notes.setObjectName("campaignNotes")
        self.fields = QWidget()
        self.fields_form = QFormLayout(self.fields)
        self.fields_form.setContentsMargins(0, 0, 0, 0)
        self.tier = QComboBox()
        self.tier.setObjectName("tierChoice")
        self.proposal = hint()
        self.proposal.setObjectName("tierProposal")
        self.tier_check = QLabel()
        self.tier_check.setObjectName("tierCheck")
        self.tier_check.setWordWrap(True)
        self.gift = QComboBox()
        self.gift.setObjectName("giftChoice")
        self.gift_note = QLabel()
        self.gift_note.setObjectName("giftNote")
        self.gift_note.setWordWrap(True)
        self.gift_note.setStyleSheet(BAD_STYLE)
        self.terms = QLabel()
        self.terms.setObjectName("campaignTerms")
        self.terms.setWordWrap(True)
        # Two columns, so that the whole campaign fits a 1366 x 768 screen: what the customer
        # answers on the left, what they get on the right.
        asked, offered = QFormLayout(), QFormLayout()
        asked.addRow(self.tr("Campaign"), self.choice)
        asked.addRow("", self.notes)
        asked.addRow(self.fields)
        offered.addRow(self.tr("Tier"), self.tier)
        offered.addRow("", self.proposal)
        offered.addRow("", self.tier_check)
        offered.addRow(self.tr("Gift"), self.gift)
        offered.addRow("", self.gift_note)
        offered.addRow(self.tr("Terms"), self.terms)
        columns = QHBoxLayout(self)
        columns.addLayout(asked, 1)
        columns.addSpacing(16)
        columns.addLayout(offered, 1)
        self._rows = [self.tier, self.gift, self.terms]
        self.choice.currentIndexChanged.connect(self._campaign_changed)
        # `activated`: the clerk's pick only (the box's own changes block the signals).
        self.tier.activated.connect(self._tier_picked)
        self.gift.currentIndexChanged.connect(self._update_terms)

    # -- what the box holds ----------------------------------------------------------------

    def campaign(self) -> Campaign | None:
        return self.controller.ctx.catalog.campaigns.get(self.choice.currentData() or "")

    def chosen_tier(self) -> CampaignTier | None:
        campaign = self.campaign()
        return campaign.tier(self.tier.currentData() or "") if campaign else None

    def field_values(self) -> dict[str, Any]:
        """The campaign fields as the request has them (dates as dates)."""
        out: dict[str, Any] = {}
        for key, editor in self.editors.items():
            value = editor.value()
            if editor.spec.type == "date" and value:
                value = date.fromisoformat(value)
            if value not in (None, ""):
                out[key] = value
        return out

    def values(self) -> dict[str, Any]:
        campaign = self.campaign()
        if campaign is None:
            return {}
        out: dict[str, Any] = {"campaign": campaign.code, **self.field_values()}
        if self.tier.currentData():
            out["tier"] = self.tier.currentData()
        if self.gift.currentData():
            out["gift"] = self.gift.currentData()
        if isinstance(out.get("joined_on"), date):
            out["joined_on"] = out["joined_on"].isoformat()
        return out

    # -- loading and storing -----------------------------------------------------------------

    def load(self) -> None:
        """Offer the campaigns of this service that run on the business date, with what the
        visit chose before."""
        state, catalog = self.controller.state, self.controller.ctx.catalog
        day = self.controller.ctx.business_date()
        self.choice.blockSignals(True)
        self.choice.clear()
        self.choice.addItem(self.tr("No campaign"), None)
        for code, c in catalog.campaigns.items():
            if state.service in c.services and c.start <= day <= c.end:
                self.choice.addItem(labels.text(c.name), code)
        self.choice.setCurrentIndex(max(0, self.choice.findData(state.details.get("campaign"))))
        self.choice.blockSignals(False)
        if not self._loaded:  # a resumed visit: the tier it holds was chosen
            self._clerk_tier, self._loaded = bool(state.details.get("tier")), True
        self._campaign_changed(restore=state.details)

    def store(self) -> None:
        """Into the visit: the campaign's details, and its own papers as seen (e.g. the debit
        card of bank-linked payment, which the documents page does not list)."""
        state = self.controller.state
        for key in KEYS:
            state.details.pop(key, None)
        state.details.update(self.values())
        for code in list(state.documents):
            if code.startswith("campaign:"):
                del state.documents[code]
        for code, tick in self.doc_ticks.items():
            state.documents[f"campaign:{code}"] = DocCheck(
                [code], code, original_seen=tick.isChecked(), copy_retained=False)
        self._seen_docs = {code for code, tick in self.doc_ticks.items() if tick.isChecked()}

    # -- reacting to the clerk -----------------------------------------------------------------

    def _campaign_changed(self, *_: object, restore: dict[str, Any] | None = None) -> None:
        if restore is None:  # the clerk chose another campaign: its tier follows the answers
            self._clerk_tier, self._clerk_fields = False, set()
        restore = restore or {}
        campaign = self.campaign()
        while self.fields_form.rowCount():
            self.fields_form.removeRow(0)
        self.editors, self.doc_ticks = {}, {}
        self.tier.blockSignals(True)
        self.tier.clear()
        self.tier.blockSignals(False)
        self.notes.setText(labels.text(campaign.notes) if campaign and campaign.notes.zh != "-"
                           else "")
        self.gift_note.hide()
        for widget in (*self._rows, self.proposal, self.tier_check, self.fields):
            widget.setVisible(campaign is not None)
        if campaign is None:
            self.changed.emit()
            return
        today = self.controller.ctx.business_date
        for spec in campaigns.fields_needed(campaign):
            editor = DetailEditor(BANK_CARD if spec.key == "bank_card_kind" else spec,
                                  self.controller.ctx.catalog, today=today)
            if spec.key in restore:
                editor.set_value(restore[spec.key])
            editor.changed.connect(lambda key=spec.key: self._field_changed(key))
            self.editors[spec.key] = editor
            self.fields_form.addRow("" if spec.type == "bool" else labels.text(spec.label),
                                    editor)
        seen = self._seen_docs | {d.chosen for d in self.controller.state.documents.values()
                                  if d.original_seen}
        for code in campaign.documents:
            tick = QCheckBox(self.tr("Original checked: {paper}").format(
                paper=labels.document_name(self.controller.ctx.catalog, code)))
            tick.setObjectName(f"campaignDoc_{code}")
            tick.setChecked(code in seen)
            tick.toggled.connect(self.changed)
            self.doc_ticks[code] = tick
            self.fields_form.addRow(tick)
        self.tier.blockSignals(True)
        for t in campaign.tiers:
            self.tier.addItem(labels.text(t.name), t.code)
        self.tier.setCurrentIndex(max(0, self.tier.findData(restore.get("tier"))))
        self.tier.blockSignals(False)
        self._prefill_took_tier1(campaign)
        self._gifts_for = None
        self._refresh(restore.get("gift"))

    def _field_changed(self, key: str) -> None:
        self._clerk_fields.add(key)
        self._refresh()

    def _tier_picked(self, _index: int) -> None:
        self._clerk_tier = True
        self._refresh()

    def _facts(self) -> dict[str, Any]:
        details = {"campaign": self.choice.currentData(), **self.field_values()}
        try:
            req = self.controller.request()
        except ValueError:
            return {"details": details}
        hall = self.controller.ctx.orders.hall_config()
        return build_facts(req, details, hall, req.carrier or hall.carrier,
                           self.controller.ctx.business_date())

    def _refresh(self, gift: str | None = None) -> None:
        """Follow the proposal (until the clerk picks a tier), mark each tier, say why the
        chosen one is refused, list its gifts and terms."""
        campaign = self.campaign()
        if campaign is None:
            return
        facts = self._facts()
        proposed = campaigns.propose_tier(campaign, facts)
        if proposed is not None and not self._clerk_tier:
            self.tier.blockSignals(True)
            self.tier.setCurrentIndex(self.tier.findData(proposed.code))
            self.tier.blockSignals(False)
        for i, t in enumerate(campaign.tiers):
            ok = not campaigns.unmet(t, facts) and not campaigns.missing_fields(t, facts["details"])
            self.tier.setItemText(i, ("✓ " if ok else "✗ ") + labels.text(t.name))
        if len(campaign.tiers) > 1:
            self.proposal.setText(
                self.tr("Proposed from the answers: {tier}").format(tier=labels.text(proposed.name))
                if proposed is not None else self.tr("No tier fits the answers yet."))
        else:
            self.proposal.setText("")
        self._show_tier_check(facts)
        if self.chosen_tier() is not self._gifts_for:  # a new tier: its gifts and counts
            self._load_gifts(gift if gift is not None else self.gift.currentData())
        self._update_terms()

    def _show_tier_check(self, facts: dict[str, Any]) -> None:
        tier = self.chosen_tier()
        if tier is None:
            self.tier_check.setText("")
            return
        missing = campaigns.missing_fields(tier, facts["details"])
        failed = campaigns.unmet(tier, facts)
        if missing:
            names = "、" if labels.lang() == "zh" else ", "
            text = self.tr("Still to fill in: {fields}").format(fields=names.join(
                labels.text(spec.label) for k in missing
                if (spec := campaigns.field_spec(k)) is not None))
            ok = None
        elif failed:
            text = "✗ " + labels.text(campaigns.describe(failed[0], facts["details"]))
            ok = False
        else:
            text, ok = "✓ " + self.tr("The customer may take this tier."), True
        self.tier_check.setText(text)
        self.tier_check.setStyleSheet(OK_STYLE if ok else BAD_STYLE if ok is False else "")
        self.tier_check.setProperty("ok", ok)

    # -- the gift and the terms ------------------------------------------------------------------

    def _load_gifts(self, keep: str | None) -> None:
        """The tier's gifts at once, then with this counter's counts (read on a worker);
        those with none on hand cannot be chosen."""
        tier = self._gifts_for = self.chosen_tier()
        self._fill_gifts(tier, None, keep)
        if tier is None or not tier.gifts:
            return
        from app.services.orders.campaigns import gift_choices
        from app.ui.kit.operations import QueryOp

        self._gift_seq += 1
        seq, ctx = self._gift_seq, self.controller.ctx
        actor = ctx.require_actor()

        def done(choices: list[Any]) -> None:
            if seq == self._gift_seq and self.chosen_tier() is tier:
                self._fill_gifts(tier, {c.code: c.on_hand for c in choices},
                                 self.gift.currentData())

        (QueryOp(ctx.runner, lambda _c: gift_choices(ctx.db, actor, tier))
         .success(done).run_in_background())

    def _fill_gifts(self, tier: CampaignTier | None, counts: dict[str, int | None] | None,
                    keep: str | None) -> None:
        self.gift.blockSignals(True)
        self.gift.clear()
        gifts = tier.gifts if tier else ()
        for g in gifts:
            have = counts.get(g.code) if counts is not None else None
            name = labels.text(g.name)
            if have is not None:
                name = self.tr("{gift} ({count} on hand)").format(gift=name, count=have)
            self.gift.addItem(name, g.code)
            if have == 0:  # none counted here: the stock would refuse it
                model = cast(QStandardItemModel, self.gift.model())
                model.item(self.gift.count() - 1).setEnabled(False)
        if not gifts:
            self.gift.addItem(self.tr("No gift"), None)
        none_here = counts is not None and bool(gifts) and not any(counts.values())
        self.gift_note.setText(self.tr(
            "None of this tier's gifts is counted at this counter: receive them or have them "
            "transferred here first.") if none_here else "")
        self.gift_note.setVisible(none_here)
        wanted = self.gift.findData(keep) if keep else -1
        if counts is not None and (wanted < 0 or counts.get(str(keep)) == 0):
            wanted = next((i for i, g in enumerate(gifts) if counts.get(g.code)), wanted)
        self.gift.setCurrentIndex(max(0, wanted))
        self.gift.setEnabled(len(gifts) > 1)
        self.gift.blockSignals(False)
        self._update_terms()

    def _update_terms(self, *_: object) -> None:
        terms = campaigns.terms_of(self.controller.ctx.catalog, self.values(),
                                   self.controller.ctx.business_date())
        self.terms.setText(terms.words(labels.lang()) if terms else "")
        self.changed.emit()

    def _prefill_took_tier1(self, campaign: Campaign) -> None:
        """Tick "took tier 1" when this line took the campaign's first tier before (the
        clerk may still change it)."""
        editor = self.editors.get("took_tier1")
        number = self.controller.state.line_number
        if editor is None or not number or editor.value():
            return
        from app.services.orders.campaigns import took_first_tier
        from app.ui.kit.operations import QueryOp

        ctx = self.controller.ctx

        def done(took: bool) -> None:
            if took and self.campaign() is campaign and "took_tier1" not in self._clerk_fields \
                    and self.editors.get("took_tier1") is editor:
                editor.set_value(True)

        (QueryOp(ctx.runner, lambda _c: took_first_tier(ctx.db, number, campaign.code))
         .success(done).run_in_background())
