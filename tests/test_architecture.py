"""The shape of app/: the core knows nothing of Qt (no module outside app/ui imports
PySide6, and importing the core, the services, printing and the command line does not load
Qt); imports point down the layers; no module over 500 lines, no folder over 15 modules."""

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


# -- size: modules a reader takes in at once, folders a reader scans at a glance ----------------

MAX_LINES = 500
MAX_MODULES = 15


def test_no_module_in_app_is_over_500_lines() -> None:
    long = {}
    for path in sorted(APP.rglob("*.py")):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            long[str(path.relative_to(APP))] = lines
    assert not long, f"modules over {MAX_LINES} lines (split them by what they do): {long}"


def test_no_folder_of_app_holds_more_than_15_modules() -> None:
    crowded = {}
    for folder in sorted({APP, *(p.parent for p in APP.rglob("*.py"))}):
        modules = [p for p in folder.glob("*.py") if p.name != "__init__.py"]
        if len(modules) > MAX_MODULES:
            crowded[str(folder.relative_to(APP.parent))] = len(modules)
    assert not crowded, f"folders with more than {MAX_MODULES} modules: {crowded}"


def test_the_import_contracts_are_kept() -> None:
    """import-linter's contracts in pyproject.toml: Qt only in app/ui, and the layers
    (command line > window > services > printing > core | security > models | db > clock)."""
    result = subprocess.run([sys.executable, "-c", "import sys; from importlinter.cli import "
                             "lint_imports; sys.exit(lint_imports(no_cache=True))"],
                            cwd=APP.parent, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert ", 0 broken." in result.stdout, result.stdout[-4000:]


def test_the_command_line_starts_without_the_database_or_qt() -> None:
    """`counter` imports every command module to build its parser: those imports must stay
    light (the database, Qt and the services load when a command runs), or every command and
    the window's start pay for them."""
    code = ("import sys, app.cli as c; c.build_parser(); "
            "print(sorted(m for m in ('sqlalchemy', 'PySide6', 'reportlab', 'app.services') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=Path(__file__).resolve().parents[1])
    assert done.stdout.strip() == "[]"
