"""The key file's slow derivation runs once per process, and the memory of it never stands in
for a check: another passphrase, a rewritten, damaged or removed file is judged afresh."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.security import KeyUnavailable, create_key_file, key_file, keys, open_key_file
from tests.builders import personal

PASSPHRASE = "one-derivation-per-process"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def derivations(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the KDFs run (each a slow derivation), from a clean memory."""
    runs: list[str] = []
    real = key_file._run_kdf

    def counting(kdf: Any, salt: bytes, passphrase: bytes) -> bytes:
        runs.append(kdf["name"])
        return real(kdf, salt, passphrase)

    key_file.forget_opened_keys()
    monkeypatch.setattr(key_file, "_run_kdf", counting)
    yield runs
    key_file.forget_opened_keys()


def test_the_same_file_and_passphrase_derive_once(tmp_path: Path,
                                                   derivations: list[str]) -> None:
    path = tmp_path / "hall.key"
    key = create_key_file(path, PASSPHRASE)
    derivations.clear()
    assert open_key_file(path, PASSPHRASE) == key
    assert open_key_file(path, PASSPHRASE) == key
    assert derivations == ["scrypt"]


def test_a_wrong_passphrase_is_refused_after_a_right_one(tmp_path: Path,
                                                         derivations: list[str]) -> None:
    path = tmp_path / "hall.key"
    create_key_file(path, PASSPHRASE)
    open_key_file(path, PASSPHRASE)
    for wrong in (PASSPHRASE + "x", PASSPHRASE.upper()):
        with pytest.raises(KeyUnavailable, match="wrong passphrase"):
            open_key_file(path, wrong)
    with pytest.raises(KeyUnavailable, match="no key file passphrase"):
        open_key_file(path, "")


def test_a_failure_is_never_remembered(tmp_path: Path, derivations: list[str]) -> None:
    path = tmp_path / "hall.key"
    create_key_file(path, PASSPHRASE)
    for _ in range(2):
        with pytest.raises(KeyUnavailable, match="wrong passphrase"):
            open_key_file(path, PASSPHRASE + "x")
    assert derivations == ["scrypt", "scrypt", "scrypt"]  # the create, then each attempt


def test_a_rewritten_file_gives_its_own_key(tmp_path: Path, derivations: list[str]) -> None:
    path = tmp_path / "hall.key"
    first = create_key_file(path, PASSPHRASE)
    assert open_key_file(path, PASSPHRASE) == first
    second = create_key_file(path, PASSPHRASE, overwrite=True)  # same passphrase, new key
    assert second != first
    assert open_key_file(path, PASSPHRASE) == second
    create_key_file(path, PASSPHRASE + "-new", key=second, overwrite=True)  # rewrapped
    with pytest.raises(KeyUnavailable, match="wrong passphrase"):
        open_key_file(path, PASSPHRASE)
    assert open_key_file(path, PASSPHRASE + "-new") == second


def test_a_damaged_or_removed_file_is_refused_after_a_good_open(
        tmp_path: Path, derivations: list[str]) -> None:
    path = tmp_path / "hall.key"
    create_key_file(path, PASSPHRASE)
    open_key_file(path, PASSPHRASE)
    doc = json.loads(path.read_text())
    wrapped = bytearray(doc["wrapped_key"].encode())
    wrapped[5] = ord("A") if wrapped[5] != ord("A") else ord("B")
    path.write_text(json.dumps({**doc, "wrapped_key": wrapped.decode()}))
    with pytest.raises(KeyUnavailable, match="corrupt or has been tampered"):
        open_key_file(path, PASSPHRASE)
    path.unlink()
    with pytest.raises(KeyUnavailable, match="key file not found"):
        open_key_file(path, PASSPHRASE)


def test_the_same_bytes_elsewhere_open_without_deriving_again(
        tmp_path: Path, derivations: list[str]) -> None:
    """The key depends on the file's bytes and the passphrase alone (not on its name)."""
    path, copy = tmp_path / "hall.key", tmp_path / "copy.key"
    key = create_key_file(path, PASSPHRASE)
    copy.write_bytes(path.read_bytes())
    derivations.clear()
    assert open_key_file(path, PASSPHRASE) == open_key_file(copy, PASSPHRASE) == key
    assert derivations == ["scrypt"]


COUNT_RUN = """
import sys
from app.security import key_file
from app.cli import main
real, runs = key_file._run_kdf, []
key_file._run_kdf = lambda *a: runs.append(1) or real(*a)
code = main(sys.argv[1:])
print("DERIVATIONS", len(runs), file=sys.stderr)
raise SystemExit(code)
"""


def test_counter_process_derives_the_key_once(tmp_path: Path) -> None:
    """A real `counter process` run: personal data, the idempotency key, the audit chain and
    its anchor all use the key, read from the key file with one derivation."""
    request = tmp_path / "req.json"
    request.write_text(json.dumps(personal("sim_replacement")), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'hall.sqlite3'}"
    proc = subprocess.run([sys.executable, "-c", COUNT_RUN, "process", str(request), "--db", db],
                          capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env=os.environ.copy())
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["decision"] == "accepted"
    assert "DERIVATIONS 1" in proc.stderr.splitlines()


def test_opening_ahead_of_need_derives_once(tmp_path: Path, derivations: list[str]) -> None:
    path = tmp_path / "hall.key"
    key = create_key_file(path, PASSPHRASE)
    derivations.clear()
    env = {"COUNTER_KEY_FILE": str(path), "COUNTER_KEY_PASSPHRASE": PASSPHRASE}
    keys.start_loading_master_key(env)
    assert keys.load_master_key(env) == key
    assert derivations == ["scrypt"]


def test_opening_ahead_of_need_decides_nothing(tmp_path: Path, derivations: list[str]) -> None:
    """A wrong passphrase started early is refused when the key is asked for; a passphrase
    changed in between is the one that counts."""
    path = tmp_path / "hall.key"
    key = create_key_file(path, PASSPHRASE)
    wrong = {"COUNTER_KEY_FILE": str(path), "COUNTER_KEY_PASSPHRASE": PASSPHRASE + "x"}
    keys.start_loading_master_key(wrong)
    with pytest.raises(KeyUnavailable, match="wrong passphrase"):
        keys.load_master_key(wrong)
    keys.start_loading_master_key(wrong)
    right = {**wrong, "COUNTER_KEY_PASSPHRASE": PASSPHRASE}
    assert keys.load_master_key(right) == key
    keys.start_loading_master_key(right)
    path.unlink()
    with pytest.raises(KeyUnavailable, match="key file not found"):
        keys.load_master_key(right)
