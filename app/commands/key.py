"""`counter key create --file PATH | --keyring`: the personal-data key, made once per hall."""

from __future__ import annotations

import argparse
import getpass
import os

from app.cli import CliError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("key", help="create the personal-data encryption key")
    ks = p.add_subparsers(dest="key_command", metavar="ACTION", required=True)
    c = ks.add_parser("create", help="create a new key")
    where = c.add_mutually_exclusive_group(required=True)
    where.add_argument("--file", help="write a passphrase-protected key file here")
    where.add_argument("--keyring", action="store_true", help="store it in the OS keyring")
    c.set_defaults(handler=run_create)


def run_create(args: argparse.Namespace) -> int:
    from app.security import create_key_file, generate_key, key_fingerprint, store_in_keyring

    if args.keyring:
        key = generate_key()
        store_in_keyring(key)
        print(f"密钥已存入系统钥匙串 / key stored in the OS keyring ({key_fingerprint(key)})")
        return 0
    passphrase = os.environ.get("COUNTER_KEY_PASSPHRASE")
    if not passphrase:
        if not os.isatty(0):
            raise CliError("请设置 COUNTER_KEY_PASSPHRASE 或在终端中运行 / set "
                           "COUNTER_KEY_PASSPHRASE or run in a terminal", 2)
        passphrase = getpass.getpass("密钥文件口令 / passphrase: ")
        if getpass.getpass("再次输入 / again: ") != passphrase:
            raise CliError("两次输入的口令不一致 / the passphrases differ", 2)
    key = create_key_file(args.file, passphrase)
    print(f"密钥文件已创建 / key file created: {args.file} ({key_fingerprint(key)})")
    print("运行时请设置 / at run time set: COUNTER_KEY_FILE and COUNTER_KEY_PASSPHRASE")
    return 0
