"""Refresh the Qt Linguist sources and compile them.

    python tools/update_translations.py            # lupdate, then lrelease
    python tools/update_translations.py --release  # only compile the .ts files to .qm
    python tools/update_translations.py --check    # exit 1 if a Chinese translation is missing

(a) ``pyside6-lupdate`` scans ``app/ui/**/*.py`` for ``self.tr(...)`` and
``QCoreApplication.translate(context, ...)`` and merges the strings into
``resources/translations/counter_zh_CN.ts`` (existing translations are kept; strings that are
gone are kept as "vanished" unless ``--drop-obsolete``) and ``counter_en.ts`` (the source
language: plural forms only). Translate the new entries with ``pyside6-linguist`` or by hand.

(b) ``pyside6-lrelease`` compiles each ``.ts`` into the ``.qm`` file the application loads;
the ``.qm`` files are committed.

The tools come with PySide6 (Essentials included), as ``pyside6-lupdate`` / ``pyside6-lrelease``
next to the Python interpreter, or as ``lupdate`` / ``lrelease`` inside the PySide6 package.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES_ROOT = ROOT / "app" / "ui"
TRANSLATIONS = ROOT / "resources" / "translations"
CATALOG = "counter"
SOURCE_LANGUAGE = "en"
# language -> extra lupdate options
LANGUAGES: dict[str, list[str]] = {"zh_CN": [], "en": ["-pluralonly"]}


def find_tool(name: str) -> str:
    """``pyside6-<name>`` from the venv or PATH, else the binary shipped inside PySide6."""
    candidates = [Path(sys.executable).parent / f"pyside6-{name}"]
    found = shutil.which(f"pyside6-{name}")
    if found:
        candidates.append(Path(found))
    try:
        import PySide6

        package = Path(PySide6.__file__).parent
        candidates += [package / name, package / f"{name}.exe", package / "Qt" / "bin" / name]
    except ImportError:
        pass
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    raise SystemExit(f"{name} not found: install PySide6 (pyside6-{name}) in this environment")


def source_files() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in SOURCES_ROOT.rglob("*.py"))


def ts_path(lang: str, folder: Path = TRANSLATIONS) -> Path:
    return folder / f"{CATALOG}_{lang}.ts"


def lupdate(folder: Path, drop_obsolete: bool, silent: bool = False) -> None:
    tool = find_tool("lupdate")
    files = source_files()
    for lang, extra in LANGUAGES.items():
        command = [
            tool,
            "-locations",
            "relative",
            "-source-language",
            SOURCE_LANGUAGE,
            "-target-language",
            lang,
            *extra,
            *(["-no-obsolete"] if drop_obsolete else []),
            *(["-silent"] if silent else []),
            *files,
            "-ts",
            str(ts_path(lang, folder)),
        ]
        subprocess.run(command, cwd=ROOT, check=True)


def compile_ts(ts: Path, qm: Path) -> None:
    tool = find_tool("lrelease")
    command = [tool, "-silent", "-removeidentical", str(ts), "-qm", str(qm)]
    subprocess.run(command, cwd=ROOT, check=True)


def lrelease() -> None:
    for lang in LANGUAGES:
        compile_ts(ts_path(lang), ts_path(lang).with_suffix(".qm"))


def unfinished(ts: Path) -> list[str]:
    """Source texts of the messages that still lack a translation (vanished ones excluded)."""
    missing = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            kind = translation.get("type") if translation is not None else "unfinished"
            if kind in ("vanished", "obsolete"):
                continue
            if kind == "unfinished" or translation is None or not "".join(translation.itertext()):
                missing.append(f"{name}: {message.findtext('source', '')}")
    return missing


def check() -> int:
    """Run lupdate on copies of the .ts files; report strings without a Chinese translation."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for lang in LANGUAGES:
            if ts_path(lang).exists():
                shutil.copy(ts_path(lang), ts_path(lang, folder))
        lupdate(folder, drop_obsolete=False, silent=True)
        missing = unfinished(ts_path("zh_CN", folder))
        stale = []
        for lang in LANGUAGES:
            compiled = folder / f"{CATALOG}_{lang}.qm"
            if not ts_path(lang).exists():
                stale.append(lang)
                continue
            compile_ts(ts_path(lang), compiled)
            committed = ts_path(lang).with_suffix(".qm")
            if not committed.exists() or committed.read_bytes() != compiled.read_bytes():
                stale.append(lang)
    for entry in missing:
        print(f"untranslated: {entry}")
    for lang in stale:
        print(f"not compiled: {ts_path(lang).with_suffix('.qm').name}")
    return 1 if missing or stale else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--release", action="store_true", help="only compile .ts to .qm")
    group.add_argument("--check", action="store_true", help="report missing translations")
    parser.add_argument("--drop-obsolete", action="store_true", help="forget vanished strings")
    args = parser.parse_args(argv)
    if args.check:
        return check()
    TRANSLATIONS.mkdir(parents=True, exist_ok=True)
    if not args.release:
        lupdate(TRANSLATIONS, args.drop_obsolete)
    lrelease()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
