"""tools/pick_python.sh: which interpreter a new .venv is made from (tools/run_tests.sh and
tools/run_app.sh source it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(shutil.which("bash") is None or sys.platform == "win32",
                                reason="the tools are bash scripts")


def picked(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k != "PYTHON"}
    clean.update(env)
    result = subprocess.run(["bash", "-c", "source tools/pick_python.sh && echo \"$PY\""],
                            cwd=ROOT, env=clean, capture_output=True, text=True, timeout=30,
                            check=True)
    return result.stdout.strip()


def test_python_set_by_the_caller_wins() -> None:
    assert picked(PYTHON="/opt/some/python3.12") == "/opt/some/python3.12"


def test_the_default_can_make_the_venv() -> None:
    py = picked()
    assert py in ("/usr/bin/python3", "python3")
    if py == "/usr/bin/python3":  # chosen only when it is new enough and has venv
        check = subprocess.run(
            [py, "-c", "import sys, venv, ensurepip; print(sys.version_info >= (3, 11))"],
            capture_output=True, text=True, timeout=30)
        assert check.stdout.strip() == "True"
