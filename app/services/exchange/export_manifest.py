"""`manifest.json`: what an export holds (range, format, masking, reason, and per file its
dataset, rows and SHA-256), written last by the export and checked first by the import.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from app.services.exchange.errors import ExportError

MANIFEST: Final = "manifest.json"
FORMAT_VERSION: Final = 1


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_manifest(folder: Path) -> dict[str, Any]:
    path = Path(folder) / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ExportError(f"{folder} 中没有 manifest.json，不是一份导出",
                          f"no manifest.json in {folder}: not an export") from None
    if not isinstance(data, dict) or data.get("format_version") != FORMAT_VERSION:
        raise ExportError("manifest.json 的格式不认识", "manifest.json: unknown format")
    return data


def verify_files(folder: Path, manifest: Mapping[str, Any]) -> None:
    """Every file listed is there with its SHA-256, or `ExportError` names the first that
    is not."""
    for f in manifest.get("files", []):
        path = Path(folder) / f["name"]
        if not path.is_file():
            raise ExportError(f"缺少文件 {f['name']}", f"missing file {f['name']}")
        if sha256_of(path) != f["sha256"]:
            raise ExportError(f"文件 {f['name']} 与清单中的校验值不符（被改动或不完整）",
                              f"{f['name']} does not match its SHA-256 in the manifest")
