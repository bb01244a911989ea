"""The catalog's parsed-TOML cache (`app.core.catalog_loader._ParsedFiles`): a second load
parses nothing, and a changed, broken or foreign file is never masked by it."""

from __future__ import annotations

import os
import pickle
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

from app.core import catalog_loader
from app.core.catalog import CatalogError, default_catalog_dir
from app.core.catalog_loader import load_catalog

CACHE = Path("__pycache__") / "catalog-toml.pickle"
SERVICE = Path("services") / "sim_replacement.toml"


@pytest.fixture
def catalog_dir(tmp_path: Path) -> Path:
    target = tmp_path / "catalog"
    shutil.copytree(default_catalog_dir(), target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files tomllib is asked to parse (by their first line), counted."""
    seen: list[str] = []
    real = tomllib.loads

    def counting(text: str, **kw: Any) -> dict[str, Any]:
        seen.append(text.splitlines()[0] if text else "")
        return real(text, **kw)

    monkeypatch.setattr(catalog_loader.tomllib, "loads", counting)
    return seen


def _same_length_edit(path: Path, old: str, new: str) -> None:
    """Change the text but neither the size nor the modification time of the file."""
    assert len(old.encode()) == len(new.encode())
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size


def test_a_second_load_parses_nothing_and_gives_the_same_catalog(
        catalog_dir: Path, parses: list[str]) -> None:
    first = load_catalog(catalog_dir)
    assert len(parses) == 3 + len(list((catalog_dir / "services").glob("*.toml")))
    assert (catalog_dir / CACHE).is_file()
    parses.clear()
    second = load_catalog(catalog_dir)
    assert parses == []
    assert second.services == first.services
    assert second.documents == first.documents
    assert second.rule_texts == first.rule_texts
    assert second.campaigns == first.campaigns


def test_an_edited_file_is_read_again_whatever_its_size_and_time(
        catalog_dir: Path, parses: list[str]) -> None:
    before = load_catalog(catalog_dir).services["sim_replacement"]
    parses.clear()
    path = catalog_dir / SERVICE
    en = before.name.en
    edited = en.swapcase()  # the same bytes' count, another text
    _same_length_edit(path, f'"{en}"', f'"{edited}"')
    after = load_catalog(catalog_dir).services["sim_replacement"]
    assert len(parses) == 1  # that file alone
    assert after.name.en == edited != en
    parses.clear()
    assert load_catalog(catalog_dir).services["sim_replacement"].name.en == edited
    assert parses == []  # the new text is what is kept now


def test_a_file_broken_after_caching_is_still_refused(catalog_dir: Path) -> None:
    load_catalog(catalog_dir)
    path = catalog_dir / SERVICE
    path.write_text(path.read_text(encoding="utf-8") + "\n[[[ not toml\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="not valid TOML"):
        load_catalog(catalog_dir)
    path.write_bytes(b"\xff\xfe" + path.read_bytes())
    with pytest.raises(CatalogError, match="not UTF-8"):
        load_catalog(catalog_dir)


def test_a_failed_load_keeps_no_cache(catalog_dir: Path) -> None:
    path = catalog_dir / SERVICE
    path.write_text(path.read_text(encoding="utf-8").replace("[", "[[", 1), encoding="utf-8")
    with pytest.raises(CatalogError):
        load_catalog(catalog_dir)
    assert not (catalog_dir / CACHE).exists()


class Foreign:
    """A class a tampered cache might name: it must never be built."""

    built = False

    def __reduce__(self) -> tuple[Any, ...]:
        return (Foreign._build, ())

    @staticmethod
    def _build() -> dict[str, Any]:
        Foreign.built = True
        return {}


@pytest.mark.parametrize("content", ["garbage", "foreign", "wrong shape"])
def test_a_damaged_or_foreign_cache_is_not_used(catalog_dir: Path, parses: list[str],
                                                content: str) -> None:
    expected = load_catalog(catalog_dir)
    cache = catalog_dir / CACHE
    stored = pickle.loads(cache.read_bytes())
    if content == "garbage":
        cache.write_bytes(b"\x80\x05not a pickle at all")
    elif content == "foreign":  # the right digest, a payload naming another class
        digest = stored[SERVICE.as_posix()][0]
        stored[SERVICE.as_posix()] = (digest, pickle.dumps(Foreign()))
        cache.write_bytes(pickle.dumps(stored))
    else:
        cache.write_bytes(pickle.dumps([1, 2, 3]))
    parses.clear()
    again = load_catalog(catalog_dir)
    assert again.services == expected.services
    assert not Foreign.built
    assert parses  # parsed from the files, as without a cache


def test_a_folder_that_cannot_hold_a_cache_still_loads(catalog_dir: Path,
                                                       parses: list[str]) -> None:
    (catalog_dir / "__pycache__").write_text("a file where the folder would be")
    load_catalog(catalog_dir)
    parses.clear()
    load_catalog(catalog_dir)
    assert parses  # nothing kept: parsed again, no error
