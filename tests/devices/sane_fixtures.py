"""SANE's `test` backend, switched on for one test: a config folder whose dll.conf says `test`.

Debian ships the backend disabled (commented out in /etc/sane.d/dll.conf); `SANE_CONFIG_DIR`
pointing at our folder (no trailing colon: the system folder is not searched) enables it and
nothing else, so no real scanner or network backend is probed. The backend's default page is
80 mm x 100 mm (its test.conf `br_x` / `br_y`).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

__all__ = ["PAGE_MM", "needs_scanimage", "sane_env"]

PAGE_MM = (80.0, 100.0)

needs_scanimage = pytest.mark.skipif(shutil.which("scanimage") is None,
                                     reason="scanimage (sane-utils) is not installed")


@pytest.fixture
def sane_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    folder = tmp_path / "sane.d"
    folder.mkdir()
    (folder / "dll.conf").write_text("test\n", encoding="ascii")
    monkeypatch.setenv("SANE_CONFIG_DIR", str(folder))
    return dict(os.environ)
