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


def database() -> dict[str, Any]:
    """PostgreSQL when DATABASE_URL is set, otherwise a local SQLite file with no configuration."""
    url = text("DATABASE_URL")
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": data_dir() / "lindung.sqlite3",
        "OPTIONS": {
            # WAL lets the dev server read while a command writes; IMMEDIATE avoids
            # "database is locked" upgrades from read to write transactions.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        },
    }
