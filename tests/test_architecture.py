"""The core knows nothing of Qt: no module outside app/ui imports PySide6, and importing
the core, the services, printing and the command line does not load Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"


def test_no_pyside_import_outside_ui() -> None:
    offenders = []
    for path in APP.rglob("*.py"):
        rel = path.relative_to(APP)
        if rel.parts[0] == "ui" or (rel.parts[0] == "commands" and rel.name in ("gui.py",
                                                                              "smoke.py")):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n.split(".")[0] == "PySide6" for n in names):
                offenders.append(str(rel))
    assert not offenders, f"Qt imported outside app/ui: {offenders}"


def test_core_import_does_not_load_qt() -> None:
    code = ("import sys, app.core.engine, app.services.orders.service, app.db, app.cli, app.printing; "
            "import app.cli as c; c.build_parser(); "
            "print(any(m.startswith('PySide6') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False"


def test_version_matches_pyproject() -> None:
    import tomllib

    import app

    data = tomllib.loads((APP.parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert app.__version__ == data["project"]["version"]
