"""Fill the installer templates from pyproject.toml (name, version, description).

    python installer/render_templates.py [--out build]

    installer/counter.iss.in                 -> build/counter.iss        (Inno Setup, Windows)
    installer/linux/hall-counter.desktop.in  -> build/hall-counter.desktop

A template names a value as ``@NAME@``. Values known at build time are filled here; the
install-time ones (``@EXEC@``, ``@ICON@``: where the program was installed) are left for
installer/linux/install.sh. Any other ``@WORD@`` left over is an error, so a misspelt
placeholder never reaches an installer.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INSTALLER = ROOT / "installer"
TEMPLATES = {
    INSTALLER / "counter.iss.in": "counter.iss",
    INSTALLER / "linux" / "hall-counter.desktop.in": "hall-counter.desktop",
}
INSTALL_TIME = {"EXEC", "ICON"}
PLACEHOLDER = re.compile(r"@([A-Z][A-Z0-9_]*)@")


def project_values(pyproject: Path = ROOT / "pyproject.toml") -> dict[str, str]:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    version = str(project["version"])
    numbers = [int(n) for n in re.findall(r"\d+", version)[:4]]
    numeric = ".".join(str(n) for n in [*numbers, 0, 0, 0, 0][:4])
    return {
        "NAME": str(project["name"]),
        "VERSION": version,
        # Windows file versions are four numbers: 0.1.0 -> 0.1.0.0, 1.2.0rc1 -> 1.2.0.1
        "VERSION_NUMERIC": numeric,
        "DESCRIPTION": str(project.get("description", "")),
    }


def render(text: str, values: dict[str, str], source: str = "template") -> str:
    unknown = sorted({m for m in PLACEHOLDER.findall(text)} - values.keys() - INSTALL_TIME)
    if unknown:
        raise SystemExit(f"{source}: unknown placeholder(s) {', '.join(unknown)}")
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build", help="output folder")
    args = parser.parse_args(argv)
    values = project_values()
    args.out.mkdir(parents=True, exist_ok=True)
    for template, name in TEMPLATES.items():
        text = render(template.read_text(encoding="utf-8"), values, str(template))
        target = args.out / name
        # Inno Setup reads a script with a UTF-8 BOM as UTF-8 (the Chinese names need it).
        encoding = "utf-8-sig" if name.endswith(".iss") else "utf-8"
        newline = "\r\n" if name.endswith(".iss") else "\n"
        with target.open("w", encoding=encoding, newline=newline) as out:
            out.write(text)
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
