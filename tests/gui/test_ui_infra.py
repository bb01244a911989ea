"""The GUI infrastructure: workers, signature pad, ID card reader, i18n, fonts, theme, settings,
idle watcher and screenshots. Offscreen; no test touches the real user's settings."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json
import logging
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, QPointF, QSettings, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QImage, QPointingDevice, QTabletEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QWidget,
)

from app.ui.devices.idcard_reader import (
    IdCardData,
    IdCardReaderError,
    IdCardReaderWatcher,
    SimulatedIdCardReader,
)
from app.ui.kit import fonts, i18n
from app.ui.kit.op_failures import OpFailure, UserFacingError, register_error_message
from app.ui.kit.op_runner import OpRunner
from app.ui.kit.operations import CollectionOp, OpContext, QueryOp
from app.ui.kit.screenshots import grab_to_png
from app.ui.kit.signature_pad import SignaturePad
from app.ui.kit.theme import BADGE_COLORS, PALETTE, BadgeKind, apply_theme, badge, set_role
from app.ui.settings.store import CONFIG_DIR_ENV, UiSettings, default_settings_file
from app.ui.shell.idle import IdleWatcher

from .ui_fixtures import app_look, no_thread_leak, op_runner, translators, ui_settings

__all__ = ["app_look", "no_thread_leak", "op_runner", "translators", "ui_settings"]

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("no_thread_leak")]

GENERIC_ZH = "发生意外错误，操作未完成。请重试；如再次出现，请联系系统管理员。"


def _card(**changes: object) -> IdCardData:
    values: dict[str, object] = {
        "name": "张三",
        "id_number": "11010519491231002X",
        "address": "北京市东城区景山前街4号",
        "birth_date": date(1949, 12, 31),
        "issuing_authority": "北京市公安局东城分局",
        "valid_until": date(2036, 5, 1),
        "valid_from": date(2016, 5, 1),
        "sex": "男",
        "ethnicity": "汉",
    }
    values.update(changes)
    return IdCardData(**values)  # type: ignore[arg-type]


def _draw(pad: QWidget, points: list[tuple[int, int]]) -> None:
    QTest.mousePress(
        pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(*points[0])
    )
    for x, y in points[1:]:
        QTest.mouseMove(pad, QPoint(x, y), 2)
    QTest.mouseRelease(
        pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(*points[-1])
    )


@pytest.fixture
def pad(qtbot) -> SignaturePad:
    widget = SignaturePad()
    qtbot.addWidget(widget)
    widget.resize(600, 200)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


# ---------------------------------------------------------------------------------------------
# Signature pad


def test_mouse_strokes_make_a_signature_and_a_png(pad: SignaturePad) -> None:
    changes: list[None] = []
    pad.signature_changed.connect(lambda: changes.append(None))
    assert pad.is_empty()

    _draw(pad, [(60 + 8 * i, 120 - (i % 5) * 9) for i in range(30)])  # a zigzag
    _draw(pad, [(420, 60), (440, 90), (460, 130), (480, 150)])

    strokes = pad.strokes()
    assert not pad.is_empty()
    assert len(strokes) == 2 and len(changes) == 2
    assert len(strokes[0]) >= 20
    assert strokes[0][0][:2] == (60.0, 120.0)
    assert strokes[1][-1][:2] == (480.0, 150.0)
    times = [t for stroke in strokes for _, _, t in stroke]
    assert times == sorted(times) and times[0] == 0

    image = QImage.fromData(pad.to_png())
    assert not image.isNull()
    assert image.width() <= 1200 and image.height() <= 400
    dark = sum(
        QColor(image.pixel(x, y)).lightness() < 100
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
    )
    assert dark > 50, "the PNG shows no ink"
    corners = [(0, 0), (image.width() - 1, 0), (0, image.height() - 1)]
    assert all(QColor(image.pixel(x, y)) == QColor("white") for x, y in corners)
    # cropped: the signature spans x 60..480 and y 60..150, plus a 12 px margin, at 2x
    assert image.width() == pytest.approx(2 * (420 + 24), abs=4)
    assert image.height() == pytest.approx(2 * (90 + 24), abs=4)

    data = json.loads(pad.strokes_json())
    assert data["version"] == 1 and len(data["strokes"]) == 2
    assert data["strokes"][1][0][:2] == [420.0, 60.0]


def test_undo_clear_and_reload(pad: SignaturePad) -> None:
    _draw(pad, [(50, 50), (100, 80), (150, 60)])
    _draw(pad, [(200, 50), (250, 80)])
    saved = pad.strokes_json()
    assert pad.undo() is True
    assert len(pad.strokes()) == 1
    pad.clear()
    assert pad.is_empty() and pad.strokes() == []
    assert pad.undo() is False
    with pytest.raises(ValueError):
        pad.to_png()
    pad.load_strokes_json(saved)
    assert len(pad.strokes()) == 2


def test_png_of_a_large_signature_is_scaled_to_fit(pad: SignaturePad) -> None:
    pad.set_strokes([[(0, 0, 0), (1800, 300, 40), (3000, 900, 80)]])
    image = QImage.fromData(pad.to_png(QSize(600, 200), pixel_ratio=1.0))
    assert image.width() <= 600 and image.height() <= 200
    assert max(image.width() / 600, image.height() / 200) == pytest.approx(1.0, abs=0.01)


def test_tablet_pen_draws(pad: SignaturePad) -> None:
    device = QPointingDevice(
        "test stylus",
        1,
        QPointingDevice.DeviceType.Stylus,
        QPointingDevice.PointerType.Pen,
        QPointingDevice.Capability.Position | QPointingDevice.Capability.Pressure,
        1,
        1,
    )

    def send(kind: QTabletEvent.Type, x: float, y: float) -> None:
        pos = QPointF(x, y)
        event = QTabletEvent(
            kind,
            device,
            pos,
            pad.mapToGlobal(pos),
            0.6,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            Qt.KeyboardModifier.NoModifier,
            Qt.MouseButton.LeftButton,
            Qt.MouseButton.LeftButton,
        )
        QApplication.sendEvent(pad, event)
        assert event.isAccepted()

    send(QTabletEvent.Type.TabletPress, 30, 40)
    for i in range(1, 10):
        send(QTabletEvent.Type.TabletMove, 30 + 10 * i, 40 + 5 * i)
    send(QTabletEvent.Type.TabletRelease, 130, 90)
    assert len(pad.strokes()) == 1
    assert len(pad.strokes()[0]) == 11


def test_grab_to_png(pad: SignaturePad, tmp_path: Path, translators: None) -> None:
    i18n.install_translators("zh_CN")
    _draw(pad, [(80, 120), (120, 90), (160, 130), (200, 80)])
    path = grab_to_png(pad, tmp_path / "shots" / "pad.png")
    image = QImage(str(path))
    assert image.width() == round(pad.width() * pad.devicePixelRatioF())
    assert image.height() == round(pad.height() * pad.devicePixelRatioF())


# ---------------------------------------------------------------------------------------------
# Background operations


def test_collection_op_runs_off_the_gui_thread_and_fires_the_change_bus(
    qtbot, op_runner: OpRunner
) -> None:
    gui_thread = threading.get_ident()
    seen: dict[str, object] = {}
    announced: list[frozenset[str]] = []
    op_runner.changes.changed.connect(announced.append)

    def save(ctx: OpContext) -> int:
        seen["worker"] = threading.get_ident()
        seen["worker_name"] = threading.current_thread().name
        ctx.mark_changed("order")
        return 42

    def on_success(result: int) -> None:
        seen["result"] = result
        seen["callback"] = threading.get_ident()
        seen["announced_before_success"] = list(announced)

    handle = (
        CollectionOp(op_runner, save, changes={"customer"}).success(on_success).run_in_background()
    )
    with qtbot.waitSignal(handle.finished, timeout=30_000):
        pass  # the outcome is delivered by the event loop, which runs inside waitSignal
    assert op_runner.wait_idle(30)
    assert seen["result"] == 42
    assert seen["worker"] != gui_thread
    assert str(seen["worker_name"]).startswith("counter-write")
    assert seen["callback"] == gui_thread
    assert seen["announced_before_success"] == []  # success first, then the bus
    assert announced == [frozenset({"customer", "order"})]
    assert op_runner.pending_count() == 0


def test_writes_are_serialised_and_reads_are_not(qtbot, op_runner: OpRunner) -> None:
    release = threading.Event()
    first_started = threading.Event()
    order: list[str] = []

    def first(ctx: OpContext) -> None:
        first_started.set()
        assert release.wait(30)
        order.append("first")

    def second(ctx: OpContext) -> None:
        order.append("second")

    read_results: list[str] = []
    announced: list[frozenset[str]] = []
    op_runner.changes.changed.connect(announced.append)

    CollectionOp(op_runner, first).run_in_background()
    CollectionOp(op_runner, second).run_in_background()
    assert first_started.wait(30)
    # a read is not stuck behind the blocked write
    QueryOp(op_runner, lambda ctx: threading.current_thread().name).success(
        read_results.append
    ).run_in_background()
    qtbot.waitUntil(lambda: bool(read_results), timeout=30_000)
    assert read_results[0].startswith("counter-read")
    assert order == []  # the second write waits for the first
    release.set()
    assert op_runner.wait_idle(30)
    assert order == ["first", "second"]
    assert len(announced) == 2  # one per write, none for the read


def test_user_facing_error_becomes_the_message(op_runner: OpRunner) -> None:
    failures: list[OpFailure] = []
    announced: list[frozenset[str]] = []
    op_runner.changes.changed.connect(announced.append)
    successes: list[object] = []

    def refuse(ctx: OpContext) -> None:
        raise UserFacingError("该号码已被预占，请另选号码。")

    CollectionOp(op_runner, refuse, changes={"number"}).success(successes.append).failure(
        failures.append
    ).run_in_background()
    assert op_runner.wait_idle(30)
    assert successes == []
    assert len(failures) == 1
    assert failures[0].message == "该号码已被预占，请另选号码。"
    assert not failures[0].unexpected and not failures[0].cancelled
    assert announced == []  # a failed write announces nothing


def test_unexpected_error_is_logged_and_shown_in_chinese(
    op_runner: OpRunner, caplog: pytest.LogCaptureFixture, translators: None
) -> None:
    i18n.install_translators("zh_CN")
    failures: list[OpFailure] = []

    def crash(ctx: OpContext) -> None:
        raise RuntimeError("constraint failed: orders.customer_id")

    with caplog.at_level(logging.ERROR, logger="app.ui.kit.operations"):
        QueryOp(op_runner, crash).failure(failures.append).run_in_background()
        assert op_runner.wait_idle(30)
    assert [f.message for f in failures] == [GENERIC_ZH]
    assert failures[0].unexpected
    assert isinstance(failures[0].exception, RuntimeError)
    assert "orders" not in failures[0].message
    logged = [r for r in caplog.records if r.exc_info]
    assert logged and logged[0].exc_info is not None
    assert logged[0].exc_info[0] is RuntimeError


def test_an_expected_error_is_logged_in_one_line_without_a_traceback(
    op_runner: OpRunner, caplog: pytest.LogCaptureFixture
) -> None:
    class KeyMissing(Exception):
        pass

    register_error_message(KeyMissing, lambda exc: "没有密钥")
    failures: list[OpFailure] = []

    def fail(ctx: OpContext) -> None:
        raise KeyMissing("no keyring")

    with caplog.at_level(logging.INFO, logger="app.ui.kit.operations"):
        QueryOp(op_runner, fail).failure(failures.append).run_in_background()
        assert op_runner.wait_idle(30)
    assert [f.message for f in failures] == ["没有密钥"] and not failures[0].unexpected
    mine = [r for r in caplog.records if r.name == "app.ui.kit.operations"]
    assert mine and all(r.exc_info is None for r in mine)
    assert all(r.levelno < logging.WARNING for r in mine)


def test_registered_error_type_gets_its_message(op_runner: OpRunner) -> None:
    class NumberTaken(Exception):
        pass

    register_error_message(NumberTaken, lambda exc: f"号码 {exc.args[0]} 已被占用")
    failures: list[OpFailure] = []

    def take(ctx: OpContext) -> None:
        raise NumberTaken("13800138000")

    CollectionOp(op_runner, take).failure(failures.append).run_in_background()
    assert op_runner.wait_idle(30)
    assert failures[0].message == "号码 13800138000 已被占用"
    assert not failures[0].unexpected


def test_failure_without_callback_shows_a_message_box_not_a_traceback(
    qtbot, op_runner: OpRunner
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)

    def crash(ctx: OpContext) -> None:
        raise ValueError("boom")

    CollectionOp(op_runner, crash, parent=parent).run_in_background()
    assert op_runner.wait_idle(30)
    box = parent.findChild(QMessageBox, "operationFailedBox")
    assert box is not None
    assert "boom" not in box.text() and "Traceback" not in box.text()
    assert box.text() == QCoreApplication.translate(
        "workers",
        "An unexpected error occurred and the operation was not completed. "
        "Please try again; if it happens again, call the administrator.",
    )
    box.close()


def test_progress_is_reported_and_cancel_stops_the_op(qtbot, op_runner: OpRunner) -> None:
    reports: list[tuple[int, int]] = []

    def count(ctx: OpContext) -> str:
        for i in range(1, 501):
            ctx.progress(i, 500)
        return "done"

    handle = QueryOp(op_runner, count).run_in_background()
    handle.progress.connect(lambda done, total: reports.append((done, total)))
    assert op_runner.wait_idle(30)
    assert reports and reports[-1] == (500, 500)
    assert len(reports) < 500  # thinned out
    assert handle.is_done()

    started = threading.Event()
    failures: list[OpFailure] = []

    def endless(ctx: OpContext) -> None:
        started.set()
        while True:
            ctx.check_cancelled()
            time.sleep(0.005)

    handle = CollectionOp(op_runner, endless).failure(failures.append).run_in_background()
    assert started.wait(30)
    handle.cancel()
    assert op_runner.wait_idle(30)
    assert len(failures) == 1 and failures[0].cancelled and not failures[0].unexpected


def test_progress_dialog_follows_a_long_op(qtbot, op_runner: OpRunner) -> None:
    from PySide6.QtWidgets import QProgressDialog

    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    release = threading.Event()

    def slow(ctx: OpContext) -> None:
        ctx.progress(1, 4)
        assert release.wait(30)

    CollectionOp(op_runner, slow, parent=parent).with_progress("正在保存…").run_in_background()
    qtbot.waitUntil(
        lambda: any(d.isVisible() for d in parent.findChildren(QProgressDialog)), timeout=30_000
    )
    dialog = parent.findChildren(QProgressDialog)[0]
    assert dialog.labelText() == "正在保存…"
    release.set()
    assert op_runner.wait_idle(30)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=30_000)


def test_shutdown_cancels_stuck_ops_and_ends_the_threads(qapp: QApplication) -> None:
    runner = OpRunner()
    started = threading.Event()

    def stubborn(ctx: OpContext) -> None:
        started.set()
        while not ctx.cancelled:
            time.sleep(0.005)

    CollectionOp(runner, stubborn).run_in_background()
    assert started.wait(30)
    assert runner.shutdown(timeout=0.2) is False  # had to cancel
    assert not [t for t in threading.enumerate() if t.name.startswith("counter-")]
    with pytest.raises(RuntimeError):
        QueryOp(runner, lambda ctx: None).run_in_background()
    assert runner.shutdown() is True  # twice is fine


# ---------------------------------------------------------------------------------------------
# Idle watcher


def test_idle_watcher_fires_after_the_interval(qtbot) -> None:
    watcher = IdleWatcher(timeout_ms=150)
    start = time.monotonic()
    with qtbot.waitSignal(watcher.idle_timeout, timeout=30_000):
        watcher.start()
    assert time.monotonic() - start >= 0.14
    assert watcher.remaining_ms() == 0
    watcher.stop()


def test_idle_watcher_is_reset_by_input_and_fires_once(qtbot) -> None:
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    qtbot.waitExposed(field)
    fired: list[float] = []
    watcher = IdleWatcher(timeout_ms=800)
    watcher.idle_timeout.connect(lambda: fired.append(time.monotonic()))
    watcher.start()
    qtbot.wait(400)
    assert watcher.remaining_ms() < 800
    QTest.keyClick(field, Qt.Key.Key_A)
    typed_at = time.monotonic()
    assert watcher.remaining_ms() > 700  # the input restarted the count
    qtbot.waitUntil(lambda: bool(fired), timeout=30_000)
    assert fired[0] - typed_at >= 0.79  # counted from the key press, not from start()
    qtbot.wait(300)
    assert len(fired) == 1  # once per idle period
    QTest.mouseClick(field, Qt.MouseButton.LeftButton)  # input arms it again
    qtbot.waitUntil(lambda: len(fired) == 2, timeout=30_000)
    watcher.stop()
    assert not watcher.is_running()


def test_stopped_idle_watcher_stays_quiet(qtbot) -> None:
    watcher = IdleWatcher(timeout_ms=100)
    watcher.start()
    watcher.stop()
    with qtbot.assertNotEmitted(watcher.idle_timeout, wait=300):
        pass
    with pytest.raises(ValueError):
        IdleWatcher(minutes=0)


# ---------------------------------------------------------------------------------------------
# Languages


def test_language_switch_loads_chinese_and_english(
    qtbot, ui_settings: UiSettings, translators: None
) -> None:
    pad = SignaturePad()
    qtbot.addWidget(pad)
    assert i18n.current_language(ui_settings) == "zh_CN"  # the default

    assert i18n.install_translators(settings=ui_settings) is True
    assert i18n.installed_language() == "zh_CN"
    assert QCoreApplication.translate("SignaturePad", "Please sign here") == "请在此处签名"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"  # Qt's own qtbase
    qtbot.waitUntil(lambda: pad.accessibleName() == "签名板")  # widgets retranslate

    assert i18n.set_language("en", ui_settings) is True
    assert QCoreApplication.translate("SignaturePad", "Please sign here") == "Please sign here"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    qtbot.waitUntil(lambda: pad.accessibleName() == "Signature pad")
    assert UiSettings(ui_settings.path).language == "en"  # persisted in the file
    assert QSettings(str(ui_settings.path), QSettings.Format.IniFormat).value("ui/language") == "en"

    with pytest.raises(ValueError):
        i18n.set_language("fr", ui_settings)


def test_every_string_of_the_catalog_has_a_chinese_translation(
    translators: None,
) -> None:
    i18n.install_translators("zh_CN")
    assert QCoreApplication.translate("Badge", "Arrears") == "欠费"
    assert QCoreApplication.translate("workers", "The operation was cancelled.") == "操作已取消。"
    ts = i18n.translations_dir() / "counter_zh_CN.ts"
    text = ts.read_text(encoding="utf-8")
    assert 'type="unfinished"' not in text
    assert (i18n.translations_dir() / "counter_zh_CN.qm").stat().st_size > 100


# ---------------------------------------------------------------------------------------------
# Settings


def test_settings_defaults_roundtrip_and_validation(ui_settings: UiSettings) -> None:
    assert ui_settings.language == "zh_CN"
    assert ui_settings.idle_lock_minutes == 5
    assert ui_settings.thermal_printer == "" and ui_settings.a4_printer == ""

    ui_settings.thermal_printer = "XP-80C"
    ui_settings.a4_printer = "HP LaserJet M1136"
    ui_settings.idle_lock_minutes = 10
    ui_settings.sync()
    again = UiSettings(ui_settings.path)
    assert again.thermal_printer == "XP-80C"
    assert again.a4_printer == "HP LaserJet M1136"
    assert again.idle_lock_minutes == 10 and isinstance(again.idle_lock_minutes, int)

    with pytest.raises(ValueError):
        ui_settings.idle_lock_minutes = 0
    with pytest.raises(ValueError):
        ui_settings.language = "fr"

    ui_settings.qsettings.setValue("security/idle_lock_minutes", "many")
    ui_settings.qsettings.setValue("ui/language", "klingon")
    assert ui_settings.idle_lock_minutes == 5  # a bad stored value falls back to the default
    assert ui_settings.language == "zh_CN"
    assert {s.key for s in UiSettings.declared()} == {
        "ui/language",
        "printing/thermal_printer",
        "printing/a4_printer",
        "security/idle_lock_minutes",
    }


def test_default_settings_file_honours_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CONFIG_DIR_ENV, str(tmp_path))
    assert default_settings_file() == tmp_path / "ui.ini"
    assert UiSettings().path == tmp_path / "ui.ini"


def test_window_geometry_and_state_are_saved_apart(qtbot, ui_settings: UiSettings) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    splitter = QSplitter()
    splitter.addWidget(QWidget())
    splitter.addWidget(QWidget())
    window.setCentralWidget(splitter)
    window.setGeometry(100, 120, 640, 480)
    window.show()
    qtbot.waitExposed(window)
    splitter.setSizes([100, 500])

    assert ui_settings.restore_geometry("main_window", window) is False  # nothing saved yet
    ui_settings.save_geometry("main_window", window)
    ui_settings.save_state("main_window", window)
    ui_settings.save_state("customer_splitter", splitter)
    ui_settings.sync()

    again = UiSettings(ui_settings.path)
    other = QMainWindow()
    qtbot.addWidget(other)
    other_splitter = QSplitter()
    other_splitter.addWidget(QWidget())
    other_splitter.addWidget(QWidget())
    other.setCentralWidget(other_splitter)
    assert again.restore_geometry("main_window", other) is True
    assert again.restore_state("main_window", other) is True
    assert again.restore_state("customer_splitter", other_splitter) is True
    assert other.size() == window.size()
    other.show()
    qtbot.waitExposed(other)
    assert other_splitter.sizes()[0] < other_splitter.sizes()[1]
    keys = set(again.qsettings.allKeys())
    assert all(k.startswith("state/") for k in keys)  # state does not mix with the settings
    again.clear_state()
    assert again.qsettings.allKeys() == []


# ---------------------------------------------------------------------------------------------
# Fonts and theme


def test_bundled_cjk_font_is_installed_as_fallback(app_look: QApplication) -> None:
    path = fonts.bundled_font_path()
    if not path.is_file():
        pytest.skip(f"bundled font {path} is not there")
    family = fonts.install_cjk_font(app_look, point_size=12)
    assert family == "WenQuanYi Micro Hei"
    assert family in app_look.font().families()
    assert app_look.font().families()[-1] == family  # behind the system UI font
    assert app_look.font().pointSizeF() == 12
    assert QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(family)
    assert fonts.load_font_file(path) == fonts.load_font_file(path)  # loaded once
    assert [f.casefold() for f in QFont.substitutes("宋体")] == [family.casefold()]


def test_missing_font_file_is_not_fatal(app_look: QApplication, tmp_path: Path) -> None:
    assert fonts.load_font_file(tmp_path / "nope.ttc") == []
    assert fonts.install_cjk_font(app_look, tmp_path / "nope.ttc") is None


def _luminance(color: str) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    q = QColor(color)
    return 0.2126 * channel(q.red()) + 0.7152 * channel(q.green()) + 0.0722 * channel(q.blue())


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_badges_have_their_colours_and_readable_contrast(qtbot, translators: None) -> None:
    for kind, (background, text) in BADGE_COLORS.items():
        assert _contrast(background, text) >= 4.5, kind
    assert BADGE_COLORS[BadgeKind.ARREARS][0] != BADGE_COLORS[BadgeKind.REALNAME_STOP][0]

    label = badge("欠费 ¥35.20", BadgeKind.ARREARS)
    qtbot.addWidget(label)
    assert label.text() == "欠费 ¥35.20"
    assert label.property("badge") == "arrears"
    image = label.grab().toImage()
    assert QColor(image.pixel(2, image.height() // 2)) == QColor(BADGE_COLORS[BadgeKind.ARREARS][0])

    i18n.install_translators("zh_CN")
    vip = badge(None, "vip")
    qtbot.addWidget(vip)
    assert vip.text() == "VIP"
    assert badge(None, BadgeKind.REALNAME_STOP).text() == "实名制停机"
    with pytest.raises(ValueError):
        badge("x", "unknown")


def test_theme_applies_cleanly_and_marks_primary_buttons(
    qtbot, qtlog, app_look: QApplication
) -> None:
    apply_theme(app_look, point_size=12)
    assert app_look.font().pointSizeF() == 12
    button = QPushButton("下一步")
    qtbot.addWidget(button)
    set_role(button, "primary")
    button.resize(120, 40)
    image = button.grab().toImage()
    centre = QColor(image.pixel(10, image.height() // 2))
    assert centre == QColor(PALETTE["primary"])
    assert not [r for r in qtlog.records if "style" in r.message.lower()]
    with pytest.raises(ValueError):
        set_role(button, "shiny")


# ---------------------------------------------------------------------------------------------
# ID card reader


def test_simulated_reader_feeds_the_watcher(qtbot) -> None:
    reader = SimulatedIdCardReader()
    watcher = IdCardReaderWatcher(reader, interval_ms=20)
    card = _card()
    watcher.start()
    try:
        with qtbot.waitSignal(watcher.card_read, timeout=30_000) as blocker:
            reader.feed(card)
        assert blocker.args == [card]
        # the same card put on the reader again (after being taken off) is read again
        with qtbot.waitSignal(watcher.card_read, timeout=30_000) as blocker:
            reader.feed(card)
        assert blocker.args == [card]
    finally:
        assert watcher.stop()
    assert not watcher.is_running()


def test_reader_errors_are_reported_and_polling_goes_on(qtbot, translators: None) -> None:
    i18n.install_translators("zh_CN")
    reader = SimulatedIdCardReader()
    watcher = IdCardReaderWatcher(reader, interval_ms=20)
    reader.feed_error(IdCardReaderError("USB read timeout"))
    reader.feed(_card(name="李四"))
    failures: list[str] = []
    cards: list[IdCardData] = []
    watcher.read_failed.connect(failures.append)
    watcher.card_read.connect(cards.append)
    watcher.start()
    try:
        qtbot.waitUntil(lambda: bool(cards), timeout=30_000)
    finally:
        assert watcher.stop()
    assert failures == ["未能读取身份证，请将证件重新放到阅读器上。"]
    assert [c.name for c in cards] == ["李四"]


def test_cards_from_a_json_file(tmp_path: Path) -> None:
    card = _card(valid_until=None, photo=b"\x42\x4dBMP")
    path = tmp_path / "cards.json"
    other = {
        "name": "王五",
        "id_number": "44030519900101001x",
        "address": "广东省深圳市南山区",
        "birth_date": "19900101",
        "issuing_authority": "深圳市公安局南山分局",
        "valid_from": "2010.01.01",
        "valid_until": "2030.01.01",
    }
    path.write_text(json.dumps([card.to_dict(), other], ensure_ascii=False), encoding="utf-8")
    reader = SimulatedIdCardReader(json_path=path)
    assert reader.pending() == 2
    first = reader.read()
    assert first == card and first.valid_until is None and first.photo == b"\x42\x4dBMP"
    assert reader.read() is None  # the card is taken off between two cards
    second = reader.read()
    assert second is not None
    assert second.id_number == "44030519900101001X"
    assert second.birth_date == date(1990, 1, 1)
    assert second.valid_until == date(2030, 1, 1)
    assert reader.read() is None
    assert "11010519491231002X" not in repr(card)  # personal data stays out of logs
