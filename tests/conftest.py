"""Shared test set-up: offscreen Qt, a throw-away key file, temporary databases, and no
test ever touching the real user's data folder, settings or keyring."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# Set before anything imports Qt, keyring or the app.
_SANDBOX = Path(tempfile.mkdtemp(prefix="counter-tests-"))
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["COUNTER_DATA_DIR"] = str(_SANDBOX / "data")
os.environ["COUNTER_CONFIG_DIR"] = str(_SANDBOX / "config")
os.environ.pop("COUNTER_DB", None)
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
KEY_FILE = _SANDBOX / "test-key.json"
KEY_PASSPHRASE = "test-passphrase-not-secret"
os.environ["COUNTER_KEY_FILE"] = str(KEY_FILE)
os.environ["COUNTER_KEY_PASSPHRASE"] = KEY_PASSPHRASE

from app.security import create_key_file  # noqa: E402

if not KEY_FILE.exists():
    # A cheap KDF would hide nothing here; the real cost is fine once per session.
    create_key_file(KEY_FILE, KEY_PASSPHRASE)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'counter.sqlite3'}"


@pytest.fixture
def db(db_url: str) -> Iterator[object]:
    from app.db import open_database

    database = open_database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def demo_db(db: object) -> object:
    from app.services.hall.demo import fill_demo

    fill_demo(db, customers=60)  # type: ignore[arg-type]
    return db


@pytest.fixture
def order_service(db: object) -> object:
    from app.services.hall.registry import ensure_hall
    from app.services.orders.service import OrderService

    with db.session() as s:  # type: ignore[attr-defined]
        ensure_hall(s)
    return OrderService(db)  # type: ignore[arg-type]
