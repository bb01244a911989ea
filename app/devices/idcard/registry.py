"""Which reader drivers exist, and the reader devices.ini asks for.

Drivers are found through the entry point group ``hall_counter.idcard_readers``: a vendor
ships a package whose ``pyproject.toml`` declares::

    [project.entry-points."hall_counter.idcard_readers"]
    acme-usb = "acme_reader.driver:AcmeReader"

where ``AcmeReader`` subclasses `IdCardReader` and builds itself with the classmethod
``from_config(config) -> IdCardReader`` from the ``[idcard]`` section; ``kind = acme-usb``
then selects it. The built-in drivers are also listed here, for the bundled program, whose
package metadata (and so its entry points) may be missing.
"""

from __future__ import annotations

import importlib
import logging
from importlib import metadata
from typing import TYPE_CHECKING

from app.devices.config import DeviceConfig, DeviceConfigError

if TYPE_CHECKING:
    from app.devices.idcard.card import IdCardReader

__all__ = ["BUILTIN", "GROUP", "NONE", "driver_class", "make_reader", "reader_kinds"]

logger = logging.getLogger(__name__)

GROUP = "hall_counter.idcard_readers"
NONE = "none"
BUILTIN: dict[str, str] = {
    "simulated": "app.devices.idcard.simulated:SimulatedIdCardReader",
    "ga467-serial": "app.devices.idcard.ga467_serial:Ga467SerialReader",
    "sdk": "app.devices.idcard.sdk:SdkIdCardReader",
}


def _entry_points() -> dict[str, metadata.EntryPoint]:
    try:
        found = metadata.entry_points(group=GROUP)
    except Exception:  # broken metadata of some other package must not stop the counter
        logger.warning("Reading the installed reader drivers failed", exc_info=True)
        return {}
    return {ep.name: ep for ep in found}


def reader_kinds() -> list[str]:
    """Every driver name: the built-ins first, then the installed vendor drivers."""
    names = list(BUILTIN)
    names += sorted(n for n in _entry_points() if n not in BUILTIN)
    return names


def _load(target: str) -> object:
    module, _, attr = target.partition(":")
    obj: object = importlib.import_module(module)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


def driver_class(kind: str) -> type[IdCardReader]:
    """The driver class for `kind`; an unknown or broken driver is a `DeviceConfigError`."""
    from app.devices.idcard.card import IdCardReader

    eps = _entry_points()
    try:
        if kind in eps:
            cls = eps[kind].load()
        elif kind in BUILTIN:
            cls = _load(BUILTIN[kind])
        else:
            raise DeviceConfigError("idcard", "kind", f"没有名为“{kind}”的读卡器驱动（未安装？）",
                                    f"there is no reader driver named {kind!r} (not installed?)")
    except DeviceConfigError:
        raise
    except Exception as exc:
        logger.warning("The reader driver %s cannot be loaded", kind, exc_info=True)
        raise DeviceConfigError("idcard", "kind", f"读卡器驱动“{kind}”无法加载（{type(exc).__name__}）",
                                f"the reader driver {kind!r} cannot be loaded "
                                f"({type(exc).__name__})") from None
    if not (isinstance(cls, type) and issubclass(cls, IdCardReader)):
        raise DeviceConfigError("idcard", "kind", f"“{kind}”不是读卡器驱动",
                                f"{kind!r} is not an ID card reader driver")
    return cls


def make_reader(config: DeviceConfig) -> IdCardReader | None:
    """The reader devices.ini asks for, not yet opened; None for ``kind = none`` (or unset)."""
    kind = config.get("idcard", "kind", NONE) or NONE
    if kind == NONE:
        return None
    return driver_class(kind).from_config(config)
