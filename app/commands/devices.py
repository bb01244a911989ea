"""`counter devices show|test|set`: this workstation's devices (devices.ini).

    counter devices show [--file PATH]
    counter devices test [--device KIND ...] [--lang zh|en] [--file PATH]
    counter devices set SECTION KEY VALUE [--file PATH]

`test` prints one sentence per device saying what works and what does not, and exits 1 when a
device that is set up does not work (0 when every one that is set up works).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.devices.check import DEVICE_KINDS, DeviceKind
from app.devices.config import DeviceConfig

SECTIONS = ("idcard", "receipt_printer", "a4_printer", "scanner", "queue")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("devices", help="this workstation's devices: show, test, set")
    p.add_argument("--file", type=Path, help="devices.ini (default: in the user's settings)")
    actions = p.add_subparsers(dest="devices_action", metavar="ACTION", required=True)
    actions.add_parser("show", help="print the device settings")
    t = actions.add_parser("test", help="test the devices, one sentence each")
    t.add_argument("--device", action="append", choices=DEVICE_KINDS,
                   help="only this device (repeatable)")
    t.add_argument("--lang", choices=("zh", "en"), default="zh")
    s = actions.add_parser("set", help="set one value, e.g. `set idcard kind ga467-serial`")
    s.add_argument("section", choices=SECTIONS)
    s.add_argument("key")
    s.add_argument("value")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from app.devices import config as device_config

    config = device_config.load(args.file)
    if args.devices_action == "show":
        return _show(config)
    if args.devices_action == "set":
        return _set(config, args.section, args.key, args.value)
    return _test(config, args.device or list(DEVICE_KINDS), args.lang)


def _show(config: DeviceConfig) -> int:
    print(f"# {config.path}{'' if config.path.exists() else ' (not written yet: no devices)'}")
    for section in SECTIONS:
        values = config.section(section)
        print(f"[{section}]")
        for key, value in values.items():
            print(f"{key} = {value}")
        if not values:
            print("# not set")
    return 0


def _set(config: DeviceConfig, section: str, key: str, value: str) -> int:
    from app.cli import EXIT_BAD_INPUT, CliError
    from app.devices.config import save

    key = key.strip().lower()
    if not key.replace("_", "").replace("-", "").isalnum():
        raise CliError(f"设备设置的键名无效：{key!r} / not a valid key name", EXIT_BAD_INPUT)
    config.set(section, key, value.strip())
    save(config)
    print(f"[{section}] {key} = {value.strip()}  ({config.path})")
    return 0


def _test(config: DeviceConfig, kinds: list[DeviceKind], lang: str) -> int:
    from app.ui.devices.probes import DEVICE_TITLES, check_devices, ensure_qt_application

    ensure_qt_application()  # the A4 printer's test asks Qt for the printers
    failed = False
    for result in check_devices(config, kinds):
        zh, en = DEVICE_TITLES[result.device]
        title = en if lang == "en" else zh
        mark = "OK " if result.ok else ("-- " if not result.configured else "!! ")
        print(f"{mark}{title}: {result.sentence(lang)}")
        failed = failed or (result.configured and not result.ok)
    return 1 if failed else 0
