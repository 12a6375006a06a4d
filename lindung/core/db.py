"""The seam for database-specific features: PostgreSQL gets them, SQLite takes the portable path."""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper


def is_postgresql(connection: BaseDatabaseWrapper) -> bool:
    return connection.vendor == "postgresql"
