"""`counter devices show|set|test` on a devices.ini of the test's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main


def test_set_then_show(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ini = tmp_path / "devices.ini"
    assert main(["devices", "--file", str(ini), "set", "queue", "kind", "manual"]) == 0
    assert main(["devices", "--file", str(ini), "show"]) == 0
    out = capsys.readouterr().out
    assert "[queue]" in out and "kind = manual" in out
    assert "[scanner]" in out and "# not set" in out


def test_a_bad_key_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ini = tmp_path / "devices.ini"
    assert main(["devices", "--file", str(ini), "set", "queue", "kind;rm", "x"]) == 2
    assert "键名" in capsys.readouterr().err
    assert not ini.exists()


def test_nothing_set_up_answers_for_every_device_and_exits_0(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ini = tmp_path / "devices.ini"
    assert main(["devices", "--file", str(ini), "test", "--device", "idcard",
                 "--device", "receipt_printer", "--device", "scanner",
                 "--device", "queue"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("-- 身份证阅读器") or lines[0].startswith("OK 身份证阅读器")


def test_a_printer_that_is_not_there_exits_1_with_one_sentence(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ini = tmp_path / "devices.ini"
    main(["devices", "--file", str(ini), "set", "receipt_printer", "url",
          f"escpos+tcp://127.0.0.1:{port}"])
    capsys.readouterr()
    assert main(["devices", "--file", str(ini), "test", "--device", "receipt_printer",
                 "--lang", "en"]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("!! Receipt printer:")
    assert str(port) in out[0]
