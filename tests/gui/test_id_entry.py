"""Document numbers as clerks type them, and the passphrase of a new key file (offscreen).

A number typed with dashes, spaces, full-width digits from a Chinese IME or a lower-case x
reaches the core in its canonical form (`normalize_id_number`), whether it goes through the
wizard's fields, the request built from the visit or the customer search box. A new key file's
passphrase is refused by the same rule the core applies (`check_passphrase`), in the language
shown, and no key error ends the program.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from app.core.catalog import get_catalog
from app.core.request import IdDocument
from app.security import (
    MIN_PASSPHRASE_LENGTH,
    DecryptionError,
    KeyAlreadyExists,
    KeyUnavailable,
)
from app.ui.counter.search import SearchPanel
from app.ui.kit import i18n
from app.ui.kit.op_failures import OpFailure
from app.ui.kit.op_runner import OpRunner
from app.ui.settings.store import UiSettings
from app.ui.shell.context import AppContext
from app.ui.shell.errors import install_error_messages
from app.ui.shell.setup_dialogs import KeySetupDialog
from app.ui.wizard.fields import IdNumberField
from app.ui.wizard.state import VisitState, build_request

from .counter_driver import WAIT_MS, adult_personal_active, ctx, make_resident_id, pick_line
from .ui_fixtures import no_thread_leak, op_runner, translators, ui_settings

__all__ = ["ctx", "no_thread_leak", "op_runner", "translators", "ui_settings"]

TODAY = date(2027, 1, 1)
# A resident ID whose check character is X: the clerk may type it as x.
ID_X = next(n for serial in range(1000)
            if (n := make_resident_id(date(1990, 2, 15), "310104", serial)).endswith("X"))


def full_width(text: str) -> str:
    """`text` as a Chinese IME in full-width mode types it."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def as_typed(number: str) -> str:
    """A resident ID the way it is often written: groups, a dash, full width, lower case."""
    return full_width(f"{number[:6]}-{number[6:14]} {number[14:]}".lower())


# --- 1. the request built from the visit ------------------------------------------------------

def test_the_request_carries_every_number_in_its_canonical_form() -> None:
    catalog = get_catalog()
    personal = VisitState(service="new_activation", customer_name="林小新",
                          customer_id_number=as_typed(ID_X), presenter_name="林小新",
                          presenter_id_number=f" {ID_X[:6]} {ID_X[6:].lower()} ")
    request = build_request(catalog, personal, None, signature=False)
    assert request.customer.id_document == IdDocument("resident_id", ID_X)
    assert request.presenter.id_document == IdDocument("resident_id", ID_X)

    group = VisitState(service="new_activation", kind="group", unit_name="滨江科技有限公司",
                       unit_reg_type="business_license",
                       unit_reg_id_number=full_width("91310104-ma1fl2xq 3k"),
                       presenter_name="王五", presenter_id_number="\u3000")
    request = build_request(catalog, group, None, signature=False)
    assert request.customer.unit is not None
    assert request.customer.unit.registration == IdDocument("business_license",
                                                            "91310104MA1FL2XQ3K")
    assert request.presenter.id_document is None  # blank (an IME's full-width space) is none

    # A type whose format is not known keeps its dashes: they may be part of the number.
    group.unit_reg_type = "institution_certificate"
    group.unit_reg_id_number = " 事证第 110-2024 号 "
    request = build_request(catalog, group, None, signature=False)
    assert request.customer.unit is not None
    assert request.customer.unit.registration == IdDocument("institution_certificate",
                                                            "事证第110-2024号")


# --- 2. the wizard's ID field -----------------------------------------------------------------

def test_the_id_field_reads_a_number_typed_any_way(qtbot) -> None:  # type: ignore[no-untyped-def]
    field = IdNumberField(get_catalog(), ("personal_id", "group_id"), today=lambda: TODAY)
    qtbot.addWidget(field)
    field.set_doc_type("resident_id")
    field.expected = ID_X  # the customer's registered number
    field.set_text(as_typed(ID_X))
    assert field.text() == ID_X
    assert field.is_ok() is True and field.hint.property("ok") is True
    assert field.number.text() == as_typed(ID_X)  # the box keeps what was typed

    field.expected = None
    field.set_doc_type("passport")
    field.set_text("ｅ１２３ ４５６７８")
    assert field.text() == "E12345678" and field.is_ok() is True

    field.set_doc_type("institution_certificate")
    field.set_text(" 事证第 110-2024 号 ")
    assert field.text() == "事证第110-2024号"


# --- 3. the passphrase of a new key file ------------------------------------------------------

@pytest.fixture
def key_dialog(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
               translators: None) -> Iterator[KeySetupDialog]:
    dialog = KeySetupDialog("create", str(tmp_path / "counter-key.json"), "no secure keyring")
    qtbot.addWidget(dialog)
    yield dialog


def _try(dialog: KeySetupDialog, passphrase: str) -> None:
    dialog.passphrase.setText(passphrase)
    dialog.repeat.setText(passphrase)
    dialog._check()


@pytest.mark.parametrize(("lang", "too_short", "edge_space"), [
    ("zh_CN", f"至少需要 {MIN_PASSPHRASE_LENGTH} 个字符（现为 {MIN_PASSPHRASE_LENGTH - 1} 个）",
     "首尾不能有空格"),
    ("en", f"at least {MIN_PASSPHRASE_LENGTH} characters long "
           f"(it has {MIN_PASSPHRASE_LENGTH - 1})", "must not begin or end with a space"),
])
def test_a_weak_passphrase_is_refused_in_the_language_shown(
        qtbot, key_dialog: KeySetupDialog, lang: str, too_short: str,  # type: ignore[no-untyped-def]
        edge_space: str) -> None:
    i18n.install_translators(lang)
    with qtbot.assertNotEmitted(key_dialog.accepted):
        _try(key_dialog, "x" * (MIN_PASSPHRASE_LENGTH - 1))
        assert too_short in key_dialog.error.text()
        _try(key_dialog, "a long passphrase ")
        assert edge_space in key_dialog.error.text()
    with qtbot.waitSignal(key_dialog.accepted, timeout=WAIT_MS):
        _try(key_dialog, "a long passphrase")


def test_an_existing_key_file_is_opened_with_whatever_passphrase_it_has(
        qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = KeySetupDialog("open", str(tmp_path / "counter-key.json"), "")
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        dialog.passphrase.setText("short")  # the rule is for new files only
        dialog._check()


# --- no key error is fatal --------------------------------------------------------------------

@pytest.fixture
def session(qtbot, no_thread_leak: None, op_runner: OpRunner,  # type: ignore[no-untyped-def]
            ui_settings: UiSettings, translators: None):
    """A session controller that has not started: the key steps are driven by hand."""
    from app.ui.shell.login import LoginWindow
    from app.ui.shell.session import SessionController

    i18n.install_translators("zh_CN")
    install_error_messages()
    login = LoginWindow(ui_settings)
    qtbot.addWidget(login)
    controller = SessionController(op_runner, ui_settings, None, login)
    yield controller
    op_runner.wait_idle(60)
    if controller.dialog is not None:  # the key dialog the test left waiting for a key
        controller.dialog.hide()


def _failure(exc: BaseException) -> OpFailure:
    return OpFailure(str(exc), exc, unexpected=False, cancelled=False)


def test_any_key_error_asks_for_the_key_file_again(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    fatal: list[str] = []
    session.boot_failed.connect(fatal.append)
    session._key_failed(_failure(DecryptionError("加密数据已损坏", "ciphertext is corrupt")))
    assert isinstance(session.dialog, KeySetupDialog) and not fatal

    session._key_failed(_failure(RuntimeError("the database is gone")))  # not a key error
    assert fatal == ["the database is gone"]
    box = session.login.findChild(QMessageBox, "bootFailedBox")
    assert box is not None
    box.close()


def test_a_key_file_that_cannot_be_created_is_explained_in_the_dialog(
        qtbot, session, tmp_path: Path,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch) -> None:
    fatal: list[str] = []
    session.boot_failed.connect(fatal.append)
    session._key_failed(_failure(KeyUnavailable("没有安全的密钥环", "no secure keyring")))
    dialog = session.dialog
    assert isinstance(dialog, KeySetupDialog) and dialog.mode == "create"

    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    dialog.path.setText(str(not_a_folder / "counter-key.json"))
    _try(dialog, "a long passphrase")
    qtbot.waitUntil(lambda: dialog.isVisible() and "无法写入" in dialog.error.text(),
                    timeout=WAIT_MS)
    assert session.dialog is dialog and not fatal

    def already_there(path: str, passphrase: str) -> bytes:
        raise KeyAlreadyExists(f"密钥文件已存在：{path}", f"key file exists: {path}")

    monkeypatch.setattr("app.security.create_key_file", already_there)
    dialog.error.clear()
    dialog.path.setText(str(tmp_path / "counter-key.json"))
    _try(dialog, "a long passphrase")
    qtbot.waitUntil(lambda: dialog.isVisible() and "密钥文件已存在" in dialog.error.text(),
                    timeout=WAIT_MS)
    assert not fatal


# --- 4. the customer search box ---------------------------------------------------------------

def test_the_search_box_finds_an_id_typed_any_way(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    pick = pick_line(ctx, adult_personal_active)
    number = pick.detail.id_number
    assert number is not None
    panel = SearchPanel(ctx)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.customer_chosen, timeout=WAIT_MS) as chosen:
        panel.search_for(as_typed(number))
    assert chosen.args == [pick.customer_id]
