"""The one place that reads the process environment.

Everything configurable about a deployment comes through here, so the
settings modules never call os.environ themselves.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def text(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def items(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in text(name, default).split(",") if part.strip()]


def data_dir() -> Path:
    """Where the SQLite file and other local state live (ignored by git)."""
    return Path(text("LINDUNG_DATA_DIR", str(BASE_DIR / "var")))


# Every SQLite connection, however configured: WAL lets readers go on while one connection writes;
# IMMEDIATE takes the write lock when a transaction starts, so two writers queue instead of failing
# with "database is locked" when a read transaction upgrades; the timeout (seconds) is how long a
# writer waits for the lock before it gives up (a background job then retries with backoff).
SQLITE_OPTIONS: dict[str, Any] = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


def database(variable: str = "DATABASE_URL") -> dict[str, Any]:
    """PostgreSQL when DATABASE_URL is set, otherwise a local SQLite file with no configuration."""
    url = text(variable)
    if url:
        parsed: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
        if parsed["ENGINE"] == "django.db.backends.sqlite3":
            parsed["OPTIONS"] = {**SQLITE_OPTIONS, **(parsed.get("OPTIONS") or {})}
            parsed["CONN_MAX_AGE"] = 0  # SQLite connections are cheap; a kept one holds its WAL snapshot
        return parsed
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": data_dir() / "lindung.sqlite3", "OPTIONS": SQLITE_OPTIONS}


def replica_database() -> dict[str, Any] | None:
    """The read replica from DATABASE_REPLICA_URL (a streaming standby of the primary), if set."""
    if not text("DATABASE_REPLICA_URL"):
        return None
    return database("DATABASE_REPLICA_URL")
