"""`counter key create` and the key's other failures say plainly what is wrong (issue #15):
one line in Chinese and English with exit 2 for bad input, never "internal error"."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.security import (
    MIN_PASSPHRASE_LENGTH,
    KeyUnavailable,
    SecurityError,
    WeakPassphrase,
    check_passphrase,
    create_key_file,
    open_key_file,
)
from tests.builders import personal

GOOD = "counter-key-passphrase-1"
TIMEOUT = 120


def key_create(path: Path | str, passphrase: str | bytes | None,
               *extra: str) -> subprocess.CompletedProcess[str]:
    """`counter key create --file PATH` with stdin not a terminal; the passphrase from the
    environment (bytes: as the environment may hold them, not valid UTF-8)."""
    env = {k: v for k, v in os.environb.items() if not k.startswith(b"COUNTER_KEY")}
    if passphrase is not None:
        env[b"COUNTER_KEY_PASSPHRASE"] = (passphrase if isinstance(passphrase, bytes)
                                          else passphrase.encode())
    proc = subprocess.run([sys.executable, "-m", "app", "key", "create", "--file", str(path),
                           *extra], env=env, stdin=subprocess.DEVNULL, capture_output=True,
                          timeout=TIMEOUT)
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode(),
                                       proc.stderr.decode())


def one_plain_line(proc: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    assert proc.returncode == code, (proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    line = lines[0]
    assert line.startswith("counter: ") and " / " in line  # Chinese / English
    assert "内部错误" not in line and "internal error" not in line and "Error" not in line
    for word in words:
        assert word in line, line


# -- the passphrase rule -----------------------------------------------------------------------

@pytest.mark.parametrize("passphrase, zh, en", [
    ("short", "至少需要 12 个字符（现为 5 个）", "at least 12 characters long (it has 5)"),
    ("x" * (MIN_PASSPHRASE_LENGTH - 1), "至少需要 12 个字符", "it has 11"),
    (" " * 20, "不能为空", "is empty"),
    ("", "不能为空", "is empty"),
    (" " + GOOD, "首尾不能有空格", "begin or end with a space"),
    (GOOD + "\n", "控制字符", "control characters"),
    ("tab\tin-the-middle", "控制字符", "control characters"),
    ("\udcff\udcfe" + GOOD, "无法识别的字符", "not valid text"),
])
def test_a_bad_passphrase_is_refused_with_its_reason(passphrase: str, zh: str,
                                                     en: str) -> None:
    with pytest.raises(WeakPassphrase) as info:
        check_passphrase(passphrase)
    assert zh in info.value.message_zh and en in info.value.message_en
    assert isinstance(info.value, SecurityError) and isinstance(info.value, ValueError)


def test_a_passphrase_is_counted_as_typed_through_an_ime() -> None:
    check_passphrase("柜台密钥口令二〇二四年冬")  # twelve Chinese characters are enough
    check_passphrase("Ｃｏｕｎｔｅｒ２０２４Ｋｅｙ")
    check_passphrase("two words in the middle")


def test_create_key_file_writes_nothing_for_a_weak_passphrase(tmp_path: Path) -> None:
    with pytest.raises(WeakPassphrase):
        create_key_file(tmp_path / "k.json", "short")
    assert list(tmp_path.iterdir()) == []


def test_opening_with_bytes_that_are_not_text_is_a_key_error(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    create_key_file(path, GOOD)
    with pytest.raises(KeyUnavailable, match="not valid text"):
        open_key_file(path, "\udcff" + GOOD)


# -- counter key create ------------------------------------------------------------------------

@pytest.mark.parametrize("passphrase, words", [
    ("short", ("12",)),
    ("   ", ("不能为空",)),
    (" " + GOOD, ("首尾不能有空格",)),
    (GOOD + "\n", ("control characters",)),
    (b"\xff\xfe" + GOOD.encode(), ("not valid text",)),
])
def test_key_create_refuses_a_bad_passphrase_plainly(tmp_path: Path, passphrase: str | bytes,
                                                     words: tuple[str, ...]) -> None:
    target = tmp_path / "key.json"
    one_plain_line(key_create(target, passphrase), 2, *words)
    assert list(tmp_path.iterdir()) == []


def test_key_create_then_the_other_failures(tmp_path: Path) -> None:
    target = tmp_path / "key.json"
    made = key_create(target, GOOD)
    assert made.returncode == 0 and "key file created" in made.stdout, made.stderr
    # The same path again: refused, the key kept.
    before = target.read_bytes()
    one_plain_line(key_create(target, GOOD), 1, "已存在", "already exists")
    assert target.read_bytes() == before
    # A folder, a path under a file, no passphrase and no terminal.
    one_plain_line(key_create(tmp_path, GOOD), 2, "not a folder")
    (tmp_path / "plain.txt").write_text("x")
    one_plain_line(key_create(tmp_path / "plain.txt" / "key.json", GOOD), 1,
                   "cannot write the key file")
    one_plain_line(key_create(tmp_path / "other.json", None), 2, "COUNTER_KEY_PASSPHRASE",
                   "run in a terminal")


def test_key_create_keyring_without_a_secure_keyring(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    proc = subprocess.run([sys.executable, "-m", "app", "key", "create", "--keyring"],
                          env=env, capture_output=True, text=True, timeout=TIMEOUT)
    one_plain_line(proc, 1, "没有可用的安全密钥存储", "counter key create --file")


@pytest.mark.parametrize("passphrase, words", [
    (GOOD + "-wrong", ("密钥文件口令错误", "wrong passphrase")),
    ("\udcff" + GOOD, ("not valid text",)),
])
def test_a_command_with_a_wrong_key_passphrase_says_so(tmp_path: Path, passphrase: str,
                                                       words: tuple[str, ...]) -> None:
    import json

    key = tmp_path / "key.json"
    create_key_file(key, GOOD)
    source = tmp_path / "req.json"
    source.write_text(json.dumps(personal("report_loss")), encoding="utf-8")
    env = {k: v for k, v in os.environb.items() if not k.startswith(b"COUNTER_KEY")}
    env[b"COUNTER_KEY_FILE"] = os.fsencode(key)
    env[b"COUNTER_KEY_PASSPHRASE"] = os.fsencode(passphrase)
    proc = subprocess.run([sys.executable, "-m", "app", "process", str(source), "--db",
                           f"sqlite:///{tmp_path / 'counter.sqlite3'}"], env=env,
                          capture_output=True, timeout=TIMEOUT)
    one_plain_line(subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode(),
                                               proc.stderr.decode()), 1, *words)
    assert not (tmp_path / "counter.sqlite3").exists()


# -- at a terminal -----------------------------------------------------------------------------

def _at_terminal(path: Path, keys: list[bytes]) -> tuple[int, str]:
    """Run `counter key create --file PATH` on a pseudo-terminal, typing each of `keys` once
    a prompt has appeared; the exit status and everything the terminal showed."""
    import pty

    env = {k: v for k, v in os.environ.items() if not k.startswith("COUNTER_KEY")}
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command, with the pty as its terminal
        os.execve(sys.executable, [sys.executable, "-m", "app", "key", "create", "--file",
                                   str(path)], env)
    shown = b""
    typed = 0
    deadline = time.monotonic() + TIMEOUT
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 1.0)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the command ended and the terminal closed
                break
            if not chunk:
                break
            shown += chunk
            if typed < len(keys) and shown.count(b": ") > typed:  # a new prompt is out
                os.write(fd, keys[typed])
                typed += 1
    finally:
        os.close(fd)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), shown.decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("keys, code, words", [
    ([b"short\n"], 2, ("至少需要 12 个字符",)),  # refused before it is asked again
    ([GOOD.encode() + b"\n", b"something-else-1\n"], 2, ("两次输入的口令不一致",)),
    ([b"\x04"], 2, ("未输入口令", "no passphrase entered")),  # Ctrl-D at the prompt
    ([GOOD.encode() + b"\n", GOOD.encode() + b"\n"], 0, ("key file created",)),
])
def test_key_create_at_a_terminal(tmp_path: Path, keys: list[bytes], code: int,
                                  words: tuple[str, ...]) -> None:
    path = tmp_path / "key.json"
    status, shown = _at_terminal(path, keys)
    assert status == code, shown
    assert "内部错误" not in shown and "Traceback" not in shown
    for word in words:
        assert word in shown, shown
    assert path.exists() == (code == 0)
