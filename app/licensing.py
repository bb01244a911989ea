"""Which third-party distributions the program ships, and under which licences (Qt-free).

The list is read from the installed packages' metadata, walking the requirements of
``hall-counter`` (with the extras it asks for, e.g. ``psycopg[binary]``), so it never drifts
from ``pyproject.toml``. The PyInstaller spec uses it to copy each distribution's metadata
(licence files included) into the bundle; the About dialog uses it to list them, which then
works the same from a source tree and from the frozen program.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.metadata import Distribution, PackageMetadata, PackageNotFoundError, distribution

__all__ = ["PROJECT_DISTRIBUTION", "Component", "licence_of", "runtime_components",
           "runtime_distributions"]

PROJECT_DISTRIBUTION = "hall-counter"

_NAME = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?")
_EXTRA = re.compile(r"""extra\s*==\s*["']([^"']+)["']""")


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    licence: str


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_distributions(root: str = PROJECT_DISTRIBUTION) -> list[Distribution]:
    """`root` and everything it requires at run time that is installed here, root first.

    Requirements of an extra are followed only when that extra was asked for; requirements
    for another platform are simply not installed, so they are skipped.
    """
    found: dict[str, Distribution] = {}
    todo: list[tuple[str, frozenset[str]]] = [(root, frozenset())]
    while todo:
        name, extras = todo.pop(0)
        if _key(name) in found:
            continue
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            continue
        found[_key(name)] = dist
        for requirement in dist.requires or []:
            spec, _, marker = requirement.partition(";")
            extra = _EXTRA.search(marker)
            if extra and extra.group(1) not in extras:
                continue
            match = _NAME.match(spec)
            if match:
                wanted = frozenset(e.strip() for e in (match.group(2) or "").split(",") if e)
                todo.append((match.group(1), wanted))
    return list(found.values())


def licence_of(dist: Distribution) -> str:
    """A short licence name: the SPDX expression, else a short License field, else classifiers."""
    meta = dist.metadata
    expression = _field(meta, "License-Expression")
    if expression:
        return expression
    field = _field(meta, "License")
    if field and "\n" not in field and len(field) <= 80:
        return field
    classifiers = [c.rsplit("::", 1)[-1].strip() for c in meta.get_all("Classifier") or []
                   if c.startswith("License ::") and c.count("::") >= 2]
    if classifiers:
        return " / ".join(c.removesuffix(" License") for c in classifiers)
    return field.split("(")[0].strip()[:40] or "?"


def _field(meta: PackageMetadata, name: str) -> str:
    values = meta.get_all(name) or []
    return str(values[0]).strip() if values else ""


def runtime_components(root: str = PROJECT_DISTRIBUTION) -> list[Component]:
    """Name, version and licence of `root` and each distribution it ships, sorted by name
    after the root."""
    dists = runtime_distributions(root)
    components = [Component(str(d.metadata["Name"]), d.version, licence_of(d)) for d in dists]
    return components[:1] + sorted(components[1:], key=lambda c: c.name.lower())
