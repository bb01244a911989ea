"""Regenerate the Chinese screenshots in docs/screenshots/ (offscreen, from a demo hall).

    python tools/make_screenshots.py [--out docs/screenshots]

Everything runs in a throw-away folder (database, settings, a temporary personal-data key): the
real user's data, settings and keyring are never touched. The windows are driven the way a
clerk drives them and grabbed with `app.ui.kit.screenshots.grab_to_png`.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _sandbox() -> Path:
    sys.path.insert(0, str(ROOT / "tools"))
    from sandbox import offscreen_sandbox

    return offscreen_sandbox("counter-shots-")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    tmp = _sandbox()

    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import select, update

    from app.core.catalog import get_catalog
    from app.core.validators import resident_id_check_char
    from app.db import open_database
    from app.models import Customer, Line
    from app.services.customers.pii import default_personal_data
    from app.services.day.counts import Counts
    from app.services.day.items import CHECKLIST_CODES
    from app.services.day.shifts import open_shift
    from app.services.hall.demo import DEMO_PASSWORD, fill_demo
    from app.services.orders.service import OrderService
    from app.services.staff.auth import login
    from app.ui.counter.window import CounterWindow
    from app.ui.kit import i18n
    from app.ui.kit.fonts import install_cjk_font
    from app.ui.kit.op_runner import OpRunner
    from app.ui.kit.screenshots import grab_to_png
    from app.ui.kit.theme import apply_theme
    from app.ui.settings.store import UiSettings
    from app.ui.shell.context import AppContext
    from app.ui.shell.errors import install_error_messages
    from app.ui.shell.login import LoginWindow
    from app.ui.wizard.base import (
        CUSTOMER,
        DETAILS,
        DOCUMENTS,
        DONE,
        PAYMENT,
        PRESENTER,
        SIGNATURE,
        VERDICT,
    )

    app = QApplication([])
    install_cjk_font(app)
    apply_theme(app)
    i18n.install_translators("zh_CN")
    install_error_messages()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []

    def shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
        settle()
        made.append(grab_to_png(widget, out / f"{name}.png"))

    runner = OpRunner()

    def settle() -> None:
        for _ in range(3):
            runner.wait_idle(15)
            QApplication.processEvents()
            time.sleep(0.02)

    db = open_database(f"sqlite:///{tmp / 'counter.sqlite3'}")
    fill_demo(db, customers=60, seed=20261122)
    settings = UiSettings(tmp / "config" / "ui.ini")

    # 1. the login window
    login_window = LoginWindow(settings)
    login_window.set_hall_name("示例营业厅")
    login_window.set_ready(True)
    login_window.staff_no.setText("C001")
    login_window.resize(480, 340)
    login_window.show()
    shot(login_window, "01_login")
    login_window.close()

    pd = default_personal_data()
    orders = OrderService(db, catalog=get_catalog(), personal_data=pd)
    orders.hall_config()
    ctx = AppContext(db=db, runner=runner, settings=settings, pd=pd, orders=orders,
                     catalog=get_catalog())
    ctx.actor = login(db, "C001", DEMO_PASSWORD, "C01")
    open_shift(db, ctx.actor, dict.fromkeys(CHECKLIST_CODES, True), Counts())

    # a customer with a line in arrears, so the badges and the arrears button show
    with db.session() as s:
        row = s.execute(select(Customer, Line).join(Line, Line.customer_id == Customer.id)
                        .where(Customer.kind == "personal", Customer.id_type == "resident_id",
                               Line.status == "active", Line.payment == "postpaid",
                               Line.vip.is_(False)).order_by(Line.id)).first()
        assert row is not None
        customer, line = row
        s.execute(update(Line).where(Line.id == line.id).values(
            arrears_fen=5800, contract_end=date(ctx.business_date().year + 1, 6, 30)))
        number, customer_id = line.number, customer.id

    window = CounterWindow(ctx)
    window.resize(1366, 800)
    window.show()
    window.after_login()
    settle()
    window.search.box.setText(number[:7])
    time.sleep(0.3)
    settle()
    window.load_customer(customer_id)
    settle()
    shot(window, "02_counter_customer")

    wizard = window.start_service(None)
    assert wizard is not None
    wizard.resize(900, 680)
    settle()
    wizard.pages[0].select("sim_replacement")
    shot(wizard, "03_wizard_service")
    wizard.next()
    settle()
    assert wizard.currentId() == CUSTOMER
    shot(wizard, "04_wizard_customer")
    wizard.next()
    settle()
    assert wizard.currentId() == PRESENTER
    detail = window.customer
    assert detail is not None and detail.id_number
    wizard.pages[PRESENTER].id_field.set_text(detail.id_number)
    shot(wizard, "05_wizard_presenter")
    # the documents page is worth showing with an agent: a row per requirement
    wizard.pages[PRESENTER].agent.setChecked(True)
    wizard.pages[PRESENTER].name.setText("王建国")
    body = f"440106198503041{23:02d}"[:17]
    wizard.pages[PRESENTER].id_field.set_text(body + resident_id_check_char(body))
    wizard.next()
    settle()
    assert wizard.currentId() == DOCUMENTS
    docs = wizard.pages[DOCUMENTS]
    row_owner = docs.row("resident_id")
    if row_owner is not None:
        row_owner.seen.setChecked(True)
        row_owner.number.set_text(detail.id_number)
    shot(wizard, "06_wizard_documents")
    wizard.next()
    settle()
    assert wizard.currentId() == DETAILS
    wizard.pages[DETAILS].editor("damaged_card").set_value(False)
    wizard.pages[DETAILS].editor("new_sim_serial").set_value("89860112345678901234")
    shot(wizard, "07_wizard_details")
    wizard.next()
    settle()
    assert wizard.currentId() == VERDICT
    shot(wizard, "08_wizard_verdict_agent_missing_papers")
    # back: the owner in person instead, then the rule on arrears speaks
    wizard.back()
    wizard.back()
    wizard.back()
    settle()
    wizard.pages[PRESENTER].owner.setChecked(True)
    wizard.pages[PRESENTER].name.setText(detail.name)
    wizard.pages[PRESENTER].id_field.set_text(detail.id_number)
    for _ in range(3):
        wizard.next()
        settle()
    assert wizard.currentId() == VERDICT
    shot(wizard, "09_wizard_verdict_arrears")
    verdict = wizard.pages[VERDICT]
    verdict.pay_button.click()
    settle()
    dialog = verdict.pay_dialog
    assert dialog is not None
    dialog.form.tendered.setText("100")
    shot(dialog, "10_pay_arrears_dialog")
    dialog.ok.click()
    settle()
    shot(wizard, "11_wizard_verdict_accepted")
    wizard.next()
    settle()
    assert wizard.currentId() == PAYMENT
    wizard.pages[PAYMENT].form.tendered.setText("20")
    shot(wizard, "12_wizard_payment")
    wizard.next()
    settle()
    assert wizard.currentId() == SIGNATURE
    pad = wizard.pages[SIGNATURE].pad
    h = pad.height()
    for k, (dx, dy) in enumerate(((0, 0), (150, 5), (290, -5))):
        x0, y0 = 60 + dx, h // 2 + dy
        QTest.mousePress(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(x0, y0))
        for i in range(1, 20):
            QTest.mouseMove(pad, QPoint(x0 + 5 * i, y0 + int(18 * ((-1) ** (i + k)))))
        QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                           QPoint(x0 + 100, y0 + 10))
    shot(wizard, "13_wizard_signature")
    wizard.next()
    settle()
    time.sleep(0.5)
    settle()
    assert wizard.currentId() == DONE
    shot(wizard, "14_wizard_done")
    wizard.accept()
    settle()
    shot(window, "15_counter_after_visit")

    # the supervisor's window and an order's record
    ctx.actor = login(db, "S001", DEMO_PASSWORD, "C02")
    sup_window = CounterWindow(ctx)
    sup_window.resize(1366, 800)
    sup = sup_window.open_supervisor()
    settle()
    shot(sup, "16_supervisor_day")
    if sup.day.model.rows:
        record = sup.open_order(sup.day.model.rows[0].order_no)
        settle()
        shot(record, "17_order_record")
        record.close()
    sup.close()

    # the export dialog, from the supervisor's Data menu
    export = sup_window.data.open_export()
    assert export is not None
    export.date_from.setDate(export.date_from.date().addDays(-6))
    shot(export, "18_export_dialog")
    export.close()
    sup_window.close()
    window.close()
    runner.shutdown()
    db.dispose()
    for path in made:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
