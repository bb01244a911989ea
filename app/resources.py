"""Where the read-only files shipped with the application (fonts, catalog, translations) live.

From a source tree they are in `<repo>/resources/`. In a PyInstaller bundle they are unpacked
under `sys._MEIPASS`; the installer spec must add the folder as `("resources", "resources")`
so that the same relative paths work in both cases.
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["resource_path", "resources_root"]


def resources_root() -> Path:
    """The `resources/` folder: inside the PyInstaller bundle if frozen, else in the source tree."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[1] / "resources"


def resource_path(*parts: str) -> Path:
    """Path of a shipped file, e.g. `resource_path("fonts", "wqy-microhei.ttc")`.

    The path is not checked for existence; callers that need the file raise their own error.
    """
    return resources_root().joinpath(*parts)
