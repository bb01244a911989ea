"""Phone numbers on paper.

The rule: a paper shows in full only the line the order serves (its 业务号码, `line_number`),
because the customer checks and keeps that number; every other phone number on it — a contact
phone, a presenter's or new owner's number, a number in a note, a notice or the daily report —
is masked the standard way (`mask_mobile`: 138****1234, a landline 020-****5678).

Papers leave the hall, so the numbers are found in every free text of a paper, not only in
the fields meant for them. Masking is idempotent: a masked number has no run of digits left to
match. Every renderer applies it to the paper it is given.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from app.printing.daily import DailyReport
from app.printing.paper import OrderPaper
from app.security import mask_mobile

__all__ = ["mask_paper_phones", "mask_phones", "mask_report_phones"]

_D = "[0-9０-９]"  # ASCII or full-width: both print as a readable number
_MOBILE = (rf"(?:(?:\+|＋|00|００)?[8８][6６][ -]?)?[1１][3-9３-９]{_D}"
           rf"(?:[ -]?{_D}{{4}}){{2}}")
_LANDLINE = rf"(?:[0０]{_D}{{2,3}}-|[(（][0０]{_D}{{2,3}}[)）] ?){_D}{{7,8}}"
# Not inside a longer code (an ICCID, an order number, a serial): no letter, digit or dash
# right before the number and no digit right after it.
_PHONE = re.compile(rf"(?<![0-9０-９A-Za-z-])(?:{_MOBILE}|{_LANDLINE})(?![0-9０-９])")


def _digits(text: str) -> str:
    digits = "".join(c for c in unicodedata.normalize("NFKC", text) if c.isdigit())
    for prefix in ("0086", "86"):
        if len(digits) > 11 and digits.startswith(prefix):
            return digits[len(prefix):]
    return digits


def mask_phones(text: str, served: str | None = None) -> str:
    """`text` with every phone number in it masked, except the number `served` (the line
    the order serves, compared by its digits)."""
    keep = _digits(served) if served else None

    def mask(found: re.Match[str]) -> str:
        number = found.group(0)
        return number if keep and _digits(number) == keep else mask_mobile(number)

    return _PHONE.sub(mask, text)


def mask_paper_phones(paper: OrderPaper) -> OrderPaper:
    """The paper with every phone number masked but its own line's."""
    line = paper.line_number

    def m(text: str) -> str:
        return mask_phones(text, line)

    return replace(
        paper,
        customer_name=m(paper.customer_name),
        presenter_name=m(paper.presenter_name),
        unit_name=m(paper.unit_name) if paper.unit_name is not None else None,
        details=[(label, m(value)) for label, value in paper.details],
        notices=[m(n) for n in paper.notices],
        follow_ups=[replace(f, name=m(f.name)) for f in paper.follow_ups],
        effective=m(paper.effective),
    )


def mask_report_phones(report: DailyReport) -> DailyReport:
    """The daily report with every phone number masked: it serves no line."""
    return replace(
        report,
        rejections=[replace(r, reason=mask_phones(r.reason)) for r in report.rejections],
        differences=[replace(d, explanation=mask_phones(d.explanation))
                     for d in report.differences],
        follow_ups=[replace(f, name=mask_phones(f.name)) for f in report.follow_ups],
        notes=[mask_phones(n) for n in report.notes],
    )
