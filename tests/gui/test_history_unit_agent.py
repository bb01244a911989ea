"""A unit's papers and its person (issue 12, defect 7): a letter's number has no check, so it
never shows "✓ 号码校验通过" ("12345" on a 单位介绍信); only the documents `check_document`
really verifies get the check mark; and the unit's person is named apart from a person's
agent (经办人 / 代办人)."""

from __future__ import annotations

from typing import Any

import pytest

from app.core.catalog import get_catalog
from app.core.validators import check_document
from app.ui.kit import labels
from app.ui.wizard.fields import NUMBER_CHECKED, OK_STYLE, IdNumberField, id_hint
from tests.builders import DAY, OWNER_ID, USCC

from .ui_fixtures import translators

__all__ = ["translators"]


def field(qtbot: Any, categories: tuple[str, ...], code: str) -> IdNumberField:
    f = IdNumberField(get_catalog(), categories, today=lambda: DAY)
    qtbot.addWidget(f)
    f.set_doc_type(code)
    return f


def test_a_unit_letter_has_no_check_mark(qtbot: Any) -> None:
    letter = field(qtbot, ("personal_id", "group_id"), "introduction_letter")
    assert letter.doc_type() == "introduction_letter"
    letter.number.setText("12345")
    assert "✓" not in letter.hint.text() and letter.hint.text()
    assert letter.hint.styleSheet() != OK_STYLE  # grey: recorded, not "passed"
    assert letter.is_ok() is True  # nothing to refuse either


@pytest.mark.parametrize("code, number", [("resident_id", OWNER_ID),
                                          ("business_license", USCC)])
def test_checked_documents_keep_their_check_mark(qtbot: Any, code: str, number: str) -> None:
    f = field(qtbot, ("personal_id", "group_id"), code)
    f.number.setText(number)
    assert f.hint.text().startswith("✓") and f.hint.styleSheet() == OK_STYLE
    f.number.setText("12345")
    assert f.hint.text().startswith("✗") and f.is_ok() is False


def test_the_check_mark_means_a_real_check_for_every_paper_of_the_catalog() -> None:
    """Kept in step with `check_document`: a paper it checks refuses a one-digit number; any
    other accepts anything, and so shows no check mark."""
    for code in get_catalog().documents:
        assert check_document(code, "1", DAY).ok is (code not in NUMBER_CHECKED), code
        if code not in NUMBER_CHECKED:
            shown = id_hint(code, "12345", DAY)[1]
            assert "✓" not in shown, (code, shown)


def test_a_letter_matched_against_the_record_says_so() -> None:
    ok, text = id_hint("embassy_note", "ABC-1", DAY, expected="ABC-1")
    assert ok and text.startswith("✓") and "✓ " not in text[2:]
    ok, text = id_hint("embassy_note", "ABC-2", DAY, expected="ABC-1")
    assert ok is False and text.startswith("✗")


def test_a_units_person_and_a_persons_agent_have_their_own_names(translators: None) -> None:
    assert labels.presenter_role_name("agent", "group") != labels.presenter_role_name(
        "agent", "personal")
    assert labels.presenter_role_name("agent", "personal") == labels.role_name("agent")
    assert labels.presenter_role_name("owner", "personal") == labels.role_name("owner")
