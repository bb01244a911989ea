"""A throw-away home for a program run outside the tests (screenshots, benchmarks): offscreen
Qt, its own data, settings and key folders, a key file, no keyring. Call before Qt or the app
are imported.

    sys.path.insert(0, str(ROOT / "tools")); from sandbox import offscreen_sandbox
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def offscreen_sandbox(prefix: str, passphrase: str = "throw-away-passphrase") -> Path:
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["COUNTER_DATA_DIR"] = str(tmp / "data")
    os.environ["COUNTER_CONFIG_DIR"] = str(tmp / "config")
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    os.environ["COUNTER_KEY_FILE"] = str(tmp / "key.json")
    os.environ["COUNTER_KEY_PASSPHRASE"] = passphrase
    os.environ.pop("COUNTER_DB", None)
    from app.security import create_key_file

    create_key_file(tmp / "key.json", passphrase)
    return tmp
