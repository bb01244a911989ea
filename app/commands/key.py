"""`counter key create --file PATH | --keyring`: the personal-data key, made once per hall.

Every refusal is one plain line (Chinese / English): a bad passphrase or an unusable path is
bad input (exit 2), checked before the slow key derivation and before anything is written;
an existing key or a keyring that cannot be used is a problem of the machine (exit 1).
"""

from __future__ import annotations

import argparse
import getpass
import os
from pathlib import Path

from app.cli import EXIT_BAD_INPUT, EXIT_FAIL, CliError


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
    path = Path(args.file)
    if not args.file.strip() or path.is_dir():
        raise CliError(f"--file 应为密钥文件的路径，而不是文件夹 / --file must be the path of "
                       f"the key file, not a folder: {args.file}", EXIT_BAD_INPUT)
    passphrase = _passphrase()
    try:
        key = create_key_file(path, passphrase)
    except OSError as exc:
        raise CliError(f"无法写入密钥文件 / cannot write the key file {args.file}: "
                       f"{exc.strerror or exc}", EXIT_FAIL) from None
    print(f"密钥文件已创建 / key file created: {args.file} ({key_fingerprint(key)})")
    print("运行时请设置 / at run time set: COUNTER_KEY_FILE and COUNTER_KEY_PASSPHRASE")
    return 0


def _passphrase() -> str:
    """The new key file's passphrase, from COUNTER_KEY_PASSPHRASE or typed twice; refused
    with its reason (exit 2) before the key is made."""
    from app.security import ENV_KEY_PASSPHRASE, WeakPassphrase, check_passphrase

    passphrase = os.environ.get(ENV_KEY_PASSPHRASE)
    try:
        if passphrase:
            check_passphrase(passphrase)
            return passphrase
        if not os.isatty(0):
            raise CliError(f"请设置 {ENV_KEY_PASSPHRASE} 或在终端中运行 / set "
                           f"{ENV_KEY_PASSPHRASE} or run in a terminal", EXIT_BAD_INPUT)
        passphrase = getpass.getpass("密钥文件口令 / passphrase: ")
        check_passphrase(passphrase)
        if getpass.getpass("再次输入 / again: ") != passphrase:
            raise CliError("两次输入的口令不一致 / the passphrases differ", EXIT_BAD_INPUT)
        return passphrase
    except WeakPassphrase as exc:
        raise CliError(str(exc), EXIT_BAD_INPUT) from None
    except EOFError:  # Ctrl-D (Ctrl-Z on Windows) at the prompt
        raise CliError("未输入口令 / no passphrase entered", EXIT_BAD_INPUT) from None
